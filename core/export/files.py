"""Write an export that needs no Qt (csv, xlsx, pptx) to a path, safely.

The file is made in memory (xlsxwriter and python-pptx write to a buffer), its
bytes are checked for the format, and they reach the disk through
core.safe_write: a full disk or a failed library leaves the old file whole
and raises ExportError with one line for the user."""
from __future__ import annotations

import io
import os

from core.engine import Results
from core.export.target import ExportError, check_target, export_format, write_export_bytes

QT_FREE_FORMATS = ("csv", "xlsx", "pptx")


def export_bytes(results: Results, kind: str, sections=None, sweep=None) -> bytes:
    """The file's bytes for a Qt-free format.  `sections`: the board pack the
    deck shows (core.export.pack.board_pack); None builds it without a
    simulation.  `sweep`: the workbook's two-way table (a core.sweep.SweepSpec;
    None: core.sweep.default_spec)."""
    if kind == "csv":
        from core.export.schedule_csv import schedule_csv_text
        return schedule_csv_text(results).encode("utf-8")
    buffer = io.BytesIO()
    if kind == "xlsx":
        from core.export.workbook import write_workbook
        from core.sweep import default_spec
        write_workbook(results, buffer, two_way=sweep or default_spec(results.scenario))
    else:
        from core.export.deck import write_deck
        write_deck(results, buffer, sections=sections)
    return buffer.getvalue()


def write_file_export(results: Results, path: str | os.PathLike, overwrite: bool = False,
                      sections=None, sweep=None) -> str:
    """Write `results` as the format the suffix names; returns the format.

    Raises ExportError (TargetExists if the file exists and `overwrite` is
    false) with a message for the user; the old file is kept on failure."""
    kind = export_format(path)
    if kind not in QT_FREE_FORMATS:
        raise ExportError(f".{kind} exports need the app's views (ui.boardroom.export_files)")
    target = check_target(path, overwrite)
    write_made_bytes(target, kind, lambda: export_bytes(results, kind, sections, sweep))
    return kind


def write_made_bytes(target, kind: str, make) -> None:
    """Write the file's bytes that `make()` returns to `target` (checked);
    running out of memory or a library's I/O error while making them is one
    line naming the file, and the previous file is kept."""
    try:
        data = make()
    except (OSError, MemoryError) as error:
        raise ExportError(f"{target}: not written ({getattr(error, 'strerror', None) or error}); "
                          f"the previous file is unchanged") from None
    write_export_bytes(target, data, kind)
