"""Shared pytest configuration: hypothesis profiles.

``ci`` (loaded when the environment variable ``CI`` is set): derandomized, no
deadline, failing examples printed as reproduction blobs. Otherwise hypothesis's
default profile is used.
"""

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)

if os.environ.get("CI"):
    settings.load_profile("ci")
