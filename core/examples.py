"""The sample gallery: the reference deal and three other public compute deals
as ready-made scenarios (File > Examples in the app).

Each example is built in code, so it needs no file format and ships inside
the executable.  Only the headline figures below come from public reporting;
everything else an example needs (GPU count, power, notice) is an assumption,
said so here and in the example's `assumptions`, so that an analyst knows
which numbers to replace first.

Colossus lease 2026 (Anthropic from SpaceX/xAI): the default scenario, see
DOMAIN.md.  Reported: about $1.25B a month, June 2026 through May 2029, more
than 300 MW and 220,000 GPUs, 90 days' notice either way.

Microsoft from Nebius (announced 8 Sep 2025, Nebius Form 6-K; Reuters, FT):
- reported: $17.4B over five years, rising to $19.4B if Microsoft buys more
  services; dedicated GPU capacity from Nebius's new Vineland, New Jersey
  data centre, delivered in tranches in 2025 and 2026; term through 2031;
  the site was reported at up to 300 MW.
- assumed: the $17.4B base only, as a flat fee over 60 months from
  1 July 2026 (five years that end in 2031); 100,000 GB200-class GPUs, half
  online at the start and half six months later; 300 MW contracted.

Meta from CoreWeave (CoreWeave Form 8-K, 30 Sep 2025; Bloomberg):
- reported: up to $14.2B of cloud computing capacity through
  14 December 2031, with an option to expand into 2032; Nvidia GB300
  (NVL72) systems.  (A later expansion reported in 2026 is not modelled.)
- assumed: a flat fee over 72 months from 1 January 2026 to the end of 2031;
  75,000 GB300 GPUs online from the start; 160 MW contracted.

OpenAI from Oracle (Wall Street Journal, 10 Sep 2025; not confirmed by the
companies, though Oracle disclosed a cloud contract worth more than $30B a
year from its fiscal 2028):
- reported: about $300B over roughly five years, starting in 2027; about
  4.5 GW of power.
- assumed: a flat fee over 60 months from 1 January 2027 ($5.0B a month);
  2,000,000 GB300 GPUs online from the start, as four tranches of 500,000
  (4.5 GW at the meter holds about 2.1 million at 1.70 kW and PUE 1.24;
  analysts' estimates were about two million).

For all three other deals, no termination for convenience has been reported:
they are modelled with neither party allowed to terminate, so the buyer's
walk-away exposure is the rest of the fees.  Demand at start is assumed to be 80% of what the
fleet can serve at the default utilization, growing at the default rate.

The buyer's view is not modelled for those three: each buyer uses the
capacity for its own products (Microsoft's and Meta's services, OpenAI's
training and inference), and no public figure ties a token price to it.  The
default $2 per million tokens on these fleets gave absurd revenue (a buyer
NPV of $1.93T for OpenAI-Oracle), so their buyer revenue, margin and NPV are
n/a and the buyer's cash is its payments alone.  The reference deal keeps
the default revenue assumptions (mostly inference, sold by the token).

Left out: OpenAI's CoreWeave contracts ($11.9B in March 2025, $4B in May and
$6.5B in September: $22.4B in all) are three contracts whose separate terms
and start dates were not all reported, so no single scenario states them
faithfully.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from core.parameters import (BUYER_REVENUE_NONE, PARTY_NEITHER, ClusterHardware, ContractTerms, Projections, Scenario,
                             Tranche)
from core.presets import GPU_PRESETS, default_scenario

BUYER_VIEW_NOT_MODELLED = ("buyer's revenue not modelled: the capacity serves the buyer's own "
                           "products, so buyer revenue, margin and NPV are n/a")
# Demand at start as a share of the fleet's serving capacity (an assumption).
DEMAND_SHARE_OF_CAPACITY = 0.80


@dataclass(frozen=True)
class Example:
    key: str                     # stable identifier
    title: str                   # as shown in File > Examples
    reported_total: float        # the headline contract value reported ($)
    summary: str                 # what was reported, one sentence
    sources: tuple[str, ...]
    assumptions: tuple[str, ...]
    scenario: Scenario


def _demand_for(hardware: ClusterHardware) -> float:
    """80% of the fleet's token capacity at the start (all tranches online)."""
    tokens_per_s = sum(t.gpu_count * hardware.model(t.gpu_model).tokens_per_s
                       for t in hardware.tranches)
    capacity = (tokens_per_s * hardware.availability_pct / 100.0
                * hardware.utilization_pct / 100.0)
    return round(DEMAND_SHARE_OF_CAPACITY * capacity, -6)


def scenario_for(name: str, contract: ContractTerms, contracted_mw: float,
                 tranches: tuple[Tranche, ...]) -> Scenario:
    """A deal's scenario: the preset GPU models, demand at 80% of the fleet's
    capacity, the buyer's revenue not modelled (core/deals.py opens deals so)."""
    hardware = ClusterHardware(contracted_mw=contracted_mw,
                               gpu_models=tuple(GPU_PRESETS.values()), tranches=tranches)
    projections = Projections(demand_tokens_per_s=_demand_for(hardware),
                              buyer_revenue_model=BUYER_REVENUE_NONE)
    return Scenario(name=name, contract=contract, hardware=hardware, projections=projections)


def _microsoft_nebius() -> Example:
    start, total, months = dt.date(2026, 7, 1), 17.4e9, 60
    contract = ContractTerms(buyer="Microsoft", provider="Nebius", start_date=start,
                             term_months=months, monthly_fee=total / months,
                             terminating_party=PARTY_NEITHER)
    tranches = (
        Tranche("Vineland phase 1", "Vineland, NJ", "GB200", 50_000, start),
        Tranche("Vineland phase 2", "Vineland, NJ", "GB200", 50_000, dt.date(2027, 1, 1)),
    )
    return Example(
        key="microsoft-nebius-2025",
        title="Microsoft \u2013 Nebius (2025, $17.4B)",
        reported_total=total,
        summary="$17.4B over five years for dedicated GPU capacity in Vineland, NJ "
                "(up to $19.4B with additional services).",
        sources=("Nebius Group Form 6-K, 8 Sep 2025", "Reuters and Financial Times, 8-9 Sep 2025"),
        assumptions=("flat fee over 60 months from 1 Jul 2026",
                     "100,000 GB200-class GPUs, half online six months after the start",
                     "300 MW contracted (the site's reported capacity)",
                     "no termination for convenience",
                     BUYER_VIEW_NOT_MODELLED),
        scenario=scenario_for("Microsoft \u2013 Nebius 2025", contract, 300.0, tranches))


def _meta_coreweave() -> Example:
    start, total, months = dt.date(2026, 1, 1), 14.2e9, 72
    contract = ContractTerms(buyer="Meta", provider="CoreWeave", start_date=start,
                             term_months=months, monthly_fee=total / months,
                             terminating_party=PARTY_NEITHER)
    tranches = (Tranche("CoreWeave GB300 NVL72", "US", "GB300", 75_000, start),)
    return Example(
        key="meta-coreweave-2025",
        title="Meta \u2013 CoreWeave (2025, $14.2B)",
        reported_total=total,
        summary="Up to $14.2B of cloud capacity through 14 Dec 2031 on Nvidia GB300 systems.",
        sources=("CoreWeave Form 8-K, 30 Sep 2025", "Bloomberg, 30 Sep 2025"),
        assumptions=("flat fee over 72 months from 1 Jan 2026",
                     "75,000 GB300 GPUs online from the start", "160 MW contracted",
                     "no termination for convenience",
                     BUYER_VIEW_NOT_MODELLED),
        scenario=scenario_for("Meta \u2013 CoreWeave 2025", contract, 160.0, tranches))


def _openai_oracle() -> Example:
    start, total, months = dt.date(2027, 1, 1), 300e9, 60
    contract = ContractTerms(buyer="OpenAI", provider="Oracle (OCI)", start_date=start,
                             term_months=months, monthly_fee=total / months,
                             terminating_party=PARTY_NEITHER)
    # Four equal tranches keep each row readable; all online at the start.
    tranches = tuple(Tranche(f"Stargate tranche {i}", "US", "GB300", 500_000, start)
                     for i in range(1, 5))
    return Example(
        key="openai-oracle-2025",
        title="OpenAI \u2013 Oracle (2025, about $300B)",
        reported_total=total,
        summary="About $300B over roughly five years from 2027 for about 4.5 GW of capacity "
                "(reported, not confirmed by the companies).",
        sources=("Wall Street Journal, 10 Sep 2025",
                 "Oracle fiscal Q1 2026 results (remaining performance obligations), 9 Sep 2025"),
        assumptions=("flat fee over 60 months from 1 Jan 2027",
                     "2,000,000 GB300 GPUs (four tranches) online from the start",
                     "4,500 MW contracted",
                     "no termination for convenience",
                     BUYER_VIEW_NOT_MODELLED),
        scenario=scenario_for("OpenAI \u2013 Oracle 2025", contract, 4_500.0, tranches))


def _colossus() -> Example:
    return Example(
        key="colossus-2026",
        title="Anthropic \u2013 SpaceX/xAI Colossus (2026, $45.0B)",
        reported_total=45e9,
        summary="About $1.25B a month, June 2026 through May 2029, more than 300 MW and "
                "220,000 GPUs, 90 days' notice either way.",
        sources=("Public reporting, May-June 2026 (DOMAIN.md)",),
        assumptions=("220,000 GPUs: 150k H100, 50k H200, 20k GB200, all online at the start",),
        scenario=default_scenario())


def all_examples() -> tuple[Example, ...]:
    """The gallery in menu order: the reference deal first."""
    return (_colossus(), _microsoft_nebius(), _meta_coreweave(), _openai_oracle())


def example(key: str) -> Example:
    for candidate in all_examples():
        if candidate.key == key:
            return candidate
    raise KeyError(f"no example called {key!r}; examples: "
                   f"{', '.join(e.key for e in all_examples())}")
