"""Input widgets made from core's field metadata, bound to the binding layer.

Each widget shows the field's unit (as a suffix or prefix) and sends every
change to `ScenarioBinding.set_values`.  Range checks are core's: a spin box
lets any number be typed, core refuses what is out of range with a message
that the main window shows, the box is outlined and returns to the value in
force.
"""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (QComboBox, QDateEdit, QDoubleSpinBox, QHBoxLayout, QLineEdit,
                               QSlider, QWidget)

from core.parameters import choice_text, field_meta, format_range
from ui.app.binding import ScenarioBinding
from ui.boardroom.themes import INVALID_FIELD_STYLE

# Money shown in millions where whole dollars would be unreadable.
DISPLAY_SCALES = {("contract", "monthly_fee"): (1e6, "M"),
                  ("projections", "demand_tokens_per_s"): (1e6, "M")}
WIDE_RANGE = 1e15


def to_qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


class BoundField:
    """Glue shared by the widgets: the section and field it edits."""

    def __init__(self, binding: ScenarioBinding, section: str, name: str):
        self.binding = binding
        self.section = section
        self.name = name
        self.meta = field_meta(type(getattr(binding.scenario, section)), name)

    def current(self):
        return getattr(getattr(self.binding.scenario, self.section), self.name)


class NumberField(QDoubleSpinBox):
    def __init__(self, binding: ScenarioBinding, section: str, name: str, parent=None):
        super().__init__(parent)
        self.bound = BoundField(binding, section, name)
        meta = self.bound.meta
        self.scale, scale_suffix = DISPLAY_SCALES.get((section, name), (1.0, ""))
        unit = meta["unit"]
        decimals = meta["decimals"] if self.scale == 1.0 else 1
        self.setDecimals(decimals)
        # Wide Qt range: core decides what is allowed and says why.
        self.setRange(-WIDE_RANGE, WIDE_RANGE)
        step = meta.get("step") or (1 if decimals == 0 else 0.1)
        self.setSingleStep(step / self.scale)
        self.setGroupSeparatorShown(True)
        self.setAccelerated(True)
        # Typed values apply on Enter or leaving the box (not "5", "50", "500" on the
        # way to "5000"); arrows, the wheel and sliders apply at every step.
        self.setKeyboardTracking(False)
        if unit == "$":
            self.setPrefix("$")
            if scale_suffix:
                self.setSuffix(scale_suffix)
        elif unit:
            self.setSuffix(f" {scale_suffix}{unit}" if scale_suffix else f" {unit}")
        self.setToolTip(self._tooltip())
        self.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.setMinimumWidth(150)
        self._equivalent: float | None = None
        self._sync()
        self.valueChanged.connect(self._edited)
        self.editingFinished.connect(self._sync)
        binding.scenario_changed.connect(lambda _s: self._sync())
        binding.edit_refused.connect(self._refused)

    def _tooltip(self) -> str:
        # What the input means first (its help text), then what it accepts.
        meta = self.bound.meta
        return field_tooltip(meta) + f"\nAllowed: between {format_range(meta)}"

    def model_value(self) -> float:
        return self.value() * self.scale

    def _edited(self, shown: float) -> None:
        value = shown * self.scale
        if self.bound.meta["decimals"] == 0 and self.scale == 1.0:
            value = int(round(value))
        if self.bound.binding.set_values(self.bound.section, **{self.bound.name: value}):
            self.setStyleSheet("")

    def _refused(self, name: str, _message: str) -> None:
        if name != self.bound.name:
            return
        self.setStyleSheet(INVALID_FIELD_STYLE)
        if not self.hasFocus():
            # Set by a slider or a program, not typed: show the value in force now.
            self._sync()

    def show_equivalent(self, value: float | None) -> None:
        """A greyed price field (another pricing mode is in force) shows what the
        deal comes to in its unit; None shows the field's own value again."""
        self._equivalent = value
        self._sync()

    def _sync(self) -> None:
        """Show the value in force (after a refusal, an undo, a load)."""
        value = self.bound.current() if self._equivalent is None else self._equivalent
        shown = value / self.scale
        if abs(self.value() - shown) > 10 ** -(self.decimals() + 1):
            self.blockSignals(True)
            self.setValue(shown)
            self.blockSignals(False)


class SliderField(QWidget):
    """A number field with a slider beside it; dragging updates live."""

    STEPS = 1000

    def __init__(self, binding: ScenarioBinding, section: str, name: str,
                 slider_min: float, slider_max: float, parent=None):
        super().__init__(parent)
        self.spin = NumberField(binding, section, name)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, self.STEPS)
        self._lo, self._hi = slider_min, slider_max
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.spin, 2)
        layout.addWidget(self.slider, 3)
        self._place_slider(self.spin.model_value())
        self.slider.valueChanged.connect(self._slid)
        self.spin.valueChanged.connect(lambda _v: self._place_slider(self.spin.model_value()))
        # The spin box resyncs silently on undo or load: the slider follows it.
        binding.scenario_changed.connect(lambda _s: self._place_slider(self.spin.model_value()))

    def _place_slider(self, value: float) -> None:
        position = round((value - self._lo) / (self._hi - self._lo) * self.STEPS)
        self.slider.blockSignals(True)
        self.slider.setValue(max(0, min(self.STEPS, position)))
        self.slider.blockSignals(False)

    def _slid(self, position: int) -> None:
        value = self._lo + (self._hi - self._lo) * position / self.STEPS
        self.spin.setValue(value / self.spin.scale)


class TextField(QLineEdit):
    def __init__(self, binding: ScenarioBinding, section: str, name: str, parent=None):
        super().__init__(parent)
        self.bound = BoundField(binding, section, name)
        self.setMaxLength(self.bound.meta["max_length"])
        self.setText(self.bound.current())
        self.textChanged.connect(
            lambda text: binding.set_values(section, **{name: text}))
        binding.scenario_changed.connect(self._sync)

    def _sync(self, _scenario) -> None:
        if self.text() != self.bound.current():
            self.blockSignals(True)
            self.setText(self.bound.current())
            self.blockSignals(False)


class ChoiceField(QComboBox):
    def __init__(self, binding: ScenarioBinding, section: str, name: str, parent=None):
        super().__init__(parent)
        self.bound = BoundField(binding, section, name)
        # Shows each choice's text; stores its stable value (core.parameters.choice).
        meta = self.bound.meta
        for value in meta["choices"]:
            self.addItem(choice_text(meta, value), value)
        self.setCurrentIndex(self.findData(self.bound.current()))
        self.currentIndexChanged.connect(
            lambda index: binding.set_values(section, **{name: self.itemData(index)}))
        binding.scenario_changed.connect(self._sync)

    def _sync(self, _scenario) -> None:
        if self.currentData() != self.bound.current():
            self.blockSignals(True)
            self.setCurrentIndex(self.findData(self.bound.current()))
            self.blockSignals(False)


class DateField(QDateEdit):
    def __init__(self, binding: ScenarioBinding, section: str, name: str, parent=None):
        super().__init__(parent)
        self.bound = BoundField(binding, section, name)
        self.setCalendarPopup(True)
        self.setDisplayFormat("yyyy-MM-dd")
        self.setDate(to_qdate(self.bound.current()))
        self.dateChanged.connect(
            lambda day: binding.set_values(section, **{name: day.toPython()}))
        binding.scenario_changed.connect(self._sync)

    def _sync(self, _scenario) -> None:
        if self.date().toPython() != self.bound.current():
            self.blockSignals(True)
            self.setDate(to_qdate(self.bound.current()))
            self.blockSignals(False)


def field_tooltip(meta) -> str:
    """The field's label and, where core declares one, what it means."""
    return meta["label"] + (f": {meta['help']}" if meta.get("help") else "")


def make_field(binding: ScenarioBinding, section: str, name: str) -> QWidget:
    """The right widget for one field, from its metadata."""
    meta = field_meta(type(getattr(binding.scenario, section)), name)
    widget = {"number": NumberField, "text": TextField, "choice": ChoiceField,
              "date": DateField}[meta["kind"]](binding, section, name)
    if meta["kind"] != "number":      # number fields add their allowed range
        widget.setToolTip(field_tooltip(meta))
    return widget


def field_label(binding: ScenarioBinding, section: str, name: str) -> str:
    return field_meta(type(getattr(binding.scenario, section)), name)["label"]
