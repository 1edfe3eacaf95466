"""Public deals: the shipped file read strictly, each unit price against a hand
computation from its shipped record (MARKET.md §2's normalised table), the
scenario's finding, a deal opened as a scenario, and the user's deals from CSV."""
from __future__ import annotations

import json

import pytest

from core import deals as D
from core.engine import compute
from core.importing import read_file
from core.presets import default_scenario

HOURS = 8_760


@pytest.fixture(scope="module")
def shipped():
    return {d.key: d for d in D.public_deals()}


def test_every_row_of_market_md_is_shipped(shipped):
    # MARKET.md §2's table has 14 rows: 10 GPU cloud, 1 TPU cloud, 3 colocation.
    assert len(shipped) == 14
    kinds = [d.deal_type for d in shipped.values()]
    assert (kinds.count("gpu_cloud"), kinds.count("tpu_cloud"), kinds.count("colocation")) == (10, 1, 3)
    for deal in shipped.values():
        for figure in deal.figures().values():
            assert figure.label in ("R", "E", "D") and figure.date and figure.source


def test_reference_deal_50m_per_mw_year_and_7_78_per_gpu_hour(shipped):
    n = D.normalise(shipped["anthropic-xai-2026"])
    # $45B over 36 months = $15B a year; / 300 MW = $50M; / (220,000 x 8,760 h) = $7.783
    assert n.per_mw_year.value == pytest.approx(15e9 / 300)
    assert n.per_gpu_hour.value == pytest.approx(15e9 / (220_000 * HOURS))
    assert round(n.per_gpu_hour.value, 2) == 7.78
    # MW and GPUs are lower bounds, so the unit prices are upper bounds.
    assert n.per_mw_year.bound == n.per_gpu_hour.bound == D.AT_MOST
    assert "at most" in n.per_gpu_hour.assumption
    # Mix of H100 (1 H100e), H200 (4,016/2,675) and GB200 (12,000/2,675): a range.
    assert n.per_h100e_hour.low == pytest.approx(15e9 / (220_000 * HOURS) / (12_000 / 2_675))
    assert n.per_h100e_hour.high == pytest.approx(15e9 / (220_000 * HOURS))


def test_nebius_bounds(shipped):
    n = D.normalise(shipped["microsoft-nebius-2025"])
    assert n.per_mw_year.value == pytest.approx(17.4e9 / 5 / 300)           # 11.6M
    assert n.per_mw_year.bound == D.AT_LEAST                                   # MW up to 300
    assert n.per_gpu_hour.value == pytest.approx(17.4e9 / (5 * HOURS * 100_000))   # 3.973
    assert n.per_gpu_hour.bound == D.AT_MOST                                   # >100,000 GPUs
    assert n.per_gpu_hour.text() == "\u2264$3.97"
    # GB300 at 15,000 tokens/s against the H100's 2,675
    assert n.per_h100e_hour.value == pytest.approx(17.4e9 / (5 * HOURS * 100_000) / (15_000 / 2_675))


def test_nscale_oracle_and_colocation(shipped):
    assert D.normalise(shipped["microsoft-nscale-2025"]).per_gpu_hour.value == pytest.approx(
        6.2e9 / (5 * HOURS * 52_000))                                          # 2.72
    assert round(D.normalise(shipped["microsoft-nscale-2025"]).per_gpu_hour.value, 2) == 2.72
    assert D.normalise(shipped["openai-oracle-2025"]).per_mw_year.value == pytest.approx(
        60e9 / 4_500)                                                           # 13.3M
    for key, expected in (("fluidstack-terawulf-2025", 3.7e9 / 10 / 200),      # 1.85M
                          ("fluidstack-cipher-2025", 3e9 / 10 / 168),          # 1.79M
                          ("fluidstack-hut8-2025", 7e9 / 15 / 245)):           # 1.90M
        n = D.normalise(shipped[key])
        assert n.per_mw_year.value == pytest.approx(expected)
        assert n.per_gpu_hour.value is None and "colocation" in n.per_gpu_hour.assumption
    assert [round(D.normalise(shipped[k]).per_mw_year.value / 1e6, 2) for k in
            ("fluidstack-terawulf-2025", "fluidstack-cipher-2025", "fluidstack-hut8-2025")] == \
        [1.85, 1.79, 1.90]


def test_missing_figures_give_n_a_with_the_reason(shipped):
    n = D.normalise(shipped["anthropic-google-2025"])
    assert n.per_gpu_hour.text() == "n/a" and "value" in n.per_gpu_hour.assumption


def test_quotient_bounds():
    assert D.quotient_bound(D.EXACT, D.EXACT) == D.EXACT
    assert D.quotient_bound(D.AT_LEAST, D.AT_MOST) == D.AT_LEAST
    assert D.quotient_bound(D.AT_LEAST, D.AT_LEAST) == D.ABOUT     # pushed both ways
    assert D.quotient_bound(D.ABOUT, D.AT_LEAST) == D.AT_MOST


def test_reference_scenario_finding():
    scenario = default_scenario()
    section = D.deals_section(scenario, compute(scenario))
    by = {f.measure: f for f in section.findings}
    # The scenario's own deal is left out; the highest other GPU-cloud price per
    # GPU-hour is Nebius's 17.4e9 / (5 x 8,760 x 100,000) = 3.973; the scenario pays
    # 45e9 / (220,000 x 26,304 actual hours) = 7.776: 1.96x.
    assert by["per_gpu_hour"].ratio == pytest.approx((45e9 / (220_000 * 26_304))
                                                     / (17.4e9 / (5 * HOURS * 100_000)))
    assert "2.0x the highest public GPU cloud price per GPU-hour" in by["per_gpu_hour"].sentence
    # $50M per MW-year against Oracle's 60e9 / 4,500 = 13.3M: 3.75x
    assert by["per_mw_year"].ratio == pytest.approx(50e6 / (60e9 / 4_500))
    assert len(section.rows) == 14 and section.rows[0]["figures"]["mw"]["label"] == "R"


def test_a_scenario_inside_the_range_has_no_finding():
    scenario = default_scenario().with_changes("contract", monthly_fee=1.25e9 * 3.0 / 7.78)
    prices = D.scenario_prices(scenario, compute(scenario))
    normalised = tuple(D.normalise(d) for d in D.public_deals())
    assert not [f for f in D.findings(prices, normalised, scenario) if f.measure == "per_gpu_hour"]


def test_deal_opens_as_a_scenario_with_its_assumptions(shipped):
    scenario, assumed = D.deal_scenario(shipped["microsoft-nebius-2025"])
    results = compute(scenario)
    assert results.key_figures.total_contract_value == pytest.approx(17.4e9)
    assert scenario.contract.term_months == 60
    assert sum(t.gpu_count for t in scenario.hardware.tranches) == 100_000
    assert f"assumed: {len(assumed)}" in scenario.name and assumed
    colo, assumed = D.deal_scenario(shipped["fluidstack-hut8-2025"])
    assert compute(colo).key_figures.total_contract_value == pytest.approx(7e9)
    assert any("tenant" in a for a in assumed)


def test_an_opened_deal_takes_each_partys_own_credit(shipped):
    """Each side's credit follows its name, not the default (SpaceX's 140 bp)."""
    scenario, assumed = D.deal_scenario(shipped["openai-oracle-2025"])
    c = scenario.credit
    # Oracle's reported CDS (MARKET.md §3): 139 bp at 40% recovery, [R].
    assert (c.provider_name, c.provider_basis, c.provider_spread_bp, c.provider_label) == \
        ("Oracle", "spread", 139.0, "[R]")
    # OpenAI: no CDS or rating, the private-company proxy (rating BB), [E].
    assert (c.buyer_basis, c.buyer_rating, c.buyer_label) == ("rating", "BB", "[E]")
    assert any("OpenAI's credit" in a and "proxy" in a for a in assumed)
    azure, assumed = D.deal_scenario(shipped["anthropic-azure-2025"])
    assert (azure.credit.provider_rating, azure.credit.provider_label) == ("AAA", "[E]")
    assert any("not in MARKET.md" in a for a in assumed)


def test_googles_backstop_of_fluidstack_is_its_guarantee(shipped):
    scenario, assumed = D.deal_scenario(shipped["fluidstack-terawulf-2025"])
    c = scenario.credit
    # $3.2B of the $3.7B lease: 86%.  Google at rating AA: p = 0.02% a year,
    # h = -ln(1 - 0.0002) = 0.0002, spread = h (1 - 40%) = 1.2 bp.
    assert (c.buyer_guarantor_name, c.buyer_guaranteed_pct) == ("Google", 86.0)
    assert c.buyer_guarantor_spread_bp == pytest.approx(1.2, abs=0.005)
    assert any("Google guarantees 86%" in a for a in assumed)
    plain, _ = D.deal_scenario(shipped["microsoft-nebius-2025"])
    assert plain.credit.buyer_guaranteed_pct == 0.0


def _write(tmp_path, document) -> str:
    path = tmp_path / "deals.json"
    path.write_text(json.dumps(document))
    return str(path)


def test_bad_file_one_line_naming_file_deal_and_field(tmp_path):
    document = json.loads(D.PUBLIC_DEALS_PATH.read_text())
    document["deals"][1]["mw"]["value"] = -5
    path = _write(tmp_path, document)
    with pytest.raises(D.DealFileError) as error:
        D.read_deals(path)
    message = str(error.value)
    assert "\n" not in message
    assert message.startswith(path) and "deals[1] (microsoft-nebius-2025).mw.value" in message
    document = json.loads(D.PUBLIC_DEALS_PATH.read_text())
    document["deals"][0]["gpus"]["label"] = "X"
    with pytest.raises(D.DealFileError, match=r"deals\[0\] \(anthropic-xai-2026\).gpus.label"):
        D.read_deals(_write(tmp_path, document))


def test_user_deals_round_trip_from_csv(tmp_path):
    csv = tmp_path / "mine.csv"
    csv.write_text("Buyer,Provider,Type,Announced,Value,Term months,MW,GPUs,GPU model,Label,Source\n"
                   "Acme,Neo,GPU cloud,2026-10,$2.4B,48,\u2265100,50000,B200,R,Press release\n")
    deals, refusals = D.deals_from_table(read_file(csv))
    assert not refusals
    n = D.normalise(deals[0])
    assert n.per_gpu_hour.value == pytest.approx(2.4e9 / (4 * HOURS * 50_000))
    assert n.per_mw_year.bound == D.AT_MOST           # MW is a lower bound
    path = D.user_deals_path(tmp_path / "data")
    D.write_user_deals(deals, path)
    assert D.read_deals(path, origin="user") == deals
    assert len(D.all_deals(path)) == 15


def test_user_deals_refused_cell_imports_nothing(tmp_path):
    csv = tmp_path / "bad.csv"
    csv.write_text("buyer,provider,type,announced,value,term_months,mw,label,source\n"
                   "A,B,GPU cloud,2026-10,1B,48,100,R,x\nC,D,GPU cloud,2026-10,1B,48,lots,R,x\n")
    deals, refusals = D.deals_from_table(read_file(csv))
    assert deals == () and refusals == ("row 3, column 'mw': expected a number, got 'lots'",)
