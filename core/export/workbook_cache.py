"""The values the workbook's formulas hold as their cached results, taken
from the engine's records (core.engine.records), so a reader that does not
recalculate (LibreOffice by default, openpyxl's data_only, mail and file
previewers) shows the app's figures, and a recalculation changes nothing.

One value for every formula the workbook writes: each Schedule column (the
app's columns and the working steps between them), each tranche's row and
each step of the Drivers sheet.  A working step is read off the record
that holds it (the billing's deposit, the termination curves' paid shares,
the provider's discount factors) or is the schedule's own arithmetic on
them (a running sum, a product with a discount factor); nothing here prices
the deal a second way.  tests/core/test_export_workbook.py checks every
cached value against LibreOffice's recalculation.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from core.economics import capex_bought_for_deal
from core.engine import Results, compute, records
from core.fees import price_factor
from core.finance import discount_factors
from core.parameters import (DEPOSIT_APPLIED, H100E_BY_THROUGHPUT, LEASE_FULL, PARTY_BUYER,
                             PARTY_PROVIDER, PRICING_GPU_HOUR, PRICING_MW_MONTH,
                             SHORT_TERM_TAKEN, Scenario)
from core.termination import notice_end_days, party_may_end
from core.timeline import h100e_weighting, online_fraction

EXCEL_EPOCH = dt.date(1899, 12, 30)
EXCEL_EPOCH_64 = np.datetime64(EXCEL_EPOCH, "D")


def cached(value):
    """A cached result xlsxwriter can write: a number, a bool, a string, a
    date as its serial number; "n/a" for an undefined number (the formulas'
    own text for it)."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, str):
        return value
    if isinstance(value, np.datetime64):
        return int((value.astype("datetime64[D]") - EXCEL_EPOCH_64).astype(int))
    if isinstance(value, dt.date):
        return (value - EXCEL_EPOCH).days
    value = float(value)
    return value if np.isfinite(value) else "n/a"


def key_figure_cached(value):
    """A key figure as the cached result of its formula ("n/a" where undefined)."""
    if value is None or isinstance(value, str):
        return "n/a" if value is None else value
    return cached(value)


@dataclass
class WorkbookCache:
    """The values of one scenario's formulas, by what the workbook calls them."""
    results: Results
    schedule: dict[str, np.ndarray] = field(default_factory=dict)   # column key -> months
    fleet: dict[str, list] = field(default_factory=dict)            # Drivers column -> tranches
    drivers: dict[str, object] = field(default_factory=dict)        # drv_ name -> value

    def month(self, key: str, m: int):
        """Column `key` in month m (1-based), as a cached result; "" past the term."""
        values = self.schedule[key]
        return cached(values[m - 1]) if m <= len(values) else ""

    def driver(self, node: tuple):
        """A Drivers cell: ("fleet", key, tranche), ("total", key) or ("step", name)."""
        if node[0] == "fleet":
            return cached(self.fleet[node[1]][node[2]])
        if node[0] == "total":
            return cached(float(np.sum(self.fleet[node[1]])) if self.fleet[node[1]] else 0.0)
        return cached(self.drivers[node[1]])


def workbook_cache(results: Results) -> WorkbookCache:
    scenario = results.scenario
    p = records(scenario)
    cache = WorkbookCache(results)
    cache.fleet = _fleet(scenario, p)
    cache.drivers = _steps(scenario, p, cache.fleet)
    cache.schedule = _schedule(scenario, results, p, cache.fleet, cache.drivers)
    return cache


def cache_for(scenario: Scenario) -> WorkbookCache:
    return workbook_cache(compute(scenario))


def _fleet(scenario: Scenario, p) -> dict[str, list]:
    """The Drivers sheet's tranche rows (core.economics.provider_costs' capex and
    depreciation, tranche by tranche)."""
    hw = scenario.hardware
    start = scenario.contract.start_date
    term_end = p.timeline.bounds[-1]
    bought = capex_bought_for_deal(scenario)
    gpu_life, facility_life = hw.depreciation_life_years * 12, hw.facility_life_years * 12
    cap = p.capacity
    out: dict[str, list] = {key: [] for key in (
        "name", "site", "model", "count", "online", "kw", "h100e", "tokens_per_s",
        "capex_per_gpu", "hbm", "in_term", "gpu_capex", "facility_capex", "capex", "gpu_rate",
        "facility_rate", "age", "book_at_start", "gpus_in_term", "it_kw_in_term",
        "h100e_in_term", "rent", "quote_1m", "quote_1y", "quote_3y", "rent_source")}
    for i, t in enumerate(hw.tranches):
        model = hw.model(t.gpu_model)
        count = float(t.gpu_count)
        in_term = bool(np.datetime64(t.online_date, "D") < term_end)
        gpu_capex = count * cap.capex_per_gpu[i] if in_term else 0.0
        facility_capex = (count * cap.kw[i] / 1000 * hw.pue * hw.facility_capex_per_mw
                          if in_term else 0.0)
        gpu_rate = gpu_capex * (1 - hw.residual_value_pct / 100) / gpu_life
        facility_rate = facility_capex / facility_life
        age = 0.0 if bought else max(0, (start - t.online_date).days) / (365 / 12)
        row = {"name": t.name, "site": t.site, "model": t.gpu_model, "count": count,
               "online": t.online_date, "kw": cap.kw[i], "h100e": cap.h100e[i],
               "tokens_per_s": cap.tokens_per_s[i], "capex_per_gpu": cap.capex_per_gpu[i],
               "hbm": count * model.hbm_gb / 1000, "in_term": in_term,
               "gpu_capex": gpu_capex, "facility_capex": facility_capex,
               "capex": gpu_capex + facility_capex, "gpu_rate": gpu_rate,
               "facility_rate": facility_rate, "age": age,
               "book_at_start": gpu_capex + facility_capex - gpu_rate * min(age, gpu_life)
               - facility_rate * min(age, facility_life),
               "gpus_in_term": count if in_term else 0.0,
               "it_kw_in_term": count * cap.kw[i] if in_term else 0.0,
               "h100e_in_term": count * cap.h100e[i] if in_term else 0.0}
        rent = scenario.market.rent_for(t.gpu_model)     # core/market.py's row, if any
        row.update(rent=rent.rent_per_gpu_hour if rent else 0.0,
                   quote_1m=rent.quote_1_month if rent else 0.0,
                   quote_1y=rent.quote_1_year if rent else 0.0,
                   quote_3y=rent.quote_3_year if rent else 0.0,
                   rent_source=(f"{rent.label} {rent.as_of}, {rent.source}" if rent
                                else "no market rent: priced at 0"))
        for key, value in row.items():
            out[key].append(value)
    return out


def _steps(scenario: Scenario, p, fleet: dict[str, list]) -> dict[str, object]:
    """The Drivers sheet's steps every month uses."""
    c, hw = scenario.contract, scenario.hardware
    term_end = p.timeline.bounds[-1]
    buyer_may_end = party_may_end(scenario, PARTY_BUYER)
    hazard_buyer = c.buyer_termination_prob_pct / 100 if buyer_may_end else 0.0
    hazard_provider = (c.provider_termination_prob_pct / 100
                       if party_may_end(scenario, PARTY_PROVIDER) else 0.0)
    notice_term = buyer_may_end and c.lease_term_basis != LEASE_FULL
    curves, bill = p.curves, p.bill
    penalty = (c.termination_fee_months * float(bill.fee[0])
               if notice_term and bill.fee.size and curves.ends_early[0] else 0.0)

    def term_end_df(rate_pct):
        return float(discount_factors(np.array([term_end]), c.start_date, rate_pct / 100)[0])
    return {
        "drv_h100e_by_throughput": h100e_weighting(scenario) == H100E_BY_THROUGHPUT,
        "drv_term_end": term_end,
        "drv_fleet_it_mw": float(np.sum(fleet["it_kw_in_term"])) / 1000,
        "drv_gpu_life_months": hw.depreciation_life_years * 12,
        "drv_facility_life_months": hw.facility_life_years * 12,
        "drv_payment_advance": c.payment_timing == "advance",
        "drv_pricing_gpu_hour": c.pricing_mode == PRICING_GPU_HOUR,
        "drv_pricing_mw_month": c.pricing_mode == PRICING_MW_MONTH,
        "drv_fee_steps": c.fee_follows_capacity == "yes",
        "drv_credit_pct": min(c.service_credit_cap_pct, c.service_credit_pct_per_point
                              * max(0.0, c.sla_availability_pct - hw.availability_pct)),
        "drv_deposit_applied": c.prepayment_treatment == DEPOSIT_APPLIED,
        "drv_deposit": bill.deposit.paid,
        "drv_deposit_returned": bill.deposit.returned,
        "drv_buyer_term_end_df": term_end_df(c.discount_rate_pct),
        "drv_provider_term_end_df": term_end_df(c.provider_wacc_pct),
        "drv_capex_bought": capex_bought_for_deal(scenario),
        "drv_lease_full": c.lease_term_basis == LEASE_FULL,
        "drv_hazard_buyer": hazard_buyer,
        "drv_hazard_provider": hazard_provider,
        "drv_hazard": min(1.0, hazard_buyer + hazard_provider),
        "drv_total_invoices": float(bill.invoice.sum()),
        "drv_buyer_may_end": buyer_may_end,
        "drv_buyer_revenue_modelled": p.buyer.modelled,
        "drv_lease_notice_term": notice_term,
        "drv_lease_penalty": penalty,
        "drv_lease_term_months": p.lease.term_months,
        "drv_lease_exempt": (p.lease.term_months <= 12
                             and c.lease_short_term_exemption == SHORT_TERM_TAKEN),
        "drv_party_text": ("only the provider" if c.terminating_party == PARTY_PROVIDER
                           else "neither party"),
    }


def _schedule(scenario: Scenario, results: Results, p, fleet, steps) -> dict[str, np.ndarray]:
    """Every Schedule column: the app's columns as the app has them, the
    working steps from the records that hold them."""
    c = scenario.contract
    t, bill, curves, provider = p.timeline, p.bill, p.curves, p.provider
    n = t.months
    out: dict[str, np.ndarray] = {name: np.asarray(getattr(results.schedule, name))
                                  for name in results.schedule.COLUMNS}
    month = np.arange(1, n + 1)
    out["month"] = month
    out["next_start"] = t.bounds[1:]
    out["price_factor"] = price_factor(scenario)
    out["capacity_share"] = p.online.capacity_share
    invoice = bill.invoice
    out["invoices_after"] = invoice.sum() - np.cumsum(invoice)
    out["deposit_applied"] = bill.deposit.applied
    cumulative_invoice = np.cumsum(invoice)
    out["cumulative_invoice"] = cumulative_invoice
    # The month each notice ends in (1-based, the term's last at the latest) and its paid share.
    end_days = notice_end_days(t, c.notice_days)
    ends_in = np.minimum(np.searchsorted(t.day_start, end_days, side="right"), n)
    share = (end_days - t.day_start[ends_in - 1]) / t.days[ends_in - 1]
    out["notice_end_month"] = ends_in
    out["notice_end_share"] = share
    out["paid_to_notice_end"] = curves.paid_fraction @ invoice
    fee_if_early = np.where(curves.ends_early, c.termination_fee_months * bill.fee, 0.0)
    out["fee_if_ended_early"] = fee_if_early
    fraction = (online_fraction(t, scenario.hardware.tranches)
                if scenario.hardware.tranches else np.zeros((0, n)))
    for k, row in enumerate(fraction):
        out[f"months_online_{k}"] = np.cumsum(row)
        out[f"gpus_{k}"] = fleet["count"][k] * row
    # The market (core/market.py): each tranche's forward rent, the hours' market value.
    zero = np.zeros(n)
    for k, tranche in enumerate(scenario.hardware.tranches):
        rent = p.market.curve.for_model(tranche.gpu_model)
        out[f"rent_{k}"] = zero if rent is None else rent
    out["market_value"] = p.market.market_value
    out["short_of_demand"] = (out["demand_tokens_per_s"] > out["capacity_tokens_per_s"]).astype(int)
    revenue_pv = p.buyer.revenue * p.buyer.revenue_df
    out["revenue_pv"] = revenue_pv
    out["buyer_net_pv"] = revenue_pv - invoice * bill.payment_df
    out["cumulative_buyer_net_pv"] = np.cumsum(out["buyer_net_pv"])
    capex_if_bought = np.zeros(n)
    for k, row in enumerate(fraction):
        online = np.cumsum(row) > 0
        first = np.flatnonzero(online)
        if first.size:
            capex_if_bought[first[0]] += fleet["capex"][k]
    out["capex_if_bought"] = capex_if_bought
    cumulative_cash = out["provider_cumulative_cash"]
    out["payback_candidate"] = np.where(cumulative_cash >= 0, month.astype(object), "")
    out["provider_payment_df"] = provider.payment_df
    out["provider_start_df"] = provider.start_df
    out["provider_flow_pv"] = provider.cash_flow_with_terminal * provider.payment_df
    out["economic_profit_pv"] = provider.economic_profit * provider.payment_df
    out["operating_pv"] = provider.operating_pv
    out["cumulative_operating_pv"] = np.cumsum(provider.operating_pv)
    out["capex_pv"] = provider.capex_pv
    out["cumulative_capex_pv"] = np.cumsum(provider.capex_pv)
    out["ended_in_month"] = np.maximum(1, np.where(share > 0, ends_in, ends_in - 1))
    hazard, hazard_buyer = steps["drv_hazard"], steps["drv_hazard_buyer"]
    out["chance_weighted_payments"] = ((1 - hazard) ** (month - 1)
                                       * (hazard * out["paid_to_notice_end"]
                                          + hazard_buyer * fee_if_early))
    for other in ("cloud", "build"):
        out[f"{other}_cost_pv_month"] = out[f"{other}_cost"] * out["discount_factor"]
        gap = out["cumulative_payment"] - out[f"cumulative_{other}_cost"]
        crossed = np.sign(gap) != (np.sign(gap[0]) if n else 0)
        out[f"{other}_crossing"] = np.where(crossed, month.astype(object), "")
    lease_share = (curves.paid_fraction[0] if steps["drv_lease_notice_term"] and n
                   else np.ones(n))
    out["lease_share"] = lease_share
    lease_pv = invoice * lease_share * discount_factors(
        bill.payment_date, c.start_date, c.incremental_borrowing_rate_pct / 100)
    if n:
        lease_pv = lease_pv.copy()
        lease_pv[0] += steps["drv_lease_penalty"]
    out["lease_payment_pv"] = lease_pv
    out["lease_remaining_pv"] = np.cumsum(lease_pv[::-1])[::-1]
    return out
