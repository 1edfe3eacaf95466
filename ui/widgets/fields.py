"""Input widgets made from core's field metadata, bound to the binding layer.

Each widget sends every change to `ScenarioBinding.set_values`.  Range checks
are core's: a number box lets any number be typed, core refuses what is out
of range with a message that the main window shows, the box is outlined and
returns to the value in force.

Numbers in input fields follow one convention, from the field's `quantity()`
declaration (unit and decimals), in every field:

- money (a unit that starts with "$"): "$" before the number, the rest of
  the unit after it, written with "per": "$1,250,000,000", "$7.78",
  "$62.00 per MWh" (unit "$/MWh"), "$10,000,000 per MW" (unit "$ per MW");
- any other unit after the number, one space between: "36 months",
  "300.00 MW", "60.00 %", "10.00 %/yr"; a unitless number alone ("1.24");
- thousands separators always, and exactly the declared decimals: the value
  shown is the value in force, never a rounded or rescaled version of it;
- typing accepts separators, a "$", the unit, and a K / M / B (or bn) / T
  multiplier: "1.25B", "1,250M", "$1,250,000,000" and "1250000000" are the
  same fee.  A typed value with more decimals than the field holds (cents in
  a whole-dollar field) is refused with a message, never rounded;
- choice, text and date fields show their declared text as before.

Fields follow the scenario (an edit elsewhere, an undo, a load) through one
`FieldFollower` a binding, not a slot per field: every tab's fields hear every
edit, so after a change it touches only the fields whose own value changed,
and of those only the ones on screen; a field on a hidden tab shows the value
in force when it is next shown (or on `binding.flush_views()`).
"""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from PySide6.QtCore import QDate, QObject, Qt, Signal
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import (QComboBox, QDateEdit, QDoubleSpinBox, QHBoxLayout, QLineEdit,
                               QSlider, QWidget)

from core.parameters import ParameterError, choice_text, field_meta, format_range
from ui.app.binding import ScenarioBinding
from ui.look.themes import INVALID_FIELD_STYLE

WIDE_RANGE = 1e15
MULTIPLIERS = {"k": 3, "m": 6, "b": 9, "bn": 9, "t": 12}   # powers of ten
# A number as typed, once the "$", the unit and the separators are taken off.
_TYPED = re.compile(r"^([+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)(k|m|bn|b|t)?$")
# What may still become such a number as typing goes on ("", "-", "1.", "1e").
_PARTIAL = re.compile(r"^[+-]?\d*\.?\d*(?:e[+-]?\d*)?(?:k|m|bn|b|t)?$")


def unit_affixes(unit: str) -> tuple[str, str]:
    """The text before and after a field's number, by the module's convention:
    ("$", " per MWh") for "$/MWh", ("$", "") for "$", ("", " months")."""
    if unit.startswith("$"):
        rest = unit[1:].strip()
        if rest.startswith("/"):
            rest = "per " + rest[1:].strip()
        return "$", f" {rest}" if rest else ""
    return "", f" {unit}" if unit else ""


def format_field_number(value: float, decimals: int) -> str:
    """The number part of a field's text: separators and the declared decimals."""
    text = f"{value:,.{decimals}f}"
    if text.startswith("-") and float(text[1:].replace(",", "")) == 0:
        text = text[1:]                       # never "-0.00"
    return text


def parse_typed_number(text: str, prefix: str = "", suffix: str = "") -> Decimal | None:
    """The exact number a user typed ("1.25B", "$1,250M", "62 $/MWh"), or None
    if the text is not (yet) a number.  Exact: a Decimal, so that the check
    for decimals the field cannot hold is not fooled by binary rounding."""
    cleaned = _cleaned(text, prefix, suffix)
    match = _TYPED.match(cleaned)
    if not match:
        return None
    try:
        number = Decimal(match.group(1))
    except InvalidOperation:
        return None
    if match.group(2):
        number = number.scaleb(MULTIPLIERS[match.group(2)])
    return number if number.is_finite() else None


def _cleaned(text: str, prefix: str, suffix: str) -> str:
    text = text.strip()
    for affix in (prefix.strip(), suffix.strip()):
        if affix and text.endswith(affix):
            text = text[:-len(affix)]
        if affix and text.startswith(affix):
            text = text[len(affix):]
    if suffix.strip().startswith("%"):
        text = text.strip().removesuffix("%")       # "2.5%" in a %/yr field
    return (text.replace(",", "").replace("$", "").replace("\u2212", "-").replace(" ", "")
            .lower())


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


class FieldFollower(QObject):
    """The one listener to a binding's `scenario_changed` for all its fields.

    A field is brought up to date (its `_sync`) only when its own value in
    the scenario changed since it last heard, and then at once only if it is
    on screen (or its window is not: nothing to save there, and code that
    builds a form without showing it reads it at once); a field on a hidden
    tab is marked and syncs when it is shown (`_FollowsScenario.showEvent`) or
    when the binding flushes its views.  A field outlined after a refusal
    hears every change, as before (a value now in force ends the refusal)."""

    def __init__(self, binding: ScenarioBinding):
        super().__init__(binding)
        self._binding = binding
        self._fields: dict[str, list] = {}        # section -> its fields
        self.outlined: set = set()                 # number fields outlined after a refusal
        # Each section as last heard: a field added since read its value from
        # the same scenario (`seen`), so an unchanged section is skipped whole.
        self._parts: dict[str, object] = {}
        binding.scenario_changed.connect(self._scenario_changed)
        binding.flushed.connect(self.sync_hidden)

    @classmethod
    def of(cls, binding: ScenarioBinding) -> "FieldFollower":
        follower = getattr(binding, "_field_follower", None)
        if follower is None:
            follower = cls(binding)
            setattr(binding, "_field_follower", follower)
        return follower

    def add(self, field) -> None:
        self._fields.setdefault(field.bound.section, []).append(field)
        field.destroyed.connect(lambda _obj=None, f=field: self._forget(f))

    def _forget(self, field) -> None:
        fields = self._fields.get(field.bound.section, [])
        if field in fields:
            fields.remove(field)
        self.outlined.discard(field)

    def _scenario_changed(self, _scenario) -> None:
        # The scenario in force, not the one emitted: a slot before this one may
        # have replaced it (a name in use), and this call then comes after that one's.
        scenario = self._binding.scenario
        for field in list(self.outlined):
            self.outlined.discard(field)
            field.end_refusal()
        parts = self._parts
        for section, fields in self._fields.items():
            part = getattr(scenario, section)
            if part is parts.get(section):
                continue       # the same section (scenarios are frozen): no value changed
            parts[section] = part
            for field in fields:
                value = getattr(part, field.bound.name)
                if value != field.seen:
                    field.seen = value
                    field.follow()

    def sync_hidden(self) -> None:
        """Every field marked while hidden shows the value in force now."""
        for fields in self._fields.values():
            for field in fields:
                if field.stale:
                    field.stale = False
                    field._sync()


class _FollowsScenario:
    """What the field classes share to follow the scenario (see FieldFollower):
    `seen`, the value in force when it last heard; `stale`, the scenario
    changed it while it was hidden."""

    bound: BoundField
    seen: object = None
    stale = False

    def _follow_scenario(self) -> None:
        self.seen = self.bound.current()
        FieldFollower.of(self.bound.binding).add(self)

    def follow(self) -> None:
        if self.isVisible() or not self.window().isVisible():   # type: ignore[attr-defined]
            self.stale = False
            self._sync()
        else:
            self.stale = True

    def showEvent(self, event) -> None:   # noqa: N802 (Qt's name)
        if self.stale:
            self.stale = False
            self._sync()
        super().showEvent(event)   # type: ignore[misc]

    def _sync(self) -> None:
        raise NotImplementedError


class NumberField(_FollowsScenario, QDoubleSpinBox):
    """A number in the module's convention: typed values are read exactly
    (`parse_typed_number`), shown at the declared decimals."""

    # A value shown by the program, not typed (the model's after an undo or a
    # load, an equivalent price): valueChanged is blocked then.
    value_shown = Signal(float)
    _showing = False      # in _sync's setValue: the text is the program's, not typed

    def __init__(self, binding: ScenarioBinding, section: str, name: str, parent=None):
        super().__init__(parent)
        self.bound = BoundField(binding, section, name)
        meta = self.bound.meta
        decimals = meta["decimals"]
        self.setDecimals(decimals)
        # Wide Qt range: core decides what is allowed and says why.
        self.setRange(-WIDE_RANGE, WIDE_RANGE)
        self.setSingleStep(meta.get("step") or (1 if decimals == 0 else 0.1))
        self.setAccelerated(True)
        # Typed values apply on Enter or leaving the box (not "5", "50", "500" on the
        # way to "5000"); arrows, the wheel and sliders apply at every step.
        self.setKeyboardTracking(False)
        prefix, suffix = unit_affixes(meta["unit"])
        self.setPrefix(prefix)
        self.setSuffix(suffix)
        self.setToolTip(self._tooltip())
        self.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.setMinimumWidth(150)
        self._equivalent: float | None = None
        self._refused_text = ""
        self._sync()
        self.lineEdit().textEdited.connect(self._typing)
        self.valueChanged.connect(self._edited)
        self.editingFinished.connect(self._sync)
        self._follow_scenario()
        binding.edit_refused.connect(self._refused)

    # --- the convention: Qt asks these for every keystroke and every value shown ----------

    def textFromValue(self, value: float) -> str:   # noqa: N802 (Qt's name)
        return format_field_number(value, self.decimals())

    def valueFromText(self, text: str) -> float:   # noqa: N802
        number = parse_typed_number(text, self.prefix(), self.suffix())
        return float(number) if number is not None else self.value()

    def validate(self, text: str, pos: int):
        """Acceptable: a number this field holds exactly.  Intermediate: what may
        become one ("1.25" on the way to "1.25B" in a whole-dollar field, "",
        "-").  Anything else is not let in."""
        if self._showing:
            # The program's own value, formatted by textFromValue (Qt checks the
            # text it shows): nothing typed to read.
            return QValidator.State.Acceptable, text, pos
        number = parse_typed_number(text, self.prefix(), self.suffix())
        if number is not None and self._holds(number):
            return QValidator.State.Acceptable, text, pos
        if number is not None or _PARTIAL.match(_cleaned(text, self.prefix(), self.suffix())):
            return QValidator.State.Intermediate, text, pos
        return QValidator.State.Invalid, text, pos

    def fixup(self, text: str) -> str:
        """Typing left a number with more decimals than the field holds: refused
        with a message (Qt then shows the value in force), never rounded."""
        number = parse_typed_number(text, self.prefix(), self.suffix())
        if number is not None and not self._holds(number) and text != self._refused_text:
            self._refused_text = text          # Enter, then leaving the box: one message
            meta = self.bound.meta
            places = self.decimals()
            money = meta["unit"].startswith("$")
            holds = ("whole dollars" if money else "whole numbers") if places == 0 \
                else f"at most {places} decimals"
            self.bound.binding.refuse(ParameterError(
                self.bound.name, meta["label"],
                f"{meta['label']} takes {holds}; {text.strip()} would have been rounded"))
        return text

    def _typing(self, _text: str) -> None:
        self._refused_text = ""
        self._outline(False)            # a new value is on its way: the old refusal is past

    def _outline(self, refused: bool) -> None:
        # Set only when it changes: setting a style sheet, even an empty one
        # again, restyles the box.
        if refused:
            self.setStyleSheet(INVALID_FIELD_STYLE)
            FieldFollower.of(self.bound.binding).outlined.add(self)
        elif self.styleSheet():
            self.setStyleSheet("")
            FieldFollower.of(self.bound.binding).outlined.discard(self)

    def _holds(self, number: Decimal) -> bool:
        if abs(number) >= Decimal(WIDE_RANGE):     # beyond any field's range: core says so
            return True
        return number == number.quantize(Decimal(1).scaleb(-self.decimals()))

    def _tooltip(self) -> str:
        # What the input means first (its help text), then what it accepts.
        meta = self.bound.meta
        return field_tooltip(meta) + f"\nAllowed: between {format_range(meta)}"

    def model_value(self) -> float:
        return self.value()

    def _edited(self, value: float) -> None:
        if self.bound.meta["decimals"] == 0:
            value = int(round(value))
        if self.bound.binding.set_values(self.bound.section, **{self.bound.name: value}):
            self._outline(False)

    def _refused(self, name: str, _message: str) -> None:
        if name != self.bound.name:
            return
        self._outline(True)
        if not self.hasFocus():
            # Set by a slider or a program, not typed: show the value in force now.
            self._sync()

    def end_refusal(self) -> None:
        """A value now in force (an edit, an undo, a load): no refusal outline left."""
        self._outline(False)
        self.stale = False
        self._sync()

    def show_equivalent(self, value: float | None) -> None:
        """A greyed price field (another pricing mode is in force) shows what the
        deal comes to in its unit; None shows the field's own value again."""
        if value == self._equivalent:
            return           # the same figure (or its own value) shown already
        self._equivalent = value
        self._sync()

    def _sync(self) -> None:
        """Show the value in force (after a refusal, an undo, a load)."""
        value = self.bound.current() if self._equivalent is None else self._equivalent
        # Qt holds the value rounded to the field's decimals, and repaints the
        # box at every setValue, the same text or not: a greyed price whose
        # equivalent moved within its last decimal (most fee edits move the
        # price per GPU-hour by less than a cent) is left as it is.
        if abs(self.value() - value) > 10 ** -(self.decimals() + 1) \
                and float(f"{value:.{self.decimals()}f}") != self.value():
            self.blockSignals(True)
            self._showing = True
            try:
                self.setValue(value)
            finally:
                self._showing = False
                self.blockSignals(False)
            self.value_shown.emit(self.value())


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
        self.spin.valueChanged.connect(self._follow_spin)
        # The spin box resyncs silently on undo or load: the slider follows it.
        self.spin.value_shown.connect(self._place_slider)
        # A refused value (typed "99B") moved the slider on its way: back to the
        # value in force, as the field goes back.
        binding.edit_refused.connect(self._refused)

    def _place_slider(self, value: float) -> None:
        position = round((value - self._lo) / (self._hi - self._lo) * self.STEPS)
        self.slider.blockSignals(True)
        self.slider.setValue(max(0, min(self.STEPS, position)))
        self.slider.blockSignals(False)

    def _follow_spin(self, _value: float) -> None:
        # The value in force, not the one typed: a refused value leaves the
        # slider where the model is.  A greyed field shows its equivalent.
        self._place_slider(self.spin.bound.current() if self.spin._equivalent is None
                           else self.spin.model_value())

    def _refused(self, name: str, _message: str) -> None:
        if name == self.spin.bound.name:
            self._place_slider(self.spin.bound.current())

    def _slid(self, position: int) -> None:
        value = self._lo + (self._hi - self._lo) * position / self.STEPS
        self.spin.setValue(value)


class TextField(_FollowsScenario, QLineEdit):
    def __init__(self, binding: ScenarioBinding, section: str, name: str, parent=None):
        super().__init__(parent)
        self.bound = BoundField(binding, section, name)
        self.setMaxLength(self.bound.meta["max_length"])
        self.setText(self.bound.current())
        self.textChanged.connect(
            lambda text: binding.set_values(section, **{name: text}))
        self._follow_scenario()

    def _sync(self) -> None:
        if self.text() != self.bound.current():
            self.blockSignals(True)
            self.setText(self.bound.current())
            self.blockSignals(False)


class ChoiceField(_FollowsScenario, QComboBox):
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
        self._follow_scenario()

    def _sync(self) -> None:
        if self.currentData() != self.bound.current():
            self.blockSignals(True)
            self.setCurrentIndex(self.findData(self.bound.current()))
            self.blockSignals(False)


class DateField(_FollowsScenario, QDateEdit):
    def __init__(self, binding: ScenarioBinding, section: str, name: str, parent=None):
        super().__init__(parent)
        self.bound = BoundField(binding, section, name)
        self.setCalendarPopup(True)
        self.setDisplayFormat("yyyy-MM-dd")
        self.setDate(to_qdate(self.bound.current()))
        self.dateChanged.connect(
            lambda day: binding.set_values(section, **{name: day.toPython()}))
        self._follow_scenario()

    def _sync(self) -> None:
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
