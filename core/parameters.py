"""Typed scenario parameters: contract terms, cluster hardware, projections.

Every user-editable number is a dataclass field declared with `quantity()`,
which records its label, unit and allowed range.  The dataclasses are frozen;
an edit makes a new instance through `dataclasses.replace`, and construction
validates every field, so an out-of-range value can never reach the engine.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import math
from dataclasses import dataclass, field
from typing import Any, Mapping

from core.formatting import listed

MIN_DATE = dt.date(2000, 1, 1)
MAX_DATE = dt.date(2100, 12, 31)


class ParameterError(ValueError):
    """A parameter value was refused.  `field` is the field's name, `label`
    the name a user sees, and the message names the allowed range."""

    def __init__(self, field_name: str, label: str, message: str):
        super().__init__(message)
        self.field = field_name
        self.label = label


def quantity(default, *, label: str, unit: str, minimum=None, maximum=None,
             decimals: int = 2, step: float | None = None, help: str = ""):
    """A numeric field with a unit and an inclusive range."""
    return field(default=default, metadata=dict(
        kind="number", label=label, unit=unit, minimum=minimum, maximum=maximum,
        decimals=decimals, step=step, help=help))


def text(default: str, *, label: str, max_length: int = 200, help: str = ""):
    return field(default=default, metadata=dict(kind="text", label=label,
                                                max_length=max_length, help=help))


def choice(default: str, *, label: str, choices: Mapping[str, str], help: str = ""):
    """A choice among stable values (what files store and code compares), each
    with its display text (what forms, tables and reports show)."""
    return field(default=default, metadata=dict(kind="choice", label=label,
                                                choices=tuple(choices),
                                                choice_text=dict(choices), help=help))


def choice_text(meta: Mapping, value: str) -> str:
    """A choice field's display text for `value` (the value itself if unknown)."""
    return meta.get("choice_text", {}).get(value, value)


def choice_value(meta: Mapping, text: str) -> str:
    """The stored value whose display text is `text` (or `text`, if it is a value)."""
    for value, shown in meta.get("choice_text", {}).items():
        if shown == text:
            return value
    return text


def date_field(default: dt.date, *, label: str, help: str = ""):
    return field(default=default, metadata=dict(kind="date", label=label, help=help))


def _number_as_written(v: float) -> str:
    """10,000,001 and 0.125, not 1e+07; an absurd magnitude (1e300) stays short."""
    v = float(v)
    if not math.isfinite(v):
        return "infinite" if math.isinf(v) else "not a number"
    if abs(v) > 1e21 or (v and abs(v) < 1e-6):     # (the largest maximum declared is 1e20)
        return f"{v:.6g}"
    if v.is_integer():
        return f"{int(v):,}"
    return f"{v:,.6f}".rstrip("0").rstrip(".")


def format_field_value(meta: Mapping, v: float) -> str:
    """A number as its field's range writes it (the unit follows the range):
    $1,250,000,000, -$5, 10,000,001."""
    prefix = "$" if meta.get("unit", "") == "$" else ""
    sign = "-" if v < 0 else ""
    return f"{sign}{prefix}{_number_as_written(abs(v))}"


def format_range(meta: Mapping) -> str:
    unit = meta.get("unit", "")
    lo, hi = meta["minimum"], meta["maximum"]
    suffix = f" {unit}" if unit and unit not in ("$",) else ""
    prefix = "$" if unit == "$" else ""
    return f"{prefix}{_number_as_written(lo)} and {prefix}{_number_as_written(hi)}{suffix}"


def _validate(instance) -> None:
    for f in dataclasses.fields(instance):
        meta = f.metadata
        kind = meta.get("kind")
        if kind is None:
            continue
        value = getattr(instance, f.name)
        label = meta["label"]
        where = f"{label} ({type(instance).__name__}.{f.name})"
        if kind == "number":
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ParameterError(f.name, label, f"{where} must be a number, got {value!r}")
            if not math.isfinite(value):
                raise ParameterError(f.name, label, f"{where} must be a finite number, got {value!r}")
            if f.type in ("int", int):
                if not float(value).is_integer():
                    raise ParameterError(f.name, label, f"{label} must be a whole number, got {value!r}")
                # 36.0 is accepted as 36: the engine indexes and counts with it.
                object.__setattr__(instance, f.name, int(value))
            lo, hi = meta["minimum"], meta["maximum"]
            if (lo is not None and value < lo) or (hi is not None and value > hi):
                raise ParameterError(
                    f.name, label,
                    f"{label} must be between {format_range(meta)}; "
                    f"{format_field_value(meta, value)} is out of range")
        elif kind == "text":
            if not isinstance(value, str):
                raise ParameterError(f.name, label, f"{where} must be text, got {value!r}")
            if len(value) > meta["max_length"]:
                raise ParameterError(f.name, label,
                                     f"{where} must be at most {meta['max_length']} characters")
        elif kind == "choice":
            if value not in meta["choices"]:
                raise ParameterError(f.name, label,
                                     f"{where} must be one of {', '.join(meta['choices'])}; got {value!r}")
        elif kind == "date":
            if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
                raise ParameterError(f.name, label, f"{where} must be a date, got {value!r}")
            if not (MIN_DATE <= value <= MAX_DATE):
                raise ParameterError(f.name, label,
                                     f"{where} must be between {MIN_DATE} and {MAX_DATE}; {value} is out of range")


def field_meta(cls_or_instance, name: str) -> dict[str, Any]:
    """The label, unit and range of one field, for views and messages."""
    for f in dataclasses.fields(cls_or_instance):
        if f.name == name:
            return dict(f.metadata)
    raise KeyError(name)


# Monthly plans: a schedule given month by month that replaces, for those
# months, what the model would compute (core/fees.py for invoices,
# core/tokens.py for demand).  Months count from 1 (the start date's month);
# a month after the term is kept but has no effect (the term may be
# lengthened again).
PLAN_MAX_MONTH = 240     # the longest term allowed (ContractTerms.term_months)


@dataclass(frozen=True)
class PlannedInvoice:
    """One month of the provider's invoice plan: the amount billed for that
    month in nominal dollars (no escalator, discount or pricing mode applies;
    SLA service credits still do)."""
    month: int = quantity(1, label="Month", unit="", minimum=1, maximum=PLAN_MAX_MONTH, decimals=0,
                          help="Months count from 1, the month of the start date.")
    amount: float = quantity(0.0, label="Planned invoice", unit="$", minimum=0.0, maximum=50e9,
                             decimals=0, help="Billed for the month before any SLA credit.")

    def __post_init__(self):
        _validate(self)


@dataclass(frozen=True)
class PlannedDemand:
    """One month of the buyer's demand plan, in tokens over the month (the
    unit in which the model counts tokens served and the capacity's tokens)."""
    month: int = quantity(1, label="Month", unit="", minimum=1, maximum=PLAN_MAX_MONTH, decimals=0,
                          help="Months count from 1, the month of the start date.")
    tokens: float = quantity(0.0, label="Planned demand", unit="tokens/month", minimum=0.0,
                             maximum=1e20, decimals=0,
                             help="Tokens the buyer wants served over the month.")

    def __post_init__(self):
        _validate(self)


def _check_plan(plan, record_type: type, field_name: str, label: str) -> None:
    """A plan is a tuple of its records with each month at most once."""
    if not isinstance(plan, tuple) or not all(isinstance(e, record_type) for e in plan):
        raise ParameterError(field_name, label,
                             f"{label} must be a tuple of {record_type.__name__} records")
    seen = set()
    for entry in plan:
        if entry.month in seen:
            raise ParameterError(field_name, label,
                                 f"{label}: month {entry.month} is planned twice")
        seen.add(entry.month)


def planned_months(plan, months: int) -> tuple:
    """(planned, values): a bool array over the term's months marking the
    planned ones, and the planned values there (0 elsewhere); months after
    the term are left out."""
    import numpy as np   # core/parameters.py is otherwise numpy-free
    planned = np.zeros(months, dtype=bool)
    values = np.zeros(months)
    for entry in plan:
        if entry.month <= months:
            planned[entry.month - 1] = True
            values[entry.month - 1] = float(getattr(entry, _PLAN_VALUE[type(entry)]))
    return planned, values


@dataclass(frozen=True)
class PlannedRent:
    """One month of an imported market rent curve for one GPU model (an index's
    forward curve, say): the rent per GPU-hour for that month."""
    month: int = quantity(1, label="Month", unit="", minimum=1, maximum=PLAN_MAX_MONTH, decimals=0,
                          help="Months count from 1, the month of the start date.")
    gpu_model: str = text("H100 SXM", label="GPU model", max_length=60,
                          help="The GPU model whose rent this is (a market rent row's model).")
    rent: float = quantity(0.0, label="Market rent", unit="$/GPU-hour", minimum=0.0,
                           maximum=1_000.0, help="The forward rent per GPU-hour for the month.")

    def __post_init__(self):
        _validate(self)


_PLAN_VALUE = {PlannedInvoice: "amount", PlannedDemand: "tokens", PlannedRent: "rent"}


# Choice values: stable identifiers that files store and code compares.  The
# text shown for each is declared with its field (`choice(..., choices={value:
# text})`); files written before the values existed stored the text, and
# core/scenario_file.py reads it back as the value.
PRICING_FIXED = "fixed"
PRICING_GPU_HOUR = "per_gpu_hour"
PRICING_MW_MONTH = "per_mw_month"
DEPOSIT_APPLIED = "applied"
DEPOSIT_RETURNED = "returned"
PARTY_EITHER, PARTY_BUYER, PARTY_PROVIDER, PARTY_NEITHER = "either", "buyer", "provider", "neither"
LEASE_NOTICE = "notice"
LEASE_FULL = "full"
# New choice fields store stable values (display text: declared with the field).
SHORT_TERM_NOT_TAKEN = "not_taken"
SHORT_TERM_TAKEN = "taken"
BUYER_REVENUE_TOKENS = "tokens"          # tokens served x token price
BUYER_REVENUE_NONE = "not_modelled"
CAPEX_SUNK = "sunk"
CAPEX_FOR_DEAL = "for_deal"


@dataclass(frozen=True)
class ContractTerms:
    buyer: str = text("Anthropic", label="Buyer (lessee)",
                      help="The party that leases the capacity and pays the fees (the lessee). A "
                           "name for labels and reports; no figure depends on it.")
    provider: str = text("SpaceX (xAI)", label="Provider (lessor)",
                         help="The party that owns and runs the cluster and receives the fees "
                              "(the lessor). A name for labels and reports; no figure depends on "
                              "it.")
    start_date: dt.date = date_field(dt.date(2026, 6, 1), label="Start date",
                                     help="The day the term starts. Month i runs from this date "
                                          "plus i months, and every discount factor counts actual "
                                          "days from it (as XNPV does).")
    term_months: int = quantity(36, label="Term", unit="months", minimum=1, maximum=240,
                                decimals=0,
                                help="Length of the contract in calendar months from the start "
                                     "date, one invoice a month. The reference deal runs 36 "
                                     "months, June 2026 to May 2029.")
    monthly_fee: float = quantity(1.25e9, label="Monthly fee", unit="$", minimum=0.0, maximum=50e9,
                                  decimals=0, step=10e6,
                                  help="The fee per month under fixed-fee pricing, before the "
                                       "escalator, the introductory discount and SLA credits. The "
                                       "reference deal: about $1.25B a month.")
    escalator_pct: float = quantity(0.0, label="Annual escalator", unit="%/yr", minimum=-50.0,
                                    maximum=100.0, step=0.5,
                                    help="Yearly step-up of the price (fee, $/GPU-hour or "
                                         "$/MW-month) on each anniversary of the start date: 3 "
                                         "means each contract year is billed 3% above the one "
                                         "before. Negative steps down.")
    intro_months: int = quantity(0, label="Discounted first months", unit="months", minimum=0,
                                 maximum=240, decimals=0,
                                 help="Months at the start billed at a discount (a fee step).")
    intro_discount_pct: float = quantity(0.0, label="Discount in those months", unit="%", minimum=0.0,
                                         maximum=100.0, step=1.0,
                                         help="How much less the discounted first months are "
                                              "billed: 25 means those months pay 75% of the fee "
                                              "then in force.")
    notice_days: int = quantity(90, label="Notice period", unit="days", minimum=0, maximum=3650,
                                decimals=0,
                                help="Days from a notice of termination to the end of payments: "
                                     "notice given on day T ends them on T + these days (never "
                                     "after the term), the last month paid pro rata by days. Sets "
                                     "the walk-away exposure.")
    termination_fee_months: float = quantity(0.0, label="Termination fee", unit="months of fees",
                                             minimum=0.0, maximum=120.0, step=0.5,
                                             help="Paid by the buyer when the buyer ends the deal: "
                                                  "this many months of the fee in force in the "
                                                  "notice month, before SLA credits.")
    discount_rate_pct: float = quantity(10.0, label="Buyer's discount rate", unit="%/yr",
                                        minimum=0.0, maximum=100.0, step=0.25,
                                        help="The buyer's cost of capital, for its NPVs: a flow "
                                             "on date d is worth (1 + rate) ^ (-days from the "
                                             "start / 365), as XNPV does.")
    payment_timing: str = choice("advance", label="Payment timing",
                                 choices={"advance": "advance", "arrears": "arrears"},
                                 help="When each month's invoice is paid: in advance, on the "
                                      "month's first day, or in arrears, on its last day. It "
                                      "moves the NPVs and the provider's IRR, not the totals.")
    pricing_mode: str = choice(PRICING_FIXED, label="Pricing",
                               choices={PRICING_FIXED: "fixed monthly fee",
                                        PRICING_GPU_HOUR: "per GPU-hour",
                                        PRICING_MW_MONTH: "per MW-month"},
                               help="How the fee is set: a fixed monthly fee, a price per "
                                    "delivered GPU-hour (GPUs online x hours x availability), or "
                                    "a price per MW-month of contracted power. The escalator and "
                                    "the introductory discount apply to each.")
    price_per_gpu_hour: float = quantity(7.78, label="Price per GPU-hour", unit="$", minimum=0.0,
                                         maximum=1_000.0, step=0.05,
                                         help="Charged on delivered GPU-hours (per GPU-hour pricing).")
    price_per_mw_month: float = quantity(4.17e6, label="Price per MW-month", unit="$",
                                         minimum=0.0, maximum=1e9, decimals=0, step=10_000,
                                         help="Charged on the contracted MW (per MW-month pricing).")
    fee_follows_capacity: str = choice(
        "no", label="Fee steps with tranches", choices={"no": "no", "yes": "yes"},
        help="Scale the fee by the share of the fleet's power online, so it steps up as "
             "tranches come online.")
    prepayment_months: float = quantity(0.0, label="Prepayment / deposit", unit="months of fees",
                                        minimum=0.0, maximum=36.0, step=0.5,
                                        help="A deposit of this many months of the fee (the first "
                                             "full-price month's), paid by the buyer on the start "
                                             "date; 0 for none. The Monte Carlo simulation needs "
                                             "it at 0.")
    prepayment_treatment: str = choice(DEPOSIT_APPLIED, label="Deposit at the end",
                                       choices={DEPOSIT_APPLIED: "applied to the last fees",
                                                DEPOSIT_RETURNED: "returned"},
                                       help="What becomes of the deposit: applied to the last "
                                            "invoices, latest first (any excess returned when the "
                                            "term ends), or returned whole on the day the term "
                                            "ends.")
    sla_availability_pct: float = quantity(99.0, label="SLA availability", unit="%", minimum=0.0,
                                           maximum=100.0, step=0.1,
                                           help="The availability the provider promises. Below "
                                                "it, the fixed fee and the MW-month price earn a "
                                                "service credit; per-GPU-hour pricing bills only "
                                                "the hours delivered instead.")
    service_credit_pct_per_point: float = quantity(
        10.0, label="Service credit", unit="% of fee per point short", minimum=0.0, maximum=100.0,
        step=1.0, help="Credit on the month's fee for each percentage point of availability "
                       "below the SLA.")
    service_credit_cap_pct: float = quantity(30.0, label="Service credit cap", unit="% of fee",
                                             minimum=0.0, maximum=100.0, step=1.0,
                                             help="The most a month's service credit can take off "
                                                  "that month's fee, in percent of the fee, "
                                                  "however far availability falls below the SLA.")
    terminating_party: str = choice(PARTY_EITHER, label="May terminate",
                                    choices={PARTY_EITHER: "either party", PARTY_BUYER: "buyer only",
                                             PARTY_PROVIDER: "provider only",
                                             PARTY_NEITHER: "neither"},
                                    help="Who may end the deal early on notice: either party, the "
                                         "buyer only, the provider only, or neither. Without a "
                                         "buyer's right, its walk-away exposure is every "
                                         "remaining invoice.")
    buyer_termination_prob_pct: float = quantity(
        0.0, label="Buyer termination chance", unit="%/month", minimum=0.0, maximum=100.0,
        step=0.1,
        help="The chance each month that the buyer gives notice (when it may), paying the "
             "termination fee. It weights the expected contract value and draws random endings in "
             "the Monte Carlo.")
    provider_termination_prob_pct: float = quantity(
        0.0, label="Provider termination chance", unit="%/month", minimum=0.0, maximum=100.0,
        step=0.1,
        help="The chance each month that the provider gives notice (when it may), for instance to "
             "take the capacity back for its own use; no termination fee is paid. Used like the "
             "buyer's chance.")
    provider_wacc_pct: float = quantity(9.0, label="Provider's WACC", unit="%/yr", minimum=0.0,
                                        maximum=100.0, step=0.25,
                                        help="The provider's weighted average cost of capital: "
                                             "the rate its NPV and economic NPV discount at, each "
                                             "flow on its actual date.")
    incremental_borrowing_rate_pct: float = quantity(
        7.0, label="Buyer's incremental borrowing rate", unit="%/yr", minimum=0.0, maximum=100.0,
        step=0.25,
        help="The rate the buyer would pay to borrow over a similar term: it discounts the lease "
             "term's payments to the lease liability (the indicative IFRS 16 / ASC 842 view).")
    lease_term_basis: str = choice(
        LEASE_NOTICE, label="Lease term", choices={LEASE_NOTICE: "notice period", LEASE_FULL: "full term"},
        help="When only the buyer, or either party, may terminate: the non-cancellable notice "
             "period, or the full term when the buyer is judged reasonably certain not to "
             "terminate. Without a buyer's right to terminate the lease term is the full term.")
    lease_short_term_exemption: str = choice(
        SHORT_TERM_NOT_TAKEN, label="Short-term lease exemption",
        choices={SHORT_TERM_NOT_TAKEN: "not taken", SHORT_TERM_TAKEN: "taken"},
        help="A lease term of 12 months or less may be expensed without a liability "
             "(IFRS 16.5-8, ASC 842-20-25-2).")
    lease_significant_penalty_pct: float = quantity(
        5.0, label="Significant penalty above", unit="% of payments", minimum=0.0, maximum=100.0,
        step=0.5,
        help="IFRS 16 B34 shortens the lease term to the notice period only when ending costs "
             "no more than an insignificant penalty. A termination fee (for notice on the start "
             "date) above this share of the contract's payments from the start to the term's "
             "end is significant: the lease term is then the full term.")
    termination_notice_month: int = quantity(
        12, label="Cost of ending: notice after", unit="months", minimum=1, maximum=239,
        decimals=0,
        help="The key figure 'cost of ending' assumes the buyer gives notice this many months "
             "after the start (12: on the first anniversary). Not applicable when the term is "
             "not longer.")
    # Empty: every invoice is computed.  Otherwise these months' fees are the plan's.
    invoice_plan: tuple[PlannedInvoice, ...] = ()

    def __post_init__(self):
        _validate(self)
        _check_plan(self.invoice_plan, PlannedInvoice, "invoice_plan", "Invoice plan")
        _check_termination_chances(self)


def _check_termination_chances(c: "ContractTerms") -> None:
    """The buyer's and the provider's monthly chances of termination are chances
    of two events of the same month that cannot both happen: together they must
    not exceed 100%.  (Whatever "May terminate" says, so that changing it never
    makes a saved scenario invalid.)"""
    total = c.buyer_termination_prob_pct + c.provider_termination_prob_pct
    if total > 100.0:
        buyer = field_meta(ContractTerms, "buyer_termination_prob_pct")["label"]
        provider = field_meta(ContractTerms, "provider_termination_prob_pct")["label"]
        raise ParameterError(
            "buyer_termination_prob_pct", buyer,
            f"{buyer} ({c.buyer_termination_prob_pct:g}%) and {provider} "
            f"({c.provider_termination_prob_pct:g}%) add up to {total:g}% a month; "
            f"together they must not exceed 100%")


@dataclass(frozen=True)
class GpuModel:
    """One GPU type.  Power is all-in IT power per GPU: the GPU, its share of
    the server, network and storage, before the facility's PUE."""
    name: str = text("H100 SXM", label="GPU model", max_length=60,
                     help="The model's name, unique among the GPU models; tranches refer to it.")
    it_kw_per_gpu: float = quantity(1.40, label="IT power per GPU", unit="kW", minimum=0.05,
                                    maximum=20.0, step=0.05,
                                    help="All-in IT power per GPU: the GPU with its share of the "
                                         "server, network and storage, before the facility's PUE.")
    bf16_dense_tflops: float = quantity(989.0, label="Dense BF16", unit="TFLOPS", minimum=1.0,
                                        maximum=100_000.0, decimals=0,
                                        help="Dense BF16 throughput per GPU, without sparsity. "
                                             "Weights the GPU in H100-equivalents when they are "
                                             "counted by training FLOPS (H100 SXM = 989).")
    hbm_gb: float = quantity(80.0, label="HBM", unit="GB", minimum=1.0, maximum=10_000.0,
                             decimals=0,
                             help="High-bandwidth memory per GPU. The fleet's memory in the "
                                  "workbook comes from it; no cost or token figure depends on it.")
    capex_per_gpu: float = quantity(40_000.0, label="All-in capex per GPU", unit="$", minimum=0.0,
                                    maximum=10e6, decimals=0,
                                    help="All-in capital cost per GPU, installed: the GPU with "
                                         "its share of server, network and storage, without the "
                                         "facility (priced per MW apart).")
    tokens_per_s: float = quantity(2_675.0, label="Inference throughput", unit="tokens/s",
                                   minimum=0.0, maximum=10e6, decimals=0,
                                   help="Inference throughput per GPU on the reference model at "
                                        "full use. Sets token capacity and, by throughput, the "
                                        "H100-equivalents (H100 SXM = 2,675 tokens/s).")

    def __post_init__(self):
        _validate(self)
        if not self.name.strip():
            raise ParameterError("name", "GPU model", "GPU model name must not be empty")


@dataclass(frozen=True)
class Tranche:
    """A block of capacity: so many GPUs of one model at a site, online from a date."""
    name: str = text("Colossus 1", label="Tranche", max_length=80,
                     help="A name for this block of capacity, such as Colossus 1, shown in tables "
                          "and reports.")
    site: str = text("Memphis, TN", label="Site", max_length=80,
                     help="Where the tranche's GPUs are, shown in tables and reports; no figure "
                          "depends on it.")
    gpu_model: str = text("H100 SXM", label="GPU model", max_length=60,
                          help="The GPU model of this tranche: one of the GPU models defined "
                               "above, which sets its power, capex and throughput.")
    gpu_count: int = quantity(150_000, label="GPU count", unit="GPUs", minimum=0, maximum=10_000_000,
                              decimals=0,
                              help="How many GPUs of that model the tranche brings. A tranche is "
                                   "in the fleet when it comes online before the term ends.")
    online_date: dt.date = date_field(dt.date(2026, 6, 1), label="Online date",
                                      help="The day the tranche comes online: from then it counts "
                                           "in the GPUs and power online, its first month pro "
                                           "rata by days. A tranche online only after the term "
                                           "ends is not part of the deal.")

    def __post_init__(self):
        _validate(self)


# One H100-equivalent: the H100 SXM's dense BF16 TFLOPS (training weighting)
# or its inference throughput in the presets (tokens/s, Llama-2-70B, MLPerf
# Inference v4.1 offline, FP8; core/presets.py).
H100_DENSE_BF16_TFLOPS = 989.0
H100_TOKENS_PER_S = 2_675.0
WORKLOAD_INFERENCE = "inference"         # mostly inference
WORKLOAD_TRAINING = "training"           # mostly training
H100E_BY_WORKLOAD = "workload"           # follow the workload
H100E_BY_THROUGHPUT = "throughput"       # inference throughput (tokens/s)
H100E_BY_FLOPS = "flops"                 # training FLOPS (dense BF16)


@dataclass(frozen=True)
class ClusterHardware:
    contracted_mw: float = quantity(300.0, label="Contracted power", unit="MW", minimum=0.0,
                                    maximum=100_000.0, step=5.0,
                                    help="Power at the meter the contract provides for.")
    pue: float = quantity(1.24, label="PUE", unit="", minimum=1.0, maximum=3.0, step=0.01,
                          help="Power usage effectiveness: power at the meter / IT power (cooling "
                               "and losses on top of the IT load). 1.24 means 24% more; it scales "
                               "the power bill and the facility's MW and capex.")
    power_price_per_mwh: float = quantity(62.0, label="Power price", unit="$/MWh", minimum=0.0,
                                          maximum=2_000.0, step=1.0,
                                          help="What the provider pays for electricity at the "
                                               "meter: power cost = IT MW online x PUE x hours x "
                                               "this price.")
    availability_pct: float = quantity(100.0, label="Availability", unit="%", minimum=0.0,
                                       maximum=100.0, step=0.1,
                                       help="The share of hours the fleet actually delivers: it "
                                            "scales delivered GPU-hours and token capacity, and "
                                            "below the SLA it earns service credits.")
    utilization_pct: float = quantity(60.0, label="Utilization", unit="%", minimum=0.0,
                                      maximum=100.0, step=1.0,
                                      help="Share of delivered GPU time that serves tokens.")
    depreciation_life_years: float = quantity(5.0, label="GPU depreciation life", unit="years",
                                              minimum=1.0, maximum=30.0, step=0.5,
                                              help="Years over which the provider writes the GPUs "
                                                   "(with servers and network) down, straight "
                                                   "line to their residual value: sets "
                                                   "depreciation, EBIT and the book value at the "
                                                   "end.")
    residual_value_pct: float = quantity(10.0, label="Residual value", unit="% of capex",
                                         minimum=0.0, maximum=100.0, step=1.0,
                                         help="What the GPUs are still worth at the end of their "
                                              "depreciation life, in percent of their capex: the "
                                              "straight line runs down to it.")
    facility_capex_per_mw: float = quantity(10e6, label="Facility capex", unit="$ per MW",
                                            minimum=0.0, maximum=200e6, decimals=0, step=500_000,
                                            help="Building and power plant, per MW at the meter.")
    facility_life_years: float = quantity(20.0, label="Facility depreciation life", unit="years",
                                          minimum=1.0, maximum=60.0, step=1.0,
                                          help="Years over which the facility capex (building and "
                                               "power plant) is depreciated, straight line to "
                                               "nothing.")
    maintenance_pct_per_year: float = quantity(3.0, label="Maintenance", unit="% of capex/yr",
                                               minimum=0.0, maximum=50.0, step=0.5,
                                               help="The provider's yearly maintenance cost, in "
                                                    "percent of the capex of the capacity online, "
                                                    "charged a twelfth each month.")
    staff_opex_per_month: float = quantity(5e6, label="Staff and operations", unit="$ per month",
                                           minimum=0.0, maximum=1e9, decimals=0, step=100_000,
                                           help="The provider's staff and other operating costs "
                                                "of running the cluster, each month of the term.")
    capex_treatment: str = choice(CAPEX_SUNK, label="Provider capex",
                                  choices={CAPEX_SUNK: "sunk (built for own use)",
                                           CAPEX_FOR_DEAL: "bought for this deal"},
                                  help="Sunk: the provider built the cluster for itself, so the deal "
                                       "carries no investment. Bought: capex is spent for this deal.")
    workload: str = choice(WORKLOAD_INFERENCE, label="Workload",
                           choices={WORKLOAD_INFERENCE: "mostly inference", WORKLOAD_TRAINING: "mostly training"},
                           help="What the buyer mostly runs; sets the H100-equivalent weighting "
                                "when that follows the workload.")
    h100e_weighting: str = choice(
        H100E_BY_WORKLOAD, label="H100-equivalents by",
        choices={H100E_BY_WORKLOAD: "follow the workload",
                 H100E_BY_THROUGHPUT: "inference throughput (tokens/s)",
                 H100E_BY_FLOPS: "training FLOPS (dense BF16)"},
        help="Weight each GPU by its inference throughput (tokens/s against the H100's 2,675) "
             "or its dense BF16 training FLOPS (against the H100's 989). Following the "
             "workload: throughput for inference, FLOPS for training.")
    gpu_models: tuple[GpuModel, ...] = ()
    tranches: tuple[Tranche, ...] = ()

    def __post_init__(self):
        _validate(self)
        names = [m.name for m in self.gpu_models]
        if len(set(names)) != len(names):
            raise ParameterError("gpu_models", "GPU models", "GPU model names must be unique")
        for t in self.tranches:
            if t.gpu_model not in names:
                raise ParameterError(
                    "tranches", "Capacity tranches",
                    f"Tranche '{t.name}' uses GPU model '{t.gpu_model}', which is not defined; "
                    f"defined models: {listed(names)}")

    def model(self, name: str) -> GpuModel:
        for m in self.gpu_models:
            if m.name == name:
                return m
        raise KeyError(name)


@dataclass(frozen=True)
class Projections:
    demand_tokens_per_s: float = quantity(400e6, label="Demand at start", unit="tokens/s",
                                          minimum=0.0, maximum=1e13, decimals=0, step=10e6,
                                          help="The tokens per second the buyer could sell at the "
                                               "start. Tokens served each month are the lower of "
                                               "demand and the fleet's token capacity.")
    demand_growth_pct_per_month: float = quantity(2.0, label="Demand growth", unit="%/month",
                                                  minimum=-50.0, maximum=100.0, step=0.5,
                                                  help="Monthly growth of that demand, "
                                                       "compounded: demand in month m = demand at "
                                                       "start x (1 + growth) ^ m. Negative "
                                                       "shrinks it.")
    token_price_per_million: float = quantity(2.0, label="Blended token price",
                                              unit="$ per M tokens", minimum=0.0, maximum=1_000.0,
                                              step=0.05,
                                              help="The buyer's average price per million tokens "
                                                   "it serves (input and output blended) in the "
                                                   "first contract year: token revenue = tokens "
                                                   "served / 1,000,000 x this price.")
    token_price_decline_pct_per_year: float = quantity(30.0, label="Token price decline",
                                                       unit="%/yr", minimum=0.0, maximum=99.0,
                                                       step=1.0,
                                                       help="How much the blended token price "
                                                            "falls each year: it steps down by "
                                                            "this percent on each anniversary of "
                                                            "the start (30 means 70% of the year "
                                                            "before).")
    buyer_revenue_model: str = choice(
        BUYER_REVENUE_TOKENS, label="Buyer's revenue",
        choices={BUYER_REVENUE_TOKENS: "tokens served x token price",
                 BUYER_REVENUE_NONE: "not modelled"},
        help="Not modelled: the buyer uses the capacity for its own products and no token "
             "price fits the deal; its revenue, margin and NPV are then n/a and its cash is "
             "the payments alone.")
    # Empty: demand follows the growth curve.  Otherwise these months' demand is the plan's.
    demand_plan: tuple[PlannedDemand, ...] = ()

    def __post_init__(self):
        _validate(self)
        _check_plan(self.demand_plan, PlannedDemand, "demand_plan", "Demand plan")


# The forward path of market rents (core/market.py says how each is built).
FORWARD_YEARLY = "yearly_change"
FORWARD_QUOTES = "quotes"
FORWARD_IMPORTED = "imported"
# Labels every market figure carries (MARKET.md): reported, estimate, derived, or the user's.
FIGURE_LABELS = {"[R]": "[R] reported", "[E]": "[E] estimate", "[D]": "[D] derived",
                 "[U]": "[U] the user's figure"}


@dataclass(frozen=True)
class MarketRent:
    """Today's market rent for one GPU model, with the quotes its forward curve
    may be bootstrapped from, and where the figure comes from."""
    gpu_model: str = text("H100 SXM", label="GPU model", max_length=60,
                          help="The GPU model this rent is for (a model of the hardware).")
    rent_per_gpu_hour: float = quantity(2.00, label="Market rent today", unit="$/GPU-hour",
                                        minimum=0.0, maximum=1_000.0, step=0.05,
                                        help="The rent per GPU-hour the capacity could be had at "
                                             "today on a multi-year contract; the forward path "
                                             "starts from it (yearly change).")
    quote_1_month: float = quantity(2.00, label="1-month quote", unit="$/GPU-hour", minimum=0.0,
                                    maximum=1_000.0, step=0.05,
                                    help="Rent for a 1-month term starting now (forward path "
                                         "from quotes).")
    quote_1_year: float = quantity(2.00, label="1-year quote", unit="$/GPU-hour", minimum=0.0,
                                   maximum=1_000.0, step=0.05,
                                   help="Rent for a 1-year term starting now: the average of "
                                        "the monthly forwards over its 12 months.")
    quote_3_year: float = quantity(2.00, label="3-year quote", unit="$/GPU-hour", minimum=0.0,
                                   maximum=1_000.0, step=0.05,
                                   help="Rent for a 3-year term starting now: the average of "
                                        "the monthly forwards over its 36 months.")
    label: str = choice("[E]", label="Label", choices=FIGURE_LABELS,
                        help="[R] reported, [E] a third party's estimate, [D] derived here, [U] "
                             "the user's own figure.")
    as_of: str = text("Jul 2026", label="As of", max_length=40,
                      help="When the figure was published or observed.")
    source: str = text("", label="Source", max_length=200,
                       help="Where the figure comes from.")

    def __post_init__(self):
        _validate(self)
        if not self.gpu_model.strip():
            raise ParameterError("gpu_model", "GPU model", "A market rent's GPU model must not "
                                                           "be empty")


def _preset_rents() -> tuple:
    from core.market import preset_rents   # the presets live with the market's code
    return preset_rents()


@dataclass(frozen=True)
class Market:
    """The market the deal is priced against: rents per GPU model and their
    forward path, the cost of replacing or re-letting the capacity, and the
    stochastic market that values each side's right to walk (core/market.py,
    core/rights.py)."""
    forward_path: str = choice(FORWARD_YEARLY, label="Forward path",
                               choices={FORWARD_YEARLY: "today's rent with a yearly change",
                                        FORWARD_QUOTES: "1-month, 1-year and 3-year quotes",
                                        FORWARD_IMPORTED: "an imported monthly curve"},
                               help="How each model's monthly forward rent is built: today's rent "
                                    "changing by a yearly rate; bootstrapped from three quotes "
                                    "(each the average of the monthly forwards over its term, "
                                    "forwards flat between tenors); or a monthly curve imported "
                                    "from CSV, xlsx or the clipboard (months it does not name "
                                    "follow the yearly change).")
    rent_change_pct_per_year: float = quantity(
        0.0, label="Yearly rent change", unit="%/yr", minimum=-90.0, maximum=500.0, step=1.0,
        help="How the forward rent moves from today's, compounded by days: -20 means each year's "
             "rent is 80% of the year before. Default 0: a 3-year contract rent is already what "
             "can be locked in flat for three years (assumption).")
    rents: tuple[MarketRent, ...] = field(default_factory=_preset_rents)
    rent_curve: tuple[PlannedRent, ...] = ()
    buyer_replacement_premium_pct: float = quantity(
        25.0, label="Buyer's replacement premium", unit="% over market", minimum=0.0,
        maximum=1_000.0, step=5.0,
        help="What the buyer pays above the quoted rent to replace this much capacity at once "
             "(a scarcity premium). Default 25%: an assumption, no published figure.")
    buyer_replacement_lead_months: int = quantity(
        6, label="Buyer's replacement lead time", unit="months", minimum=0, maximum=60,
        decimals=0,
        help="Months from a notice until replacement capacity serves tokens; the tokens it "
             "cannot serve after the deal ends lose their margin meanwhile. Default 6: an "
             "assumption.")
    provider_relet_discount_pct: float = quantity(
        10.0, label="Provider's re-let discount", unit="% under market", minimum=0.0,
        maximum=100.0, step=1.0,
        help="How far under the market rent the provider can re-let the capacity. Default 10%: "
             "an assumption.")
    provider_relet_lead_months: int = quantity(
        3, label="Provider's re-let lead time", unit="months", minimum=0, maximum=60, decimals=0,
        help="Months from a notice until a new tenant pays. Default 3: an assumption.")
    provider_own_use_value_per_gpu_hour: float = quantity(
        0.0, label="Provider's own-use value", unit="$/GPU-hour", minimum=0.0, maximum=1_000.0,
        step=0.05,
        help="What the capacity is worth to the provider in its own use, per GPU-hour (its filing "
             "says it may reallocate the capacity); it takes the better of this and re-letting. "
             "0: none.")
    rent_vol_pct: float = quantity(
        40.0, label="Rent volatility", unit="%/yr", minimum=0.0, maximum=300.0, step=5.0,
        help="Annual volatility of log rent about the forward path. Default 40% [D]: no "
             "published estimate; the H100 moves of 2023-2026 (-40% in 21 months, then +38% to "
             "+56% in nine) suggest 35-50% (MARKET.md).")
    rent_mean_reversion_per_year: float = quantity(
        1.0, label="Mean reversion speed", unit="/yr", minimum=0.0, maximum=50.0, step=0.1,
        help="How fast a rent shock fades back to the forward path: a shock halves in "
             "ln 2 / speed years (1.0: about 8 months). 0: shocks persist (a random walk). "
             "Default 1.0: an assumption.")
    model_rent_correlation_pct: float = quantity(
        80.0, label="Correlation between models", unit="%", minimum=0.0, maximum=100.0,
        step=5.0,
        help="Correlation of rent shocks between GPU models: the share of the variance from the "
             "common market factor; the rest is each model's own. Default 80%: an assumption.")
    token_price_vol_pct: float = quantity(
        30.0, label="Token price volatility", unit="%/yr", minimum=0.0, maximum=300.0, step=5.0,
        help="Annual volatility of the buyer's token price about its path, in the simulation "
             "that values the rights to walk (it prices the margin lost while capacity is "
             "replaced). Default 30%: an assumption.")
    token_market_correlation_pct: float = quantity(
        50.0, label="Token price - market correlation", unit="%", minimum=-100.0, maximum=100.0,
        step=5.0,
        help="Correlation between the market rent factor and the buyer's token price. Default "
             "50%: an assumption (cheap compute and cheap tokens tend to go together).")

    def __post_init__(self):
        _validate(self)
        models = [r.gpu_model for r in self.rents]
        if len(set(models)) != len(models):
            raise ParameterError("rents", "Market rents",
                                 "Market rents: each GPU model may have one rent only")
        if not isinstance(self.rent_curve, tuple) or not all(
                isinstance(e, PlannedRent) for e in self.rent_curve):
            raise ParameterError("rent_curve", "Imported rent curve",
                                 "Imported rent curve must be a tuple of PlannedRent records")
        seen = set()
        for entry in self.rent_curve:
            key = (entry.month, entry.gpu_model)
            if key in seen:
                raise ParameterError("rent_curve", "Imported rent curve",
                                     f"Imported rent curve: month {entry.month} of "
                                     f"{entry.gpu_model} is given twice")
            seen.add(key)

    def rent_for(self, model: str) -> MarketRent | None:
        for r in self.rents:
            if r.gpu_model == model:
                return r
        return None


# --- counterparty credit (core/credit.py) ------------------------------------------------
CREDIT_SPREAD = "spread"
CREDIT_PROBABILITY = "default_probability"
CREDIT_RATING = "rating"
# Generic one-year default rates by rating, % a year: the app's estimate [E].
# MARKET.md gives none; the values are rounded and of the order of S&P Global
# Ratings' long-run averages of one-year global corporate default rates (its
# annual default studies, 1981 on), but were not checked against a published
# table: the one found (S&P, as reproduced in FRM course notes) reads A 0.06,
# BBB 0.18, BB 0.72, B 3.76, CCC/C 26.78.  Historical (real-world) rates: below
# the risk-neutral rates a spread implies (MARKET.md section 3).
RATING_DEFAULT_PCT: dict[str, float] = {
    "AAA": 0.00, "AA": 0.02, "A": 0.05, "BBB": 0.15, "BB": 0.55, "B": 3.00, "CCC": 26.0,
}
RATING_LABEL = "[E]"
RATING_DATE = "Dec 2026"
RATING_SOURCE = ("the app's estimate, rounded, of the order of S&P Global Ratings' long-run "
                 "one-year global corporate default rates (annual default studies, 1981 on); "
                 "not checked against a published table (an older S&P table reads BBB 0.18%, "
                 "BB 0.72%, B 3.76%)")
RATINGS = tuple(RATING_DEFAULT_PCT)


def rating_table_text() -> str:
    """The rating table in one line: "AAA 0%, AA 0.02%, ..., CCC 26%"."""
    return ", ".join(f"{r} {p:g}%" for r, p in RATING_DEFAULT_PCT.items())


@dataclass(frozen=True)
class PartyCredit:
    """One party's credit: the chance it defaults (a spread and recovery, an
    annual default probability, or a rating), where the figure comes from,
    and an optional guarantor standing behind a share of what it owes."""
    name: str = text("", label="Name", max_length=80,
                     help="Whose credit this is (the party, or the name whose credit stands in "
                          "for it).")
    basis: str = choice(CREDIT_SPREAD, label="Credit from",
                        choices={CREDIT_SPREAD: "a spread and a recovery rate",
                                 CREDIT_PROBABILITY: "an annual default probability",
                                 CREDIT_RATING: "a rating"},
                        help="A spread s and recovery R: hazard h = s / (1 - R) (the credit "
                             "triangle). An annual default probability p: h = -ln(1 - p). A "
                             "rating: p from the generic one-year default rate of that rating "
                             "(core/credit.py states its source). Survival to t years: "
                             "exp(-h t).")
    spread_bp: float = quantity(100.0, label="Credit spread", unit="bp", minimum=0.0,
                                maximum=10_000.0, decimals=0, step=5.0,
                                help="A CDS spread or a bond's spread over Treasuries, in basis "
                                     "points a year.")
    recovery_pct: float = quantity(40.0, label="Recovery rate", unit="%", minimum=0.0,
                                   maximum=99.0, step=5.0,
                                   help="Share of the loss recovered in a default. 40% is the "
                                        "ISDA convention for senior unsecured debt (S&P's long-run "
                                        "bond average 39%; loans about 74%).")
    annual_default_pct: float = quantity(1.0, label="Annual default probability", unit="%",
                                         minimum=0.0, maximum=99.0, step=0.1, decimals=3,
                                         help="The chance of default within a year: hazard "
                                              "h = -ln(1 - p).")
    rating: str = choice("BBB", label="Rating", choices={r: r for r in RATINGS},
                         help=f"A long-term rating, mapped to a generic one-year default rate "
                              f"p, hazard h = -ln(1 - p): {rating_table_text()}. "
                              f"{RATING_LABEL} {RATING_SOURCE}; {RATING_DATE}.")
    label: str = choice("[E]", label="Label", choices=FIGURE_LABELS,
                        help="[R] reported, [E] a third party's estimate, [D] derived here, [U] "
                             "the user's own figure.")
    as_of: str = text("", label="As of", max_length=40,
                      help="When the figure was published or observed.")
    source: str = text("", label="Source", max_length=200, help="Where the figure comes from.")
    guarantor_name: str = text("", label="Guarantor", max_length=80,
                               help="A third party guaranteeing part of what this party owes "
                                    "(as Google backstops Fluidstack's leases); empty for none.")
    guaranteed_pct: float = quantity(0.0, label="Share guaranteed", unit="%", minimum=0.0,
                                     maximum=100.0, step=5.0,
                                     help="The share of the loss the guarantor stands behind: "
                                          "that share takes the guarantor's hazard and recovery "
                                          "(substitution), the rest the party's own.")
    guarantor_spread_bp: float = quantity(0.0, label="Guarantor's spread", unit="bp",
                                          minimum=0.0, maximum=10_000.0, decimals=0, step=5.0,
                                          help="The guarantor's credit spread; its hazard is "
                                               "spread / (1 - its recovery).")
    guarantor_recovery_pct: float = quantity(40.0, label="Guarantor's recovery", unit="%",
                                             minimum=0.0, maximum=99.0, step=5.0,
                                             help="The guarantor's recovery rate.")

    def __post_init__(self):
        _validate(self)


PARTY_CREDIT_FIELDS = tuple(f.name for f in dataclasses.fields(PartyCredit))
_SIDE_NAME = {"provider": "Provider", "buyer": "Buyer"}


def _party_field(side: str, name: str, default):
    """PartyCredit's field `name` as one of the credit section's flat fields
    (`side`_`name`): the label names the side, the rest is PartyCredit's."""
    f = PartyCredit.__dataclass_fields__[name]
    meta = dict(f.metadata)
    meta["label"] = f"{_SIDE_NAME[side]}: {meta['label'][0].lower()}{meta['label'][1:]}"
    return field(default=default, metadata=meta)


@dataclass(frozen=True)
class Credit:
    """Each party's credit and how its default moves with the market
    (core/credit.py).  Flat fields, `provider_*` and `buyer_*`, one per
    PartyCredit field (`party()` gathers them), so every view of a section's
    inputs (risk, solve, comparison, exports, the workbook) reads them as it
    reads the others.  Defaults: the presets of core/credit.py (the provider at
    SpaceX's June 2026 bond spread [R], the buyer at a BB rating proxy [E])."""
    provider_name: str = _party_field("provider", "name", "SpaceX (with xAI)")
    provider_basis: str = _party_field("provider", "basis", CREDIT_SPREAD)
    provider_spread_bp: float = _party_field("provider", "spread_bp", 140.0)
    provider_recovery_pct: float = _party_field("provider", "recovery_pct", 40.0)
    provider_annual_default_pct: float = _party_field("provider", "annual_default_pct", 1.0)
    provider_rating: str = _party_field("provider", "rating", "BBB")
    provider_label: str = _party_field("provider", "label", "[R]")
    provider_as_of: str = _party_field("provider", "as_of", "Jun 2026")
    provider_source: str = _party_field(
        "provider", "source", "BBB senior unsecured bonds, the 2036s about 140 bp over "
                              "Treasuries ($25B at 5.35-6.65%)")
    provider_guarantor_name: str = _party_field("provider", "guarantor_name", "")
    provider_guaranteed_pct: float = _party_field("provider", "guaranteed_pct", 0.0)
    provider_guarantor_spread_bp: float = _party_field("provider", "guarantor_spread_bp", 0.0)
    provider_guarantor_recovery_pct: float = _party_field("provider", "guarantor_recovery_pct",
                                                          40.0)
    buyer_name: str = _party_field("buyer", "name", "Anthropic (proxy)")
    buyer_basis: str = _party_field("buyer", "basis", CREDIT_RATING)
    buyer_spread_bp: float = _party_field("buyer", "spread_bp", 100.0)
    buyer_recovery_pct: float = _party_field("buyer", "recovery_pct", 40.0)
    buyer_annual_default_pct: float = _party_field("buyer", "annual_default_pct", 1.0)
    buyer_rating: str = _party_field("buyer", "rating", "BB")
    buyer_label: str = _party_field("buyer", "label", "[E]")
    buyer_as_of: str = _party_field("buyer", "as_of", RATING_DATE)
    buyer_source: str = _party_field(
        "buyer", "source", "no public CDS or rating found: the app's proxy, rating BB's "
                           "one-year default rate from the app's rating table [E]")
    buyer_guarantor_name: str = _party_field("buyer", "guarantor_name", "")
    buyer_guaranteed_pct: float = _party_field("buyer", "guaranteed_pct", 0.0)
    buyer_guarantor_spread_bp: float = _party_field("buyer", "guarantor_spread_bp", 0.0)
    buyer_guarantor_recovery_pct: float = _party_field("buyer", "guarantor_recovery_pct", 40.0)
    provider_wrong_way_pct: float = quantity(
        0.0, label="Provider wrong-way correlation", unit="%", minimum=-99.0, maximum=99.0,
        step=10.0,
        help="Gaussian-copula correlation between the provider's default and falling rents in "
             "the simulated market: positive makes the provider likelier to fail when rents "
             "fall. 0: independent (the simulated loss then equals the analytic one).")
    buyer_wrong_way_pct: float = quantity(
        0.0, label="Buyer wrong-way correlation", unit="%", minimum=-99.0, maximum=99.0,
        step=10.0,
        help="Gaussian-copula correlation between the buyer's default and its falling token "
             "price: positive makes the buyer likelier to fail when its token price falls.")

    def __post_init__(self):
        _validate(self)

    def party(self, side: str) -> PartyCredit:
        """One side's credit ("provider" or "buyer") as a PartyCredit (built and
        validated once for equal Credit records: every compute asks for both)."""
        return _party(self, side)

    def with_party(self, side: str, party: PartyCredit) -> "Credit":
        """A copy with one side's credit replaced (a preset, say)."""
        return dataclasses.replace(self, **{f"{side}_{n}": getattr(party, n)
                                            for n in PARTY_CREDIT_FIELDS})


@functools.lru_cache(maxsize=32)
def _party(credit: Credit, side: str) -> PartyCredit:
    """Credit.party, kept by the (frozen, hashable) Credit record and side."""
    return PartyCredit(**{n: getattr(credit, f"{side}_{n}") for n in PARTY_CREDIT_FIELDS})


@dataclass(frozen=True)
class CaseChange:
    """One input of a named case at its own value ("contract.monthly_fee" at $1.0B)."""
    input: str = text("contract.monthly_fee", label="Input", max_length=80,
                      help="The input's key, section.field, as the scenario file names it.")
    value: float = quantity(0.0, label="Value", unit="", minimum=-1e15, maximum=1e15,
                            help="The input's value in this case, in the input's own unit.")

    def __post_init__(self):
        _validate(self)


@dataclass(frozen=True)
class Case:
    """A named case (base, upside, downside): some inputs changed from the
    scenario's, and the weight the user gives it (core/cases.py weighs them)."""
    name: str = text("Base", label="Case", max_length=40,
                     help="The case's name, shown in tables and reports.")
    weight_pct: float = quantity(0.0, label="Weight", unit="%", minimum=0.0, maximum=100.0,
                                 help="How likely the case is; the weighted figure divides by "
                                      "the weights' sum.")
    changes: tuple[CaseChange, ...] = ()

    def __post_init__(self):
        _validate(self)


# Scenario.cases may be absent from a file (format 3 had none): it loads as ().
OPTIONAL_FIELDS = frozenset({"cases"})


@dataclass(frozen=True)
class Scenario:
    name: str = "Colossus lease 2026"
    contract: ContractTerms = field(default_factory=ContractTerms)
    hardware: ClusterHardware = field(default_factory=ClusterHardware)
    projections: Projections = field(default_factory=Projections)
    # Named cases (base, upside, downside): optional in the file, none by default.
    cases: tuple[Case, ...] = ()

    market: Market = field(default_factory=Market)
    credit: Credit = field(default_factory=Credit)

    SECTIONS = ("contract", "hardware", "projections", "market", "credit")

    def __post_init__(self):
        # Each case changes numeric inputs, each to a value in the input's range.
        classes = {"contract": ContractTerms, "hardware": ClusterHardware,
                   "projections": Projections}
        for case in self.cases:
            for change in case.changes:
                section, _dot, name = change.input.partition(".")
                try:
                    meta = field_meta(classes[section], name)
                except KeyError:
                    meta = {}
                if meta.get("kind") != "number":
                    raise ParameterError("cases", "Cases", f"Case {case.name!r}: "
                                         f"{change.input!r} is not a numeric input")
                lo, hi = meta["minimum"], meta["maximum"]
                if (lo is not None and change.value < lo) or (hi is not None
                                                              and change.value > hi):
                    raise ParameterError("cases", "Cases", f"Case {case.name!r}: {meta['label']} "
                                         f"must be between {format_range(meta)}; "
                                         f"{change.value:,g} is out of range")

    def with_changes(self, section: str, **changes) -> "Scenario":
        """A copy with some fields of one section replaced; validates them."""
        if section not in self.SECTIONS:
            raise KeyError(section)
        part = dataclasses.replace(getattr(self, section), **changes)
        return dataclasses.replace(self, **{section: part})
