"""Numbers in input fields: one convention (ui/widgets/fields.py's docstring),
typed as an analyst types them, read back exactly, never silently rounded."""
from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt

from core.parameters import field_meta
from core.presets import default_scenario
from ui.app.binding import ScenarioBinding
from ui.look.themes import INVALID_FIELD_STYLE
from ui.widgets.fields import NumberField, unit_affixes
from ui import registry


@pytest.fixture
def binding(qtbot):
    return ScenarioBinding(default_scenario())


def field_for(qtbot, binding, section, name) -> NumberField:
    field = NumberField(binding, section, name)
    qtbot.addWidget(field)
    field.show()
    return field


def type_into(qtbot, field: NumberField, text: str) -> None:
    """Select what the box shows, type `text`, press Enter: as a user does."""
    field.lineEdit().selectAll()
    qtbot.keyClicks(field.lineEdit(), text)
    qtbot.keyClick(field.lineEdit(), Qt.Key.Key_Return)


def model(binding, section, name):
    return getattr(getattr(binding.scenario, section), name)


@pytest.mark.parametrize("typed, dollars", [
    ("1.5B", 1_500_000_000),            # a multiplier
    ("1,750M", 1_750_000_000),          # separators and a multiplier
    ("$2,000,000,000", 2_000_000_000),  # written out, with the $ typed too
    ("1.2345678B", 1_234_567_800),      # 1.2345678 x 10^9: whole dollars, kept exactly
    ("900000000", 900_000_000),
])
def test_a_money_field_reads_the_ways_an_analyst_writes_money(qtbot, binding, typed, dollars):
    fee = field_for(qtbot, binding, "contract", "monthly_fee")
    assert fee.text() == "$1,250,000,000"           # the reference deal's $1.25B, in full
    type_into(qtbot, fee, typed)
    assert model(binding, "contract", "monthly_fee") == dollars
    assert fee.text() == f"${dollars:,}"


def test_cents_are_kept_where_the_field_holds_them(qtbot, binding):
    price = field_for(qtbot, binding, "contract", "price_per_gpu_hour")
    assert price.text() == "$7.78"
    type_into(qtbot, price, "$8.15")
    assert model(binding, "contract", "price_per_gpu_hour") == 8.15
    assert price.text() == "$8.15"


def test_cents_in_a_whole_dollar_field_are_refused_not_rounded(qtbot, binding):
    refused = []
    binding.edit_refused.connect(lambda name, message: refused.append((name, message)))
    fee = field_for(qtbot, binding, "contract", "monthly_fee")
    type_into(qtbot, fee, "1,250,000,000.50")
    assert model(binding, "contract", "monthly_fee") == 1.25e9          # unchanged
    assert fee.text() == "$1,250,000,000"                               # the value in force
    assert len(refused) == 1 and refused[0][0] == "monthly_fee"
    assert refused[0][1].startswith("Monthly fee takes whole dollars")
    assert fee.styleSheet() == INVALID_FIELD_STYLE
    type_into(qtbot, fee, "1.3B")                                       # a value it holds
    assert model(binding, "contract", "monthly_fee") == 1.3e9
    assert fee.styleSheet() == ""


def test_a_dollars_per_mwh_field_puts_the_dollar_first_and_the_unit_after(qtbot, binding):
    power = field_for(qtbot, binding, "hardware", "power_price_per_mwh")
    assert power.text() == "$62.00 per MWh"         # declared unit "$/MWh", 2 decimals
    type_into(qtbot, power, "71.25")
    assert model(binding, "hardware", "power_price_per_mwh") == 71.25
    assert power.text() == "$71.25 per MWh"


def test_a_count_field_shows_whole_numbers_with_the_unit_after(qtbot, binding):
    term = field_for(qtbot, binding, "contract", "term_months")
    assert term.text() == "36 months"
    type_into(qtbot, term, "48")
    assert model(binding, "contract", "term_months") == 48
    assert isinstance(model(binding, "contract", "term_months"), int)
    assert term.text() == "48 months"
    demand = field_for(qtbot, binding, "projections", "demand_tokens_per_s")
    assert demand.text() == "400,000,000 tokens/s"  # in full, not "400.0M"
    type_into(qtbot, demand, "450M")
    assert model(binding, "projections", "demand_tokens_per_s") == 450e6
    assert demand.text() == "450,000,000 tokens/s"


def test_a_percent_field_takes_the_number_with_or_without_the_sign(qtbot, binding):
    utilization = field_for(qtbot, binding, "hardware", "utilization_pct")
    assert utilization.text() == "60.00 %"
    type_into(qtbot, utilization, "72.5")
    assert model(binding, "hardware", "utilization_pct") == 72.5       # percentage points
    assert utilization.text() == "72.50 %"
    escalator = field_for(qtbot, binding, "contract", "escalator_pct")
    type_into(qtbot, escalator, "2.5%")
    assert model(binding, "contract", "escalator_pct") == 2.5
    assert escalator.text() == "2.50 %/yr"


def test_unit_affixes_follow_one_rule():
    assert unit_affixes("$") == ("$", "")
    assert unit_affixes("$/MWh") == ("$", " per MWh")
    assert unit_affixes("$ per MW") == ("$", " per MW")
    assert unit_affixes("months") == ("", " months")
    assert unit_affixes("%") == ("", " %")
    assert unit_affixes("") == ("", "")


def test_every_number_field_of_every_form_follows_the_convention(window):
    """Walk every number box the window shows: money "$1,234.56 per X", other
    units "1,234.56 unit", each at its declared decimals."""
    checked = 0
    for key in registry.TAB_KEYS:   # tabs are built when first shown: build them all
        window.tab(key)
    for field in window.findChildren(NumberField):
        meta = field_meta(type(getattr(window.binding.scenario, field.bound.section)),
                          field.bound.name)
        decimals = r"\.\d{%d}" % meta["decimals"] if meta["decimals"] else ""
        number = r"-?\d{1,3}(,\d{3})*" + decimals
        unit = meta["unit"]
        if unit.startswith("$"):
            rest = unit[1:].strip().removeprefix("/").removeprefix("per ").strip()
            pattern = r"\$" + number + (re.escape(f" per {rest}") if rest else "")
        else:
            pattern = number + (re.escape(f" {unit}") if unit else "")
        assert re.fullmatch(pattern, field.text()), (field.bound.name, field.text())
        checked += 1
    assert checked >= 30            # the contract, hardware and projections forms
