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
from core.export.key_figures import headline_figures
from core.finance import discount_factors
from core.formatting import format_by
from core.monte_carlo import (MARKET_KEY, PERCENTILES, SimulationResult, default_spec,
                              histogram, simulate)
from core.palette import OKABE_ITO, SERIES_ORDER
from core.risk import Tornado, tornado
from core.solve import SolveError, numeric_input
from core import tornado_convention
from core.summary import (PERSPECTIVES, executive_summary, input_value_text, risk_statement,
                          undefined_reason, walk_away_headline, who_may_end)
from core.sweep import SweepSpec
from core.sweep import default_spec as default_sweep
from core.termination import rows_basis, typed_chances

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


def _number(value) -> float:
    """A figure as a float; None (not defined) as NaN."""
    return float("nan") if value is None else float(value)


def _c(name: str) -> str:
    return OKABE_ITO[name]


def _sees(perspective: str, side: str) -> bool:
    return perspective == "both" or side in ("both", perspective)


def figure_fits(perspective: str, key: str) -> bool:
    """Whether the figure `key` belongs in `perspective`'s pack (its side's or both's)."""
    return _sees(perspective, figures.output(key).side)


# A side's figure when its NPV is not defined (the buyer's, when its revenue
# is not modelled): what the side pays or earns, which always is.
DEFINED_INSTEAD = {"buyer_npv": "npv_payments", "provider_npv": "provider_ebitda"}


def risk_output(perspective: str, results: Results | None = None) -> str:
    """The tornado's and the simulation's outcome for a perspective: the
    provider's NPV, else the buyer's; given results in which that NPV is n/a,
    the side's defined figure instead (DEFINED_INSTEAD)."""
    output = "provider_npv" if perspective == "provider" else "buyer_npv"
    if results is not None:
        value = getattr(results.key_figures, output)
        if value is None or not np.isfinite(value):
            return DEFINED_INSTEAD[output]
    return output


def _provider(p: "PackInputs") -> bool:
    """The provider's pack alone: its own story on every page."""
    return p.perspective == "provider"


def risk_analysis(results: Results, perspective: str = "both", run_simulation: bool = True,
                  seed: int = EXPORT_SEED, simulation: SimulationResult | None = None,
                  ) -> RiskAnalysis:
    """The tornado of the perspective's outcome and, when `simulation` is None
    and `run_simulation` is true, a simulation of the same outcome with the
    default settings (the provider's NPV for the provider, else the buyer's)."""
    output = risk_output(perspective, results)
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
            market = [u for u in spec.uncertainties if u.key == MARKET_KEY]
            swings = len(spec.uncertainties) - len(market)
            note = (f"Simulated for this export: {spec.paths:,} paths, seed {spec.seed}, "
                    f"the {swings} inputs with the largest swings varied -20% / +20%"
                    + (f" and the market's yearly rent change {market[0].low:+.1f}% to "
                       f"{market[0].high:+.1f}% a year (its volatility over the square root of "
                       f"the term's years)" if market else "") + " (triangular).")
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

def _provider_contract(p: PackInputs) -> list[Section]:
    """The contract as the provider reads it: what it bills, and who may end it."""
    r = p.results
    k, s = r.key_figures, r.schedule
    c = r.scenario.contract
    title = (f"The deal bills {_f('total_contract_value', k.total_contract_value)} over "
             f"{k.term_months} months to {c.buyer}")
    sentences = (
        f"{c.provider} bills {_f('monthly_fee', s.monthly_fee[0])} a month to start "
        f"({_f('annual_run_rate', k.annual_run_rate)} a year), "
        f"{_f('price_per_gpu_hour', k.price_per_gpu_hour)} and "
        f"{_f('price_per_mw_month', k.price_per_mw_month)}.",
        f"The contract lets {who_may_end(r.scenario)} end it on {c.notice_days} days' notice; "
        f"weighted by the monthly chances of that typed as inputs "
        f"{_typed_chances_clause(r.scenario)}, it bills "
        f"{_f('expected_contract_value', k.expected_contract_value)}.",
    )
    charts = (
        ChartSpec("invoices", "Monthly invoice", "$ per month", "money", (
            column_series("invoice", s.invoice, "bar", _c("sky")),)),
        ChartSpec("cumulative_invoices", "Invoices to date", "$", "money", (
            Series("Invoices to date", np.cumsum(np.asarray(s.invoice, dtype=float)), "line",
                   _c("blue")),)),
    )
    return [Section("contract", "Contract", title, sentences, charts)]


def _contract(p: PackInputs) -> list[Section]:
    if _provider(p):
        return _provider_contract(p)
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
        # A flow a month on its own axis; the exposure, a stock (what leaving costs
        # at any moment), beside the other stocks, never on a "$ per month" axis.
        ChartSpec("payments", "Monthly payment", "$ per month", "money", (
            column_series("payment", s.payment, "bar", _c("sky")),)),
        ChartSpec("cumulative", "Cumulative spend and walk-away exposure", "$", "money", (
            column_series("cumulative_payment", s.cumulative_payment, "line", _c("blue")),
            column_series("cumulative_payment_pv", s.cumulative_payment_pv, "line",
                          _c("green")),
            column_series("walkaway_exposure", s.walkaway_exposure, "line",
                          _c("vermillion")))),
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
    """The cost of serving tokens: the buyer's business (none in the provider's pack)."""
    if _provider(p):
        return []
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
        # One unit an axis: $ per GPU-hour and $ per million tokens are not one "$".
        ChartSpec("unit_costs", "Price per GPU-hour over time", "$ per GPU-hour", "money", (
            column_series("price_per_gpu_hour", s.price_per_gpu_hour, "line", _c("blue")),
            column_series("price_per_h100e_hour", s.price_per_h100e_hour, "line",
                          _c("sky")))),
        ChartSpec("token_costs", "Token costs over time", "$ per million tokens", "money", (
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
    if _sees(p.perspective, "buyer") and not np.isfinite(_number(k.buyer_npv)):
        sections.append(Section(
            "economics_buyer", "Buyer economics",
            f"The buyer's NPV is not stated: {undefined_reason(r.scenario, 'buyer_npv')}",
            (f"Its payments are worth {_f('npv_payments', k.npv_payments)} today at its "
             f"discount rate; {_f('total_contract_value', k.total_contract_value)} over the "
             f"term.",)))
    elif _sees(p.perspective, "buyer"):
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
                # Light bars under the lines: EBITDA runs just below revenue and was
                # lost against dark bars.
                column_series("provider_revenue", s.provider_revenue, "bar", _c("sky")),
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


def provider_npv_if_provider_ends(results: Results) -> np.ndarray:
    """The provider's NPV if it gives notice on each month's first day: as
    if the buyer had (the column provider_npv_if_ended) less the termination
    fee, which only the buyer's early notice pays (core/termination.py)."""
    s = results.schedule
    c = results.scenario.contract
    ended = np.asarray(s.provider_npv_if_ended, dtype=float)
    if len(s) == 0:
        return ended
    fee = c.termination_fee_months * np.asarray(s.monthly_fee, dtype=float)
    end = np.asarray(s.termination_end_date)
    early = end < end[-1] if len(end) else np.zeros(0, dtype=bool)
    early[-1] = False
    factors = discount_factors(np.asarray(s.month_start), c.start_date,
                               c.provider_wacc_pct / 100.0)
    return ended - np.where(early, fee, 0.0) * factors


def _provider_termination(p: PackInputs) -> list[Section]:
    """What the provider keeps if the deal ends early: its NPV if the buyer
    ends it (the fee paid) and if the provider does (no fee), against the
    full term."""
    from core.summary import walk_away_month
    from core.termination import party_may_end
    r = p.results
    k, s = r.key_figures, r.schedule
    c = r.scenario.contract
    month = walk_away_month(r)
    full = k.provider_npv
    by_buyer = float(s.provider_npv_if_ended[month])
    own = provider_npv_if_provider_ends(r)
    by_provider = float(own[month])
    when = f"month {month}"
    buyer_may = party_may_end(r.scenario, "buyer")
    provider_may = party_may_end(r.scenario, "provider")
    fee = c.termination_fee_months > 0
    if buyer_may:
        change = by_buyer - full
        who = "the buyer ends the deal" if fee else "the deal ends"
        title = (f"If {who} at {when}, the provider's NPV is "
                 f"{_f('provider_npv', by_buyer)}: {_f('provider_npv', abs(change))} "
                 f"{'less' if change < 0 else 'more'} than the full term's")
    else:
        title = (f"The buyer cannot end the deal: the provider's NPV is "
                 f"{_f('provider_npv', full)} for the full term")
    sentences = [
        f"Notice takes {c.notice_days} days; the contract lets {who_may_end(r.scenario)} end it; "
        + (f"the buyer's early notice pays a termination fee of "
           f"{c.termination_fee_months:g} months of the fee in force." if fee else
           "there is no termination fee, so it makes no difference to the provider who "
           "gives notice."),
    ]
    if provider_may and fee:
        sentences.append(f"If the provider itself ends it at {when} (no fee), its NPV is "
                         f"{_f('provider_npv', by_provider)}.")
    sentences.append(f"Notice at {when} is given on "
                     f"{_f('month_start', s.month_start[month])}: the month set by "
                     f"\"Cost of ending: notice after\".")
    series = []
    if buyer_may or (provider_may and not fee):
        name = "Provider NPV if the buyer ends it" if fee else "Provider NPV if the deal ends then"
        series.append(Series(name, np.asarray(s.provider_npv_if_ended, dtype=float), "line",
                             _c("orange"), "provider_npv_if_ended"))
    if provider_may and fee:
        series.append(Series("Provider NPV if the provider ends it", own, "line", _c("blue")))
    series.append(Series("Provider NPV over the full term", np.full(len(s), float(full)),
                         "line", _c("black")))
    charts = (ChartSpec("npv_if_ended", "The provider's NPV if the deal ends that month", "$",
                        "money", tuple(series)),)
    return [Section("termination", "Termination", title, tuple(sentences), charts)]


def _typed_chances_clause(scenario) -> str:
    """Which chances the expected contract value (typed chances) used."""
    buyer, provider = typed_chances(scenario)
    if buyer == 0 and provider == 0:
        return "(none is typed, so it is the total)"
    return f"(the buyer's {buyer:g}% and the provider's {provider:g}% a month)"


def _termination(p: PackInputs) -> list[Section]:
    if _provider(p):
        return _provider_termination(p)
    r = p.results
    k, s = r.key_figures, r.schedule
    c = r.scenario.contract
    sentences = [
        f"Notice takes {c.notice_days} days; the termination fee is "
        f"{c.termination_fee_months:g} months of the fee in force; "
        f"the contract lets {who_may_end(r.scenario)} end it.",
        rows_basis(r.scenario),
        f"Weighted by the monthly chances of termination typed as inputs "
        f"{_typed_chances_clause(r.scenario)}, the contract is worth "
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


def _provider_alternatives(p: PackInputs) -> list[Section]:
    """The provider's alternative: the same capacity rented out at market."""
    r = p.results
    k, s = r.key_figures, r.schedule
    rent = float(np.sum(s.provider_market_rent))
    title = (f"The deal bills {_f('total_contract_value', k.total_contract_value)} against "
             f"{_f('provider_market_rent', rent)} for the same capacity rented at market")
    sentences = (
        f"{figures.label('provider_market_rent')}: the delivered H100e-hours at the cloud rate "
        f"the scenario assumes.",
        f"{figures.label('provider_economic_profit')} over the term (EBITDA less the "
        f"capacity's other use): {_f('provider_economic_profit', k.provider_economic_profit)}.",
    )
    chart = ChartSpec("market_rent", "The deal's invoices against market rent", "$ per month",
                      "money", (
                          column_series("invoice", s.invoice, "bar", _c("sky")),
                          column_series("provider_market_rent", s.provider_market_rent, "line",
                                        _c("orange"))))
    return [Section("alternatives", "Alternatives", title, sentences, (chart,))]


def _alternatives(p: PackInputs) -> list[Section]:
    if _provider(p):
        return _provider_alternatives(p)
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
    same outcome when the pack ran it; the app's own run otherwise).  The
    title and sentences are what the simulation supports
    (core.summary.risk_statement): no range or chance for an n/a figure, a
    chance of a loss only where one is possible under what was varied."""
    risk = p.risk
    charts: list[ChartSpec] = []
    sentences: list[str] = []
    title = ""
    sim = risk.simulation
    scenario = p.results.scenario
    wanted = risk_output(p.perspective)
    if wanted != risk_output(p.perspective, p.results):
        sentences.append(f"{figures.label(wanted)} is not defined here, so the risk is shown "
                         f"on {figures.label(risk_output(p.perspective, p.results))}.")
    if sim is not None:
        statement = risk_statement(scenario, sim)
        name = figures.label(sim.spec.output)
        title = statement.headline
        sentences += statement.sentences
        edges, counts = histogram(sim.outcomes, bins=20)
        if statement.defined and counts.size:
            middles = (edges[:-1] + edges[1:]) / 2
            charts.append(ChartSpec(
                "histogram", f"Distribution of {name} over {sim.spec.paths:,} paths", "paths",
                "quantity", (Series("Paths", counts.astype(float), "bar", _c("sky")),),
                categories=tuple(_f(sim.spec.output, m) for m in middles)))
        if statement.defined and sim.cash_percentiles.size and len(sim.month_start):
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
    elif swing is not None:
        sentences.insert(0, f"No input moves {figures.label(swing.output)} here: the tornado "
                            f"has no bars.")
    if risk.note:
        sentences.append(risk.note)
    charts = [chart for chart in charts if chart.has_data()]
    if not charts and not sentences:
        return []
    return [Section("risk", "Risk", title or "Risk", tuple(sentences), tuple(charts))]


# The figures the comparison table holds, for each perspective.
COMPARED = {
    "both": ("total_contract_value", "npv_payments", "walkaway_exposure", "price_per_gpu_hour",
             "gpus", "facility_mw", "shortfall_months"),
    "buyer": ("total_contract_value", "npv_payments", "walkaway_exposure", "buyer_npv",
              "price_per_gpu_hour", "gpus", "facility_mw", "shortfall_months"),
    "provider": ("total_contract_value", "provider_npv", "provider_ebitda",
                 "provider_economic_profit", "price_per_gpu_hour", "gpus", "facility_mw"),
}


def _comparison(p: PackInputs) -> list[Section]:
    if not p.others:
        return []
    everything = (p.results, *p.others)
    comparison = compare([r.scenario for r in everything], list(everything))
    keys = COMPARED[p.perspective]
    rows = []
    for key in keys:
        row = comparison.row(key)
        rows.append((row.label, *(row.value_text(i) for i in range(len(everything)))))
    totals = [(r.key_figures.total_contract_value, r.scenario.name) for r in everything]
    low, high = min(totals), max(totals)
    title = (f"{len(everything)} scenarios: the deal {'bills' if _provider(p) else 'costs'} from {_f('total_contract_value', low[0])} "
             f"({low[1]}) to {_f('total_contract_value', high[0])} ({high[1]})")
    # On the calendar, not by month number: each scenario in its own months.
    column = "provider_cumulative_cash" if _provider(p) else "cumulative_payment"
    months, paid = on_common_months(everything, column)
    chart = ChartSpec(
        "comparison", f"{figures.label(column)} by scenario", "$", "money", tuple(
            Series(r.scenario.name, paid[i], "line",
                   OKABE_ITO[SERIES_ORDER[i % len(SERIES_ORDER)]])
            for i, r in enumerate(everything)),
        categories=months)
    return [Section("compare", "Comparison", title,
                    (f"Differences are against {p.results.scenario.name}.",), (chart,),
                    (Table("Key figures by scenario",
                           ("Figure", *(r.scenario.name for r in everything)), tuple(rows)),))]


def wanted_sweep(p: PackInputs) -> SweepSpec:
    """The app's two-way table when its figure is the perspective's (or both
    sides'); else the perspective's default (its NPV)."""
    if p.sweep is not None and figure_fits(p.perspective, p.sweep.figure):
        return p.sweep
    spec = default_sweep(p.results.scenario, risk_output(p.perspective, p.results))
    if not figures.below_zero_is_loss(spec.figure):    # a cost: zero is no threshold
        spec = dataclasses.replace(spec, threshold=None)
    return spec


def pack_sweep(p: PackInputs) -> SweepSpec:
    """The two-way table the pack shows (wanted_sweep), at most PACK_STEPS
    values each way."""
    return wanted_sweep(p).with_steps_at_most(PACK_STEPS)


def _two_way(p: PackInputs) -> list[Section]:
    """The two-way table: a heat map with the base case and the threshold's
    contour, its finding as the title, and its numbers (thinned to fit)."""
    scenario = p.results.scenario
    wanted = wanted_sweep(p)
    spec = pack_sweep(p)
    try:
        grid = spec.grid(scenario)
    except SolveError:
        return []
    if not np.isfinite(grid.values).any():
        # Nothing defined: one line saying why, not a grey map and a table of n/a.
        name = figures.label(spec.figure)
        return [Section("two_way", "Two-way table",
                        f"{name} is not defined over the two-way table",
                        (f"{name} is n/a in every cell of {numeric_input(spec.x.input).label.lower()}"
                         f" x {numeric_input(spec.y.input).label.lower()}"
                         + f": {undefined_reason(scenario, spec.figure)}.",))]
    title, sentences = finding(scenario, spec, grid)
    if (spec.x.steps, spec.y.steps) != (wanted.x.steps, wanted.y.steps):
        sentences.append(f"Shown at {spec.x.steps} x {spec.y.steps} values (the app's table "
                         f"has {wanted.x.steps} x {wanted.y.steps}).")
    if wanted is not p.sweep:
        sentences.append(f"{figures.label(spec.figure)} over "
                         f"{numeric_input(spec.x.input).label.lower()} and "
                         f"{numeric_input(spec.y.input).label.lower()}, each from half to one "
                         f"and a half times its value.")
    headers, rows, thinned = table_rows(grid)
    name = figures.label(grid.figure)
    table_title = (f"{name} at {len(headers) - 1} x {len(rows)} of the grid's values"
                   if thinned else name)
    heat = heat_map(grid)
    return [Section("two_way", "Two-way table", title, tuple(sentences), (),
                    (Table(table_title, headers, rows),), (heat,))]


def _cases(p: PackInputs) -> list[Section]:
    """The scenario's named cases side by side with the weighted figure
    (core/cases.py); none when the scenario has no cases."""
    from core.cases import CASE_FIGURES, case_table, describe
    scenario = p.results.scenario
    if not scenario.cases:
        return []
    try:
        table = case_table(scenario, CASE_FIGURES[p.perspective])
    except ValueError as error:     # a case the model refuses (a ParameterError)
        return [Section("cases", "Cases", "The named cases cannot be computed", (str(error),))]
    headline = risk_output(p.perspective, p.results)
    if headline not in table.keys:
        headline = table.keys[1]
    weighted = table.weighted[headline]
    title = (f"Weighted over its {len(table.names)} cases, {figures.label(headline)} is "
             f"{_f(headline, weighted)}" if np.isfinite(weighted) else
             f"{figures.label(headline)} in each of the {len(table.names)} cases")
    sentences = tuple(f"{case.name} ({case.weight_pct:g}%): {describe(case)}."
                      for case in scenario.cases)
    total = sum(table.weights)
    sentences += (f"The weighted figure is the sum of weight x figure over the cases, divided "
                  f"by the weights' sum ({total:g}%).",)
    headers = ("Figure", *(f"{name} ({w:g}%)" for name, w in zip(table.names, table.weights)),
               "Weighted")
    return [Section("cases", "Cases", title, sentences, (),
                    (Table("Figures by case", headers, tuple(table.rows())),))]


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
    if p.perspective == "provider":
        mtm_sentence = (f"Marked to the market, the provider's side is worth "
                        f"{_f('provider_mark_to_market', k.provider_mark_to_market)}.")
    elif p.perspective == "buyer":
        mtm_sentence = (f"Marked to the market, the buyer's side is worth "
                        f"{_f('buyer_mark_to_market', k.buyer_mark_to_market)}.")
    else:
        mtm_sentence = (f"Marked to the market, the buyer's side is worth "
                        f"{_f('buyer_mark_to_market', k.buyer_mark_to_market)} and the "
                        f"provider's {_f('provider_mark_to_market', k.provider_mark_to_market)}.")
    sentences = (
        f"The contract's {_f('price_per_gpu_hour', k.price_per_gpu_hour)} against a market rent "
        f"of {_f('market_rent_per_gpu_hour', k.market_rent_per_gpu_hour)} (each model's forward "
        f"rent, by its hours; rents labelled, dated and sourced in the assumptions).",
        mtm_sentence,
        f"With both rights held and the first to give notice ending the deal, the buyer walks "
        f"on {_f('buyer_exercise_probability', v['buyer_exercise_probability'])} of simulated "
        f"paths and the provider on "
        f"{_f('provider_exercise_probability', v['provider_exercise_probability'])}.",
        f"On those paths the buyer expects to pay "
        f"{_f('expected_contract_value_rights', v['expected_contract_value_rights'])} (expected "
        f"contract value, simulated rights), against "
        f"{_f('expected_contract_value', k.expected_contract_value)} weighted by the typed "
        f"monthly chances {_typed_chances_clause(r.scenario)}.",
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
        # The side's own: the provider's is the negative of the buyer's.
        ChartSpec("market_mtm", "Cumulative mark-to-market (the provider's)", "$", "money", (
            Series("Cumulative provider's mark-to-market",
                   -np.asarray(s.cumulative_buyer_mtm, dtype=float), "line", _c("vermillion")),))
        if p.perspective == "provider" else
        ChartSpec("market_mtm", "Cumulative mark-to-market (the buyer's)", "$", "money", (
            column_series("cumulative_buyer_mtm", s.cumulative_buyer_mtm, "line",
                          _c("vermillion")),)),
    )
    table = Table("The rights to walk (simulated)", ("Figure", "Value"), tuple(
        (figures.label(key), figures.format_value(key, value)) for key, value in v.items()
        if key not in figures.KEY_FIGURES or figure_fits(p.perspective, key)))
    return [Section("market", "Market", title, sentences, charts, (table,))]


def _credit(p: PackInputs) -> list[Section]:
    """Counterparty credit (core/credit.py): what the other side's default would
    cost this side, month by month, and its expected loss."""
    from core import credit
    r = p.results
    if getattr(r, "credit", None) is None:
        return []
    title, sentences = credit.finding(r, p.perspective)
    series = [(side, key) for side, key in (("buyer", "buyer_credit_exposure"),
                                            ("provider", "provider_credit_exposure"))
              if _sees(p.perspective, side)]
    chart = ChartSpec("credit_exposure", "What a default in the month would cost", "$",
                      "money", tuple(
                          Series(figures.label(key), np.asarray(r.credit_by_month[key], float),
                                 "line", _c("blue" if side == "buyer" else "orange"))
                          for side, key in series))
    return [Section("credit", "Credit", title, tuple(sentences), (chart,))]


BUILDERS: dict[str, Callable[[PackInputs], list[Section]]] = {
    "contract": _contract,
    "hardware": _capacity,
    "projections": _unit_economics,
    "economics": _economics,
    "termination": _termination,
    "alternatives": _alternatives,
    "market": _market,
    "credit": _credit,
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


RISKS_ON_THE_PAGE = 3     # the largest tornado swings on the deal's page


def _input(key: str, scenario) -> str:
    declared = numeric_input(key)
    return input_value_text(declared, declared.current(scenario))


def term_sheet(p: PackInputs) -> Table:
    """Parties, term, price, capacity and rights, as the contract states them."""
    r = p.results
    c, hw = r.scenario.contract, r.scenario.hardware
    k, s = r.key_figures, r.schedule
    end = to_date(s.month_start[-1]) if len(s) else c.start_date
    escalator = (f", rising {_input('contract.escalator_pct', r.scenario)} a year"
                 if c.escalator_pct else "")
    fee_text = (f"{_f('monthly_fee', s.monthly_fee[0])} a month{escalator}" if len(s) else
                _input("contract.monthly_fee", r.scenario))
    fee = (f"{c.termination_fee_months:g} months' fee on early notice"
           if c.termination_fee_months else "no termination fee")
    rows = (
        ("Buyer (lessee)", c.buyer),
        ("Provider (lessor)", c.provider),
        ("Term", f"{c.term_months} months, {c.start_date:%b %Y} to {end:%b %Y}"),
        ("Price", f"{fee_text}; {_f('price_per_gpu_hour', k.price_per_gpu_hour)}, "
                  f"{_f('total_contract_value', k.total_contract_value)} in all"),
        ("Capacity", f"{_f('gpus', k.gpus)} ({_f('h100_equivalents', k.h100_equivalents)}); "
                     f"{_f('contracted_mw', k.contracted_mw)} contracted"),
        ("Rights", f"{who_may_end(r.scenario)[0].upper()}{who_may_end(r.scenario)[1:]} may "
                   f"end it on {c.notice_days} days' notice ({fee})"),
        ("Service level", f"{_input('contract.sla_availability_pct', r.scenario)} availability; "
                          f"credits up to {_input('contract.service_credit_cap_pct', r.scenario)}"),
    )
    return Table("Term sheet", ("Term", "As agreed"), rows)


def largest_risks(p: PackInputs) -> Table | None:
    """The inputs whose -20% / +20% move the side's figure most, with the size."""
    swing = p.risk.tornado
    if swing is None:
        return None
    rows = [row for row in swing.rows if row.swing > 0][:RISKS_ON_THE_PAGE]
    if not rows:
        return None
    name = figures.label(swing.output)
    declared = [numeric_input(row.input.key) for row in rows]
    return Table(f"Largest risks to {name}", ("Input", "-20% / +20%", f"{name} moves"),
                 tuple((row.input.label,
                        f"{input_value_text(d, row.low_input)} / "
                        f"{input_value_text(d, row.high_input)}",
                        f"{_f(swing.output, row.low_output)} / "
                        f"{_f(swing.output, row.high_output)} "
                        f"({_f(swing.output, row.swing)} swing)")
                       for row, d in zip(rows, declared)))


def _assumes(p: PackInputs) -> tuple[str, ...]:
    """What the figures assume, for the side, in a few short lines."""
    sc = p.results.scenario
    lines = []
    if _sees(p.perspective, "buyer"):
        lines.append(f"Buyer's discount rate {_input('contract.discount_rate_pct', sc)}; tokens "
                     f"sold at {_input('projections.token_price_per_million', sc)} falling "
                     f"{_input('projections.token_price_decline_pct_per_year', sc)}; "
                     f"utilization {_input('hardware.utilization_pct', sc)}.")
    if _sees(p.perspective, "provider"):
        capex = ("sunk (the capacity exists)" if sc.hardware.capex_treatment == "sunk"
                 else "bought for the deal")
        lines.append(f"Provider's WACC {_input('contract.provider_wacc_pct', sc)}; capex "
                     f"{capex}; power {_input('hardware.power_price_per_mwh', sc)} at PUE "
                     f"{_input('hardware.pue', sc)}.")
    c = sc.contract
    lines.append(f"Monthly chance of termination: buyer "
                 f"{_input('contract.buyer_termination_prob_pct', sc)}, provider "
                 f"{_input('contract.provider_termination_prob_pct', sc)}; availability "
                 f"{_input('hardware.availability_pct', sc)}.")
    lines.append("Indicative figures from the model, not accounting advice; every input "
                 "is listed under Assumptions.")
    return tuple(lines)


def verdict(p: PackInputs) -> str:
    """One sentence from the findings: what the deal is worth to the side,
    what moves that most, and what the simulation supports saying."""
    r = p.results
    k = r.key_figures
    c = r.scenario.contract
    output = risk_output(p.perspective, r)
    value = getattr(k, output)
    if output == "provider_npv":
        head = (f"Worth {_f(output, value)} to {c.provider} (NPV at its "
                f"{_input('contract.provider_wacc_pct', r.scenario)} WACC)")
    elif output == "buyer_npv":
        head = (f"Worth {_f(output, value)} to {c.buyer} (NPV at "
                f"{_input('contract.discount_rate_pct', r.scenario)})")
    elif p.perspective == "provider":
        head = f"{c.provider} earns {_f(output, value)} ({figures.label(output)})"
    else:
        head = (f"{c.buyer} commits {_f('total_contract_value', k.total_contract_value)} "
                f"({_f(output, value)} today)")
    swing = p.risk.tornado
    rows = [row for row in swing.rows if row.swing > 0] if swing is not None else []
    moved = (f", most exposed to {rows[0].input.label.lower()} "
             f"({_f(swing.output, rows[0].swing)} swing)"
             if swing is not None and rows else "")
    sim = p.risk.simulation
    tail = ""
    if sim is not None and sim.spec.output == output:
        statement = risk_statement(r.scenario, sim)
        if statement.defined and figures.below_zero_is_loss(output):
            finding = statement.headline.split(":")[0]    # "A 0.14% chance of a loss (...)"
            tail = "; " + finding[0].lower() + finding[1:]
    return f"{head}{moved}{tail}{_against_market(p)}."


def _against_market(p: PackInputs) -> str:
    """The verdict's market clause: what the contract pays against the market
    rent and its mark-to-market for the side (the board's question: good, and
    for whom, given the market?); empty without a market rent."""
    k = p.results.key_figures
    premium = _number(getattr(k, "contract_premium_over_market_pct", None))
    side = "provider" if p.perspective == "provider" else "buyer"
    mtm = _number(getattr(k, f"{side}_mark_to_market", None))
    if not (np.isfinite(premium) and np.isfinite(mtm)):
        return ""
    ratio = 1 + premium / 100
    return (f"; the deal pays {ratio:.1f}x the market rent, a mark-to-market of "
            f"{_f(f'{side}_mark_to_market', mtm)} to the {side}")


def deal_section(p: PackInputs) -> Section:
    """The deal on a page: the verdict as its title, the term sheet, the
    side's key figures, the largest risks and what the figures assume."""
    tables = [term_sheet(p), key_figures_section(p).tables[0]]
    risks = largest_risks(p)
    if risks is not None:
        tables.append(risks)
    r = p.results
    who = {"buyer": f"for {r.scenario.contract.buyer}, the buyer",
           "provider": f"for {r.scenario.contract.provider}, the provider",
           "both": "for both sides"}[p.perspective]
    return Section("deal", f"{r.scenario.name}: the deal on a page, {who}", verdict(p),
                   _assumes(p), (), tuple(tables))


def key_figures_section(p: PackInputs) -> Section:
    """The side's headline figures (core/export/key_figures.py), drawn as cards."""
    # A figure the model does not define here (the buyer's NPV when its revenue is
    # not modelled) is left out: the economics section says why.
    rows = tuple((label, value) for label, value in headline_figures(p.results, p.perspective)
                 if value != figures.format_value("buyer_npv", None))
    return Section("key_figures", "Key figures", "The headline figures", (), (),
                   (Table("Key figures", ("Figure", "Value"), rows),))


# The schedule's columns in the report, by core.figures key, for each side:
# headings and number formats are the declared ones.
SCHEDULE_COLUMNS = {
    "both": ("month_start", "payment", "cumulative_payment", "walkaway_exposure",
             "discount_factor", "payment_pv", "gpus_online", "facility_mw_online",
             "gpu_hours_delivered", "price_per_gpu_hour", "tokens_served"),
    "provider": ("month_start", "invoice", "power_cost", "opex", "provider_ebitda",
                 "depreciation", "provider_cash_flow", "provider_cumulative_cash",
                 "book_value", "provider_npv_if_ended", "gpus_online", "facility_mw_online"),
}
SCHEDULE_COLUMNS["buyer"] = SCHEDULE_COLUMNS["both"]


def column_heading(column: str) -> str:
    """A schedule column's declared label, with its unit when the label does
    not already say it (the cells then carry the number alone)."""
    declared = figures.output(column)
    unit = declared.unit
    if (unit in ("", "$", "date") or declared.fmt in ("mw", "money_rate")
            or unit.lower() in declared.label.lower()):
        return declared.label
    return f"{declared.label} ({unit})"


def column_cell(column: str, value) -> str:
    """One cell of the schedule table, in the column's declared format (the
    unit is in the heading, except MW, which its format always writes)."""
    declared = figures.output(column)
    if declared.fmt == "money_rate":
        return format_by("money", value)
    return format_by(declared.fmt, value, "")


def schedule_section(p: PackInputs) -> Section:
    """The monthly schedule in the side's columns (the PDF's last pages)."""
    s = p.results.schedule
    columns = SCHEDULE_COLUMNS[p.perspective]
    rows = tuple(tuple(column_cell(column, getattr(s, column)[i]) for column in columns)
                 for i in range(len(s)))
    return Section("schedule", "Monthly schedule", "Monthly schedule", (), (),
                   (Table("Monthly schedule", tuple(column_heading(c) for c in columns),
                          rows),))


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
    sentences = []
    for table in record_tables(scenario):
        # The market's tables (core/market.py): the unit in the header only, and the
        # rents' sources in a sentence (a column of them would not fit a slide).
        market = table.section == "market"
        keep = [i for i, name in enumerate(table.fields) if not (market and name == "source")]
        headers = tuple(f"{table.columns[i]} ({table.units[i]})"
                        if table.units[i] and table.units[i] != "$" else table.columns[i]
                        for i in keep)
        body = tuple(tuple(display_value(row[i], "" if market else table.units[i],
                                         table.kinds[i]) for i in keep) for row in table.rows)
        tables.append(Table(table.title, headers, body))
        if market and "source" in table.fields:
            where = table.fields.index("source")
            sources = sorted({row[where] for row in table.rows if row[where]})
            if sources:
                sentences.append(f"{table.title}: {'; '.join(sources)}.")
    return [Section("assumptions", "Assumptions",
                    f"Every assumption with its unit ({len(rows)} inputs)", tuple(sentences), (),
                    tuple(tables))]


def board_pack(inputs: PackInputs, tab_keys: Sequence[str]) -> list[Section]:
    """The sections in order: summary, key figures, each tab's story
    (tab_keys, the registry's exported tabs in order), the two-way table,
    warnings, assumptions and the monthly schedule (which the PDF prints and
    the deck leaves to the workbook).  No chart is
    empty: a chart with no finite point is left out."""
    if inputs.perspective not in PERSPECTIVES:
        raise ValueError(f"perspective must be one of {', '.join(PERSPECTIVES)}")
    sections = [deal_section(inputs), summary_section(inputs), key_figures_section(inputs)]
    for key in tab_keys:
        builder = BUILDERS.get(key)
        if builder is None:
            continue
        sections += builder(inputs)
    sections += _cases(inputs)
    sections += _two_way(inputs)
    sections.append(warnings_section(inputs))
    sections += assumptions_sections(inputs)
    sections.append(schedule_section(inputs))
    return [dataclasses.replace(
        s, charts=tuple(c for c in s.charts if c.has_data() and len(c.series)))
        for s in sections]


def chart_categories(results: Results, chart: ChartSpec) -> list[str]:
    """The chart's category labels: its own, or one a month."""
    return list(chart.categories) if chart.categories is not None else month_labels(results)


def format_axis_value(chart: ChartSpec, value: float) -> str:
    """A value-axis tick: money or quantity, as every view writes it."""
    return format_by("money" if chart.value_kind == "money" else "number", value)
