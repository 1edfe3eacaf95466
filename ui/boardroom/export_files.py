"""Export the window's scenario to a file, the format taken from the suffix:
.png (current view, or each plot), .pdf (report), .xlsx, .pptx, .csv.

Every path goes through core.export.target: an existing file is kept unless
overwriting is allowed, an unwritable path is an ExportError with a clear
message, and a failed export leaves no partial file behind.
"""
from __future__ import annotations

import os
from pathlib import Path

from core.export.files import QT_FREE_FORMATS, write_file_export
from core.export.target import ExportError, TargetExists, atomic_path, check_target, export_format


def export_targets(window, path: str | os.PathLike, each_plot: bool = False) -> list[Path]:
    """The files an export to `path` writes (several for each-plot PNGs)."""
    target = Path(path).expanduser()
    if export_format(target) == "png" and each_plot:
        from ui.boardroom.export_views import plot_png_paths
        return [p for p, _panel in plot_png_paths(window, target)]
    return [target]


def export_to_file(window, path: str | os.PathLike, overwrite: bool = False,
                   each_plot: bool = False, perspective: str | None = None,
                   run_simulation: bool = True) -> list[Path]:
    """Write the export; returns the files written.  Raises ExportError.

    The report and the deck carry the board pack for `perspective` (default:
    the key-figure strip's side); their risk section runs the simulation when
    none has run on this scenario, unless `run_simulation` is false (the
    tornado alone)."""
    kind = export_format(path)
    window.binding.flush()
    if kind in ("pptx", "pdf"):
        from ui.boardroom.board_pack import window_pack
        check_target(path, overwrite)   # refuse before the simulation runs
        sections = window_pack(window, perspective, run_simulation)
    if kind in QT_FREE_FORMATS:
        from ui.boardroom.board_pack import window_sweep
        write_file_export(window.binding.results, path, overwrite,
                          sections=sections if kind == "pptx" else None,
                          sweep=window_sweep(window) if kind == "xlsx" else None)
        return [Path(path)]
    from ui.boardroom.export_views import plot_png_paths, save_view_png, write_pdf_report
    if kind == "pdf":
        target = check_target(path, overwrite)
        with atomic_path(target) as temporary:
            write_pdf_report(window, temporary, sections=sections)
        return [target]
    if not each_plot:
        target = check_target(path, overwrite)
        with atomic_path(target) as temporary:
            save_view_png(window, temporary)
        return [target]
    check_target(path, True)   # the folder must be writable; `path` itself is not written
    planned = plot_png_paths(window, Path(path).expanduser())
    if not overwrite:
        existing = [str(p) for p, _panel in planned if p.exists()]
        if existing:
            raise TargetExists(f"{existing[0]} already exists (use --force to overwrite it)"
                               + (f", and {len(existing) - 1} more" if len(existing) > 1 else ""))
    return [target for target, _panel in _render_each(window, Path(path).expanduser())]


def _render_each(window, path: Path):
    """Renders each plot while its tab is shown, writing NAME-<tab>-<plot>.png."""
    from ui.boardroom.export_views import plot_png_path, png_bytes, render_2x, tab_panels
    for tab, panel in tab_panels(window):
        target = plot_png_path(path, tab, panel)
        checked = check_target(target, True)
        with atomic_path(checked) as temporary:
            temporary.write_bytes(png_bytes(render_2x(panel)))
        yield target, panel
