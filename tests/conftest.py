"""Test set-up: Qt runs headless, and the project root is importable."""
import os
import sys
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Settings (QSettings) and autosaves go to a throwaway folder, never the user's.
_USER_DIRS = tempfile.mkdtemp(prefix="cdm-test-home-")
for _name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
    os.environ[_name] = os.path.join(_USER_DIRS, _name.lower())
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@pytest.fixture(autouse=True)
def _fresh_user_dirs(tmp_path_factory, monkeypatch):
    """Each test starts with no saved settings, recent files or autosaves:
    a window one test closes must not restore its layout into the next."""
    from PySide6.QtCore import QSettings
    home = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    for fmt in (QSettings.Format.IniFormat, QSettings.Format.NativeFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(home / "config"))
