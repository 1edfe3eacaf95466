"""Reusable widgets: input fields, form panel, tables, key-figure strip, figure list, the
import dialog and plain-text labels."""
