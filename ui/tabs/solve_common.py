"""Pieces shared by the Solve panel, the two-way table and the scenario
differences: the figure and input pickers, and numbers typed and shown the
way an analyst writes them ("15%", "$1.25B", "45e9").

Key figures take their label, format and definition from core/figures.py,
so a figure reads here as it does on the key-figure strip and in exports;
inputs take their label and unit from their `quantity()` declaration.
The bare plots here (heat map, waterfall) follow the theme with `style_plot`.
"""
from __future__ import annotations

import math
import re

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QStandardItemModel
from PySide6.QtWidgets import QComboBox

from core.figures import format_value, label as output_label, output
from core.formatting import format_money
from core.solve import FIGURES, NumericInput, numeric_inputs
from ui.look.themes import Theme

_SUFFIX = {"k": 1e3, "m": 1e6, "b": 1e9, "bn": 1e9, "t": 1e12}
_NUMBER = re.compile(r"^([+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)\s*(k|m|bn|b|t)?\s*(%)?$")
# The figure pickers' groups, in this order: whose figure it is (core.figures' side).
SIDE_GROUPS = (("buyer", "Buyer"), ("provider", "Provider"), ("both", "Both sides"))
SECTION_TITLES = {"contract": "Contract", "hardware": "Hardware", "projections": "Projections"}


def figure_label(name: str) -> str:
    """What a user sees for a key figure: its label in core/figures.py."""
    return output_label(name)


def is_percent_figure(name: str) -> bool:
    return output(name).fmt == "percent"


def format_figure(name: str, value: float | None) -> str:
    """A key figure's value as every view shows it (core/figures.py): "n/a" if undefined."""
    return format_value(name, value)


def format_figure_tick(name: str, value: float) -> str:
    """A figure's value on a plot axis: its format without the "/unit" of a
    rate ($7.78, not $7.78/GPU-hour), which the axis title carries."""
    if output(name).fmt == "money_rate":
        return format_money(value)
    return format_figure(name, value)


def figure_title(name: str) -> str:
    """A figure's label with its unit where the label does not say it: "Price per
    GPU-hour ($/GPU-hour)", "Buyer NPV ($)", "Provider IRR (%/yr)"."""
    o = output(name)
    if not o.unit or o.unit.lower() in o.label.lower():
        return o.label
    return f"{o.label} ({o.unit})"


def format_input(spec: NumericInput, value: float) -> str:
    """An input's value with its unit, as the solve and sweep tab states it:
    $1.25B, 60 %, 36 months (six significant figures of a non-money value)."""
    if spec.unit == "$":
        return spec.text(value, digits=4)
    return spec.text(value, digits=6)


def compact_number(value: float) -> str:
    """A number to put in an entry box, that `parse_number` reads back exactly
    for up to six significant figures: 625M, 1.875B, 60, 0.15."""
    for threshold, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M")):
        if abs(value) >= threshold:
            return f"{value / threshold:.6g}{suffix}"
    return f"{value:.6g}"


def parse_number(text: str, percent_as_fraction: bool = True) -> float:
    """"1.25B", "$625M", "45e9", "15%" (0.15), "1,000": ValueError if not a number."""
    cleaned = text.strip().replace(",", "").replace("$", "").replace("\u2212", "-").lower()
    match = _NUMBER.match(cleaned)
    if not match:
        raise ValueError(f"{text.strip() or 'nothing'!r} is not a number (e.g. 0.15, 15%, 1.25B)")
    value = float(match.group(1)) * _SUFFIX.get(match.group(2) or "", 1.0)
    if match.group(3) and percent_as_fraction:
        value /= 100.0
    if not math.isfinite(value):
        raise ValueError(f"{text.strip()!r} is not a finite number")
    return value


def add_heading(combo: QComboBox, text: str) -> None:
    """A group's title in a picker: bold, not selectable."""
    combo.addItem(text)
    index = combo.count() - 1
    model = combo.model()
    assert isinstance(model, QStandardItemModel)     # a combo's own model
    heading = model.item(index)
    heading.setFlags(heading.flags() & ~(Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled))
    font = QFont(combo.font())
    font.setBold(True)
    heading.setFont(font)


def _compact(combo: QComboBox, characters: int) -> QComboBox:
    """A picker as wide as `characters`, not as its longest entry (the list opens wider)."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(characters)
    combo.view().setMinimumWidth(combo.view().sizeHintForColumn(0) + 24)
    combo.setMaxVisibleItems(24)
    return combo


def figure_combo(default: str, names: tuple[str, ...] = FIGURES) -> QComboBox:
    """Every figure of `names` (core.solve's: the key figures, then the credit
    figures) under its side's heading (buyer, provider, both), by its label;
    the figure's key as data and its definition as tooltip."""
    combo = QComboBox()
    for side, title in SIDE_GROUPS:
        grouped = [k for k in names if output(k).side == side]
        if not grouped:
            continue
        add_heading(combo, title)
        for name in grouped:
            combo.addItem(figure_label(name), name)
            combo.setItemData(combo.count() - 1, output(name).definition,
                              Qt.ItemDataRole.ToolTipRole)
    combo.setCurrentIndex(max(1, combo.findData(default)))   # 0 is a heading
    return _compact(combo, 22)


def input_label(spec: NumericInput) -> str:
    """An input as a picker shows it: its label and unit, "Monthly fee ($)"."""
    return f"{spec.label} ({spec.unit})" if spec.unit else spec.label


def input_combo(default: str) -> QComboBox:
    """Every numeric input under its section's heading, "Monthly fee ($)", its
    SECTION.FIELD as data."""
    combo = QComboBox()
    section = None
    for spec in numeric_inputs():
        if spec.section != section:
            section = spec.section
            add_heading(combo, SECTION_TITLES.get(section, section.capitalize()))
        combo.addItem(input_label(spec), spec.key)
        combo.setItemData(combo.count() - 1, spec.key, Qt.ItemDataRole.ToolTipRole)
    combo.setCurrentIndex(max(1, combo.findData(default)))   # 0 is a heading
    return _compact(combo, 22)


# Cells of a table marked as lying on a threshold's contour, per theme: a
# background and a text colour that read together (the theme's own text
# colour is light in the dark themes, and would vanish on a light fill).
CROSSING_COLOURS = {"light": ("#FFF4D6", "#1A1A1A"), "dark": ("#5A4712", "#FFF1C7"),
                    "high_contrast": ("#F0E442", "#000000")}


def style_axis(axis: pg.AxisItem, theme: Theme) -> None:
    """An axis drawn in the theme's foreground, its line as thick as the theme asks."""
    axis.setPen(pg.mkPen(theme.plot_foreground, width=theme.pen_scale))
    axis.setTextPen(pg.mkPen(theme.plot_foreground))
    if axis.label is not None:
        axis.label.setDefaultTextColor(QColor(theme.plot_foreground))


def style_plot(plot_widget: pg.PlotWidget, theme: Theme) -> None:
    """A bare plot (not a PlotPanel) in the theme: background and every axis."""
    plot_widget.setBackground(theme.plot_background)
    for name in ("left", "bottom", "right", "top"):
        style_axis(plot_widget.getPlotItem().getAxis(name), theme)


# The figure a tab shows first for each side of View as.
SIDE_FIGURE = {"buyer": "buyer_npv", "provider": "provider_npv"}


def follow_side(combo: QComboBox, side: str) -> bool:
    """View as changed to `side`: a figure picker showing the other side's
    figure moves to `side`'s NPV (one of `side`'s or both sides' stays, being
    the user's choice).  Returns whether it moved."""
    current = combo.currentData()
    if current is None or output(current).side in ("both", side):
        return False
    index = combo.findData(SIDE_FIGURE[side])
    if index < 0:
        return False
    combo.setCurrentIndex(index)
    return True
