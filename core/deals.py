"""Public compute deals side by side: the deals as data, their unit prices, and
how the current scenario compares.

The app ships every deal of MARKET.md §2 in resources/public_deals.json; a
user's own deals (imported from CSV or .xlsx) live in a user deals file of the
same format (`user_deals_path`).  A file is read strictly, like a scenario
file: anything it cannot read exactly raises `DealFileError` (a
ScenarioFileError: one line naming the file, the record and the field).

Every figure of a deal is a `DealFigure`: its value in documented units (US
dollars, months, MW, GPUs), whether it is exact, about, a lower or an upper
bound, its label ([R] reported, [E] estimate, [D] derived), date and source,
and the text as the source stated it.

Unit prices (`normalise`): $ per MW-year, $ per GPU-hour and $ per
H100e-hour, each a `UnitPrice` that carries the assumption behind it (which
figures it divides, and which way the bounds push it).  `findings` says, in
one sentence each, where the current scenario lies outside the range of the
public deals of its type; `deals_section` gives the finding and the table rows
for the board pack.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.formatting import format_count, format_money
from core.parameters import ClusterHardware, Scenario
from core.presets import GPU_PRESETS
from core.scenario_file import (MAX_FILE_BYTES, ScenarioFileError, _parse_float, _parse_int,
                                _read_regular_file, _reject_duplicate_keys, _type_name)
from core.timeline import h100e_per_gpu, h100e_weighting_label

FORMAT_NAME = "compute-deal-modeler/deals"
FORMAT_VERSION = 1
PUBLIC_DEALS_PATH = Path(__file__).resolve().parents[1] / "resources" / "public_deals.json"
USER_DEALS_FILE = "user_deals.json"

HOURS_PER_YEAR = 8_760          # MARKET.md's normalised table: 365 days x 24
MONTHS_PER_YEAR = 12

GPU_CLOUD, TPU_CLOUD, COLOCATION = "gpu_cloud", "tpu_cloud", "colocation"
DEAL_TYPES = {GPU_CLOUD: "GPU cloud", TPU_CLOUD: "TPU cloud", COLOCATION: "colocation"}
LABELS = {"R": "reported", "E": "estimate", "D": "derived"}
EXACT, ABOUT, AT_LEAST, AT_MOST = "exact", "about", "at_least", "at_most"
BOUNDS = {EXACT: "", ABOUT: "~", AT_LEAST: "\u2265", AT_MOST: "\u2264"}
BOUND_WORDS = {EXACT: "exact", ABOUT: "about", AT_LEAST: "a lower bound", AT_MOST: "an upper bound"}
PARTIES = ("either", "buyer", "provider", "neither")

# Each figure's unit and allowed range (a value outside is refused on reading).
FIGURES: dict[str, tuple[str, str, float, float]] = {
    # name: (label, unit, minimum, maximum)
    "value_low": ("Value", "$", 1e6, 1e13),
    "value_high": ("Value, upper end", "$", 1e6, 1e13),
    "term_months": ("Term", "months", 1, 600),
    "mw": ("Power", "MW", 1, 100_000),
    "gpus": ("GPUs", "GPUs", 1, 100_000_000),
}
FIGURE_WORDS = {"value_low": "value", "value_high": "upper end", "term_months": "term",
                "mw": "MW", "gpus": "GPUs"}
TEXTS = ("key", "buyer", "provider", "site", "deal_type", "announced", "start", "may_terminate",
         "rights", "notes")
RECORD_FIELDS = TEXTS + tuple(FIGURES) + ("gpu_models", "notice_days")
FIGURE_FIELDS = ("value", "bound", "label", "date", "source", "as_stated")
_MONTH = re.compile(r"^(\d{4})(?:-(\d{2}))?$")
MAX_TEXT = 300
MAX_DEALS = 1_000


class DealFileError(ScenarioFileError):
    """A deals file was refused: one line naming the file, the deal and the field."""


@dataclass(frozen=True)
class DealFigure:
    """One figure of a deal, in the unit FIGURES gives it, with where it comes from."""
    value: float
    bound: str = EXACT          # exact, about, at_least, at_most
    label: str = "R"            # R reported, E estimate, D derived
    date: str = ""              # YYYY-MM or YYYY
    source: str = ""
    as_stated: str = ""

    @property
    def tag(self) -> str:
        """The label, date and source as shown beside the figure: "[R] 2025-09, MARKET.md"."""
        return f"[{self.label}] {self.date}, {self.source}".strip(", ")


@dataclass(frozen=True)
class Deal:
    """One compute deal, as MARKET.md §2 lists it (or as a user added it)."""
    key: str
    buyer: str
    provider: str
    deal_type: str
    announced: str                      # YYYY-MM or YYYY
    site: str = ""
    start: str = ""                     # YYYY-MM when stated; "" otherwise
    value_low: DealFigure | None = None
    value_high: DealFigure | None = None
    term_months: DealFigure | None = None
    mw: DealFigure | None = None
    gpus: DealFigure | None = None
    gpu_models: tuple[str, ...] = ()
    may_terminate: str = "neither"
    notice_days: int = 0
    rights: str = ""
    notes: str = ""
    origin: str = "public"              # public (shipped) or user (imported)

    @property
    def title(self) -> str:
        return f"{self.buyer} \u2190 {self.provider}"

    def figures(self) -> dict[str, DealFigure]:
        """The figures the deal states, by field name."""
        return {name: getattr(self, name) for name in FIGURES if getattr(self, name) is not None}


# --- reading -------------------------------------------------------------------------

def _where(index: int, record: Any) -> str:
    key = record.get("key") if isinstance(record, dict) else None
    return f"deals[{index}]" + (f" ({key})" if isinstance(key, str) and key else "")


def _text(record: dict, name: str, where: str, required: bool) -> str:
    value = record.get(name)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise DealFileError("expected text" + (", not empty" if required else "")
                            + f", got {_type_name(value)}", f"{where}.{name}")
    if len(value) > MAX_TEXT:
        raise DealFileError(f"expected at most {MAX_TEXT} characters", f"{where}.{name}")
    return value


def _month_text(value: str, where: str, required: bool) -> str:
    if not value and not required:
        return ""
    match = _MONTH.match(value)
    if not match or not 2000 <= int(match.group(1)) <= 2100 or (
            match.group(2) and not 1 <= int(match.group(2)) <= 12):
        raise DealFileError(f"expected a month YYYY-MM or a year YYYY between 2000 and 2100, "
                            f"got {value[:40]!r}", where)
    return value


def _number(value: Any, where: str, low: float, high: float, unit: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise DealFileError(f"expected a number in {unit}, got {_type_name(value)}", where)
    if not low <= value <= high:
        raise DealFileError(f"expected a number between {low:,g} and {high:,g} {unit}, "
                            f"got {value:,g}", where)
    return float(value)


def _figure(data: Any, name: str, where: str) -> DealFigure | None:
    if data is None:
        return None
    at = f"{where}.{name}"
    if not isinstance(data, dict):
        raise DealFileError("expected an object (value, bound, label, date, source) or null", at)
    for key in data:
        if key not in FIGURE_FIELDS:
            raise DealFileError(f"unknown field; a figure has {', '.join(FIGURE_FIELDS)}",
                                f"{at}.{str(key)[:40]}")
    label, unit, low, high = FIGURES[name]
    value = _number(data.get("value"), f"{at}.value", low, high, unit)
    bound = data.get("bound", EXACT)
    if bound not in BOUNDS:
        raise DealFileError(f"expected one of {', '.join(BOUNDS)}", f"{at}.bound")
    tag = data.get("label")
    if tag not in LABELS:
        raise DealFileError("expected R (reported), E (estimate) or D (derived)", f"{at}.label")
    date = _month_text(_text(data, "date", at, True), f"{at}.date", True)
    source = _text(data, "source", at, True)
    return DealFigure(value, bound, tag, date, source, _text(data, "as_stated", at, False))


def decode_deal(record: Any, index: int, origin: str = "public") -> Deal:
    """One record of a deals file as a Deal, or DealFileError naming the field."""
    where = _where(index, record)
    if not isinstance(record, dict):
        raise DealFileError("expected an object", where)
    for key in record:
        if key not in RECORD_FIELDS:
            raise DealFileError(f"unknown field; a deal has {', '.join(RECORD_FIELDS)}",
                                f"{where}.{str(key)[:40]}")
    texts = {name: _text(record, name, where,
                         name in ("key", "buyer", "provider", "deal_type", "announced"))
             for name in TEXTS}
    if texts["deal_type"] not in DEAL_TYPES:
        raise DealFileError(f"expected one of {', '.join(DEAL_TYPES)}", f"{where}.deal_type")
    texts["announced"] = _month_text(texts["announced"], f"{where}.announced", True)
    texts["start"] = _month_text(texts["start"], f"{where}.start", False)
    if texts["may_terminate"] == "":
        texts["may_terminate"] = "neither"
    if texts["may_terminate"] not in PARTIES:
        raise DealFileError(f"expected one of {', '.join(PARTIES)}", f"{where}.may_terminate")
    models = record.get("gpu_models", [])
    if not isinstance(models, list) or any(m not in GPU_PRESETS for m in models):
        raise DealFileError(f"expected a list of GPU models from {', '.join(GPU_PRESETS)}",
                            f"{where}.gpu_models")
    notice = record.get("notice_days", 0)
    notice = int(_number(notice, f"{where}.notice_days", 0, 3650, "days"))
    figures = {name: _figure(record.get(name), name, where) for name in FIGURES}
    low, high = figures["value_low"], figures["value_high"]
    if high is not None and (low is None or high.value < low.value):
        raise DealFileError("expected an upper end at least the value (value_low)",
                            f"{where}.value_high")
    return Deal(deal_type=texts.pop("deal_type"), gpu_models=tuple(models), notice_days=notice,
                origin=origin, **texts, **figures)  # type: ignore[arg-type]


def decode_deals(document: Any, origin: str = "public") -> tuple[Deal, ...]:
    if not isinstance(document, dict) or document.get("format") != FORMAT_NAME:
        raise DealFileError(f"not a deals file (expected \"format\": \"{FORMAT_NAME}\")", "format")
    if document.get("version") != FORMAT_VERSION:
        raise DealFileError(f"expected version {FORMAT_VERSION}", "version")
    raw = document.get("deals")
    if not isinstance(raw, list) or len(raw) > MAX_DEALS:
        raise DealFileError(f"expected a list of at most {MAX_DEALS:,} deals", "deals")
    deals = tuple(decode_deal(record, i, origin) for i, record in enumerate(raw))
    keys = [d.key for d in deals]
    for i, key in enumerate(keys):
        if key in keys[:i]:
            raise DealFileError(f"expected a key no other deal uses; {key!r} is used twice",
                                f"deals[{i}].key")
    return deals


def read_deals(path: str | os.PathLike, origin: str = "public") -> tuple[Deal, ...]:
    """Every deal of a deals file; DealFileError (one line naming the file,
    the deal and the field) on any problem.  Never writes."""
    path = Path(path)
    try:
        data = _read_regular_file(path)
        if len(data) > MAX_FILE_BYTES:
            raise DealFileError("is too large to be a deals file")
        document = json.loads(data.decode("utf-8-sig"), object_pairs_hook=_reject_duplicate_keys,
                              parse_int=_parse_int, parse_float=_parse_float)
        return decode_deals(document, origin)
    except UnicodeDecodeError:
        raise DealFileError("not UTF-8 text; expected a JSON deals file", file=path) from None
    except json.JSONDecodeError as error:
        raise DealFileError(f"not valid JSON ({error.msg} at line {error.lineno}); expected a "
                            f"JSON deals file", file=path) from None
    except ScenarioFileError as error:
        raise DealFileError(error.detail, error.field, path) from None


def public_deals() -> tuple[Deal, ...]:
    """The deals the app ships (resources/public_deals.json)."""
    return read_deals(PUBLIC_DEALS_PATH)


def all_deals(user_path: str | os.PathLike | None = None) -> tuple[Deal, ...]:
    """The shipped deals, then the user's (if the file exists)."""
    deals = public_deals()
    if user_path is not None and Path(user_path).exists():
        deals += read_deals(user_path, origin="user")
    return deals


def user_deals_path(data_dir: str | os.PathLike) -> Path:
    """Where the user's own deals are kept: `user_deals.json` in the app's data
    folder, beside the autosave folder, so they are there in every workspace."""
    return Path(data_dir) / USER_DEALS_FILE


# --- writing the user's deals --------------------------------------------------------

def _encode_figure(figure: DealFigure | None) -> dict | None:
    if figure is None:
        return None
    return {"value": figure.value, "bound": figure.bound, "label": figure.label,
            "date": figure.date, "source": figure.source, "as_stated": figure.as_stated}


def encode_deal(deal: Deal) -> dict:
    out: dict[str, Any] = {name: getattr(deal, name) for name in TEXTS}
    out.update({name: _encode_figure(getattr(deal, name)) for name in FIGURES})
    out.update(gpu_models=list(deal.gpu_models), notice_days=deal.notice_days)
    return out


def dumps_deals(deals: tuple[Deal, ...]) -> str:
    return json.dumps({"format": FORMAT_NAME, "version": FORMAT_VERSION,
                       "deals": [encode_deal(d) for d in deals]},
                      indent=1, ensure_ascii=False, allow_nan=False) + "\n"


def write_user_deals(deals: tuple[Deal, ...], path: str | os.PathLike) -> None:
    """Write the user's deals safely (core.safe_write: temporary, fsync, rename)."""
    from core.safe_write import write_bytes
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    write_bytes(path, dumps_deals(deals).encode("utf-8"))


# --- unit prices ---------------------------------------------------------------------

def per_mw_year(value: float, term_months: float, mw: float) -> float:
    """$ per MW-year = value / (term months / 12) / MW."""
    return value / (term_months / MONTHS_PER_YEAR) / mw


def per_gpu_hour(value: float, term_months: float, gpus: float) -> float:
    """$ per GPU-hour = value / (term years x 8,760 hours x GPUs)."""
    return value / (term_months / MONTHS_PER_YEAR * HOURS_PER_YEAR * gpus)


def per_h100e_hour(price_per_gpu_hour: float, h100e_per_gpu: float) -> float:
    """$ per H100e-hour = $ per GPU-hour / the model's H100-equivalents per GPU."""
    return price_per_gpu_hour / h100e_per_gpu


def quotient_bound(numerator: str, *denominators: str) -> str:
    """Which way a quotient's bounds push it: a lower bound above (or an upper
    bound below) makes the quotient a lower bound, and the reverse an upper
    bound; bounds that push both ways leave it approximate."""
    pushes = set()
    if numerator == AT_LEAST:
        pushes.add(AT_LEAST)
    elif numerator == AT_MOST:
        pushes.add(AT_MOST)
    for bound in denominators:
        if bound == AT_LEAST:
            pushes.add(AT_MOST)
        elif bound == AT_MOST:
            pushes.add(AT_LEAST)
    if len(pushes) == 1:
        return pushes.pop()
    if pushes:
        return ABOUT
    return EXACT if all(b == EXACT for b in (numerator, *denominators)) else ABOUT


def bound_sentence(bound: str) -> str:
    return {AT_LEAST: "so the true unit price is at least this",
            AT_MOST: "so the true unit price is at most this",
            ABOUT: "so the unit price is approximate",
            EXACT: ""}[bound]


@dataclass(frozen=True)
class UnitPrice:
    """A normalised figure [D]: `value` (or a `low`-`high` range when a GPU
    mix is unknown), whether it is a bound, and the assumption behind it."""
    value: float | None
    bound: str = ABOUT
    assumption: str = ""
    low: float | None = None
    high: float | None = None

    @property
    def known(self) -> bool:
        return self.value is not None or self.low is not None

    def text(self, digits: int = 3) -> str:
        if self.value is None and self.low is None:
            return "n/a"
        if self.value is None:
            return f"{format_money(self.low, digits)}\u2013{format_money(self.high, digits)}"
        return BOUNDS[self.bound] + format_money(self.value, digits)


NOT_AVAILABLE = UnitPrice(None, ABOUT, "")


def _why(figure: DealFigure, name: str) -> str:
    return f"{FIGURE_WORDS[name]} {BOUND_WORDS[figure.bound]}"


def _explain(parts: str, bound: str, used: list[tuple[DealFigure, str]]) -> str:
    """The parts of a quotient, then the figures that are not exact and which
    way they push it: "$45.0B / 3 years / 300 MW; value about, power a lower
    bound, so the true unit price is at most this"."""
    loose = [_why(f, n) for f, n in used if f.bound != EXACT]
    tail = "; " + ", ".join(loose) if loose else ""
    sentence = bound_sentence(bound)
    return parts + tail + (f", {sentence}" if sentence and loose else "")


def _range_note(deal: Deal) -> str:
    if deal.value_high is None:
        return ""
    return (f" (the lower end of {format_money(deal.value_low.value)}\u2013"
            f"{format_money(deal.value_high.value)})") if deal.value_low else ""


def normalised_per_mw_year(deal: Deal) -> UnitPrice:
    """$ per MW-year of a deal, with its assumption; n/a without value, term or MW."""
    v, t, mw = deal.value_low, deal.term_months, deal.mw
    if v is None or t is None or mw is None:
        return UnitPrice(None, ABOUT, "n/a: " + _missing(deal, ("value_low", "term_months", "mw")))
    bound = quotient_bound(v.bound, t.bound, mw.bound)
    what = "critical IT MW" if deal.deal_type == COLOCATION else "MW"
    parts = (f"{format_money(v.value)}{_range_note(deal)} / {t.value / 12:.3g} years / "
             f"{mw.value:,.0f} {what}")
    return UnitPrice(per_mw_year(v.value, t.value, mw.value), bound,
                     _explain(parts, bound, [(v, "value_low"), (t, "term_months"), (mw, "mw")]))


def normalised_per_gpu_hour(deal: Deal) -> UnitPrice:
    """$ per GPU-hour of a deal (8,760 hours a year), with its assumption."""
    if deal.deal_type == COLOCATION:
        return UnitPrice(None, ABOUT, "n/a: a colocation lease buys power and a shell; the "
                                      "tenant brings the GPUs")
    v, t, g = deal.value_low, deal.term_months, deal.gpus
    if v is None or t is None or g is None:
        return UnitPrice(None, ABOUT, "n/a: " + _missing(deal, ("value_low", "term_months", "gpus")))
    bound = quotient_bound(v.bound, t.bound, g.bound)
    unit = "TPUs" if deal.deal_type == TPU_CLOUD else "GPUs"
    parts = (f"{format_money(v.value)}{_range_note(deal)} / ({t.value / 12:.3g} years x 8,760 "
             f"hours x {g.value:,.0f} {unit})")
    return UnitPrice(per_gpu_hour(v.value, t.value, g.value), bound,
                     _explain(parts, bound, [(v, "value_low"), (t, "term_months"), (g, "gpus")]))


# H100-equivalents per GPU weighted by inference throughput (tokens/s against
# the H100 SXM's 2,675: core/timeline.py), the default workload's weighting.
_INFERENCE_WEIGHTING = Scenario(hardware=ClusterHardware())


def model_h100e(model: str) -> float:
    """H100-equivalents of one GPU of a preset model, by inference throughput."""
    return float(h100e_per_gpu(_INFERENCE_WEIGHTING, [GPU_PRESETS[model]])[0])


def normalised_per_h100e_hour(deal: Deal) -> UnitPrice:
    """$ per H100e-hour: $ per GPU-hour / the model's H100-equivalence; with a
    mix of models in unknown shares, the range from the most to the least
    H100-equivalent model."""
    gpu_hour = normalised_per_gpu_hour(deal)
    if gpu_hour.value is None:
        return UnitPrice(None, ABOUT, gpu_hour.assumption)
    if not deal.gpu_models:
        return UnitPrice(None, ABOUT, "n/a: the GPU model is not stated")
    weighting = h100e_weighting_label(_INFERENCE_WEIGHTING)
    equivalents = {m: model_h100e(m) for m in deal.gpu_models}
    if len(equivalents) == 1:
        (model, eq), = equivalents.items()
        return UnitPrice(per_h100e_hour(gpu_hour.value, eq), gpu_hour.bound,
                         f"{gpu_hour.text()} per GPU-hour / {eq:.3g} H100e per {model} "
                         f"({weighting})")
    low = per_h100e_hour(gpu_hour.value, max(equivalents.values()))
    high = per_h100e_hour(gpu_hour.value, min(equivalents.values()))
    return UnitPrice(None, gpu_hour.bound,
                     f"{gpu_hour.text()} per GPU-hour / {', '.join(f'{eq:.3g} ({m})' for m, eq in equivalents.items())} "
                     f"H100e per GPU; the mix is not stated, so the range runs from all "
                     f"{max(equivalents, key=equivalents.__getitem__)} to all "
                     f"{min(equivalents, key=equivalents.__getitem__)} ({weighting})",
                     low, high)


def _missing(deal: Deal, names: tuple[str, ...]) -> str:
    absent = [FIGURE_WORDS[n] for n in names if getattr(deal, n) is None]
    return ", ".join(absent) + " not stated"


@dataclass(frozen=True)
class NormalisedDeal:
    deal: Deal
    per_mw_year: UnitPrice
    per_gpu_hour: UnitPrice
    per_h100e_hour: UnitPrice


def normalise(deal: Deal) -> NormalisedDeal:
    return NormalisedDeal(deal, normalised_per_mw_year(deal), normalised_per_gpu_hour(deal),
                          normalised_per_h100e_hour(deal))


# --- the scenario among the deals ----------------------------------------------------

@dataclass(frozen=True)
class ScenarioPrices:
    """The current scenario normalised as the deals are, from its results."""
    name: str
    deal_type: str
    per_mw_year: float | None
    per_gpu_hour: float | None
    per_h100e_hour: float | None
    assumption: str


def scenario_prices(scenario: Scenario, results) -> ScenarioPrices:
    """The scenario's own unit prices (its key figures): total contract value
    / GPU-hours delivered; price per MW-month x 12; per H100e-hour."""
    k = results.key_figures

    def finite(value) -> float | None:
        return float(value) if value is not None and math.isfinite(value) and value > 0 else None
    mw_month = finite(k.price_per_mw_month)
    return ScenarioPrices(
        scenario.name, GPU_CLOUD, None if mw_month is None else mw_month * MONTHS_PER_YEAR,
        finite(k.price_per_gpu_hour), finite(k.price_per_h100e_hour),
        "the scenario's total contract value over its delivered GPU-hours (actual hours and "
        "availability) and its contracted MW x 12 months; a GPU cloud deal")


def _words(name: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", name.lower()))


def is_scenario_deal(deal: Deal, scenario: Scenario) -> bool:
    """Whether a public deal is the scenario's own deal (same buyer, a provider
    name in common): it is not its own benchmark."""
    c = scenario.contract
    return (_words(deal.buyer) == _words(c.buyer) and bool(_words(deal.provider) & _words(c.provider)))


MEASURES = {"per_gpu_hour": "per GPU-hour", "per_mw_year": "per MW-year"}


@dataclass(frozen=True)
class Finding:
    """One sentence on where the scenario lies against the public deals of its type."""
    measure: str        # per_gpu_hour or per_mw_year
    ratio: float        # the scenario's figure / the nearest end of the range
    sentence: str


def findings(prices: ScenarioPrices, deals: tuple[NormalisedDeal, ...],
             scenario: Scenario | None = None) -> tuple[Finding, ...]:
    """A sentence for each measure on which the scenario lies outside the range
    of the public deals of its type (its own deal left out):
    "Colossus lease 2026 pays $7.78 per GPU-hour, 2.0x the highest public GPU
    cloud price per GPU-hour (Microsoft <- Nebius, <=$3.97)."
    """
    out = []
    kind = DEAL_TYPES[prices.deal_type]
    for measure, words in MEASURES.items():
        mine = getattr(prices, measure)
        points = [(getattr(n, measure), n.deal) for n in deals
                  if n.deal.deal_type == prices.deal_type and getattr(n, measure).value is not None
                  and not (scenario is not None and is_scenario_deal(n.deal, scenario))]
        if mine is None or not points:
            continue
        (top, top_deal) = max(points, key=lambda p: p[0].value)
        (bottom, bottom_deal) = min(points, key=lambda p: p[0].value)
        if mine > top.value:
            ratio, end, which, deal = mine / top.value, top, "highest", top_deal
        elif mine < bottom.value:
            ratio, end, which, deal = mine / bottom.value, bottom, "lowest", bottom_deal
        else:
            continue
        out.append(Finding(measure, ratio,
                           f"{prices.name} pays {format_money(mine)} {words}, {ratio:.1f}x the "
                           f"{which} public {kind} price {words} ({deal.title}, {end.text()})."))
    return tuple(out)


# --- the table, for the app, the command line and the board pack ---------------------

TABLE_COLUMNS = ("deal", "type", "value", "term", "MW", "GPUs", "announced", "$/MW-year",
                 "$/GPU-hour", "$/H100e-hour", "rights and terms")


def _figure_text(figure: DealFigure | None, name: str) -> str:
    if figure is None:
        return "\u2014"
    unit = FIGURES[name][1]
    if unit == "$":
        number = format_money(figure.value)
    elif unit == "months":
        number = f"{figure.value:,.0f} months"
    else:
        number = format_count(figure.value)
    return f"{BOUNDS[figure.bound]}{number} [{figure.label}]"


def table_rows(deals: tuple[NormalisedDeal, ...]) -> list[dict[str, Any]]:
    """One row a deal: each cell's text, and beside it the figures in their
    units with label, date, source and assumption (for tooltips and JSON)."""
    rows = []
    for n in deals:
        d = n.deal
        value = _figure_text(d.value_low, "value_low")
        if d.value_high is not None:
            value += f" to {_figure_text(d.value_high, 'value_high')}"
        rows.append({
            "key": d.key, "deal": d.title, "type": DEAL_TYPES[d.deal_type], "value": value,
            "term": _figure_text(d.term_months, "term_months"), "MW": _figure_text(d.mw, "mw"),
            "GPUs": _figure_text(d.gpus, "gpus") + (f" {'/'.join(d.gpu_models)}" if d.gpu_models
                                                      else ""),
            "announced": d.announced,
            "$/MW-year": n.per_mw_year.text(), "$/GPU-hour": n.per_gpu_hour.text(),
            "$/H100e-hour": n.per_h100e_hour.text(),
            "rights and terms": "; ".join(t for t in (d.rights, d.notes) if t),
            "origin": d.origin,
            "figures": {name: {"value": f.value, "bound": f.bound, "label": f.label,
                               "date": f.date, "source": f.source, "as_stated": f.as_stated}
                        for name, f in d.figures().items()},
            "normalised": {m: {"value": p.value, "low": p.low, "high": p.high, "bound": p.bound,
                               "label": "D", "assumption": p.assumption}
                           for m, p in (("per_mw_year", n.per_mw_year),
                                        ("per_gpu_hour", n.per_gpu_hour),
                                        ("per_h100e_hour", n.per_h100e_hour))},
        })
    return rows


def table_text(rows: list[dict[str, Any]]) -> str:
    """The table as aligned plain text (the command line)."""
    columns = TABLE_COLUMNS[:-1]
    cells = [[str(r[c]) for c in columns] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths))]
    lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths)) for row in cells]
    lines.append("Unit prices are derived [D] (8,760 hours a year); \u2265 / \u2264 mark bounds. "
                 "Labels: [R] reported, [E] estimate, [D] derived; sources in --json.")
    return "\n".join(line.rstrip() for line in lines)


@dataclass(frozen=True)
class DealsSection:
    """What the board pack shows of the public deals: the findings, the table
    and the scenario's own unit prices."""
    findings: tuple[Finding, ...]
    rows: list[dict[str, Any]] = field(default_factory=list)
    scenario: ScenarioPrices | None = None


def deals_section(scenario: Scenario, results, deals: tuple[Deal, ...] | None = None) -> DealsSection:
    """The deals finding and table rows for the board pack (and any export):
    call with the scenario and its results."""
    normalised = tuple(normalise(d) for d in (public_deals() if deals is None else deals))
    prices = scenario_prices(scenario, results)
    return DealsSection(findings(prices, normalised, scenario), table_rows(normalised), prices)


# --- a deal as a scenario ------------------------------------------------------------

def _month_start(text: str, after_announcement: bool) -> dt.date:
    year, _, month = text.partition("-")
    day = dt.date(int(year), int(month or 1), 1)
    if after_announcement:
        day = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return day


# The 3-year contract rent per GPU-hour, July 2026 [E] (MARKET.md §1: SemiAnalysis's
# survey as used in its AI Cloud TCO model): prices a deal that states no value.
CONTRACT_RENT_JUL_2026 = {"H100 SXM": 2.00, "H200": 2.90, "B200": 3.70, "GB200": 4.00,
                          "GB300": 5.00}
RENT_SOURCE = "[E] Jul 2026, SemiAnalysis 3-year contract rent (MARKET.md \u00a71)"
DEFAULT_TERM_MONTHS = 60
DEFAULT_MODEL = "GB300"
OPENED_MARK = "public deal, assumed"


def _start_of(deal: Deal) -> tuple[dt.date, str | None]:
    if deal.start:
        return _month_start(deal.start, False), None
    if "-" in deal.announced:
        start = _month_start(deal.announced, True)
        return start, f"starts {start:%b %Y}, the month after it was announced"
    start = dt.date(int(deal.announced) + 1, 1, 1)
    return start, f"starts {start:%b %Y}, after the year it was announced ({deal.announced})"


# The public deals whose buyer's payments a third party backs (MARKET.md §2):
# key: (guarantor, share of the payments guaranteed in %, why that share).
BUYER_BACKSTOPS = {
    "fluidstack-terawulf-2025": ("Google", 86.0, "$3.2B of the $3.7B lease [R], 86% [D]"),
    "fluidstack-cipher-2025": ("Google", 47.0, "$1.4B of about $3B [R], 47% [D]"),
    "fluidstack-hut8-2025": ("Google", 100.0, "the base term [R], all of it over the term modelled"),
}


def deal_scenario(deal: Deal) -> tuple[Scenario, tuple[str, ...]]:
    """A deal as a scenario, and the assumptions that fill what the deal does
    not state (marked in the scenario's name: "... (public deal, assumed: 3)").
    Stated figures are used as they are (a range's lower end, a bound's value)."""
    from core.examples import scenario_for
    from core.parameters import PRICING_MW_MONTH, ContractTerms, Credit, Tranche
    assumed: list[str] = []
    start, why = _start_of(deal)
    if why:
        assumed.append(why)
    months = int(round(deal.term_months.value)) if deal.term_months else DEFAULT_TERM_MONTHS
    months = min(max(months, 1), 240)
    if deal.term_months is None:
        assumed.append(f"a term of {DEFAULT_TERM_MONTHS} months (none stated)")
    elif deal.term_months.value > 240:
        assumed.append("the term cut to 240 months, the longest the model runs")
    models = deal.gpu_models or (DEFAULT_MODEL,)
    if not deal.gpu_models:
        assumed.append(f"{DEFAULT_MODEL} GPUs (no model stated)"
                       + (" standing for the TPUs" if deal.deal_type == TPU_CLOUD else ""))
    elif len(models) > 1:
        assumed.append(f"equal numbers of {', '.join(models)} (the mix is not stated)")
    hw = ClusterHardware()
    kw = sum(GPU_PRESETS[m].it_kw_per_gpu for m in models) / len(models)
    gpus = deal.gpus.value if deal.gpus else None
    mw = deal.mw.value if deal.mw else None
    value = deal.value_low.value if deal.value_low else None
    if gpus is None and mw is not None:
        gpus = mw * 1000 / (kw * hw.pue)
        assumed.append(f"{gpus:,.0f} GPUs: the {mw:,.0f} MW at {kw:.2f} kW per GPU and PUE "
                       f"{hw.pue:g}" + (" (the tenant's own GPUs)" if deal.deal_type == COLOCATION
                                        else ""))
    if value is None:
        rent = sum(CONTRACT_RENT_JUL_2026[m] for m in models) / len(models)
        if gpus is None:
            gpus = 100_000.0
            assumed.append("100,000 GPUs (neither GPUs nor MW stated)")
        value = rent * gpus * HOURS_PER_YEAR * months / MONTHS_PER_YEAR
        assumed.append(f"value {format_money(value)}: ${rent:.2f} per GPU-hour ({RENT_SOURCE})")
    if gpus is None:
        rent = sum(CONTRACT_RENT_JUL_2026[m] for m in models) / len(models)
        gpus = value / (rent * HOURS_PER_YEAR * months / MONTHS_PER_YEAR)
        assumed.append(f"{gpus:,.0f} GPUs: the value at ${rent:.2f} per GPU-hour ({RENT_SOURCE})")
    if mw is None:
        mw = gpus * kw * hw.pue / 1000
        assumed.append(f"{mw:,.0f} MW contracted: the GPUs at {kw:.2f} kW each and PUE {hw.pue:g}")
    if deal.may_terminate == "neither":
        assumed.append("no termination for convenience (none reported)")
    each = int(round(gpus / len(models)))
    tranches = tuple(Tranche(f"{deal.provider} ({m})"[:80], deal.site[:80] or "not stated", m,
                             each, start) for m in models)
    fee = value / months
    contract = ContractTerms(buyer=deal.buyer[:200], provider=deal.provider[:200],
                             start_date=start, term_months=months, monthly_fee=min(fee, 50e9),
                             terminating_party=deal.may_terminate, notice_days=deal.notice_days)
    if deal.deal_type == COLOCATION:
        contract = dataclasses.replace(contract, pricing_mode=PRICING_MW_MONTH,
                                       price_per_mw_month=value / months / mw)
    from core.credit import guaranteed, party_credit
    credit = Credit()
    for side, party_name in (("provider", deal.provider), ("buyer", deal.buyer)):
        party, said = party_credit(party_name)
        assumed.append(said)
        if side == "buyer" and deal.key in BUYER_BACKSTOPS:
            guarantor, share, why = BUYER_BACKSTOPS[deal.key]
            party = guaranteed(party, guarantor, share)
            assumed.append(f"{guarantor} guarantees {share:.0f}% of what {party_name} owes: {why}")
        credit = credit.with_party(side, party)
    name = f"{deal.buyer} \u2013 {deal.provider} ({OPENED_MARK}: {len(assumed)})"
    scenario = scenario_for(name[:200], contract, round(mw, 1), tranches)
    return dataclasses.replace(scenario, credit=credit), tuple(assumed)


# --- the user's own deals from a table (CSV, .xlsx, pasted cells) ----------------------

# Columns of a deals table: one row a deal.  Every figure of a row takes the
# row's label, date and source.  Required: buyer, provider, type, announced,
# label, source; the figures may be blank.
IMPORT_COLUMNS = ("buyer", "provider", "type", "announced", "value", "value_high", "term_months",
                  "mw", "gpus", "gpu_model", "may_terminate", "notice_days", "label", "source",
                  "notes")
_TYPE_WORDS = {**{k: k for k in DEAL_TYPES}, **{v.lower(): k for k, v in DEAL_TYPES.items()},
               "gpu-cloud": GPU_CLOUD, "tpu-cloud": TPU_CLOUD}
_IMPORT_FIGURES = {"value": "value_low", "value_high": "value_high", "term_months": "term_months",
                   "mw": "mw", "gpus": "gpus"}


def _cell_text(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m}"
    if isinstance(value, dt.date):
        return f"{value:%Y-%m}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _cell_number(text: str) -> tuple[float, str]:
    """"≥300" -> (300, at_least); "~$9.7B" -> (9.7e9, about); "1,250" -> (1250, exact)."""
    bound = EXACT
    for mark, name in (("\u2265", AT_LEAST), (">=", AT_LEAST), (">", AT_LEAST), ("\u2264", AT_MOST),
                       ("<=", AT_MOST), ("<", AT_MOST), ("~", ABOUT)):
        if text.startswith(mark):
            bound, text = name, text[len(mark):].strip()
            break
    text = text.replace("$", "").replace(",", "").replace(" ", "")
    scale = {"K": 1e3, "M": 1e6, "B": 1e9, "T": 1e12}.get(text[-1:].upper(), 1.0)
    if scale != 1.0:
        text = text[:-1]
    number = float(text)        # ValueError names nothing; the caller says which cell
    if not math.isfinite(number):
        raise ValueError(text)
    return number * scale, bound


def deals_from_table(table, origin: str = "user") -> tuple[tuple[Deal, ...], tuple[str, ...]]:
    """A table read by core.importing (read_file, read_pasted) as deals, and
    every refused cell as one line ("row 3, column 'mw': ...").  Columns are
    found by their headers (IMPORT_COLUMNS, any case); nothing is returned
    while any cell is refused."""
    from core.importing import row_number
    headers = [re.sub(r"[^a-z0-9]+", "_", h.lower()).strip("_") for h in table.headers]
    at = {name: headers.index(name) for name in IMPORT_COLUMNS if name in headers}
    refusals = [f"no column named {name!r} (the columns a deals table has: "
                f"{', '.join(IMPORT_COLUMNS)})"
                for name in ("buyer", "provider", "type", "announced", "label", "source")
                if name not in at]
    if refusals:
        return (), tuple(refusals)
    deals = []
    for r, row in enumerate(table.rows):
        cells = {name: _cell_text(row[i]) if i < len(row) else "" for name, i in at.items()}
        number = row_number(table, r)
        record: dict[str, Any] = {
            "key": f"user-{number}-{cells['buyer']}-{cells['provider']}".lower()[:MAX_TEXT],
            "buyer": cells["buyer"], "provider": cells["provider"],
            "deal_type": _TYPE_WORDS.get(cells["type"].lower(), cells["type"]),
            "announced": cells["announced"], "notes": cells.get("notes", ""),
            "may_terminate": cells.get("may_terminate", "").lower() or "neither",
            "gpu_models": [m.strip() for m in re.split(r"[/;]", cells.get("gpu_model", ""))
                           if m.strip()]}
        try:
            if cells.get("notice_days"):
                record["notice_days"] = _cell_number(cells["notice_days"])[0]
            for column, name in _IMPORT_FIGURES.items():
                if cells.get(column):
                    try:
                        value, bound = _cell_number(cells[column])
                    except ValueError:
                        raise DealFileError(f"expected a number, got {cells[column][:40]!r}",
                                            f"row {number}, column {column!r}") from None
                    record[name] = {"value": value, "bound": bound,
                                    "label": cells["label"].strip("[]").upper(),
                                    "date": cells["announced"], "source": cells["source"],
                                    "as_stated": cells[column]}
            deals.append(decode_deal(record, r, origin))
        except DealFileError as error:
            field_name = (error.field or "").rpartition(".")[2].split(")")[-1] or "row"
            where = error.field if (error.field or "").startswith("row ") else \
                f"row {number}, field {field_name!r}"
            refusals.append(f"{where}: {error.detail}")
    if refusals:
        return (), tuple(refusals)
    return tuple(deals), ()
