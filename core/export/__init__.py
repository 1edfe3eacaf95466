"""File exports that need no Qt: CSV, Excel (xlsx) and PowerPoint (pptx).

The Qt-based exports (PNG, PDF) live in ui/export_*.py.  `export_to_file`
in ui/boardroom/export_files.py picks a writer by the path's suffix.
"""
