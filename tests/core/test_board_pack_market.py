"""The board pack's Market section (core/export/pack.py): the contract against
the market, each side's mark-to-market and right to walk, with a finding title."""
from __future__ import annotations

import pytest

from core import figures, rights
from core.engine import compute
from core.export.pack import PackInputs, board_pack
from core.presets import default_scenario


@pytest.fixture(scope="module")
def section():
    sections = board_pack(PackInputs(compute(default_scenario())), ["market"])
    return next(s for s in sections if s.key == "market")


def test_the_market_section_states_the_multiple_and_the_buyers_right(section):
    # $7.776 per GPU-hour against (150k x $2.00 + 50k x $2.90 + 20k x $4.00) / 220k = $2.386:
    # 3.26 times the market rent.  The right: the default paths and seed (stated).
    valued = rights.value_rights(default_scenario())
    right = figures.format_value("buyer_termination_right_value", valued.buyer_alone)
    assert section.title == f"The deal pays 3.3x the market rent; the buyer's right to walk is " \
                            f"worth {right}"
    assert any(f"{rights.FULL_PATHS:,} simulated market paths, seed {rights.DEFAULT_SEED}" in t
               for t in section.sentences)
    assert any("$7.78/GPU-hour against a market rent of $2.39/GPU-hour" in t
               for t in section.sentences)
    assert [c.key for c in section.charts] == ["market_price", "market_mtm"]
    rows = dict(section.tables[0].rows)
    assert rows["Buyer's right to walk"] == right


def test_the_provider_perspective_titles_the_providers_right():
    sections = board_pack(PackInputs(compute(default_scenario()), perspective="provider"),
                          ["market"])
    market = next(s for s in sections if s.key == "market")
    assert "the provider's right to walk is worth" in market.title


def test_the_pack_says_which_method_each_expected_contract_value_uses(section):
    # Issue 25, item 5.  The reference deal: the buyer walks in month 1 on every path
    # (notice on 1 Jun ends 30 Aug: June and July at the discounted first months' fee,
    # August's 29 of 31 days at $1.25B, no fee), against the typed chances' $45.0B
    # (none typed: the total, 36 x $1.25B).
    valued = rights.value_rights(default_scenario())
    results = compute(default_scenario())
    inv = results.schedule.invoice
    assert valued.buyer_exercise_by_month[0] == 1.0
    assert valued.expected_contract_value == pytest.approx(inv[0] + inv[1] + inv[2] * 29 / 31,
                                                           rel=1e-12)
    paid = figures.format_value("expected_contract_value_rights", valued.expected_contract_value)
    assert any(f"the buyer expects to pay {paid} (expected contract value, simulated rights)"
               in t and "$45.0B weighted by the typed monthly chances (none is typed, so it is "
               "the total)" in t for t in section.sentences)
    assert dict(section.tables[0].rows)["Expected contract value (simulated rights)"] == paid
    chances = default_scenario().with_changes("contract", buyer_termination_prob_pct=0.5)
    termination = next(s for s in board_pack(PackInputs(compute(chances)), ["termination"])
                       if s.key == "termination")
    assert any("typed as inputs (the buyer's 0.5% and the provider's 0% a month)" in t
               for t in termination.sentences)
