"""One module per tab of the main window, named after the tab (see ui/registry.py)."""
