"""The window's menus and actions (file, examples, export, theme, help, glossary) and
the entry points that build the window (launch, the export command): the top layer of
ui/ with ui/main_window.py, which they sit beside."""
