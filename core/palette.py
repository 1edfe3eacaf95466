"""The Okabe-Ito palette: colours that stay distinguishable for the common
forms of colour blindness.  Shared by the app's plots and the exports."""
from __future__ import annotations

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
SERIES_ORDER = ("blue", "orange", "green", "vermillion", "sky", "purple", "yellow", "black")
