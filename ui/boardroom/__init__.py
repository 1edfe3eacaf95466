"""Boardroom features: presentation mode, the board pack and the export views and files (PNG,
PDF, workbook).  Their menus and the export command are in ui/window/, the themes in ui/look/."""
