"""Every code example in the README and docs/ runs and gives what it shows; the tutorial runs
top to bottom as one script, its shell commands included, in an empty directory."""

from __future__ import annotations

import doctest
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_page_examples(page, tmp_path, monkeypatch):
    if page.name == "example-notebook.md":  # from a PyTorch model to a plotted slice
        pytest.importorskip("torch")
        pytest.importorskip("matplotlib")
    monkeypatch.chdir(tmp_path)  # pages may write files (the tutorial does): never into the repository
    result = doctest.testfile(str(page), module_relative=False, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0


def test_tutorial_runs_as_one_script(tmp_path, monkeypatch):
    """The Python examples in order, then every ``sh`` block, in the same fresh directory."""
    pytest.importorskip("torch")
    page = ROOT / "docs" / "tutorial.md"
    monkeypatch.chdir(tmp_path)
    assert doctest.testfile(str(page), module_relative=False, optionflags=doctest.NORMALIZE_WHITESPACE).failed == 0
    commands = [line.split("  #")[0].strip() for block in re.findall(r"```sh\n(.*?)```", page.read_text(), re.S)
                for line in block.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    assert commands
    bin_dir = str(Path(sys.executable).parent)
    env = {**os.environ, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT)}
    for command in commands:
        if command.split()[0] in ("git", "./dev", ".venv/bin/python", "pip"):
            continue  # installation (section 1), covered by the README's two commands
        res = subprocess.run(command, shell=True, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
        assert res.returncode == 0, f"{command}: {res.stderr[-500:]}"
