"""The board pack: what the PDF report, the deck and presentation mode say,
section by section, as data (no drawing here).

A section is one tab's story for the chosen perspective: a title that states
the finding ("Walking away at month 12 costs $18.7B; notice takes 90 days"),
a few sentences, the charts (as ChartSpec, every one with data) and tables.
The order is the summary, then one builder per tab key, in the order the
caller gives (ui/registry.py's exported tabs), then the two-way table (the
sweep tab's, or its default: core.sweep.default_spec), then the warnings
and every assumption with its unit.  Labels, units and number formats come from
core.figures.

Risk needs results the engine does not compute: `risk_analysis` runs the
tornado and, unless declined, the simulation with the risk tab's default
settings and a stated seed, for an export made before the user ran one.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np

from core import figures
from core.calendar import to_date
from core.comparison import compare
from core.engine import Results
from core.export.assumptions import display_value, record_tables, scalar_assumptions, \
    section_title
from core.export.charts import ChartSpec, Series, column_series, month_labels, on_common_months
from core.export.grid_chart import PACK_STEPS, HeatMap, finding, heat_map, table_rows
from core.formatting import format_by, format_percent
from core.monte_carlo import PERCENTILES, SimulationResult, default_spec, histogram, simulate
from core.palette import OKABE_ITO, SERIES_ORDER
from core.risk import Tornado, tornado
from core.solve import SolveError
from core import tornado_convention
from core.summary import PERSPECTIVES, executive_summary, walk_away_headline
from core.sweep import SweepSpec
from core.sweep import default_spec as default_sweep

TORNADO_BARS = 10      # the inputs with the largest swings
EXPORT_SEED = 1        # the seed an export's own simulation runs with


@dataclass(frozen=True)
class Table:
    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Section:
    key: str                          # "summary", a tab key, "lease", "warnings", ...
    kicker: str                       # what part of the analysis: "Contract"
    title: str                        # the finding
    sentences: tuple[str, ...] = ()
    charts: tuple[ChartSpec, ...] = ()
    tables: tuple[Table, ...] = ()
    heat_maps: tuple[HeatMap, ...] = ()   # the two-way table's map (core/export/grid_chart)


@dataclass(frozen=True)
class RiskAnalysis:
    tornado: Tornado | None = None
    simulation: SimulationResult | None = None
    note: str = ""                    # how the simulation came about, for the reader


@dataclass(frozen=True)
class PackInputs:
    results: Results
    perspective: str = "both"
    risk: RiskAnalysis = field(default_factory=RiskAnalysis)
    others: tuple[Results, ...] = ()  # the file's other scenarios, for the comparison
    # The two-way table the sweep tab has set up; None: its default (the
    # perspective's NPV over monthly fee x utilization, core.sweep.default_spec).
    sweep: SweepSpec | None = None


def _f(key: str, value) -> str:
    return figures.format_value(key, value)


def _c(name: str) -> str:
    return OKABE_ITO[name]


def _sees(perspective: str, side: str) -> bool:
    return perspective == "both" or side in ("both", perspective)


def risk_output(perspective: str) -> str:
    """The tornado's outcome for a perspective: the provider's NPV, else the buyer's."""
    return "provider_npv" if perspective == "provider" else "buyer_npv"


def risk_analysis(results: Results, perspective: str = "both", run_simulation: bool = True,
                  seed: int = EXPORT_SEED, simulation: SimulationResult | None = None,
                  ) -> RiskAnalysis:
    """The tornado of the perspective's outcome and, when `simulation` is None
    and `run_simulation` is true, a simulation of the same outcome with the
    default settings (the provider's NPV for the provider, else the buyer's)."""
    output = risk_output(perspective)
    scenario = results.scenario
    try:
        swing = tornado(scenario, output)
    except (KeyError, ValueError):
        swing = None
    note = ""
    if simulation is None and run_simulation:
        spec = default_spec(scenario, output=output, seed=seed)
        try:
            simulation = simulate(scenario, spec)
            note = (f"Simulated for this export: {spec.paths:,} paths, seed {spec.seed}, "
                    f"{len(spec.uncertainties)} inputs varied -20% / +20% (triangular).")
        except ValueError as error:   # terms the path engine does not model
            note = f"No simulation: {error}"
    elif simulation is not None:
        spec = simulation.spec
        note = (f"The simulation run in the app: {spec.paths:,} paths, seed {spec.seed}, "
                f"{len(spec.uncertainties)} inputs varied.")
    else:
        note = "No simulation: the tornado alone (the simulation was declined)."
    return RiskAnalysis(swing, simulation, note)


# --- the sections of each tab -----------------------------------------------------------

def _contract(p: PackInputs) -> list[Section]:
    r = p.results
    k, s = r.key_figures, r.schedule
    title = (f"The deal costs {_f('total_contract_value', k.total_contract_value)} over "
             f"{k.term_months} months; walking away on day one costs "
             f"{_f('walkaway_exposure', k.walkaway_exposure)}")
    sentences = (
        f"{r.scenario.contract.buyer} pays {_f('monthly_fee', s.monthly_fee[0])} a month to "
        f"start ({_f('annual_run_rate', k.annual_run_rate)} a year), "
        f"{_f('price_per_gpu_hour', k.price_per_gpu_hour)} and "
        f"{_f('price_per_mw_month', k.price_per_mw_month)}.",
        f"The payments are worth {_f('npv_payments', k.npv_payments)} today at the buyer's "
        f"discount rate.",
        "Walk-away exposure is what notice given that month costs: the fees for the notice "
        "days plus the termination fee.",
    )
    charts = (
        ChartSpec("payments", "Monthly payment and walk-away exposure", "$ per month", "money", (
            column_series("payment", s.payment, "bar", _c("sky")),
            column_series("walkaway_exposure", s.walkaway_exposure, "line", _c("vermillion")))),
        ChartSpec("cumulative", "Cumulative spend", "$", "money", (
            column_series("cumulative_payment", s.cumulative_payment, "line", _c("blue")),
            column_series("cumulative_payment_pv", s.cumulative_payment_pv, "line",
                          _c("green")))),
    )
    return [Section("contract", "Contract", title, sentences, charts)]


def _capacity(p: PackInputs) -> list[Section]:
    r = p.results
    k, s = r.key_figures, r.schedule
    over = k.facility_mw > k.contracted_mw + 1e-6
    title = (f"{_f('gpus', k.gpus)} draw {_f('facility_mw', k.facility_mw)} at the meter, "
             + ("more than" if over else "within") +
             f" the {_f('contracted_mw', k.contracted_mw)} contracted")
    sentences = (
        f"The fleet is {_f('h100_equivalents', k.h100_equivalents)} and delivers "
        f"{_f('gpu_hours_delivered', k.gpu_hours_delivered)} over the term.",
        f"IT power is {_f('fleet_it_mw', k.fleet_it_mw)}; at the meter (x PUE) "
        f"{_f('facility_mw', k.facility_mw)}.",
    )
    models = list(s.gpus_by_model)
    contracted = np.full(len(s), k.contracted_mw)
    charts = (
        ChartSpec("capacity", "GPUs online by model", "GPUs", "quantity", tuple(
            Series(model, s.gpus_by_model[model], "area",
                   OKABE_ITO[SERIES_ORDER[i % len(SERIES_ORDER)]])
            for i, model in enumerate(models))),
        ChartSpec("power", "Power against the contract", "MW", "quantity", (
            column_series("facility_mw_online", s.facility_mw_online, "line", _c("vermillion")),
            column_series("it_mw_online", s.it_mw_online, "line", _c("blue")),
            Series(figures.label("contracted_mw"), contracted, "line", _c("black")))),
    )
    return [Section("hardware", "Capacity", title, sentences, charts)]


def _unit_economics(p: PackInputs) -> list[Section]:
    r = p.results
    k, s = r.key_figures, r.schedule
    title = (f"Serving tokens costs {_f('cost_per_million_tokens', k.cost_per_million_tokens)} "
             f"against a price of {_f('token_price_per_million', k.token_price_per_million)}")
    short = np.flatnonzero(np.asarray(s.surplus_tokens_per_s) < 0)
    capacity = ("Capacity meets demand in every month." if short.size == 0 else
                f"Demand exceeds capacity in {k.shortfall_months} of {len(s)} months, from "
                f"month {int(short[0]) + 1} ({to_date(s.month_start[short[0]]):%b %Y}).")
    sentences = (
        f"To cover the invoices the buyer must charge "
        f"{_f('breakeven_token_price', k.breakeven_token_price)} on the tokens it serves.",
        capacity,
    )
    charts = (
        ChartSpec("unit_costs", "Unit costs over time", "$", "money", (
            column_series("price_per_gpu_hour", s.price_per_gpu_hour, "line", _c("blue")),
            column_series("price_per_h100e_hour", s.price_per_h100e_hour, "line", _c("sky")),
            column_series("cost_per_million_tokens", s.cost_per_million_tokens, "line",
                          _c("green")),
            column_series("breakeven_token_price", s.breakeven_token_price, "line",
                          _c("vermillion")))),
        ChartSpec("demand", "Token capacity against demand", "tokens per second", "quantity", (
            column_series("capacity_tokens_per_s", s.capacity_tokens_per_s, "line", _c("blue")),
            column_series("demand_tokens_per_s", s.demand_tokens_per_s, "line", _c("orange")))),
    )
    return [Section("projections", "Unit economics", title, sentences, charts)]


def _economics(p: PackInputs) -> list[Section]:
    r = p.results
    k, s = r.key_figures, r.schedule
    sections = []
    if _sees(p.perspective, "buyer"):
        sections.append(Section(
            "economics_buyer", "Buyer economics",
            f"The buyer's NPV is {_f('buyer_npv', k.buyer_npv)}: "
            f"{_f('buyer_revenue', k.buyer_revenue)} of token revenue against "
            f"{_f('total_contract_value', k.total_contract_value)} of invoices",
            (f"Gross margin over the term: {_f('buyer_margin', k.buyer_margin)}.",
             f"Tokens served: {_f('tokens_served', k.tokens_served)}, sold at "
             f"{_f('token_price_per_million', k.token_price_per_million)} at the start, "
             f"the price falling yearly."),
            (ChartSpec("buyer_pnl", "Buyer: token revenue against payments", "$ per month",
                       "money", (
                           column_series("buyer_revenue", s.buyer_revenue, "bar", _c("green")),
                           column_series("invoice", s.invoice, "line", _c("blue")),
                           column_series("buyer_margin", s.buyer_margin, "line",
                                         _c("orange")))),
             ChartSpec("buyer_cash", "Buyer: cumulative cash", "$", "money", (
                 column_series("buyer_cumulative_cash", s.buyer_cumulative_cash, "line",
                               _c("blue")),)))))
    if _sees(p.perspective, "provider"):
        irr = ("no IRR (capex sunk)" if k.provider_irr is None or not np.isfinite(k.provider_irr)
               else f"an IRR of {_f('provider_irr', k.provider_irr)}")
        payback = ("it never pays back" if k.provider_payback_month is None else
                   f"payback in {_f('provider_payback_month', k.provider_payback_month)}")
        sections.append(Section(
            "economics_provider", "Provider economics",
            f"The provider's NPV is {_f('provider_npv', k.provider_npv)}, with {irr} and "
            f"{payback}",
            (f"Revenue {_f('provider_revenue', k.provider_revenue)}, EBITDA "
             f"{_f('provider_ebitda', k.provider_ebitda)}, EBIT "
             f"{_f('provider_ebit', k.provider_ebit)} over the term.",
             f"Capex {_f('provider_capex', k.provider_capex)}; book value at the end "
             f"{_f('provider_book_value_at_end', k.provider_book_value_at_end)}."),
            (ChartSpec("provider_pnl", "Provider: monthly P&L", "$ per month", "money", (
                column_series("provider_revenue", s.provider_revenue, "bar", _c("blue")),
                column_series("provider_ebitda", s.provider_ebitda, "line", _c("green")),
                column_series("provider_ebit", s.provider_ebit, "line", _c("black")),
                column_series("depreciation", s.depreciation, "line", _c("purple")),
                column_series("power_cost", s.power_cost, "line", _c("vermillion")),
                column_series("opex", s.opex, "line", _c("orange")))),
             ChartSpec("provider_cash", "Provider: cumulative cash and book value", "$", "money", (
                 column_series("provider_cumulative_cash", s.provider_cumulative_cash, "line",
                               _c("blue")),
                 column_series("book_value", s.book_value, "line", _c("purple")))))))
    return sections


def _termination(p: PackInputs) -> list[Section]:
    r = p.results
    k, s = r.key_figures, r.schedule
    c = r.scenario.contract
    sentences = [
        f"Notice takes {c.notice_days} days; the termination fee is "
        f"{c.termination_fee_months:g} months of the fee in force; "
        f"the contract lets {c.terminating_party} end it.",
        f"Weighted by the monthly chances of termination, the contract is worth "
        f"{_f('expected_contract_value', k.expected_contract_value)}.",
    ]
    npv = []
    if _sees(p.perspective, "buyer"):
        npv.append(column_series("buyer_npv_if_ended", s.buyer_npv_if_ended, "line", _c("blue")))
    if _sees(p.perspective, "provider"):
        npv.append(column_series("provider_npv_if_ended", s.provider_npv_if_ended, "line",
                                 _c("orange")))
    charts = [ChartSpec("termination_cost", "Ending the deal: notice given at the start of each "
                        "month", "$", "money", (
                            column_series("termination_cost", s.termination_cost, "line",
                                          _c("vermillion")),
                            column_series("termination_saving", s.termination_saving, "line",
                                          _c("green"))))]
    charts.append(ChartSpec("npv_if_ended", "NPV if the deal ends there", "$", "money",
                            tuple(npv)))
    return [Section("termination", "Termination", walk_away_headline(r), tuple(sentences),
                    tuple(charts))]


def _crossing(month) -> str:
    return "never" if month is None else f"in {_f('build_crossover_month', month)}"


def _alternatives(p: PackInputs) -> list[Section]:
    r = p.results
    k, s = r.key_figures, r.schedule
    sections = [Section(
        "alternatives", "Alternatives",
        f"Renting the same compute would cost {_f('cloud_cost', k.cloud_cost)} and building it "
        f"{_f('build_cost', k.build_cost)}, against {_f('total_contract_value', k.total_contract_value)}",
        (f"The lease costs what renting does at a cloud rate of "
         f"{_f('breakeven_cloud_rate', k.breakeven_cloud_rate)}.",
         f"Its cumulative cost crosses renting's {_crossing(k.breakeven_month_vs_cloud)} and "
         f"building's {_crossing(k.build_crossover_month)}."),
        (ChartSpec("alternatives", "Cumulative cost of the same delivered compute", "$",
                   "money", (
                       column_series("cumulative_payment", s.cumulative_payment, "line",
                                     _c("blue")),
                       column_series("cumulative_cloud_cost", s.cumulative_cloud_cost, "line",
                                     _c("orange")),
                       column_series("cumulative_build_cost", s.cumulative_build_cost, "line",
                                     _c("green")))),))]
    if _sees(p.perspective, "buyer"):
        sections.append(Section(
            "lease", "Lease view",
            f"The lease liability is {_f('lease_liability', k.lease_liability)} over a lease "
            f"term of {_f('lease_term_months', k.lease_term_months)}",
            ("Present value of the lease term's payments at the incremental borrowing rate "
             "(indicative, not accounting advice).",),
            (ChartSpec("lease", "Lease liability and payments", "$", "money", (
                column_series("lease_payment", s.lease_payment, "bar", _c("sky")),
                column_series("lease_liability", s.lease_liability, "line", _c("blue")))),)))
    return sections


def _risk(p: PackInputs) -> list[Section]:
    """The tornado of the perspective's outcome, then the simulation (of the
    same outcome when the pack ran it; the app's own run otherwise).  The title
    states the chance of a loss when the simulated outcome is the
    perspective's; otherwise what moves the outcome most."""
    risk = p.risk
    charts: list[ChartSpec] = []
    sentences: list[str] = []
    title = ""
    sim = risk.simulation
    if sim is not None:
        name = figures.label(sim.spec.output)
        levels = ", ".join(f"P{q} {_f(sim.spec.output, sim.outcome_percentiles[q])}"
                           for q in PERCENTILES)
        spread = (f"{name} from {_f(sim.spec.output, sim.outcome_percentiles[5])} (P5) to "
                  f"{_f(sim.spec.output, sim.outcome_percentiles[95])} (P95)")
        if figures.below_zero_is_loss(sim.spec.output):
            title = f"A {format_percent(sim.probability_of_loss)} chance of a loss: {spread}"
            sentences.append(f"Simulated {name}: {levels}; a "
                             f"{format_percent(sim.probability_of_loss)} chance it is below zero.")
        else:   # a cost, a price or a count: below zero is not a loss
            title = f"Simulated {spread[0].lower() + spread[1:]}"
            sentences.append(f"Simulated {name}: {levels}.")
        edges, counts = histogram(sim.outcomes, bins=20)
        if counts.size:
            middles = (edges[:-1] + edges[1:]) / 2
            charts.append(ChartSpec(
                "histogram", f"Distribution of {name} over {sim.spec.paths:,} paths", "paths",
                "quantity", (Series("Paths", counts.astype(float), "bar", _c("sky")),),
                categories=tuple(_f(sim.spec.output, m) for m in middles)))
        if sim.cash_percentiles.size and len(sim.month_start):
            charts.append(ChartSpec(
                "fan", f"{sim.cash_label}: percentiles by month", "$", "money", tuple(
                    Series(f"P{q}", sim.cash_percentiles[i], "line",
                           OKABE_ITO[SERIES_ORDER[i % len(SERIES_ORDER)]])
                    for i, q in enumerate(PERCENTILES)),
                categories=tuple(to_date(d).strftime("%b %Y") for d in sim.month_start)))
    swing = risk.tornado
    rows = [row for row in swing.rows if row.swing > 0][:TORNADO_BARS] if swing else []
    if swing is not None and rows:
        moved = figures.label(swing.output)
        top = rows[0]
        base = swing.base_output
        finding = (f"{moved} moves most with {top.input.label.lower()}: from "
                   f"{_f(swing.output, top.low_output)} to {_f(swing.output, top.high_output)}")
        sentences.insert(0, f"{finding} with it 20% lower / higher.")
        if sim is None or sim.spec.output != swing.output:
            title = finding
        low, high = tornado_convention.changes(base, rows)   # as the app's Risk tab draws it
        charts.insert(0, ChartSpec(
            "tornado", f"{moved}: change with each input 20% lower / higher",
            f"Change in {moved} ($)", "money", (
                Series(tornado_convention.LOW_LABEL, low, "hbar",
                       _c(tornado_convention.LOW_COLOUR)),
                Series(tornado_convention.HIGH_LABEL, high, "hbar",
                       _c(tornado_convention.HIGH_COLOUR))),
            categories=tuple(tornado_convention.row_label(row) for row in rows)))
    if risk.note:
        sentences.append(risk.note)
    charts = [chart for chart in charts if chart.has_data()]
    if not charts:
        return []
    return [Section("risk", "Risk", title, tuple(sentences), tuple(charts))]


def _comparison(p: PackInputs) -> list[Section]:
    if not p.others:
        return []
    everything = (p.results, *p.others)
    comparison = compare([r.scenario for r in everything], list(everything))
    keys = ("total_contract_value", "npv_payments", "walkaway_exposure", "price_per_gpu_hour",
            "gpus", "facility_mw", "shortfall_months")
    rows = []
    for key in keys:
        row = comparison.row(key)
        rows.append((row.label, *(row.value_text(i) for i in range(len(everything)))))
    totals = [(r.key_figures.total_contract_value, r.scenario.name) for r in everything]
    low, high = min(totals), max(totals)
    title = (f"{len(everything)} scenarios: the deal costs from {_f('total_contract_value', low[0])} "
             f"({low[1]}) to {_f('total_contract_value', high[0])} ({high[1]})")
    # On the calendar, not by month number: each scenario in its own months.
    months, paid = on_common_months(everything, "cumulative_payment")
    chart = ChartSpec(
        "comparison", "Cumulative payments by scenario", "$", "money", tuple(
            Series(r.scenario.name, paid[i], "line",
                   OKABE_ITO[SERIES_ORDER[i % len(SERIES_ORDER)]])
            for i, r in enumerate(everything)),
        categories=months)
    return [Section("compare", "Comparison", title,
                    (f"Differences are against {p.results.scenario.name}.",), (chart,),
                    (Table("Key figures by scenario",
                           ("Figure", *(r.scenario.name for r in everything)), tuple(rows)),))]


def pack_sweep(p: PackInputs) -> SweepSpec:
    """The two-way table the pack shows: the one given, else the default for
    the perspective; at most PACK_STEPS values each way."""
    spec = p.sweep or default_sweep(p.results.scenario, risk_output(p.perspective))
    return spec.with_steps_at_most(PACK_STEPS)


def _two_way(p: PackInputs) -> list[Section]:
    """The two-way table: a heat map with the base case and the threshold's
    contour, its finding as the title, and its numbers (thinned to fit)."""
    scenario = p.results.scenario
    wanted = p.sweep or default_sweep(scenario, risk_output(p.perspective))
    spec = pack_sweep(p)
    try:
        grid = spec.grid(scenario)
    except SolveError:
        return []
    title, sentences = finding(scenario, spec, grid)
    if (spec.x.steps, spec.y.steps) != (wanted.x.steps, wanted.y.steps):
        sentences.append(f"Shown at {spec.x.steps} x {spec.y.steps} values (the app's table "
                         f"has {wanted.x.steps} x {wanted.y.steps}).")
    if p.sweep is None:
        sentences.append("No two-way table was set up in the app: this is its default.")
    headers, rows, thinned = table_rows(grid)
    name = figures.label(grid.figure)
    table_title = (f"{name} at {len(headers) - 1} x {len(rows)} of the grid's values"
                   if thinned else name)
    heat = heat_map(grid)
    return [Section("two_way", "Two-way table", title, tuple(sentences), (),
                    (Table(table_title, headers, rows),), (heat,))]


# Each registry tab key's story; a tab with none (Solve & sweep) is not in the pack.
def _market(p: PackInputs) -> list[Section]:
    """The contract against the market curve, each side's mark-to-market, and
    each side's right to walk valued on the simulated market (core/rights.py,
    the full path count and the default seed, stated)."""
    from core import rights
    r = p.results
    k, s = r.key_figures, r.schedule
    valued = rights.value_rights(r.scenario)
    v = valued.key_figures()
    times = 1 + k.contract_premium_over_market_pct / 100 if np.isfinite(
        k.contract_premium_over_market_pct) else float("nan")
    title = (f"The deal pays {times:.1f}x the market rent; the buyer's right to walk is worth "
             f"{_f('buyer_termination_right_value', v['buyer_termination_right_value'])}")
    if p.perspective == "provider":
        title = (f"The deal pays {times:.1f}x the market rent; the provider's right to walk is "
                 f"worth {_f('provider_termination_right_value', v['provider_termination_right_value'])}")
    sentences = (
        f"The contract's {_f('price_per_gpu_hour', k.price_per_gpu_hour)} against a market rent "
        f"of {_f('market_rent_per_gpu_hour', k.market_rent_per_gpu_hour)} (each model's forward "
        f"rent, by its hours; rents labelled, dated and sourced in the assumptions).",
        f"Marked to the market, the buyer's side is worth "
        f"{_f('buyer_mark_to_market', k.buyer_mark_to_market)} and the provider's "
        f"{_f('provider_mark_to_market', k.provider_mark_to_market)}.",
        f"With both rights held and the first to give notice ending the deal, the buyer walks "
        f"on {_f('buyer_exercise_probability', v['buyer_exercise_probability'])} of simulated "
        f"paths and the provider on "
        f"{_f('provider_exercise_probability', v['provider_exercise_probability'])}.",
        f"Least-squares Monte Carlo on {valued.paths:,} simulated market paths, seed "
        f"{valued.seed}: log rent mean-reverting about the forward curve with "
        f"{r.scenario.market.rent_vol_pct:g}% volatility (an assumption).",
    )
    charts = (
        ChartSpec("market_price", "The contract's price per GPU-hour against the market",
                  "$/GPU-hour", "money", (
                      column_series("price_per_gpu_hour", s.price_per_gpu_hour, "line",
                                    _c("blue")),
                      column_series("market_rent_per_gpu_hour", s.market_rent_per_gpu_hour,
                                    "line", _c("orange")))),
        ChartSpec("market_mtm", "Cumulative mark-to-market (buyer's)", "$", "money", (
            column_series("cumulative_buyer_mtm", s.cumulative_buyer_mtm, "line",
                          _c("vermillion")),)),
    )
    table = Table("The rights to walk (simulated)", ("Figure", "Value"), tuple(
        (figures.label(key), figures.format_value(key, value)) for key, value in v.items()))
    return [Section("market", "Market", title, sentences, charts, (table,))]


BUILDERS: dict[str, Callable[[PackInputs], list[Section]]] = {
    "contract": _contract,
    "hardware": _capacity,
    "projections": _unit_economics,
    "economics": _economics,
    "termination": _termination,
    "alternatives": _alternatives,
    "market": _market,
    "risk": _risk,
    "compare": _comparison,
}


def summary_section(p: PackInputs) -> Section:
    r = p.results
    who = {"buyer": f"for {r.scenario.contract.buyer}, the buyer",
           "provider": f"for {r.scenario.contract.provider}, the provider",
           "both": "for both sides"}[p.perspective]
    return Section("summary", "Executive summary", f"Executive summary {who}", tuple(
        f.text for f in executive_summary(r, p.perspective, p.risk.simulation)))


def warnings_section(p: PackInputs) -> Section:
    warnings = p.results.warnings
    title = ("No warnings: power is within the contract and capacity meets demand"
             if not warnings else
             f"{len(warnings)} warning{'s' if len(warnings) > 1 else ''} for the board")
    return Section("warnings", "Warnings", title, tuple(warnings))


def assumptions_sections(p: PackInputs) -> list[Section]:
    scenario = p.results.scenario
    # The unit in a column of its own; money keeps its "$" in the value.
    rows = tuple((section_title(a.section), a.label,
                  a.display if a.unit in ("", "$") else display_value(a.value, "", a.kind),
                  a.unit or "\u2014")
                 for a in scalar_assumptions(scenario))
    tables = [Table("Inputs", ("Section", "Parameter", "Value", "Unit"), rows)]
    for table in record_tables(scenario):
        headers = tuple(f"{label} ({unit})" if unit and unit != "$" else label
                        for label, unit in zip(table.columns, table.units))
        body = tuple(tuple(display_value(v, u, k) for v, u, k in
                           zip(row, table.units, table.kinds)) for row in table.rows)
        tables.append(Table(table.title, headers, body))
    return [Section("assumptions", "Assumptions",
                    f"Every assumption with its unit ({len(rows)} inputs)", (), (),
                    tuple(tables))]


def board_pack(inputs: PackInputs, tab_keys: Sequence[str]) -> list[Section]:
    """The sections in order: summary, each tab's story (tab_keys, the
    registry's exported tabs in order), warnings, assumptions.  No chart is
    empty: a chart with no finite point is left out."""
    if inputs.perspective not in PERSPECTIVES:
        raise ValueError(f"perspective must be one of {', '.join(PERSPECTIVES)}")
    sections = [summary_section(inputs)]
    for key in tab_keys:
        builder = BUILDERS.get(key)
        if builder is None:
            continue
        sections += builder(inputs)
    sections += _two_way(inputs)
    sections.append(warnings_section(inputs))
    sections += assumptions_sections(inputs)
    return [dataclasses.replace(
        s, charts=tuple(c for c in s.charts if c.has_data() and len(c.series)))
        for s in sections]


def chart_categories(results: Results, chart: ChartSpec) -> list[str]:
    """The chart's category labels: its own, or one a month."""
    return list(chart.categories) if chart.categories is not None else month_labels(results)


def format_axis_value(chart: ChartSpec, value: float) -> str:
    """A value-axis tick: money or quantity, as every view writes it."""
    return format_by("money" if chart.value_kind == "money" else "number", value)
