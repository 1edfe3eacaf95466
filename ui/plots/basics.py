"""The plots' units of time and drawing: month starts as the axis's seconds,
the month edges a step curve needs, a month's label, and the pen of a series."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

SECONDS_PER_DAY = 86_400.0


def timestamps(days: np.ndarray) -> np.ndarray:
    """datetime64[D] -> POSIX seconds (UTC), what DateAxisItem reads."""
    return days.astype("datetime64[s]").astype(np.int64).astype(float)


def month_edges(schedule) -> np.ndarray:
    """The n + 1 period boundaries, for step curves (stepMode='center')."""
    starts = timestamps(schedule.month_start)
    if len(starts) == 0:
        return np.zeros(1)
    return np.append(starts, starts[-1] + schedule.days[-1] * SECONDS_PER_DAY)


def pen(colour: str, width: float = 2.0, dashed: bool = False):
    style = Qt.PenStyle.DashLine if dashed else Qt.PenStyle.SolidLine
    return pg.mkPen(colour, width=width, style=style)


def month_label(day: np.datetime64) -> str:
    return str(day.astype("datetime64[D]").item().strftime("%b %Y"))
