"""Write an export that needs no Qt (csv, xlsx, pptx) to a path, safely."""
from __future__ import annotations

import os

from core.engine import Results
from core.export.target import ExportError, atomic_path, check_target, export_format

QT_FREE_FORMATS = ("csv", "xlsx", "pptx")


def write_file_export(results: Results, path: str | os.PathLike, overwrite: bool = False) -> str:
    """Write `results` as the format the suffix names; returns the format.

    Raises ExportError (TargetExists if the file exists and `overwrite` is
    false) with a message for the user; the old file is kept on failure."""
    kind = export_format(path)
    if kind not in QT_FREE_FORMATS:
        raise ExportError(f".{kind} exports need the app's views (ui.boardroom.export_files)")
    target = check_target(path, overwrite)
    with atomic_path(target) as temporary:
        if kind == "csv":
            from core.export.schedule_csv import write_schedule_csv
            write_schedule_csv(results, temporary)
        elif kind == "xlsx":
            from core.export.workbook import write_workbook
            write_workbook(results, temporary)
        else:
            from core.export.deck import write_deck
            write_deck(results, temporary)
    return kind
