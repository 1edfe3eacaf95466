"""Colours and plot styling shared by every view.

Plot colours come from the Okabe-Ito palette, which stays distinguishable
for the common forms of colour blindness.
"""
from __future__ import annotations

import pyqtgraph as pg

OKABE_ITO = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
}
SERIES = [OKABE_ITO[k] for k in ("blue", "orange", "green", "vermillion", "sky", "purple",
                                 "yellow", "black")]

PLOT_BACKGROUND = "#FFFFFF"
PLOT_FOREGROUND = "#222222"
WARNING_STYLE = ("background:#FFF4D6; color:#5C3D00; border:1px solid #E6B54A; "
                 "border-radius:4px; padding:4px 8px;")
ERROR_STYLE = ("background:#FDE2DE; color:#7A1A0C; border:1px solid #D55E00; "
               "border-radius:4px; padding:4px 8px;")
INVALID_FIELD_STYLE = "border: 2px solid #D55E00;"


def configure_pyqtgraph() -> None:
    pg.setConfigOptions(background=PLOT_BACKGROUND, foreground=PLOT_FOREGROUND,
                        antialias=True)


def series_colour(index: int) -> str:
    return SERIES[index % len(SERIES)]
