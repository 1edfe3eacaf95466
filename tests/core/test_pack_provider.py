"""The provider's own pages: its termination view (what it keeps if the buyer
or it ends the deal), its key figures and schedule columns.  Before, the
provider's report showed the buyer's termination cost and saving and the
buyer's payment columns."""
from __future__ import annotations

import dataclasses

import pytest

from core import figures
from core.engine import compute
from core.export.key_figures import headline_figures
from core.export.pack import (SCHEDULE_COLUMNS, PackInputs, board_pack,
                              provider_npv_if_provider_ends)
from core.presets import default_scenario


def _with_fee(months: float):
    scenario = default_scenario()
    return dataclasses.replace(scenario, contract=dataclasses.replace(
        scenario.contract, termination_fee_months=months))


def test_the_provider_ending_the_deal_forgoes_the_fee():
    """With a fee of 2 months, notice at month 12 (1 June 2027, 365 days in):
    the buyer's notice pays 2 x $1.25B, discounted at the provider's 9% WACC,
    2.5e9 / 1.09 = $2.294B; the provider's own notice pays nothing."""
    results = compute(_with_fee(2.0))
    by_buyer = results.schedule.provider_npv_if_ended[12]
    by_provider = provider_npv_if_provider_ends(results)[12]
    assert by_buyer - by_provider == pytest.approx(2.5e9 / 1.09, rel=1e-9)
    # At the last month the notice only reaches the term's end: no fee either way.
    assert provider_npv_if_provider_ends(results)[-1] == pytest.approx(
        results.schedule.provider_npv_if_ended[-1])


def test_the_provider_termination_page_is_the_providers():
    results = compute(_with_fee(2.0))
    section = next(s for s in board_pack(PackInputs(results, "provider"), ("termination",))
                   if s.key == "termination")
    ended = figures.format_value("provider_npv", results.schedule.provider_npv_if_ended[12])
    assert section.title.startswith(f"If the buyer ends the deal at month 12, the provider's "
                                    f"NPV is {ended}")
    names = [series.name for chart in section.charts for series in chart.series]
    assert names == ["Provider NPV if the buyer ends it", "Provider NPV if the provider ends it",
                     "Provider NPV over the full term"]
    assert not any(series.column in ("termination_cost", "termination_saving")
                   for chart in section.charts for series in chart.series)
    # Without a fee the two are one line, and the page says why.
    plain = next(s for s in board_pack(PackInputs(compute(default_scenario()), "provider"),
                                       ("termination",)) if s.key == "termination")
    assert [x.name for c in plain.charts for x in c.series] == [
        "Provider NPV if the deal ends then", "Provider NPV over the full term"]
    assert any("makes no difference to the provider who gives notice" in s
               for s in plain.sentences)


def test_the_provider_key_figures_and_schedule_are_its_own():
    results = compute(default_scenario())
    for label, _value in headline_figures(results, "provider"):
        key = next(k for k, o in {**figures.KEY_FIGURES}.items() if o.label == label)
        assert figures.output(key).side in ("provider", "both"), label
    for column in SCHEDULE_COLUMNS["provider"]:
        assert figures.output(column).side in ("provider", "both"), column
    for column in SCHEDULE_COLUMNS["buyer"]:
        assert figures.output(column).side in ("buyer", "both"), column
