"""pyqtgraph imported without touching every Qt class (a faster start).

pyqtgraph.Qt keeps "mirror" modules of PySide6's QtCore, QtGui and QtWidgets
(pyqtgraph/Qt/__init__.py, `_copy_attrs`): at import it copies every name of
the three modules into them, one getattr each.  PySide6 creates a class's
Python type on its first use, so that loop creates all of them, about 700,
where the app uses a few dozen: a fifth of the app's imports (bench/run.py
cold_start_import_s).  `install()` makes the copy lazy instead:

- while pyqtgraph.Qt runs, dir() of the three PySide6 modules is empty, so
  `_copy_attrs` copies nothing (their own __dir__ is put back as soon as
  pyqtgraph.Qt has run);
- each mirror module gets a module `__getattr__` (PEP 562) that looks a name
  up in its PySide6 module the first time pyqtgraph uses it.

pyqtgraph sees the same objects under the same names; only when they are
fetched changes.  Plain Python: installing imports nothing, no Qt (main.py's
command-line paths import `ui` without Qt).  Any surprise (another Qt binding,
a pyqtgraph without mirrors) leaves pyqtgraph's own import as it was.
"""
from __future__ import annotations

import importlib.abc
import importlib.util
import sys

_MIRRORS = {"pyqtgraph.Qt.QtCore": "PySide6.QtCore", "pyqtgraph.Qt.QtGui": "PySide6.QtGui",
            "pyqtgraph.Qt.QtWidgets": "PySide6.QtWidgets"}
_QT = "pyqtgraph.Qt"


class _RunAfter(importlib.abc.Loader):
    """The module's own loader, with `before(module)` and `after(module)` around its run."""

    def __init__(self, inner, before=None, after=None):
        self.inner, self.before, self.after = inner, before, after

    def create_module(self, spec):
        return self.inner.create_module(spec)

    def exec_module(self, module):
        if self.before is not None:
            self.before(module)
        try:
            self.inner.exec_module(module)
        finally:
            if self.after is not None:
                self.after(module)


_ABSENT = object()


def _no_names() -> list[str]:
    return []


class _LazyMirrors(importlib.abc.MetaPathFinder):
    def __init__(self):
        self._hidden: list = []

    def find_spec(self, name, path=None, target=None):
        if name != _QT and name not in _MIRRORS:
            return None
        if name == _QT and "PySide6" not in sys.modules and "PyQt6" in sys.modules:
            return None     # pyqtgraph would choose another binding: leave it be
        spec = self._real_spec(name)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        if name == _QT:
            spec.loader = _RunAfter(spec.loader, before=self._hide_names,
                                    after=self._show_names)
        else:
            source = _MIRRORS[name]
            spec.loader = _RunAfter(spec.loader, after=lambda module: _look_up_in(module, source))
        return spec

    def _real_spec(self, name):
        sys.meta_path.remove(self)
        try:
            return importlib.util.find_spec(name)
        finally:
            sys.meta_path.insert(0, self)

    def _hide_names(self, _module) -> None:
        import PySide6.QtCore
        import PySide6.QtGui
        import PySide6.QtWidgets
        for module in (PySide6.QtCore, PySide6.QtGui, PySide6.QtWidgets):
            # PySide6 gives its modules a __dir__ of their own (it lists the
            # classes it has not created yet): put back afterwards.
            self._hidden.append((module, module.__dict__.get("__dir__", _ABSENT)))
            module.__dir__ = _no_names

    def _show_names(self, _module) -> None:
        for module, original in self._hidden:
            if module.__dict__.get("__dir__") is _no_names:
                if original is _ABSENT:
                    del module.__dir__
                else:
                    module.__dir__ = original
        self._hidden.clear()
        # Done: pyqtgraph.Qt and its mirrors are imported once.
        if self in sys.meta_path:
            sys.meta_path.remove(self)


def _look_up_in(mirror, source_name: str) -> None:
    source = sys.modules.get(source_name)
    if source is None:
        import importlib
        source = importlib.import_module(source_name)

    def __getattr__(name: str):   # noqa: N807 (PEP 562's name)
        # Only names the mirror lacks come here, as `_copy_attrs` would have
        # copied them (it copies every name the mirror lacks, dunders too).
        value = getattr(source, name)
        setattr(mirror, name, value)      # once: the next lookup is a plain attribute
        return value
    mirror.__getattr__ = __getattr__


def install() -> None:
    """Make the next import of pyqtgraph copy Qt names lazily (idempotent;
    nothing to do once pyqtgraph.Qt is imported)."""
    if _QT in sys.modules or any(isinstance(f, _LazyMirrors) for f in sys.meta_path):
        return
    sys.meta_path.insert(0, _LazyMirrors())
