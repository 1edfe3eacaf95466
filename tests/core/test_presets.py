"""GPU presets and the default scenario against DOMAIN.md's reference figures."""
from __future__ import annotations

import datetime as dt

import pytest

import core.presets as presets
from core.parameters import GpuModel, Scenario
from core.presets import GPU_PRESETS, REFERENCE_TRANCHES, default_scenario

MODELS = ("H100 SXM", "H200", "B200", "GB200", "GB300")

# DOMAIN.md: all-in utility kW per GPU (SemiAnalysis InferenceX constants).
ALL_IN_UTILITY_KW = {"H100 SXM": 1.73, "H200": 1.73, "B200": 2.17, "GB200": 2.10, "GB300": 2.10}
# The facility overhead those constants include, kept as the default PUE.
SEMIANALYSIS_OVERHEAD = 1.24


def test_the_five_models_exist():
    assert set(MODELS) <= set(GPU_PRESETS)
    for name in MODELS:
        model = GPU_PRESETS[name]
        assert isinstance(model, GpuModel)
        assert model.name == name   # keyed by its own name


@pytest.mark.parametrize("name", MODELS)
def test_it_power_times_overhead_matches_semianalysis_all_in(name):
    all_in = GPU_PRESETS[name].it_kw_per_gpu * SEMIANALYSIS_OVERHEAD
    assert all_in == pytest.approx(ALL_IN_UTILITY_KW[name], rel=0.03)


@pytest.mark.parametrize("name,tokens_per_s", [
    ("H100 SXM", 2_675),   # MLPerf v4.1 Llama-2-70B offline, per GPU
    ("H200", 4_016),
    ("B200", 11_264),      # FP4
])
def test_mlperf_tokens_per_second(name, tokens_per_s):
    assert GPU_PRESETS[name].tokens_per_s == pytest.approx(tokens_per_s, rel=0.01)


def test_h100_is_one_h100_equivalent():
    # 989 dense BF16 TFLOPS is the H100-equivalent's definition.
    assert GPU_PRESETS["H100 SXM"].bf16_dense_tflops == 989
    assert GPU_PRESETS["H200"].bf16_dense_tflops == 989     # same compute die


def test_blackwell_out_computes_hopper():
    hopper = GPU_PRESETS["H100 SXM"]
    for name in ("B200", "GB200", "GB300"):
        m = GPU_PRESETS[name]
        assert m.bf16_dense_tflops > hopper.bf16_dense_tflops
        assert m.tokens_per_s > hopper.tokens_per_s
        assert m.it_kw_per_gpu > hopper.it_kw_per_gpu
    assert GPU_PRESETS["GB300"].hbm_gb > GPU_PRESETS["GB200"].hbm_gb


def test_it_power_above_gpu_tdp_and_server_share():
    # DOMAIN: TDP H100/H200 700 W, B200 up to 1,000 W; 8-GPU H100 server 10.2 kW,
    # 8-GPU B200 server 14.3 kW: all-in IT power covers at least the server share.
    assert GPU_PRESETS["H100 SXM"].it_kw_per_gpu >= 10.2 / 8 > 0.700
    assert GPU_PRESETS["H200"].it_kw_per_gpu >= 10.2 / 8
    # B200: 2.17 / 1.24 = 1.75 kW sits just under the 14.3 kW / 8 = 1.79 kW server
    # share; only check it is above the 1,000 W TDP.
    assert GPU_PRESETS["B200"].it_kw_per_gpu > 1.0


def test_capex_is_plausible_against_purchase_prices():
    # H100 $25-30k per GPU alone, $300-400k per 8-GPU server: all-in per GPU
    # between the server share (37.5k) and the top of the server range (50k).
    assert 300e3 / 8 <= GPU_PRESETS["H100 SXM"].capex_per_gpu <= 400e3 / 8
    # H200 $27.5-32k per GPU alone: all-in above that.
    assert GPU_PRESETS["H200"].capex_per_gpu >= 32e3
    # GB200 NVL72 rack $3.0-3.4M compute only: all-in per GPU at least that share.
    assert GPU_PRESETS["GB200"].capex_per_gpu >= 3.0e6 / 72
    # GB300 NVL72 about $3.5M per rack.
    assert GPU_PRESETS["GB300"].capex_per_gpu >= 3.5e6 / 72


def test_module_docstring_states_sources():
    doc = presets.__doc__ or ""
    for source in ("SemiAnalysis", "MLPerf", "Nvidia data sheet", "Epoch AI", "DOMAIN.md"):
        assert source in doc, source
    assert "Sources" in doc


# --- the default scenario --------------------------------------------------------

def test_default_scenario_is_the_reference_deal():
    s = default_scenario()
    assert isinstance(s, Scenario)
    assert s.name == "Colossus lease 2026"
    c = s.contract
    assert (c.buyer, c.provider) == ("Anthropic", "SpaceX (xAI)")
    assert c.start_date == dt.date(2026, 6, 1)
    assert c.term_months == 36
    assert c.monthly_fee == 1.25e9
    assert c.notice_days == 90
    assert c.escalator_pct == 0.0
    assert c.payment_timing == "advance"
    assert s.hardware.contracted_mw == 300.0
    assert s.hardware.availability_pct == 100.0   # DOMAIN's $7.78 assumes 100% available


def test_default_fleet_is_220k_gpus_online_at_start():
    tranches = default_scenario().hardware.tranches
    assert tranches == REFERENCE_TRANCHES
    assert sum(t.gpu_count for t in tranches) == 220_000
    assert all(t.online_date == dt.date(2026, 6, 1) for t in tranches)
    by_model = {}
    for t in tranches:
        by_model[t.gpu_model] = by_model.get(t.gpu_model, 0) + t.gpu_count
    # Colossus 1 tracked as 150k H100 + 50k H200; the rest GB200-class.
    assert by_model == {"H100 SXM": 150_000, "H200": 50_000, "GB200": 20_000}


def test_default_scenario_carries_all_presets():
    names = [m.name for m in default_scenario().hardware.gpu_models]
    assert set(MODELS) <= set(names)


def test_default_scenario_is_fresh_and_equal_each_time():
    assert default_scenario() == default_scenario()


def test_every_throughput_preset_states_its_precision_and_source():
    from core.presets import TOKENS_PER_S_SOURCES
    assert set(TOKENS_PER_S_SOURCES) == set(GPU_PRESETS)
    for name, (precision, source) in TOKENS_PER_S_SOURCES.items():
        assert precision in ("FP8", "FP4"), name
        assert "MLPerf" in source, name
    # The Hopper parts were measured in FP8, the Blackwell parts in FP4.
    assert TOKENS_PER_S_SOURCES["H100 SXM"][0] == "FP8"
    assert TOKENS_PER_S_SOURCES["B200"][0] == "FP4"
