"""The market (core/market.py): presets, forward curves, mark-to-market, and
the migration of format-3 files' flat cloud rate, each against a hand figure."""
from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pytest

from core import scenario_file as sf
from core.engine import compute
from core.market import PRESET_RENTS, bootstrap_quotes, forward_curve, preset_rent
from core.parameters import (FORWARD_IMPORTED, FORWARD_QUOTES, PRICING_GPU_HOUR, ParameterError,
                             PlannedRent, Tranche, Market)
from core.presets import default_scenario
from core.scenario_file import ScenarioSet
from tests.helpers import add_months, period_hours

START = dt.date(2026, 6, 1)


def small(term=3, fee=2e6, rent=2.5, **market):
    """1,000 H100 online from the start, a flat market at `rent` unless told."""
    s = default_scenario().with_changes("contract", term_months=term, monthly_fee=fee)
    s = s.with_changes("hardware", tranches=(Tranche("H100 block", "Memphis, TN", "H100 SXM",
                                                     1_000, START),))
    return s.with_changes("market", **{"rents": (preset_rent("H100 SXM", rent),),
                                       "rent_change_pct_per_year": 0.0, **market})


def test_presets_are_market_md_july_2026_with_label_date_and_source():
    rents = {r.gpu_model: r for r in default_scenario().market.rents}
    assert {m: r.rent_per_gpu_hour for m, r in rents.items()} == {
        "H100 SXM": 2.00, "H200": 2.90, "B200": 3.70, "B300": 4.25, "GB200": 4.00, "GB300": 5.00}
    assert PRESET_RENTS["GB300"] == 5.00
    for r in rents.values():
        assert (r.label, r.as_of) == ("[E]", "Jul 2026")
        assert r.source == "SemiAnalysis AI Cloud TCO rate card / InferenceX, Jul 2026"


def test_quotes_bootstrap_piecewise_flat_forwards():
    # q1 = 3, q12 = 2.5, q36 = 2: month 1 = 3; months 2-12 = (12 x 2.5 - 3) / 11 = 27 / 11;
    # months 13-36 = (36 x 2 - 12 x 2.5) / 24 = 1.75.
    f, floored = bootstrap_quotes(3.0, 2.5, 2.0, 40)
    assert not floored
    assert f[0] == 3.0 and f[1:12] == pytest.approx([27 / 11] * 11) and f[12:] == pytest.approx(
        [1.75] * 28)
    assert f[:12].mean() == pytest.approx(2.5) and f[:36].mean() == pytest.approx(2.0)
    # A 3-year quote far under the 1-year one needs a negative forward: floored at 0.
    f, floored = bootstrap_quotes(3.0, 3.0, 0.5, 36)
    assert floored and f[12:].min() == 0.0


def test_yearly_change_compounds_by_days():
    s = small(term=13, rent=2.0, rent_change_pct_per_year=-20.0)
    curve = forward_curve(s.market, np.array([(add_months(START, i) - START).days
                                              for i in range(13)]))
    # 2.00 x 0.8 ^ (days / 365): a year on (1 Jun 2027, 365 days) it is 1.60.
    assert curve.for_model("H100 SXM")[12] == pytest.approx(1.6, rel=1e-12)
    assert curve.for_model("H100 SXM")[6] == pytest.approx(2.0 * 0.8 ** (183 / 365), rel=1e-12)


def test_an_imported_curve_replaces_the_months_it_names():
    s = small(rent=2.0, forward_path=FORWARD_IMPORTED,
              rent_curve=(PlannedRent(2, "H100 SXM", 3.0),))
    r = compute(s)
    # Month 2 at $3.00, months 1 and 3 at $2.00: 1,000 GPUs x hours.
    expected = [1_000 * period_hours(START, i) * rent for i, rent in enumerate((2.0, 3.0, 2.0))]
    assert r.schedule.cloud_cost == pytest.approx(expected, rel=1e-12)


def test_quotes_mode_prices_the_capacity_month_by_month():
    row = preset_rent("H100 SXM", 2.0)
    import dataclasses
    row = dataclasses.replace(row, quote_1_month=3.0, quote_1_year=2.5, quote_3_year=2.0)
    r = compute(small(term=3, rents=(row,), forward_path=FORWARD_QUOTES))
    expected = [1_000 * period_hours(START, i) * f for i, f in enumerate((3.0, 27 / 11, 27 / 11))]
    assert r.schedule.provider_market_rent == pytest.approx(expected, rel=1e-12)


def test_mark_to_market_by_hand():
    # $2M a month for 1,000 H100 at a market of $2.50: Jun 720 h -> $1.8M, Jul and Aug 744 h ->
    # $1.86M; the buyer's MTM is (market - invoice) on the 1st (in advance) at 10%.
    r = compute(small())
    dates = [add_months(START, i) for i in range(3)]
    market = [1_000 * h * 2.5 for h in (720, 744, 744)]
    expected = [(m - 2e6) * 1.1 ** (-(d - START).days / 365) for m, d in zip(market, dates)]
    assert r.schedule.buyer_mtm == pytest.approx(expected, rel=1e-12)
    assert r.schedule.provider_mtm == pytest.approx([-e for e in expected], rel=1e-12)
    assert r.schedule.cumulative_buyer_mtm[-1] == pytest.approx(sum(expected), rel=1e-12)
    k = r.key_figures
    assert k.buyer_mark_to_market == pytest.approx(sum(expected), rel=1e-12)
    assert k.provider_mark_to_market == pytest.approx(-sum(expected), rel=1e-12)
    # $6M against $5.52M at market: 8.70% above.
    assert k.contract_premium_over_market_pct == pytest.approx((6e6 / 5.52e6 - 1) * 100)
    assert r.schedule.market_rent_per_gpu_hour == pytest.approx([2.5] * 3)


def test_a_flat_market_at_the_contract_price_marks_to_zero():
    # Priced per GPU-hour at $4.00 against a market of $4.00: every month's invoice is its
    # market value, so the mark-to-market is 0 and the premium 0%.
    s = small(rent=4.0).with_changes("contract", pricing_mode=PRICING_GPU_HOUR,
                                     price_per_gpu_hour=4.0)
    r = compute(s)
    assert np.abs(r.schedule.buyer_mtm).max() < 1e-6
    assert r.key_figures.contract_premium_over_market_pct == pytest.approx(0.0, abs=1e-12)


def test_the_reference_deal_against_the_market():
    k = compute(default_scenario()).key_figures
    # (150k x 2.00 + 50k x 2.90 + 20k x 4.00) / 220k = $2.386 per GPU-hour; $45B over
    # $525,000 x 26,304 h = $13.81B: 225.9% above the market.
    assert k.market_rent_per_gpu_hour == pytest.approx(525_000 / 220_000, rel=1e-12)
    assert k.contract_premium_over_market_pct == pytest.approx(
        (45e9 / (525_000 * 26_304) - 1) * 100, rel=1e-12)
    assert k.buyer_mark_to_market < -25e9 and k.provider_mark_to_market == -k.buyer_mark_to_market


def test_a_model_without_a_rent_is_named_in_a_warning():
    s = small().with_changes("hardware", tranches=(
        Tranche("GB300 block", "Memphis, TN", "GB300", 100, START),))
    assert any("No market rent for GB300" in w for w in compute(s).warnings)


def test_market_refuses_two_rents_for_one_model():
    with pytest.raises(ParameterError, match="one rent only"):
        Market(rents=(preset_rent("H100 SXM"), preset_rent("H100 SXM")))


# --- format 3 -> 4 -------------------------------------------------------------------------

def _version_3(document: dict, rate: float) -> dict:
    document["version"] = 3
    for scenario in document["scenarios"]:
        del scenario["market"]
        scenario["projections"]["cloud_rate_per_h100_hour"] = rate
    return document


def test_a_format_3_file_keeps_its_cloud_cost_and_opportunity_cost(tmp_path):
    document = _version_3(sf.encode_document(ScenarioSet((default_scenario(),), 0)), 3.0)
    path = tmp_path / "old.cdm.json"
    path.write_text(json.dumps(document), "utf-8")
    before = path.read_bytes()
    scenario = sf.load_scenario(path)
    assert path.read_bytes() == before
    r = compute(scenario)
    # Format 3 priced renting as the delivered H100-equivalent hours x the flat rate.
    old_cloud = r.schedule.h100e_hours_delivered * 3.0
    assert r.schedule.cloud_cost == pytest.approx(old_cloud, rel=1e-14)
    assert r.schedule.provider_market_rent == pytest.approx(old_cloud, rel=1e-14)
    rents = {x.gpu_model: x for x in scenario.market.rents}
    # By throughput (mostly inference): GB200 = 12,000 / 2,675 H100e.
    assert rents["GB200"].rent_per_gpu_hour == pytest.approx(3.0 * 12_000 / 2_675, rel=1e-15)
    assert rents["GB200"].label == "[D]" and "migrated" in rents["GB200"].source
    assert scenario.market.rent_change_pct_per_year == 0.0
    # Saved again it is a format-4 file with a market section and no cloud rate.
    sf.save_scenario(scenario, tmp_path / "new.cdm.json")
    again = json.loads((tmp_path / "new.cdm.json").read_text("utf-8"))
    assert again["version"] == 4 and "market" in again["scenarios"][0]
    assert "cloud_rate_per_h100_hour" not in again["scenarios"][0]["projections"]


def test_a_format_3_cloud_rate_out_of_range_is_refused_naming_the_field(tmp_path):
    document = _version_3(sf.encode_document(ScenarioSet((default_scenario(),), 0)), -1.0)
    path = tmp_path / "bad.cdm.json"
    path.write_text(json.dumps(document), "utf-8")
    with pytest.raises(sf.ScenarioFileError) as caught:
        sf.load_scenario(path)
    assert caught.value.field == "scenarios[0].projections.cloud_rate_per_h100_hour"
    assert "\n" not in str(caught.value)


def test_a_pasted_rent_curve_is_checked_and_becomes_the_forward_path():
    from core.importing import import_records, read_pasted
    table = read_pasted("Month\tGPU model\tRent ($/GPU-hour)\n1\tH100 SXM\t3\n2\tH100 SXM\t2.5\n"
                        "2\tGB200\t4.5\n")
    scenario, checked = import_records(small(rent=2.0), "rent_curve", table)
    assert not checked.refusals
    assert scenario.market.forward_path == FORWARD_IMPORTED
    r = compute(scenario)
    # Months 1 and 2 as pasted, month 3 follows the yearly change (flat at $2.00).
    expected = [1_000 * period_hours(START, i) * x for i, x in enumerate((3.0, 2.5, 2.0))]
    assert r.schedule.cloud_cost == pytest.approx(expected, rel=1e-12)
    # A month given twice for one model is refused, naming the row it is first on.
    twice = read_pasted("Month\tGPU model\tRent\n1\tH100 SXM\t3\n1\tH100 SXM\t2\n")
    same, refused = import_records(small(), "rent_curve", twice)
    assert same == small() and "already on row 2" in str(refused.refusals[0])
