"""Where an export goes: refuse to overwrite without leave, report an
unwritable path clearly, and never leave a half-written file behind.

Every export is written through core.safe_write: the writer (xlsxwriter,
python-pptx, QPdfWriter, QImage) writes a temporary file beside the target,
its bytes are checked for the format (a PDF that ends in %%EOF, a whole zip
for xlsx/pptx, a PNG that ends in IEND: a full disk truncates them), and only
then is it moved over the target, so a failed export keeps the user's old file
and nothing reports success that did not succeed.
"""
from __future__ import annotations

import contextlib
import io
import os
import zipfile
from pathlib import Path

from core.safe_write import WriteError, produced_at, real_target, stamp_of, write_bytes


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


def _check_name_length(target: Path) -> None:
    """A file name longer than the file system takes (255 bytes on most) is
    refused before anything is made, saying by how much."""
    folder = target.parent if str(target.parent) else Path(".")
    try:
        limit = os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError, AttributeError):
        limit = 255
    length = len(os.fsencode(target.name))
    if length > limit:   # (the temporary beside it has a short name of its own)
        raise ExportError(f"Cannot export to {target}: the file name is {length:,} bytes long; "
                          f"this folder takes names of at most {limit:,} bytes")


def check_target(path: str | os.PathLike, overwrite: bool) -> Path:
    """The target as a Path, after checking it can be written."""
    target = Path(path).expanduser()
    _check_name_length(target)
    try:
        if target.is_dir():
            raise ExportError(f"Cannot export to {target}: it is a folder")
        if os.path.lexists(target) and not overwrite:
            raise TargetExists(f"{target} already exists (use --force to overwrite it)")
        real = real_target(target)
    except WriteError as error:
        raise ExportError(str(error)) from None
    except OSError as error:      # a path too long for the system, a loop of links...
        raise ExportError(f"Cannot export to {target}: {error.strerror or error}") from None
    folder = real.parent if str(real.parent) else Path(".")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ExportError(f"Cannot export to {target}: the folder {folder} is not writable")
    return target


def _whole_zip(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if archive.testzip() is None:
                return None
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        pass
    return "the file came out incomplete: is the disk full?"


def format_problem(kind: str, data: bytes) -> str | None:
    """What is wrong with an export's bytes for its format, or None if whole."""
    incomplete = "the file came out incomplete: is the disk full?"
    if kind == "pdf":
        return None if data.startswith(b"%PDF-") and b"%%EOF" in data[-1024:] else incomplete
    if kind == "png":
        return None if (data.startswith(b"\x89PNG\r\n\x1a\n")
                        and data.endswith(b"IEND\xaeB`\x82")) else incomplete
    if kind in ("xlsx", "pptx"):
        return _whole_zip(data)
    return None


@contextlib.contextmanager
def atomic_path(target: Path):
    """A temporary path (short name, beside `target`) for a writer; when the
    block succeeds its bytes are checked and moved onto `target` (through a
    symbolic link).  Any failure is an ExportError and the old file is kept;
    so is a target another program changed while the export was being made."""
    kind = Path(target).suffix.lower().lstrip(".")
    expected = stamp_of(target)
    try:
        with produced_at(target, check=lambda data: format_problem(kind, data),
                         expected=expected) as temporary:
            yield Path(temporary)
    except WriteError as error:
        raise ExportError(str(error)) from None


def write_export_bytes(target: Path, data: bytes, kind: str) -> None:
    """Put an export made in memory on disk, checked for its format; ExportError."""
    expected = stamp_of(target)
    problem = "the file came out empty" if not data else format_problem(kind, data)
    if problem:
        raise ExportError(f"{target}: not written ({problem}); the previous file is unchanged")
    try:
        write_bytes(target, data, expected=expected)
    except WriteError as error:
        raise ExportError(str(error)) from None
