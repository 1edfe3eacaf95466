"""Monte Carlo over uncertain inputs: sampling, chunked runs, percentiles.

Each uncertain input has a distribution: triangular (low / most likely /
high), uniform (low / high) or normal (mean = most likely, with low and high
as its 5th and 95th percentiles).  Draws are clipped to the field's allowed
range and whole-number fields are rounded.  Termination is a random event:
in each month notice is given with the chance buyer + provider monthly
probability (those "May terminate" allows; as core/termination.py's expected
contract value), and it is the buyer's notice with chance buyer / total.

All draws come from numpy's Generator(PCG64(seed)) in a fixed order before
any path runs, so a seed gives the same result whatever the chunk size.
Paths are evaluated in chunks by `core.path_engine.run_paths`; between chunks
the caller can report progress and cancel.  The outcome is any of the path
engine's figures, the buyer's or the provider's; the fan chart shows the
cumulative cash of the outcome's side (the provider's for a provider figure).

Memory is bounded whatever the path count: a chunk's working arrays are
about CHUNK_CELLS paths x months, and the fan chart (each month's cash
percentiles) is taken over the first FAN_PATHS paths, the only ones whose
monthly cash is kept.  Everything else (the outcome's percentiles, mean,
probability of a loss, the share ended early) covers every path.  Up to
FAN_PATHS paths, then, nothing is sampled; above it the fan is the first
FAN_PATHS paths' (the same paths for a seed, whatever the total).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from core.parameters import PARTY_BUYER, PARTY_EITHER, PARTY_PROVIDER, Scenario
from core.path_engine import (CASH_SERIES_LABEL, PATH_INPUTS, PATH_OUTPUTS,
                              PROVIDER_CASH_SERIES_LABEL, PROVIDER_PATH_OUTPUTS,
                              check_matches_engine, run_paths)
from core.risk import InputRef, numeric_inputs, tornado

DISTRIBUTIONS = ("triangular", "uniform", "normal")
PERCENTILES = (5, 25, 50, 75, 95)
Z_95 = 1.6448536269514722      # the standard normal's 95th percentile
DEFAULT_PATHS = 10_000
MAX_PATHS = 1_000_000
# Paths per run of the path engine: about CHUNK_CELLS path-months (1,000 paths
# of 120 months), at least MIN_CHUNK_PATHS.  Measured: smaller chunks stay in
# cache and were as fast as or faster than 10,000-path chunks, at a fifth of the memory.
CHUNK_CELLS = 120_000
MIN_CHUNK_PATHS = 250
FAN_PATHS = 100_000       # the fan chart's percentiles: the first this many paths
TERMINATION_KEYS = ("contract.buyer_termination_prob_pct", "contract.provider_termination_prob_pct")


class SimulationError(ValueError):
    """A simulation that cannot run as specified; the message says why."""


@dataclass(frozen=True)
class Uncertainty:
    key: str                      # "section.field"
    distribution: str = "triangular"
    low: float = 0.0
    most_likely: float = 0.0
    high: float = 0.0

    def check(self, label: str) -> None:
        if self.distribution not in DISTRIBUTIONS:
            raise SimulationError(f"{label}: unknown distribution {self.distribution!r}")
        if not all(math.isfinite(v) for v in (self.low, self.most_likely, self.high)):
            raise SimulationError(f"{label}: low, most likely and high must be numbers")
        if self.low > self.high:
            raise SimulationError(f"{label}: low ({self.low:g}) is above high ({self.high:g})")
        if self.distribution != "uniform" and not self.low <= self.most_likely <= self.high:
            raise SimulationError(f"{label}: most likely ({self.most_likely:g}) must lie between "
                                  f"low ({self.low:g}) and high ({self.high:g})")

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        if self.distribution == "uniform":
            return rng.uniform(self.low, self.high, size)
        if self.distribution == "triangular":
            if self.low == self.high:
                rng.random(size)   # keep the stream's position as for any other range
                return np.full(size, float(self.low))
            return rng.triangular(self.low, self.most_likely, self.high, size)
        sd = (self.high - self.low) / (2.0 * Z_95)
        return rng.normal(self.most_likely, sd, size)


def default_uncertainty(ref: InputRef, base: float, scenario: Scenario | None = None
                        ) -> Uncertainty:
    """-20% / base / +20% of the value in force, inside the field's range; for
    the market's yearly rent change (MARKET_KEY, given the scenario), base
    -/+ market_spread_pct: -20% / +20% of a flat market's 0 would vary nothing."""
    if ref.key == MARKET_KEY and scenario is not None:
        spread = market_spread_pct(scenario)
        low, high = ref.clip(base - spread), ref.clip(base + spread)
    else:
        low, high = sorted((ref.clip(base * 0.8), ref.clip(base * 1.2)))
    return Uncertainty(ref.key, "triangular", float(low), float(base), float(high))


def market_spread_pct(scenario: Scenario) -> float:
    """How far the default simulation moves the yearly rent change either
    side of its value: the rent's yearly volatility over the square root of
    the term in years (at least one), the standard deviation of the average
    yearly move over the term of a rent that walks at random with that
    volatility (the stochastic market's, core/rights.py; an assumption, as the
    volatility is).  The reference deal: 40% / sqrt(3) = 23.1%/yr."""
    years = max(1.0, scenario.contract.term_months / 12.0)
    return scenario.market.rent_vol_pct / math.sqrt(years)


# Marked uncertain when the tornado cannot rank the inputs (the figure is not
# defined, or nothing moves it): what an analyst of this deal is least sure
# of.  bench/run.py times a simulation of these.
DEFAULT_UNCERTAIN = ("hardware.utilization_pct", "projections.demand_growth_pct_per_month",
                     "projections.token_price_per_million",
                     "projections.token_price_decline_pct_per_year")
# The same for a provider's outcome: the buyer's token economics do not touch it.
DEFAULT_PROVIDER_UNCERTAIN = ("hardware.power_price_per_mwh", "hardware.pue",
                              "hardware.maintenance_pct_per_year", "hardware.staff_opex_per_month")
# How many inputs the default simulation varies: the largest swings of the
# outcome's tornado, so that what moves the figure most is what is simulated.
DEFAULT_VARIED = 5
# The market, varied by default beside them (issue 25): where the forward rent goes,
# which the provider's opportunity cost and economic figures hang on.  Its tornado
# swing is nil about a flat market (-20% / +20% of 0), so the swings never pick it.
MARKET_KEY = "market.rent_change_pct_per_year"
# worst_outcome tries every corner of at most this many ranges (2^8 = 256
# corners, each with every notice month: about 19,000 rows of one run).
MAX_CORNER_INPUTS = 8


def largest_swing_inputs(scenario: Scenario, output: str, count: int = DEFAULT_VARIED
                         ) -> tuple[str, ...]:
    """The `count` inputs a simulation can vary whose tornado swing (-20% /
    +20%, core.risk.tornado) of `output` is largest, largest first; the
    termination chances are left out (termination is drawn as an event)."""
    try:
        swing = tornado(scenario, output)
    except (KeyError, ValueError):
        return ()
    return swing_keys(scenario, swing, count)


def swing_keys(scenario: Scenario, swing, count: int = DEFAULT_VARIED) -> tuple[str, ...]:
    """The `count` simulated inputs of a tornado (core.risk.Tornado) with the
    largest swings, largest first, the termination chances left out."""
    varied = {ref.key for ref in simulated_inputs(scenario)} - set(TERMINATION_KEYS)
    return tuple(row.input.key for row in swing.rows
                 if row.swing > 0 and row.input.key in varied)[:count]


def default_keys(scenario: Scenario, output: str) -> tuple[str, ...]:
    """The inputs the default simulation of `output` varies: its tornado's
    largest swings, else the fixed lists above; and the market (MARKET_KEY)."""
    return with_market(largest_swing_inputs(scenario, output) or (
        DEFAULT_PROVIDER_UNCERTAIN if output in PROVIDER_PATH_OUTPUTS else DEFAULT_UNCERTAIN))


def with_market(keys: tuple[str, ...]) -> tuple[str, ...]:
    """`keys` (a tornado's largest swings) and the market (MARKET_KEY), which
    the default simulation varies beside them."""
    return keys if MARKET_KEY in keys else keys + (MARKET_KEY,)


def default_spec(scenario: Scenario, output: str = "buyer_npv", paths: int = DEFAULT_PATHS,
                 seed: int = 1) -> "SimulationSpec":
    """The risk tab's settings before the user changes them: the inputs with
    the largest tornado swings of `output` and the market (default_keys) at
    -20% / base / +20% (the market: default_uncertainty), termination drawn
    at random."""
    refs = {ref.key: ref for ref in simulated_inputs(scenario)}
    return SimulationSpec(
        uncertainties=tuple(default_uncertainty(refs[key], refs[key].value_in(scenario),
                                                scenario)
                            for key in default_keys(scenario, output) if key in refs),
        output=output, paths=paths, seed=seed)


def worst_outcome(scenario: Scenario, spec: "SimulationSpec") -> float:
    """The lowest the outcome can be under what `spec` varies: every corner
    of the varied ranges (each input at its low or high end) with, when
    termination is drawn, notice by either party allowed in every month or
    never.  -inf when a range is unbounded (a normal distribution) and NaN
    when the figure is not defined.  Tells whether a loss is possible at all."""
    if any(u.distribution == "normal" for u in spec.uncertainties):
        return -math.inf
    refs = {ref.key: ref for ref in simulated_inputs(scenario)}
    ends = [(u.key, sorted({refs[u.key].clip(u.low), refs[u.key].clip(u.high)}))
            for u in spec.uncertainties if u.key in refs]
    if len(ends) > MAX_CORNER_INPUTS:
        return -math.inf          # too many corners to try: not bounded here
    corners = np.array(np.meshgrid(*[values for _k, values in ends], indexing="ij")
                       ).reshape(len(ends), -1) if ends else np.zeros((0, 1))
    term_key = "contract.term_months"
    longest = int(max([scenario.contract.term_months]
                      + [int(max(v)) for k, v in ends if k == term_key]))
    options = [(longest, False)]      # no notice
    if spec.termination:
        # Only the notices the simulation can draw: a party the contract lets
        # end it, with a monthly chance above zero (or a varied one).
        c = scenario.contract
        varied = {u.key: u.high for u in spec.uncertainties}
        buyer_may = c.terminating_party in (PARTY_EITHER, PARTY_BUYER) and \
            varied.get(TERMINATION_KEYS[0], c.buyer_termination_prob_pct) > 0
        provider_may = c.terminating_party in (PARTY_EITHER, PARTY_PROVIDER) and \
            varied.get(TERMINATION_KEYS[1], c.provider_termination_prob_pct) > 0
        for month in range(longest):
            if buyer_may:
                options.append((month, True))
            if provider_may:
                options.append((month, False))
    notice = np.array([m for m, _b in options], dtype=np.int64)
    buyer = np.array([b for _m, b in options], dtype=bool)
    count = corners.shape[1] * len(options)
    values = {key: np.repeat(corners[i], len(options)) for i, (key, _v) in enumerate(ends)}
    result = run_paths(scenario, values, np.tile(notice, corners.shape[1]),
                       np.tile(buyer, corners.shape[1]), months=longest,
                       outputs=(spec.output,))
    outcomes = np.asarray(result.figures[spec.output], dtype=float).reshape(count)
    finite = outcomes[np.isfinite(outcomes)]
    return float(finite.min()) if finite.size else math.nan


def loss_standard_error(probability: float, paths: int) -> float:
    """The standard error of a share of `paths` paths: sqrt(p (1 - p) / n)."""
    return math.sqrt(max(probability * (1.0 - probability), 0.0) / max(paths, 1))


def simulated_inputs(scenario: Scenario) -> tuple[InputRef, ...]:
    """The numeric inputs a simulation can vary (those the path engine models)."""
    return tuple(ref for ref in numeric_inputs(scenario) if ref.key in PATH_INPUTS)


@dataclass(frozen=True)
class SimulationSpec:
    uncertainties: tuple[Uncertainty, ...] = ()
    output: str = "npv_payments"
    paths: int = DEFAULT_PATHS
    seed: int = 1
    termination: bool = True      # draw termination events from the monthly probabilities


@dataclass(frozen=True)
class SimulationResult:
    spec: SimulationSpec
    outcomes: np.ndarray                 # (paths,) the chosen output
    outcome_percentiles: dict[int, float]
    probability_of_loss: float           # share of paths whose outcome is below zero
    mean: float
    month_start: np.ndarray              # (months,)
    cash_percentiles: np.ndarray         # (len(PERCENTILES), months)
    cash_label: str
    ended_early_share: float             # share of paths where notice was given
    terms: np.ndarray | None = field(repr=False, default=None)   # (paths,) months per path
    # histogram(outcomes): the bins the distribution plot draws, made with the
    # outcomes (off the GUI thread where the simulation runs in a worker).
    bins: tuple[np.ndarray, np.ndarray] | None = field(repr=False, default=None, compare=False)


def _draws(scenario: Scenario, spec: SimulationSpec, rng: np.random.Generator
           ) -> tuple[dict[str, np.ndarray], np.ndarray | None, np.ndarray | None]:
    refs = {ref.key: ref for ref in simulated_inputs(scenario)}
    values: dict[str, np.ndarray] = {}
    for u in spec.uncertainties:
        ref = refs.get(u.key)
        if ref is None:
            raise SimulationError(f"{u.key} cannot be varied in a simulation")
        u.check(ref.label)
        drawn = u.sample(rng, spec.paths)
        lo = -np.inf if ref.minimum is None else ref.minimum
        hi = np.inf if ref.maximum is None else ref.maximum
        drawn = np.clip(drawn, lo, hi)
        values[u.key] = np.round(drawn) if ref.whole else drawn
    if not spec.termination:
        return values, None, None

    def hazard(key: str) -> np.ndarray:
        section, name = key.split(".")
        base = getattr(getattr(scenario, section), name)
        return np.broadcast_to(values.get(key, base), (spec.paths,)) / 100.0

    buyer, provider = hazard(TERMINATION_KEYS[0]), hazard(TERMINATION_KEYS[1])
    party = scenario.contract.terminating_party
    if party not in (PARTY_EITHER, PARTY_BUYER):
        buyer = np.zeros(spec.paths)
    if party not in (PARTY_EITHER, PARTY_PROVIDER):
        provider = np.zeros(spec.paths)
    either = np.minimum(1.0, buyer + provider)
    # The first month with notice: geometric in the monthly chance (months 0, 1, ...).
    draw = rng.random(spec.paths)
    with np.errstate(divide="ignore", invalid="ignore"):
        first = np.where(either >= 1.0, 0.0,
                         np.floor(np.log1p(-draw) / np.log1p(-np.minimum(either, 1.0 - 1e-16))))
    first = np.where(either > 0, first, np.inf)
    notice_month = np.minimum(first, np.iinfo(np.int32).max).astype(np.int64)
    # Given notice that month, the buyer gave it with chance buyer / either.
    chance = np.divide(buyer, either, out=np.zeros(spec.paths), where=either > 0)
    buyer_notice = rng.random(spec.paths) < chance
    return values, notice_month, buyer_notice


def simulate(scenario: Scenario, spec: SimulationSpec,
             progress: Callable[[float], None] | None = None,
             cancelled: Callable[[], bool] | None = None,
             chunk: int | None = None) -> SimulationResult | None:
    """Run the simulation; None if `cancelled()` turned true between chunks.
    `chunk`: paths per run of the path engine (default: CHUNK_CELLS path-months,
    at least MIN_CHUNK_PATHS paths); it changes neither the result nor, beyond the
    chunk's own working arrays, the memory used."""
    if spec.output not in PATH_OUTPUTS:
        raise SimulationError(f"{spec.output} is not an output the simulation computes")
    if not 1 <= spec.paths <= MAX_PATHS:
        raise SimulationError(f"Paths must be between 1 and {MAX_PATHS:,}; got {spec.paths:,}")
    check_matches_engine(scenario)
    rng = np.random.Generator(np.random.PCG64(spec.seed))
    values, notice_month, buyer_notice = _draws(scenario, spec, rng)
    term_key = "contract.term_months"
    terms = values.get(term_key, np.full(spec.paths, scenario.contract.term_months))
    months = int(np.max(terms))

    if chunk is None:
        chunk = max(MIN_CHUNK_PATHS, CHUNK_CELLS // max(months, 1))
    # The fan chart shows the cash of the outcome's side: the provider's for its figures.
    provider = spec.output in PROVIDER_PATH_OUTPUTS
    outcomes = np.empty(spec.paths)
    fan_paths = min(spec.paths, FAN_PATHS)
    # Months as rows: each month's paths contiguous, so the percentiles'
    # partition runs in cache and needs no transposed copy.
    cash = np.empty((months, fan_paths))
    ended = np.zeros(spec.paths, dtype=bool)
    month_start = np.empty(0, dtype="datetime64[D]")
    for begin in range(0, spec.paths, chunk):
        if cancelled is not None and cancelled():
            return None
        part = slice(begin, min(begin + chunk, spec.paths))
        result = run_paths(scenario, {k: v[part] for k, v in values.items()},
                           None if notice_month is None else notice_month[part],
                           None if buyer_notice is None else buyer_notice[part],
                           months=months, outputs=(spec.output,))
        outcomes[part] = result.figures[spec.output]
        if begin < fan_paths:
            kept = min(part.stop, fan_paths) - begin
            side_cash = result.provider_cumulative_cash if provider else result.cumulative_cash
            assert side_cash is not None      # run_paths gives it with a provider figure
            cash[:, begin:begin + kept] = side_cash[:kept].T
        ended[part] = result.ended_early
        month_start = result.month_start
        if progress is not None:
            progress(part.stop / spec.paths)
    finite = outcomes[np.isfinite(outcomes)]
    if finite.size:
        levels = np.percentile(finite, PERCENTILES)
        outcome_percentiles = {p: float(v) for p, v in zip(PERCENTILES, levels)}
        mean = float(finite.mean())
    else:
        outcome_percentiles = {p: math.nan for p in PERCENTILES}
        mean = math.nan
    return SimulationResult(
        spec=spec, outcomes=outcomes, outcome_percentiles=outcome_percentiles,
        probability_of_loss=float(np.count_nonzero(finite < 0) / spec.paths),
        mean=mean, month_start=month_start,
        cash_percentiles=_row_percentiles(cash),
        cash_label=PROVIDER_CASH_SERIES_LABEL if provider else CASH_SERIES_LABEL,
        ended_early_share=float(ended.mean()),
        terms=np.asarray(terms), bins=histogram(outcomes))


def _row_percentiles(months_by_paths: np.ndarray) -> np.ndarray:
    """np.percentile over each row (month), in place.  Sorting the rows first
    gives the same numbers (the same values, the same interpolation) and was
    three times faster than percentile's multi-point partition (10,000 paths x
    120 months: 13 ms against 42 ms)."""
    months_by_paths.sort(axis=1)
    return np.percentile(months_by_paths, PERCENTILES, axis=1, overwrite_input=True)


def nice_width(span: float, bins: int) -> float:
    """The bin width nearest above span / bins among 1, 2, 2.5 and 5 x 10^k."""
    raw = span / max(bins, 1)
    power = 10.0 ** math.floor(math.log10(raw))
    return next(m * power for m in (1.0, 2.0, 2.5, 5.0, 10.0) if m * power >= raw * (1 - 1e-12))


def histogram(outcomes: np.ndarray, bins: int = 40) -> tuple[np.ndarray, np.ndarray]:
    """Bin edges and path counts of the finite outcomes (for the distribution
    plot): about `bins` bins of a round width (1, 2, 2.5 or 5 x 10^k) whose
    edges are whole multiples of it, so that the axis and the bins' labels read
    $2.5B, $3.0B, not the lowest outcome's $3.16B, $8.23B."""
    finite = outcomes[np.isfinite(outcomes)]
    if finite.size == 0:
        return np.zeros(1), np.zeros(0)
    lo, hi = float(finite.min()), float(finite.max())
    if lo == hi:   # one value: a single bar around it
        half = abs(lo) * 0.01 or 1.0
        lo, hi = lo - half, hi + half
    width = nice_width(hi - lo, bins)
    first, last = math.floor(lo / width), math.ceil(hi / width)
    if last == first:
        last += 1
    edges = np.arange(first, last + 1) * width
    counts, edges = np.histogram(finite, bins=edges)
    return edges, counts
