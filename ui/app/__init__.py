"""The app around the tabs: scenario binding, undo, workspace, settings, recovery, file actions."""

APP_NAME = "Compute Deal Modeler"
