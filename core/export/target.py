"""Where an export goes: refuse to overwrite without leave, report an
unwritable path clearly, and never leave a half-written file behind.

Writers write to a temporary file beside the target and move it into place
only once it is complete, so a failed export keeps the user's old file.
"""
from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


class ExportError(Exception):
    """An export could not be made; the message is for the user."""


class TargetExists(ExportError):
    """The target file exists and overwriting was not allowed."""


SUFFIXES = (".png", ".pdf", ".xlsx", ".pptx", ".csv")


def export_format(path: str | os.PathLike) -> str:
    """The format named by the path's suffix: png, pdf, xlsx, pptx or csv."""
    suffix = Path(path).suffix.lower()
    if suffix not in SUFFIXES:
        raise ExportError(f"Cannot export to '{Path(path).name}': the file name must end in "
                          f"{', '.join(SUFFIXES)}")
    return suffix[1:]


def check_target(path: str | os.PathLike, overwrite: bool) -> Path:
    """The target as a Path, after checking it can be written."""
    target = Path(path).expanduser()
    if target.is_dir():
        raise ExportError(f"Cannot export to {target}: it is a folder")
    if target.exists() and not overwrite:
        raise TargetExists(f"{target} already exists (use --force to overwrite it)")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise ExportError(f"Cannot export to {target}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ExportError(f"Cannot export to {target}: the folder {folder} is not writable")
    if target.exists() and not os.access(target, os.W_OK):
        raise ExportError(f"Cannot export to {target}: the file is read-only")
    return target


@contextlib.contextmanager
def atomic_path(target: Path):
    """A temporary path beside `target`; moved onto it if the block succeeds."""
    handle, temporary = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=target.suffix,
                                         dir=target.parent if str(target.parent) else ".")
    os.close(handle)
    try:
        yield Path(temporary)
        os.replace(temporary, target)
    except OSError as error:
        raise ExportError(f"Cannot write {target}: {error.strerror or error}") from error
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
