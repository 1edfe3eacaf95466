"""The app state under every view: scenario binding, undo, workspace, settings, lazy updates,
recovery, fonts.  It imports only the base (ui/look/, ui/registry.py) of ui/."""

APP_NAME = "Compute Deal Modeler"
