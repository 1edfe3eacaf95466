"""One tornado convention for the app's Risk tab and every export (issue 24:
the colours meant the opposite on screen and on paper).

- a bar's colour says which end the input is at: its low value (blue) or its
  high value (orange), Okabe-Ito colours, the same in every view;
- a bar's length is the change in the figure from the base case (the base is
  the zero line), so a bar left of it is the figure falling;
- each row names the input with its low and high values: "Monthly fee
  ($1B / $1.5B)".
"""
from __future__ import annotations

import numpy as np

from core.formatting import format_money, format_quantity

LOW_COLOUR, HIGH_COLOUR = "blue", "orange"          # core.palette.OKABE_ITO keys
LOW_LABEL, HIGH_LABEL = "Input at its low value", "Input at its high value"
LABEL_WIDTH = 24                                    # characters of an input's name on a row


def moves_text(row) -> str:
    """The input's low and high values, short: "$1B / $1.5B", "48 / 72"."""
    def short(value):
        if row.input.unit == "$":
            return format_money(value, trim=True)
        if abs(value) >= 1e4:
            return format_quantity(value, trim=True)
        return f"{value:,.4g}"
    return f"{short(row.low_input)} / {short(row.high_input)}"


def row_label(row) -> str:
    """A tornado row: the input's name and its low / high values, short enough
    for an axis."""
    label = row.input.label
    if len(label) > LABEL_WIDTH:
        label = label[:LABEL_WIDTH - 1] + "\u2026"
    return f"{label} ({moves_text(row)})"


def changes(base: float, rows) -> tuple[np.ndarray, np.ndarray]:
    """Each row's change in the figure with the input at its low and at its
    high value, from the base case."""
    low = np.array([r.low_output - base for r in rows], dtype=float)
    high = np.array([r.high_output - base for r in rows], dtype=float)
    return low, high
