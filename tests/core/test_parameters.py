"""Scenario parameters: ranges, types and messages (DOMAIN.md "Conventions":
every number has a unit, a range and a default; a value outside its range is
refused with a message that names the field and the range)."""
from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.engine import compute
from core.parameters import (MAX_DATE, MIN_DATE, ClusterHardware, ContractTerms, GpuModel,
                             ParameterError, Projections, Scenario, Tranche, field_meta)
from core.presets import default_scenario

SECTIONS = (ContractTerms, GpuModel, Tranche, ClusterHardware, Projections)


def number_fields():
    """(class, field) for every numeric field of every parameter section."""
    out = []
    for cls in SECTIONS:
        for f in dataclasses.fields(cls):
            if f.metadata.get("kind") == "number":
                out.append((cls, f))
    return out


NUMBER_FIELDS = number_fields()
NUMBER_IDS = [f"{cls.__name__}.{f.name}" for cls, f in NUMBER_FIELDS]


def plain(bound) -> str:
    """A bound written without exponent or separators: 50e9 -> "50000000000"."""
    return str(int(bound)) if float(bound).is_integer() else f"{bound:g}"


def is_int_field(f) -> bool:
    return f.type in ("int", int)


def make(cls, **changes):
    """An instance of `cls` with `changes`; ClusterHardware needs no models for
    its own numeric fields, as it has no tranches by default."""
    return cls(**changes)


# --- defaults --------------------------------------------------------------------

def test_defaults_are_the_reference_deal():
    c = ContractTerms()
    assert c.start_date == dt.date(2026, 6, 1)      # DOMAIN: take 1 June 2026
    assert c.term_months == 36                        # 36 monthly payments
    assert c.monthly_fee == 1.25e9                    # about $1.25B a month
    assert c.notice_days == 90                        # 90 days' notice
    assert c.payment_timing == "advance"              # DOMAIN: advance unless arrears chosen
    assert ClusterHardware().contracted_mw == 300.0   # more than 300 MW


def test_every_number_has_label_unit_range_and_default_in_range():
    for cls, f in NUMBER_FIELDS:
        meta = f.metadata
        assert meta["label"], f.name
        assert "unit" in meta, f.name
        assert meta["minimum"] is not None and meta["maximum"] is not None, f.name
        assert meta["minimum"] <= f.default <= meta["maximum"], f.name


def declared_inputs():
    """(class, field) for every declared input: numbers, texts, choices and dates."""
    return [(cls, f) for cls in SECTIONS for f in dataclasses.fields(cls)
            if f.metadata.get("kind")]


@pytest.mark.parametrize("cls, f", declared_inputs(),
                         ids=[f"{cls.__name__}.{f.name}" for cls, f in declared_inputs()])
def test_every_input_says_what_it_means(cls, f):
    # The tooltip and F1 text: one or two sentences in the domain's words, not
    # the label again and not the range (the form adds that).
    text = f.metadata.get("help", "")
    assert 40 <= len(text) <= 320, (f.name, len(text))
    assert text[0].isupper() and text.endswith("."), text
    assert text.count(". ") + 1 <= 3, text              # at most three sentences
    assert text.lower() != f.metadata["label"].lower()
    assert "<" not in text and "\n" not in text     # plain text on one line


def test_help_states_the_conventions_where_they_matter():
    # Where a figure hangs on a convention, the help names it (DOMAIN.md "Conventions").
    help_of = {(cls.__name__, f.name): f.metadata["help"] for cls, f in declared_inputs()}
    assert "XNPV" in help_of["ContractTerms", "discount_rate_pct"]
    assert "pro rata by days" in help_of["ContractTerms", "notice_days"]
    assert "first day" in help_of["ContractTerms", "payment_timing"]
    assert "anniversary" in help_of["ContractTerms", "escalator_pct"]
    assert "anniversary" in help_of["Projections", "token_price_decline_pct_per_year"]
    assert "before the facility's PUE" in help_of["GpuModel", "it_kw_per_gpu"]
    assert "power at the meter / IT power" in help_of["ClusterHardware", "pue"]

def test_field_meta_returns_label_and_range_and_rejects_unknown_names():
    meta = field_meta(ContractTerms, "term_months")
    assert (meta["label"], meta["unit"], meta["minimum"], meta["maximum"]) == ("Term", "months", 1, 240)
    with pytest.raises(KeyError):
        field_meta(ContractTerms, "no_such_field")


# --- out of range ----------------------------------------------------------------

@pytest.mark.parametrize("cls,f", NUMBER_FIELDS, ids=NUMBER_IDS)
def test_below_minimum_refused_with_label_and_range(cls, f):
    meta = f.metadata
    below = meta["minimum"] - 1
    with pytest.raises(ParameterError) as info:
        make(cls, **{f.name: below})
    message = str(info.value)
    assert meta["label"] in message
    assert info.value.field == f.name
    assert info.value.label == meta["label"]
    # Both ends of the range are named (thousands separators allowed).
    digits = message.replace(",", "")
    for bound in (meta["minimum"], meta["maximum"]):
        assert plain(bound) in digits, (bound, message)


@pytest.mark.parametrize("cls,f", NUMBER_FIELDS, ids=NUMBER_IDS)
def test_above_maximum_refused_with_label_and_range(cls, f):
    meta = f.metadata
    above = meta["maximum"] + 1
    with pytest.raises(ParameterError) as info:
        make(cls, **{f.name: above})
    message = str(info.value)
    assert meta["label"] in message
    digits = message.replace(",", "")
    for bound in (meta["minimum"], meta["maximum"]):
        assert plain(bound) in digits, (bound, message)


@pytest.mark.parametrize("changes,label,range_pattern", [
    (dict(term_months=0), "Term", r"1 (to|and) 240 months"),
    (dict(term_months=241), "Term", r"1 (to|and) 240 months"),
    (dict(monthly_fee=-1.0), "Monthly fee", r"\$0 (to|and) \$50,000,000,000"),
    (dict(escalator_pct=-60.0), "Annual escalator", r"(-|\u2212)50 (to|and) 100 %/yr"),
    (dict(notice_days=4000), "Notice period", r"0 (to|and) 3,650 days"),
    (dict(discount_rate_pct=101.0), "Buyer's discount rate", r"0 (to|and) 100 %/yr"),
])
def test_contract_range_messages_by_hand(changes, label, range_pattern):
    with pytest.raises(ParameterError) as info:
        ContractTerms(**changes)
    assert label in str(info.value)
    assert re.search(range_pattern, str(info.value)), str(info.value)


def test_hardware_range_messages_by_hand():
    with pytest.raises(ParameterError) as info:
        ClusterHardware(pue=0.9)
    assert "PUE" in str(info.value)
    assert re.search(r"1 (to|and) 3\b", str(info.value))
    with pytest.raises(ParameterError) as info:
        GpuModel(it_kw_per_gpu=0.01)
    assert "IT power per GPU" in str(info.value)
    assert re.search(r"0\.05 (to|and) 20 kW", str(info.value))
    with pytest.raises(ParameterError) as info:
        Tranche(gpu_count=-1)
    assert "GPU count" in str(info.value)
    assert re.search(r"0 (to|and) 10,000,000 GPUs", str(info.value))


@pytest.mark.parametrize("cls,f", NUMBER_FIELDS, ids=NUMBER_IDS)
def test_bounds_themselves_accepted(cls, f):
    for bound in (f.metadata["minimum"], f.metadata["maximum"]):
        assert getattr(make(cls, **{f.name: bound}), f.name) == bound


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_values_within_range_always_accepted(data):
    cls, f = data.draw(st.sampled_from(NUMBER_FIELDS))
    lo, hi = f.metadata["minimum"], f.metadata["maximum"]
    if is_int_field(f):
        value = data.draw(st.integers(int(lo), int(hi)))
    else:
        value = data.draw(st.floats(lo, hi, allow_nan=False, allow_infinity=False))
    assert getattr(make(cls, **{f.name: value}), f.name) == value


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_values_outside_range_always_refused(data):
    cls, f = data.draw(st.sampled_from(NUMBER_FIELDS))
    lo, hi = f.metadata["minimum"], f.metadata["maximum"]
    if is_int_field(f):
        value = data.draw(st.one_of(st.integers(max_value=int(lo) - 1),
                                    st.integers(min_value=int(hi) + 1)))
    else:
        value = data.draw(st.one_of(
            st.floats(max_value=lo, exclude_max=True, allow_nan=False, allow_infinity=False),
            st.floats(min_value=hi, exclude_min=True, allow_nan=False, allow_infinity=False)))
    with pytest.raises(ParameterError) as info:
        make(cls, **{f.name: value})
    assert f.metadata["label"] in str(info.value)


# --- NaN, inf, wrong types -------------------------------------------------------

@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
@pytest.mark.parametrize("cls,f", NUMBER_FIELDS, ids=NUMBER_IDS)
def test_non_finite_refused(cls, f, bad):
    with pytest.raises(ParameterError) as info:
        make(cls, **{f.name: bad})
    assert f.metadata["label"] in str(info.value)


@pytest.mark.parametrize("bad", ["36", None, True, False, [36], 36 + 0j])
@pytest.mark.parametrize("name", ["term_months", "monthly_fee", "escalator_pct", "notice_days"])
def test_wrong_types_refused_for_numbers(name, bad):
    with pytest.raises(ParameterError):
        ContractTerms(**{name: bad})


@pytest.mark.parametrize("name", ["term_months", "notice_days", "intro_months"])
def test_fractional_value_refused_for_whole_number_fields(name):
    with pytest.raises(ParameterError) as info:
        ContractTerms(**{name: 2.5})
    assert "whole number" in str(info.value)


@pytest.mark.parametrize("name,value", [("term_months", 36.0), ("notice_days", 90.0)])
def test_whole_number_float_in_int_field_is_taken_as_int(name, value):
    scenario = default_scenario().with_changes("contract", **{name: value})
    assert type(getattr(scenario.contract, name)) is int
    figures = compute(scenario).key_figures
    assert figures.total_contract_value == 36 * 1.25e9
    # 90 days from 1 Jun 2026: June, July and 29 of August's 31 days
    assert figures.walkaway_exposure == pytest.approx(1.25e9 * (2 + 29 / 31), rel=1e-12)


@pytest.mark.parametrize("bad", [36, None, b"Anthropic"])
def test_text_fields_refuse_non_text(bad):
    with pytest.raises(ParameterError) as info:
        ContractTerms(buyer=bad)
    assert "Buyer (lessee)" in str(info.value)


def test_text_too_long_refused():
    ContractTerms(buyer="x" * 200)
    with pytest.raises(ParameterError) as info:
        ContractTerms(buyer="x" * 201)
    assert "200" in str(info.value)
    with pytest.raises(ParameterError):
        GpuModel(name="x" * 61)


@pytest.mark.parametrize("bad", ["upfront", "Advance", "", None])
def test_choice_refuses_values_outside_choices(bad):
    with pytest.raises(ParameterError) as info:
        ContractTerms(payment_timing=bad)
    assert "Payment timing" in str(info.value)
    assert "advance" in str(info.value) and "arrears" in str(info.value)


def test_choice_accepts_both_timings():
    assert ContractTerms(payment_timing="arrears").payment_timing == "arrears"


@pytest.mark.parametrize("bad", ["2026-06-01", dt.datetime(2026, 6, 1), 20260601, None])
def test_date_refuses_non_dates(bad):
    with pytest.raises(ParameterError) as info:
        ContractTerms(start_date=bad)
    assert "Start date" in str(info.value)


def test_date_range():
    assert ContractTerms(start_date=MIN_DATE).start_date == MIN_DATE
    assert ContractTerms(start_date=MAX_DATE).start_date == MAX_DATE
    for bad in (MIN_DATE - dt.timedelta(days=1), MAX_DATE + dt.timedelta(days=1)):
        with pytest.raises(ParameterError) as info:
            ContractTerms(start_date=bad)
        assert "Start date" in str(info.value)
        assert "2000-01-01" in str(info.value) and "2100-12-31" in str(info.value)
    with pytest.raises(ParameterError):
        Tranche(online_date=dt.date(1999, 12, 31))


def test_parameter_error_is_a_value_error():
    with pytest.raises(ValueError):
        ContractTerms(term_months=0)


# --- GPU models and tranches -----------------------------------------------------

@pytest.mark.parametrize("name", ["", "   "])
def test_gpu_model_name_must_not_be_empty(name):
    with pytest.raises(ParameterError):
        GpuModel(name=name)


def test_tranche_with_undefined_gpu_model_refused():
    h100 = GpuModel("H100 SXM")
    with pytest.raises(ParameterError) as info:
        ClusterHardware(gpu_models=(h100,),
                        tranches=(Tranche("Colossus 2", "Memphis, TN", "B300", 1000,
                                          dt.date(2026, 6, 1)),))
    assert info.value.field == "tranches"
    assert "B300" in str(info.value)
    assert "H100 SXM" in str(info.value)  # names the models that are defined


def test_tranche_refused_when_no_models_defined():
    with pytest.raises(ParameterError):
        ClusterHardware(gpu_models=(), tranches=(Tranche(),))


def test_duplicate_gpu_model_names_refused():
    with pytest.raises(ParameterError):
        ClusterHardware(gpu_models=(GpuModel("H100 SXM"), GpuModel("H100 SXM", hbm_gb=94)))


def test_hardware_model_lookup():
    hw = default_scenario().hardware
    assert hw.model("GB200").name == "GB200"
    with pytest.raises(KeyError):
        hw.model("B300")


# --- Scenario.with_changes -------------------------------------------------------

def test_with_changes_makes_a_new_validated_copy():
    base = default_scenario()
    changed = base.with_changes("contract", monthly_fee=1.0e9, term_months=24)
    assert (changed.contract.monthly_fee, changed.contract.term_months) == (1.0e9, 24)
    assert base.contract.monthly_fee == 1.25e9      # the original is untouched
    assert changed.hardware == base.hardware
    with pytest.raises(dataclasses.FrozenInstanceError):
        changed.contract.monthly_fee = 2.0  # type: ignore[misc]


@pytest.mark.parametrize("section,changes", [
    ("contract", dict(term_months=0)),
    ("contract", dict(monthly_fee=math.nan)),
    ("contract", dict(payment_timing="later")),
    ("hardware", dict(pue=0.5)),
    ("hardware", dict(availability_pct=100.1)),
    ("projections", dict(demand_growth_pct_per_month=-51.0)),
])
def test_with_changes_validates(section, changes):
    with pytest.raises(ParameterError):
        default_scenario().with_changes(section, **changes)


def test_with_changes_refuses_tranche_on_removed_model():
    base = default_scenario()
    models = tuple(m for m in base.hardware.gpu_models if m.name != "GB200")
    with pytest.raises(ParameterError):
        base.with_changes("hardware", gpu_models=models)


def test_with_changes_unknown_section_or_field():
    with pytest.raises(KeyError):
        default_scenario().with_changes("pricing", monthly_fee=1.0)
    with pytest.raises(TypeError):
        default_scenario().with_changes("contract", no_such_field=1)


def test_scenario_sections():
    assert Scenario.SECTIONS == ("contract", "hardware", "projections", "market", "credit")


# --- issue 22, item 4: termination chances are chances of one month's events -------------

def test_termination_chances_over_100_percent_a_month_are_refused_naming_both_fields():
    # 60% + 50% = 110% a month: the buyer's and the provider's notice cannot both be
    # the month's event (they were accepted, the buyer's drawn first).
    base = default_scenario()
    with pytest.raises(ParameterError) as refused:
        base.with_changes("contract", buyer_termination_prob_pct=60.0,
                          provider_termination_prob_pct=50.0)
    message = str(refused.value)
    assert "Buyer termination chance (60%)" in message
    assert "Provider termination chance (50%)" in message
    assert "110%" in message and "100%" in message and "\n" not in message
    # Exactly 100% is accepted.
    edge = base.with_changes("contract", buyer_termination_prob_pct=60.0,
                             provider_termination_prob_pct=40.0)
    assert edge.contract.provider_termination_prob_pct == 40.0
