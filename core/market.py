"""The market the deal is priced against: rent presets per GPU model, the
monthly forward rent of each model, and the contract's mark-to-market.

Presets (MARKET.md §1): SemiAnalysis's July 2026 survey, the price of a
3-year committed rental, all-in, per GPU-hour [E].  They are data carried
with their label, date and source into the app, its help and its exports.

The forward path of each model, month i (0 = the start date's month):

- yearly change g: F_i = today's rent x (1 + g) ^ (days from the start to
  month i's first day / 365), compounded by actual days like every discount
  factor in the app;
- quotes q1 (1 month), q12 (1 year), q36 (3 years), each read as the average
  of the monthly forwards over its term starting now, forwards flat between
  tenors and solved tenor by tenor:  f = q1 for month 1;
  f = (12 q12 - q1) / 11 for months 2-12; f = (36 q36 - 12 q12) / 24 for
  months 13-36 and after (a quote set that would need a negative forward is
  floored at 0, with a warning);
- an imported monthly curve: the months it names for a model replace that
  model's forward; months it does not name follow the yearly change.

Mark-to-market (MARKET.md §4): the buyer's, month by month, is the delivered
GPU-hours of each model x (forward rent - the contract's price per
GPU-hour), discounted at the buyer's rate on the payment date (XNPV on
actual dates); summed over models it is (market value of the delivered
hours - invoice) x discount factor.  The provider's is the negative.  A GPU
model with no market rent is priced at 0 and named in a warning.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from core.parameters import (FORWARD_IMPORTED, FORWARD_QUOTES, Market, MarketRent, Scenario)

DAYS_PER_YEAR = 365.0
PRESET_DATE = "Jul 2026"
PRESET_SOURCE = "SemiAnalysis AI Cloud TCO rate card / InferenceX, Jul 2026"
PRESET_LABEL = "[E]"
# 3-year contract $/GPU-hour, July 2026 (MARKET.md §1), by the app's GPU model names.
PRESET_RENTS: dict[str, float] = {
    "H100 SXM": 2.00, "H200": 2.90, "B200": 3.70, "B300": 4.25, "GB200": 4.00, "GB300": 5.00,
}


def preset_rent(model: str, rent: float | None = None) -> MarketRent:
    """A model's preset row (every quote equal to the 3-year rent: a flat curve)."""
    value = PRESET_RENTS[model] if rent is None else rent
    return MarketRent(gpu_model=model, rent_per_gpu_hour=value, quote_1_month=value,
                      quote_1_year=value, quote_3_year=value, label=PRESET_LABEL,
                      as_of=PRESET_DATE, source=PRESET_SOURCE)


def preset_rents() -> tuple[MarketRent, ...]:
    return tuple(preset_rent(model) for model in PRESET_RENTS)


def bootstrap_quotes(q1: float, q12: float, q36: float, months: int) -> tuple[np.ndarray, bool]:
    """Monthly forwards from three quotes (see the module docstring), and
    whether a negative forward had to be floored at 0."""
    f2 = (12.0 * q12 - q1) / 11.0
    f13 = (36.0 * q36 - 12.0 * q12) / 24.0
    i = np.arange(months)
    forwards = np.where(i == 0, q1, np.where(i < 12, f2, f13))
    floored = bool(np.any(forwards < 0))
    return np.maximum(forwards, 0.0), floored


def yearly_path(rent: float, change_pct: float, day_start: np.ndarray) -> np.ndarray:
    """today's rent x (1 + change) ^ (days / 365), at each month's first day."""
    return rent * (1.0 + change_pct / 100.0) ** (np.asarray(day_start, float) / DAYS_PER_YEAR)


@dataclass(frozen=True)
class ForwardCurve:
    models: tuple[str, ...]          # the models priced, in the market's order
    rent: np.ndarray                 # models x months, $/GPU-hour
    warnings: tuple[str, ...]

    def for_model(self, model: str) -> np.ndarray | None:
        return self.rent[self.models.index(model)] if model in self.models else None


def forward_curve(market: Market, day_start: np.ndarray) -> ForwardCurve:
    """Each market rent row's monthly forward rent; `day_start`: days from the
    start date to each month's first day (months entries)."""
    n = len(day_start)
    rows, warnings = [], []
    imported: dict[str, dict[int, float]] = {}
    if market.forward_path == FORWARD_IMPORTED:
        for e in market.rent_curve:
            imported.setdefault(e.gpu_model, {})[e.month] = e.rent
    for r in market.rents:
        if market.forward_path == FORWARD_QUOTES:
            path, floored = bootstrap_quotes(r.quote_1_month, r.quote_1_year, r.quote_3_year, n)
            if floored:
                warnings.append(f"The {r.gpu_model} quotes imply a negative forward rent; it is "
                                f"taken as 0.")
        else:
            path = yearly_path(r.rent_per_gpu_hour, market.rent_change_pct_per_year, day_start)
        for month, rent in imported.get(r.gpu_model, {}).items():
            if month <= n:
                path[month - 1] = rent
        rows.append(path)
    if market.forward_path == FORWARD_IMPORTED:
        unknown = sorted(set(imported) - {r.gpu_model for r in market.rents})
        if unknown:
            warnings.append(f"The imported rent curve names GPU model(s) with no market rent "
                            f"row ({', '.join(unknown)}); add a row to use them.")
    models = tuple(r.gpu_model for r in market.rents)
    table = np.array(rows, dtype=float).reshape(len(models), n)
    return ForwardCurve(models, table, tuple(warnings))


@dataclass(frozen=True)
class MarketView:
    """The market beside the contract, month by month."""
    curve: ForwardCurve
    gpu_hours_by_model: dict[str, np.ndarray]
    market_value: np.ndarray          # delivered GPU-hours of each model x its forward rent ($)
    market_rent_per_gpu_hour: np.ndarray   # market_value / delivered GPU-hours (NaN with none)
    buyer_mtm: np.ndarray             # (market value - invoice) x buyer's discount factor
    provider_mtm: np.ndarray          # the negative
    premium_over_market_pct: float    # contract value / market value of the same hours - 1
    unpriced_models: tuple[str, ...]  # models online with no market rent (priced at 0)
    warnings: tuple[str, ...]

    @property
    def buyer_total(self) -> float:
        return float(self.buyer_mtm.sum())

    @property
    def provider_total(self) -> float:
        return float(self.provider_mtm.sum())


def gpu_hours_by_model(scenario: Scenario, gpus_by_model: dict[str, np.ndarray],
                       hours: np.ndarray) -> dict[str, np.ndarray]:
    availability = scenario.hardware.availability_pct / 100.0
    return {m: g * hours * availability for m, g in gpus_by_model.items()}


def market_value_of(curve: ForwardCurve, hours_by_model: dict[str, np.ndarray],
                    months: int) -> tuple[np.ndarray, tuple[str, ...]]:
    """Σ over models of delivered GPU-hours x forward rent; models with no rent."""
    value = np.zeros(months)
    unpriced = []
    for model, hours in hours_by_model.items():
        rent = curve.for_model(model)
        if rent is None:
            if np.any(hours > 0):
                unpriced.append(model)
            continue
        value = value + hours * rent
    return value, tuple(unpriced)


@dataclass(frozen=True)
class DeliveredValue:
    """The delivered GPU-hours of each model at the forward rents: what the
    market view reads of the market and the fleet (nothing of the fees)."""
    curve: ForwardCurve
    gpu_hours_by_model: dict[str, np.ndarray]
    market_value: np.ndarray          # delivered GPU-hours of each model x its forward rent ($)
    market_rent_per_gpu_hour: np.ndarray   # market_value / delivered GPU-hours (NaN with none)
    unpriced_models: tuple[str, ...]


def delivered_value(scenario: Scenario, day_start: np.ndarray, hours: np.ndarray,
                    gpus_by_model: dict[str, np.ndarray]) -> DeliveredValue:
    """`day_start`: days from the start to each month's first day (one a month,
    or the n + 1 boundaries); `hours`: hours in each month."""
    n = len(hours)
    curve = forward_curve(scenario.market, np.asarray(day_start[:n]))
    by_model = gpu_hours_by_model(scenario, gpus_by_model, hours)
    value, unpriced = market_value_of(curve, by_model, n)
    gpu_hours = sum(by_model.values()) if by_model else np.zeros(n)
    with np.errstate(divide="ignore", invalid="ignore"):
        per_hour = np.where(gpu_hours > 0, value / np.where(gpu_hours > 0, gpu_hours, 1.0), np.nan)
    return DeliveredValue(curve, by_model, value, per_hour, unpriced)


def market_view(scenario: Scenario, day_start: np.ndarray, hours: np.ndarray,
                gpus_by_model: dict[str, np.ndarray], invoice: np.ndarray,
                payment_df: np.ndarray, delivered: DeliveredValue | None = None) -> MarketView:
    """`day_start`: days from the start to each month's first day; `hours`:
    hours in each month; `invoice`: the provider's invoices; `payment_df`: the
    buyer's discount factors on the payment dates; `delivered`:
    delivered_value(scenario, day_start, hours, gpus_by_model) when the caller
    has it."""
    if delivered is None:
        delivered = delivered_value(scenario, day_start, np.asarray(hours)[:len(invoice)],
                                    gpus_by_model)
    curve, by_model, value = delivered.curve, delivered.gpu_hours_by_model, delivered.market_value
    per_hour, unpriced = delivered.market_rent_per_gpu_hour, delivered.unpriced_models
    buyer = (value - invoice) * payment_df
    total_value = float(value.sum())
    premium = (float(invoice.sum()) / total_value - 1.0) * 100.0 if total_value > 0 else np.nan
    warnings = list(curve.warnings)
    if unpriced:
        warnings.append(f"No market rent for {', '.join(unpriced)}: its GPU-hours are priced at "
                        f"$0 in the market figures (add a rent on the Market tab).")
    return MarketView(curve=curve, gpu_hours_by_model=by_model, market_value=value,
                      market_rent_per_gpu_hour=per_hour, buyer_mtm=buyer, provider_mtm=-buyer,
                      premium_over_market_pct=premium, unpriced_models=unpriced,
                      warnings=tuple(warnings))


def renamed_models(market: Market, renames: dict[str, str]) -> dict:
    """The market's changes (Market fields) when GPU models are renamed
    ({old: new}): each rent row and imported curve month of a renamed model
    takes its new name, its figures and source kept."""
    def rename(record):
        return dataclasses.replace(record, gpu_model=renames.get(record.gpu_model,
                                                                 record.gpu_model))
    return {"rents": tuple(rename(r) for r in market.rents),
            "rent_curve": tuple(rename(e) for e in market.rent_curve)}


def migrated_rent(cloud_rate_per_h100_hour: float, h100e_per_gpu: float, model: str) -> dict:
    """A format-3 file's flat cloud rate as one model's rent row (JSON fields):
    rate x the model's H100-equivalents per GPU, so that each model's hours
    cost what its H100-equivalent hours cost before (core/scenario_file.py)."""
    rent = cloud_rate_per_h100_hour * h100e_per_gpu
    return {"gpu_model": model, "rent_per_gpu_hour": rent, "quote_1_month": rent,
            "quote_1_year": rent, "quote_3_year": rent, "label": "[D]", "as_of": "",
            "source": f"migrated from the flat cloud rate of ${cloud_rate_per_h100_hour:g} per "
                      f"H100-equivalent hour x H100-equivalents per GPU"}
