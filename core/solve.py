"""Goal seek: the value of one input that makes a key figure hit a target.

"What monthly fee makes the provider's IRR 15%?"  The input is any numeric
field of the scenario ("contract.monthly_fee", as in the scenario file), the
figure any field of `core.engine.KeyFigures`.  The input's range (its
`quantity()` metadata, or a narrower one given) is sampled first, in one
batched call through the vectorised engine (core/path_engine.py) where it
models the figure and the input, else `compute()` per sample; the sign
changes of (figure - target) between samples bracket the roots, and
mpmath's Anderson-Bjoerck bracketing solver finds the one nearest the input's
current value on the engine itself.  When no value in the range reaches the target, the answer says so
and gives the closest value and the figure's range over the input's range.

Whole-number inputs (term, notice days) take whole values only: the bracket
is bisected over the integers and the nearer of its two ends is the answer.
Plain Python + numpy + mpmath; no Qt.
"""
from __future__ import annotations

import dataclasses
import math
import time
from typing import Any, Callable
from dataclasses import dataclass

import numpy as np

from core import figures
from core.engine import KeyFigures, Results, compute
from core.formatting import format_money
from core.parameters import ParameterError, Scenario

# Samples of the input's range before the root finder starts: enough to see
# the bends of the figures here (IRR, NPV, crossings), cheap in one batch.
DEFAULT_SAMPLES = 65
# A root the finder lands on must give the target to this fraction of the
# figure's change across the root's bracket (a jump across the target is not
# a root); a sample within HIT_TOLERANCE (relative) of the target is a root.
REACH_TOLERANCE = 1e-9
HIT_TOLERANCE = 1e-12
# The root finder: the bracket's width relative to the value, and a bound on steps.
ROOT_TOLERANCE = 1e-13
MAX_ROOT_STEPS = 200
# Closest approach to an unreachable target: passes of finer samples and their count.
ZOOM_PASSES = 3
ZOOM_SAMPLES = 33

# Every figure a target may be set on: the key figures, then the credit figures
# (core.figures.CREDIT_FIGURES: expected credit losses, credit-adjusted NPVs).
FIGURES: tuple[str, ...] = (tuple(f.name for f in dataclasses.fields(KeyFigures))
                            + tuple(figures.CREDIT_FIGURES))


class SolveError(ValueError):
    """A request that cannot be solved as asked (unknown figure or input, a
    range outside the input's); the message is one line for the user."""


@dataclass(frozen=True)
class NumericInput:
    """One numeric field of the scenario, as the scenario file names it."""
    key: str            # "contract.monthly_fee"
    section: str
    field: str
    label: str
    unit: str
    minimum: float | None
    maximum: float | None
    whole: bool         # an int field: whole values only

    def current(self, scenario: Scenario) -> float:
        return float(getattr(getattr(scenario, self.section), self.field))

    def text(self, value: float, digits: int = 4) -> str:
        """A value of this input with its unit, to `digits` significant
        figures where it is not whole: $1.25B, 60 %, 36 months; a dash for
        a value that is not finite."""
        if not math.isfinite(value):
            return "\u2014"
        if self.unit == "$":
            return format_money(value, digits=digits, trim=True)
        number = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.{digits}g}"
        return f"{number} {self.unit}".rstrip()


def numeric_inputs() -> tuple[NumericInput, ...]:
    """Every numeric input of a scenario, in the order the sections declare them."""
    out = []
    for section in Scenario.SECTIONS:
        cls = type(getattr(Scenario(), section))
        for f in dataclasses.fields(cls):
            meta = f.metadata
            if meta.get("kind") != "number":
                continue
            out.append(NumericInput(f"{section}.{f.name}", section, f.name, meta["label"],
                                    meta.get("unit", ""), meta.get("minimum"),
                                    meta.get("maximum"), f.type in ("int", int)))
    return tuple(out)


_INPUTS = {i.key: i for i in numeric_inputs()}


def numeric_input(key: str) -> NumericInput:
    """The input named SECTION.FIELD; SolveError naming the choices if unknown."""
    try:
        return _INPUTS[key]
    except KeyError:
        raise SolveError(f"unknown input {key!r}: give SECTION.FIELD of a numeric input, "
                         f"e.g. contract.monthly_fee or hardware.utilization_pct") from None


def check_figure(name: str) -> str:
    if name not in FIGURES:
        raise SolveError(f"unknown figure {name!r}: one of {', '.join(FIGURES)}")
    return name


def figure_value(results: Results, name: str) -> float:
    """A key or credit figure as a float; NaN where it is undefined (None, NaN)."""
    value = figures.result_value(results, name)
    return math.nan if value is None else float(value)


def with_input(scenario: Scenario, spec: NumericInput, value: float) -> Scenario:
    """The scenario with one input set (validated by core: ParameterError if refused)."""
    value = int(round(value)) if spec.whole else float(value)
    return scenario.with_changes(spec.section, **{spec.field: value})


def results_for(scenario: Scenario, results=None) -> Results:
    """compute(scenario), or `results` when they are of this very scenario
    (a caller that has them, as the app's binding does, spares a compute)."""
    if results is not None and (results.scenario is scenario or results.scenario == scenario):
        return results
    return compute(scenario)


def path_engine_refusal(scenario: Scenario, figure: str, keys) -> str | None:
    """Why the vectorised engine cannot give this figure over these inputs
    (a sentence), or None when it may: the figure and the inputs must be ones
    it models, and the scenario one it models (no prepayment).  Whether it
    agrees with `compute` on the scenario as it stands is checked in the
    batch itself (`evaluate`)."""
    from core.path_engine import PATH_INPUTS, PATH_OUTPUTS
    if figure not in PATH_OUTPUTS:
        return f"the vectorised engine does not compute {figure}"
    outside = [k for k in keys if k not in PATH_INPUTS]
    if outside:
        return f"the vectorised engine does not vary {', '.join(outside)}"
    if getattr(scenario.contract, "prepayment_months", 0) > 0:
        return "the vectorised engine does not model a prepayment or deposit"
    return None


def _batched(scenario: Scenario, figure: str, specs, arrays, results) -> np.ndarray | str:
    """The figure for every case in one run of the vectorised engine, or why
    not (a sentence).  The batch carries one more case, the scenario's own
    values, whose figure must equal compute()'s to 1e-9: the check that the
    engine models this scenario costs one path, not a second run."""
    from core.path_engine import run_paths
    batch = {}
    for s, a in zip(specs, arrays):
        cases = np.round(a) if s.whole else a
        batch[s.key] = np.append(cases, s.current(scenario))
    out = np.asarray(run_paths(scenario, batch, outputs=(figure,)).figures[figure], dtype=float)
    out = np.broadcast_to(out, (next(iter(batch.values())).size,))
    expected = figure_value(results_for(scenario, results), figure)
    got = float(out[-1])
    if not (math.isnan(expected) and math.isnan(got)) \
            and not math.isclose(got, expected, rel_tol=1e-9, abs_tol=1e-9):
        return (f"the vectorised engine disagrees with the main model on {figure} for this "
                f"scenario")
    return out[:-1].copy()


def evaluate(scenario: Scenario, figure: str, values: dict[str, np.ndarray], results=None,
             max_seconds: float | None = None) -> tuple[np.ndarray, str | None]:
    """The figure for each set of input values (key -> one value per case, all
    the same length): one batched call through the vectorised engine where it
    models them, else `compute()` per case.  Returns (figures, why not
    batched or None).  A case core refuses (out of range) gives NaN.
    `results`: compute(scenario) when the caller has it (used only if it is of
    this very scenario), which spares computing it again.
    `max_seconds`: cases computed one by one that would take longer (cases x
    one compute, timed) are refused with SolveError before any is computed."""
    specs = [numeric_input(k) for k in values]
    arrays = [np.asarray(values[s.key], dtype=float).reshape(-1) for s in specs]
    if len({a.size for a in arrays}) > 1:
        raise ValueError("input values differ in length")
    cases = arrays[0].size if arrays else 1
    refusal = path_engine_refusal(scenario, figure, [s.key for s in specs])
    if refusal is None and specs:
        batched = _batched(scenario, figure, specs, arrays, results)
        if not isinstance(batched, str):
            return batched, None
        refusal = batched
    elif refusal is None:      # no input varies: the scenario's own figure
        return np.full(cases, figure_value(results_for(scenario, results), figure)), None
    if max_seconds is not None:
        _refuse_if_too_slow(scenario, cases, refusal, max_seconds)
    out = np.empty(cases)
    for i in range(cases):
        try:
            case = scenario
            for s, a in zip(specs, arrays):
                case = with_input(case, s, a[i])
            out[i] = figure_value(compute(case), figure)
        except ParameterError:
            out[i] = math.nan
    return out, refusal


def _refuse_if_too_slow(scenario: Scenario, cases: int, why: str | None, max_seconds: float
                        ) -> None:
    """SolveError, in one line, if `cases` computes would take over `max_seconds`
    (the cost of a case: the fastest of three computes of the scenario, so that
    one slow moment does not refuse a grid)."""
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        compute(scenario)
        timings.append(time.perf_counter() - started)
    each = max(min(timings), 1e-6)
    if each * cases <= max_seconds:
        return
    fit = max(1, int(max_seconds / each))
    side = max(2, math.isqrt(fit))
    raise SolveError(f"Not computed: {cases:,} cells one by one ({why}) would take about "
                     f"{each * cases:,.0f} s at {each * 1000:.1f} ms a cell; about "
                     f"{max_seconds:g} s is the most, so use at most {fit:,} cells (for "
                     f"example {side} x {side} steps)")


@dataclass(frozen=True)
class SolveResult:
    figure: str
    target: float
    input: str                          # SECTION.FIELD
    value: float                        # the input value found, or the closest one
    achieved: float                     # the figure at that value (compute())
    iterations: int                     # of the root finder (0: a sample hit it)
    reachable: bool
    message: str
    input_range: tuple[float, float]    # searched
    figure_range: tuple[float, float]   # of the figure over the input's range (sampled)
    current_value: float                # the input's value in the scenario
    current_figure: float
    sampled_in_one_batch: bool          # through the vectorised engine
    other_crossings: int = 0            # other places in the range where the target is crossed

    def as_dict(self) -> dict:
        """JSON-ready: NaN (an undefined figure) is null."""
        def clean(v):
            if isinstance(v, tuple):
                return [clean(x) for x in v]
            if isinstance(v, float) and not math.isfinite(v):
                return None
            return v
        return {k: clean(v) for k, v in dataclasses.asdict(self).items()}


def _fmt(value: float) -> str:
    if not math.isfinite(value):
        return "undefined"
    if abs(value) >= 1e15:
        return f"{value:.6g}"          # 1e+300, not 301 digits
    if float(value).is_integer():
        return f"{int(value):,}"
    if abs(value) >= 1e5:
        return f"{value:,.0f}"
    return f"{value:,.6g}"


def _figure_label(figure: str) -> str:
    """A figure's declared label (core/figures.py), or its key if it has none."""
    return figures.label(figure) if _declared(figure) else figure


def _figure_text(figure: str, value: float) -> str:
    """A figure's value in its declared format ("$0.00", "15.0%"), never
    "7.62939e-06": a root found to a billionth of the figure's spread is
    shown as the figure is shown everywhere else."""
    if not math.isfinite(value):
        return "undefined"
    return figures.format_value(figure, value) if _declared(figure) else _fmt(value)


def _declared(figure: str) -> bool:
    return (figure in figures.KEY_FIGURES or figure in figures.CREDIT_FIGURES
            or figure in figures.COLUMNS)


def _describe_input(spec: NumericInput, value: float) -> str:
    unit = spec.unit
    if unit == "$":
        return f"{spec.label} ${_fmt(value)}"
    return f"{spec.label} {_fmt(value)}{' ' + unit if unit else ''}"


def _samples(spec: NumericInput, low: float, high: float, count: int) -> np.ndarray:
    if spec.whole:
        low, high = math.ceil(low), math.floor(high)
        if high - low + 1 <= count:
            return np.arange(low, high + 1, dtype=float)
        return np.unique(np.round(np.linspace(low, high, count)))
    return np.linspace(low, high, count)


def solve(scenario: Scenario, figure: str, target: float, vary: str,
          low: float | None = None, high: float | None = None,
          samples: int = DEFAULT_SAMPLES) -> SolveResult:
    """The value of input `vary` within [low, high] (default: its whole range)
    that makes `figure` equal `target`; the root nearest the input's current
    value when there are several.  SolveError for a request that makes no sense."""
    check_figure(figure)
    spec = numeric_input(vary)
    target = float(target)
    if not math.isfinite(target):
        raise SolveError(f"the target for {figure} must be a finite number")
    low = spec.minimum if low is None else float(low)
    high = spec.maximum if high is None else float(high)
    if low is None or high is None:
        raise SolveError(f"{spec.label} ({vary}) has no upper or lower limit: give a range")
    if spec.minimum is not None and low < spec.minimum or \
            spec.maximum is not None and high > spec.maximum:
        raise SolveError(f"{spec.label} ({vary}) can only vary between {spec.minimum:,g} and "
                         f"{spec.maximum:,g}")
    if not low < high:
        raise SolveError(f"the range of {spec.label} ({vary}) is empty: {low:,g} to {high:,g}")

    def figure_at(x: float) -> float:
        try:
            return figure_value(compute(with_input(scenario, spec, x)), figure)
        except ParameterError:
            return math.nan

    xs = _samples(spec, low, high, max(3, int(samples)))
    ys, refusal = evaluate(scenario, figure, {vary: xs})
    current_value = spec.current(scenario)
    current_figure = figure_value(compute(scenario), figure)
    finite = np.isfinite(ys)
    common: dict[str, Any] = dict(figure=figure, target=target, input=vary, input_range=(float(low), float(high)),
                  current_value=current_value, current_figure=current_figure,
                  sampled_in_one_batch=refusal is None)

    if not finite.any():
        return SolveResult(value=math.nan, achieved=math.nan, iterations=0, reachable=False,
                           message=f"{figure} is undefined for every value of {spec.label} between "
                                   f"{_fmt(low)} and {_fmt(high)}",
                           figure_range=(math.nan, math.nan), **common)
    gap = ys - target

    # Candidate roots: samples that hit the target (to rounding), and sign
    # changes between neighbouring samples (both defined, neither a hit).
    hit = finite & (np.abs(gap) <= HIT_TOLERANCE * max(abs(target), 1.0))
    hits = [(float(xs[i]), None) for i in np.flatnonzero(hit)]
    pair = (finite[:-1] & finite[1:] & ~hit[:-1] & ~hit[1:]
            & (np.sign(gap[:-1]) * np.sign(gap[1:]) < 0))
    brackets = [(float(xs[i]), float(xs[i + 1])) for i in np.flatnonzero(pair)]
    candidates = hits + brackets
    step_of = {(float(xs[i]), float(xs[i + 1])): abs(float(ys[i + 1] - ys[i]))
               for i in np.flatnonzero(pair)}

    def distance(candidate) -> float:
        a, b = candidate
        return abs(a - current_value) if b is None else max(0.0, a - current_value,
                                                            current_value - b)

    figure_lo, figure_hi = float(np.nanmin(ys)), float(np.nanmax(ys))
    if candidates:
        a, b = min(candidates, key=distance)
        others = len(candidates) - 1
        # Reached: the root gives the target to a billionth of how much the
        # figure moves across its bracket; a jump across the target does not.
        # (A sample that hit it: to a billionth of the figure's spread, as the
        # batched engine and compute() agree to that.)
        moves = step_of[(a, b)] if b is not None else float(np.nanmax(ys) - np.nanmin(ys))
        tolerance = REACH_TOLERANCE * max(abs(target), moves, 1e-300)
        if b is None:
            value, iterations = a, 0
        elif spec.whole:
            value, iterations, a, b = _bisect_whole(figure_at, target, a, b, tolerance)
        else:
            value, iterations = _bracketed_root(lambda x: figure_at(x) - target, a, b)
        achieved = figure_at(value)
        reachable = math.isfinite(achieved) and abs(achieved - target) <= tolerance
        also = (f" (the target is also crossed at {others} other place{'s' * (others > 1)} in "
                f"the range; this is the one nearest the current {_fmt(current_value)})"
                if others else "")
        name, shown = _figure_label(figure), lambda v: _figure_text(figure, v)
        if reachable:
            message = f"{_describe_input(spec, value)} gives {name} = {shown(achieved)}{also}"
        elif spec.whole:
            message = (f"No whole {spec.label} gives {name} = {shown(target)} exactly: it "
                       f"crosses it between {_fmt(a)} and {_fmt(a if b is None else b)}; {_describe_input(spec, value)} comes closest, "
                       f"{name} = {shown(achieved)}{also}")
        else:
            message = (f"{name} jumps past {shown(target)} at {_describe_input(spec, value)} "
                       f"without taking that value; the closest it comes is "
                       f"{shown(achieved)}{also}")
        return SolveResult(value=float(value), achieved=achieved, iterations=iterations,
                           reachable=reachable, message=message, other_crossings=others,
                           figure_range=(min(figure_lo, achieved), max(figure_hi, achieved))
                           if math.isfinite(achieved) else (figure_lo, figure_hi), **common)

    # Unreachable: the sample nearest the target, refined between its neighbours.
    best = int(np.nanargmin(np.where(finite, np.abs(gap), np.nan)))
    value, achieved, iterations = float(xs[best]), float(ys[best]), 0
    if not spec.whole and 0 < best < len(xs) - 1:
        value, achieved, iterations = _closest_between(
            scenario, figure, vary, target, float(xs[best - 1]), float(xs[best + 1]),
            value, achieved)
    figure_lo, figure_hi = min(figure_lo, achieved), max(figure_hi, achieved)
    side = "above" if target > figure_hi else "below" if target < figure_lo else "outside"
    name, shown = _figure_label(figure), lambda v: _figure_text(figure, v)
    message = (f"No value of {spec.label} between {_fmt(low)} and {_fmt(high)} gives {name} = "
               f"{shown(target)}: it ranges from {shown(figure_lo)} to {shown(figure_hi)} "
               f"(the target is {side} that). Closest: {_describe_input(spec, value)}, "
               f"{name} = {shown(achieved)}")
    return SolveResult(value=value, achieved=achieved, iterations=iterations, reachable=False,
                       message=message, figure_range=(figure_lo, figure_hi), **common)


def _bracketed_root(gap: Callable[[float], float], a: float, b: float) -> tuple[float, int]:
    """The root of `gap` between a and b (where it changes sign) by mpmath's
    Anderson-Bjoerck bracketing method (a regula falsi that keeps the bracket and
    converges superlinearly, like Brent's), to 1e-13 of the value; and the
    number of evaluations it took.  mpmath rather than SciPy's brentq: the same
    kind of method in 1.5 MB of pure Python, where SciPy and its own BLAS would
    push the packaged app past its 250 MB ceiling."""
    import mpmath   # only when solving: keeps start-up fast
    evaluations = 0

    def counted(x) -> float:
        nonlocal evaluations
        evaluations += 1
        return gap(float(x))

    root = mpmath.findroot(counted, (a, b), solver="anderson", tol=ROOT_TOLERANCE,
                           maxsteps=MAX_ROOT_STEPS, verify=False)
    return float(root), evaluations


def _closest_between(scenario: Scenario, figure: str, vary: str, target: float,
                     a: float, b: float, value: float, achieved: float
                     ) -> tuple[float, float, int]:
    """Where the figure comes closest to an unreachable target between the
    samples a and b around the best one: sampled again, finer, around the best
    point a few times (each pass one batched evaluation)."""
    evaluations = 0
    for _ in range(ZOOM_PASSES):
        xs = np.linspace(a, b, ZOOM_SAMPLES)
        ys, _refusal = evaluate(scenario, figure, {vary: xs})
        evaluations += len(xs)
        gap = np.where(np.isfinite(ys), np.abs(ys - target), np.nan)
        if np.isnan(gap).all():
            break
        best = int(np.nanargmin(gap))
        if abs(float(ys[best]) - target) < abs(achieved - target):
            value, achieved = float(xs[best]), float(ys[best])
        a, b = float(xs[max(best - 1, 0)]), float(xs[min(best + 1, len(xs) - 1)])
    return value, achieved, evaluations


def _bisect_whole(figure_at, target: float, a: float, b: float, tolerance: float
                  ) -> tuple[float, int, float, float]:
    """Narrow a bracket [a, b] of whole values, across which figure - target
    changes sign, to neighbours; (the one whose figure is nearer the target,
    iterations, the final bracket)."""
    a, b = int(a), int(b)
    fa, fb = figure_at(a) - target, figure_at(b) - target
    iterations = 0
    while b - a > 1:
        mid = (a + b) // 2
        fm = figure_at(mid) - target
        iterations += 1
        if abs(fm) <= tolerance:
            return float(mid), iterations, float(mid), float(mid)
        if math.isfinite(fm) and np.sign(fm) == np.sign(fa):
            a, fa = mid, fm
        else:
            b, fb = mid, fm
    nearer = a if not math.isfinite(fb) or (math.isfinite(fa) and abs(fa) <= abs(fb)) else b
    return float(nearer), iterations, float(a), float(b)
