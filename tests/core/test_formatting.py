"""Money and quantity formatting (DOMAIN.md: US dollars with B / M / K
suffixes and the sign in front, -$1.2B)."""
from __future__ import annotations

import math
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.formatting import MINUS, format_count, format_money, format_quantity

MINUS_SIGN = "\u2212"   # a true minus sign, not the hyphen-minus
EM_DASH = "\u2014"

# The reference deal's figures, computed by hand from DOMAIN.md.
TOTAL = 36 * 1.25e9                            # 36 monthly payments of $1.25B
RUN_RATE = 12 * 1.25e9
EXPOSURE = 90 * 1.25e9 * 12 / 365              # 90 days prorated at fee x 12 / 365
# 26,304 hours = 1,096 days (1 Jun 2026 to 1 Jun 2029, Feb 2028 has 29 days) x 24
PRICE_PER_GPU_HOUR = TOTAL / (220_000 * 26_304)
PRICE_PER_MW_MONTH = TOTAL / (300 * 36)


@pytest.mark.parametrize("value,expected", [
    (TOTAL, "$45.0B"),
    (RUN_RATE, "$15.0B"),
    (EXPOSURE, "$3.70B"),
    (PRICE_PER_GPU_HOUR, "$7.78"),
    (PRICE_PER_MW_MONTH, "$4.17M"),
    (1.25e9, "$1.25B"),
    (2.35, "$2.35"),
    (40_000, "$40.0K"),
    (0, "$0.00"),
])
def test_reference_figures(value, expected):
    assert format_money(value) == expected


def test_minus_constant_is_a_true_minus_sign():
    assert MINUS == MINUS_SIGN


@pytest.mark.parametrize("value,expected", [
    (-1.2e9, MINUS_SIGN + "$1.20B"),
    (-TOTAL, MINUS_SIGN + "$45.0B"),
    (-PRICE_PER_GPU_HOUR, MINUS_SIGN + "$7.78"),
    (-PRICE_PER_MW_MONTH, MINUS_SIGN + "$4.17M"),
])
def test_negative_has_minus_sign_before_dollar(value, expected):
    text = format_money(value)
    assert text == expected
    assert "-" not in text  # never a hyphen


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, None])
def test_undefined_is_em_dash(value):
    assert format_money(value) == EM_DASH
    assert format_quantity(value, "MW") == EM_DASH


def test_rounding_carries_into_the_next_suffix():
    assert format_money(999.96e6) == "$1.00B"   # not "$1000M"
    assert format_money(999_999.0) == "$1.00M"
    assert format_money(999.4e6) == "$999M"


def test_trim_drops_trailing_zeros():
    assert format_money(TOTAL, trim=True) == "$45B"
    assert format_money(EXPOSURE, trim=True) == "$3.7B"
    assert format_money(PRICE_PER_GPU_HOUR, trim=True) == "$7.78"


def test_digits():
    assert format_money(EXPOSURE, digits=4) == "$3.699B"   # DOMAIN: $3.699B


def test_quantities_and_counts():
    assert format_quantity(220_000, "GPUs") == "220K GPUs"
    # 150k x 1.40 + 50k x 1.40 + 20k x 1.70 kW = 314 MW IT; x PUE 1.24 = 389.36 MW
    assert format_quantity((150_000 * 1.40 + 50_000 * 1.40 + 20_000 * 1.70) / 1000 * 1.24,
                           "MW") == "389 MW"
    assert format_quantity(1.2e9, "tokens/s") == "1.20B tokens/s"
    assert format_quantity(-5e6, "tokens/s") == MINUS_SIGN + "5.00M tokens/s"
    assert format_quantity(12.5) == "12.50"
    assert format_count(220_000) == "220,000"
    assert format_count(1_096.4) == "1,096"


SUFFIX = {"": 1.0, "K": 1e3, "M": 1e6, "B": 1e9, "T": 1e12}
MONEY = re.compile(r"^(\u2212?)\$([0-9][0-9,]*(?:\.[0-9]+)?)([KMBT]?)$")


def expected_suffix(magnitude: float) -> str:
    """The suffix for a magnitude at 3 significant figures: a value that rounds
    up to 1000 of one unit takes the next (999.5M -> 1.00B)."""
    for threshold, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")):
        if magnitude >= threshold * 0.9995:
            return suffix
    return ""


@settings(max_examples=500, deadline=None)
# Up to what rounds below 1,000T: beyond it money is written as a power of ten.
@given(magnitude=st.floats(1.0, 999.4e12), negative=st.booleans())
def test_format_money_round_trips_sign_and_suffix(magnitude, negative):
    value = -magnitude if negative else magnitude
    text = format_money(value)
    match = MONEY.match(text)
    assert match, text
    sign, number, suffix = match.groups()
    assert (sign == MINUS_SIGN) == negative
    assert suffix == expected_suffix(magnitude)
    parsed = float(number.replace(",", "")) * SUFFIX[suffix]
    # 3 significant figures: within half a unit of the third figure (0.5%).
    assert parsed == pytest.approx(magnitude, rel=5e-3)


def test_counts_beyond_trillions_are_in_words():
    """1e15 is a quadrillion, 1e18 a quintillion, 1e21 a sextillion; a value
    that rounds to 1,000 of one takes the next word."""
    assert format_quantity(4.6e16, "tokens") == "46.0 quadrillion tokens"
    assert format_quantity(999.96e12, "tokens") == "1.00 quadrillion tokens"   # not 1000T
    assert format_quantity(999.96e15, "tokens") == "1.00 quintillion tokens"
    assert format_quantity(-3.2e22, "tokens") == MINUS_SIGN + "32.0 sextillion tokens"
    assert format_quantity(1.2e15, "tokens", trim=True) == "1.2 quadrillion tokens"


def test_a_negative_that_rounds_to_zero_has_no_sign():
    assert format_money(-0.001) == "$0.00"
    assert format_money(-0.01) == "\u2212$0.01"


def test_a_formatter_gives_format_by_text_for_every_value():
    """formatter_for(fmt, unit) is format_by(fmt, ., unit) set up once: the
    same text for every value, near every suffix boundary and undefined."""
    import numpy as np
    from core.formatting import FORMATS, format_by, formatter_for
    rng = np.random.default_rng(7)
    values = [0.0, -0.0, 0.004, -0.004, 999.995, 999_950.0, 999_960.0, 1e9 - 1e5, -1e12,
              9.9996e14, 1e15, 2.5e16, float("nan"), float("inf"), -float("inf")]
    values += list(rng.uniform(-5e9, 5e9, 200)) + list(rng.uniform(-1.5, 1.5, 100))
    values += list(10.0 ** rng.uniform(-3, 17, 200) * rng.choice([-1, 1], 200))
    for fmt, unit in (("money", "$"), ("money_rate", "$/GPU-hour"), ("percent", "%/yr"),
                      ("number", ""), ("mw", "MW"), ("count", "GPUs"), ("tokens", "tokens"),
                      ("hours", "GPU-hours")):
        assert fmt in FORMATS
        text = formatter_for(fmt, unit)
        for value in values:
            assert text(float(value)) == format_by(fmt, float(value), unit), (fmt, value)
    assert formatter_for("money")(float("nan")) == "n/a"
    assert formatter_for("money")(-1.2e9) == "\u2212$1.20B"
