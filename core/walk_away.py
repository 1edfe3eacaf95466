"""The words for ending the deal early, for every view and export that states
them: what the buyer has paid to date, what leaving adds (the invoices to
the end of the notice and any termination fee), and the walk-away exposure
(what leaving adds on the start date) kept apart, each with its own verb.

"Walking away at month 12 costs $18.7B" counted $15.0B of invoices already
paid as a cost of leaving, and used the same verb for the $3.67B exposure
(issue 24).  The figures are the engine's schedule columns at the notice
month: cost of ending = paid to date + walk-away exposure, to the cent
(core/termination.py).
"""
from __future__ import annotations

from dataclasses import dataclass

from core import figures
from core.engine import Results
from core.parameters import PARTY_BUYER
from core.termination import party_may_end


def notice_month(results: Results) -> int:
    """Months elapsed when notice is given: the input "Cost of ending: notice
    after" (the termination tab's slider and field), at most the start of the
    term's last month."""
    return max(0, min(results.scenario.contract.termination_notice_month,
                      len(results.schedule) - 1))


@dataclass(frozen=True)
class Leaving:
    """Notice given after `month` months, in the engine's figures."""
    month: int
    paid_to_date: float      # invoices before the notice month
    extra: float             # what leaving adds: invoices to the end of notice + any fee
    total: float             # paid to date + extra (the key figure "cost of ending")
    saving: float            # against running to term
    exposure: float          # the extra on the start date (the walk-away exposure)


def leaving(results: Results) -> Leaving:
    s = results.schedule
    k = notice_month(results)
    total = float(s.termination_cost[k])
    extra = float(s.walkaway_exposure[k])
    return Leaving(k, total - extra, extra, total, float(s.termination_saving[k]),
                   float(results.key_figures.walkaway_exposure))


def _f(key: str, value) -> str:
    return figures.format_value(key, value)


def leaving_headline(results: Results) -> str:
    """"Leaving at month 12 adds $3.67B to the $15.0B paid; notice takes 90 days"."""
    c = results.scenario.contract
    if len(results.schedule) == 0:
        return "Termination: the term has no months"
    if not party_may_end(results.scenario, PARTY_BUYER):
        return f"The buyer cannot walk away; notice takes {c.notice_days} days"
    out = leaving(results)
    return (f"Leaving at month {out.month} adds {_f('walkaway_exposure', out.extra)} to the "
            f"{_f('termination_cost', out.paid_to_date)} paid; notice takes {c.notice_days} days")


def leaving_sentence(results: Results) -> str:
    """The buyer's walk-away finding in one sentence, paid to date, the extra
    cost of leaving and the exposure each named."""
    s = results.schedule
    c = results.scenario.contract
    out = leaving(results)
    when = f"month {out.month} (notice on {_f('month_start', s.month_start[out.month])})"
    fee = (f" plus the termination fee of {c.termination_fee_months:g} months' fee"
           if c.termination_fee_months else "")
    return (f"Leaving at {when}: the buyer has paid {_f('termination_cost', out.paid_to_date)} "
            f"to date and leaving adds {_f('walkaway_exposure', out.extra)} "
            f"({c.notice_days} days' notice{fee}, payments stop on "
            f"{_f('termination_end_date', s.termination_end_date[out.month])}), "
            f"{_f('termination_cost', out.total)} in all, "
            f"{_f('termination_saving', out.saving)} less than running to term; "
            f"the walk-away exposure, what leaving adds on the start date, is "
            f"{_f('walkaway_exposure', out.exposure)}.")
