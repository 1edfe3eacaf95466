"""Boardroom features: presentation mode, themes and exports (PNG, PDF, workbook)."""
