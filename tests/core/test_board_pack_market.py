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
