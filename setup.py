"""Build hook for the optional compiled core (``exactpoly/complex/_fast.pyx``, linked against
GMP, whose headers pycddlib needs anyway).

Everything else is in ``pyproject.toml``. The extension is optional: without a C
compiler (or Cython) the package installs and runs on its pure-Python path, which
gives identical results, only slower.
"""

from setuptools import Extension, setup

try:
    from Cython.Build import cythonize
except ImportError:  # pragma: no cover - Cython is a build requirement
    ext_modules = []
else:
    ext_modules = cythonize(
        [Extension("exactpoly.complex._fast", ["exactpoly/complex/_fast.pyx"], optional=True,
                   libraries=["gmp"], extra_compile_args=["-O2"])],
        language_level=3, quiet=True)

setup(ext_modules=ext_modules)
