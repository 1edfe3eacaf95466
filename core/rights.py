"""What each side's right to walk is worth, on a stochastic market, by
least-squares Monte Carlo (Longstaff and Schwartz 2001).

The market.  Log rent of GPU model j in month k (the rent on the month's
first day, which prices the month) is its forward path (core/market.py)
times a common factor and the model's own, both Ornstein-Uhlenbeck about 0
with the same mean-reversion speed kappa:

    rent_jk = F_jk exp(C_k + S_jk - (Var C_k + Var S_jk) / 2)

so that E[rent_jk] = F_jk: the forward is what can be locked in today.  The
variance splits between the factors by the correlation between models rho:
sigma_C = sigma sqrt(rho), sigma_S = sigma sqrt(1 - rho).  Each step is
exact: X' = X e^(-kappa dt) + sigma sqrt((1 - e^(-2 kappa dt)) / (2 kappa)) Z
(sigma sqrt(dt) Z when kappa = 0), dt in actual days / 365.  The buyer's
token price is its path (core/economics.py) times a lognormal random walk
(mean 1) whose shocks have correlation `token_market_correlation_pct` with
the common factor's.

Exercise values, in today's money, for notice on the first day of month k
(the contract's notice days and fee; core/termination.py's proration: month
m is then paid in the share paid[k, m]):

- buyer:  sum over m of (1 - paid[k, m]) x df_b[m] x (invoice_m - cost_km)
          - the termination fee x df_b(month k's first day) if the notice ends
          the deal early, where cost_km is the replacement, (1 + premium) x
          the market value of the month's delivered GPU-hours, from month
          k + lead time on, and before it the token revenue lost (tokens
          served x the simulated token price): the capacity is gone and not
          yet replaced;
- provider: sum over m of (1 - paid[k, m]) x df_p[m] x (relet_km - invoice_m),
          relet_km = the better of the market value x (1 - re-let discount)
          and the own-use value per GPU-hour x the GPU-hours, from month k +
          its lead time on, and 0 before.  Its power and opex are taken as
          the same either way.
df_b, df_p: the buyer's rate and the provider's WACC on each payment date,
as XNPV does.  A side that is not allowed to terminate has no exercise date.

The stopping rule (`stopping_rules`, both sides in one pass; `longstaff_schwartz`
for one): backwards from the last month, on
each notice date regress (exercise value - the value the current rule
realises later on that path) on the basis 1, x, x^2, where x is the
normalised market rent on that date (the fleet's rents over their forwards,
weighted by the forward market value of each model's hours), centred and
scaled (the 3 x 3 normal equations from sums, every date's at once); give
notice where the fitted value is above 0.  On all paths: the
lease's exercise value depends on rents after the notice date, so which
paths are "in the money" is not known at it.  (With `itm` given, only those
paths are regressed and may exercise, as in Longstaff and Schwartz's put.)
The value is the mean, over paths, of the exercise value the rule realises
(0 where it never gives notice): the contract's value to that side with the
right, less without it.

Both rights together: each side follows the rule found for its right alone,
and on each path the first notice ends the deal (the same month: the
buyer's, which pays the fee).  A side whose deal the other ends gets its
exercise value at that date, without the fee the buyer pays (the provider
receives it).  The expected contract value on the simulated rights is the
mean over paths of what the buyer pays: the invoices to the end of the first
notice (core/termination.py's proration) and the fee if the buyer gave it,
or every invoice where nobody does (undiscounted, as the total contract value
and the typed-chances expected value are).  The exercise boundary by month is
the normalised rent where the fitted value crosses 0, in $/GPU-hour of the
fleet's forward rent.

Memory is bounded: paths are simulated in blocks of `BLOCK` paths, each with
its own random streams (SFC64; float32 normals by Box-Muller), one for the
rents and one for the token price (so the values depend neither on how many
blocks a chunk holds nor on whether the token price was needed), about
CHUNK_CELLS months x paths at a time; only three months x paths float64
arrays are kept (state, each side's exercise values).  Peak: about 24 bytes
a month-path plus ~20 MB (20,000 paths: 36 MB for 36 months, 136 MB for 240).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.economics import buyer_view
from core.engine import Results
from core.fees import billing
from core.finance import discount_factors
from core.market import forward_curve, gpu_hours_by_model
from core.parameters import PARTY_BUYER, PARTY_PROVIDER, Scenario
from core.termination import notice_end_days, party_may_end
from core.timeline import build_capacity, build_timeline, capacity_online, paid_fraction
from core.tokens import token_flows

DAYS_PER_YEAR = 365.0
BLOCK = 2_000                 # paths per random stream (the preview is one)
PREVIEW_PATHS = 2_000
FULL_PATHS = 20_000
CHUNK_CELLS = 360_000         # months x paths simulated at a time (36 months x 10,000 paths)
DEFAULT_SEED = 20260601
X_GRID = np.linspace(0.01, 4.0, 400)   # normalised rents scanned for the boundary


# --- the regression and the stopping rule -------------------------------------------------

def _dot(a: np.ndarray, b: np.ndarray) -> float:
    # einsum, not BLAS's dot: a threaded dot waits on busy cores (74 ms a call at load 9).
    return float(np.einsum("i,i->", a, b))


def regress(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, tuple[float, float, np.ndarray]]:
    """Least squares of y on 1, z, z^2, z = (x - mean) / std (on 1 alone when x
    does not vary): the 3 x 3 normal equations from sums (no paths x 3 basis
    matrix), a pseudo-inverse for a singular one; the fitted values and
    (mean, std, coefficients)."""
    n = x.size
    mean = float(x.mean()) if n else 0.0
    std = float(x.std()) if n else 0.0
    if std <= 1e-12 * max(1.0, abs(mean)):
        level = float(y.mean()) if n else 0.0
        return np.full(n, level), (mean, 0.0, np.array([level]))
    z = (x - mean) / std
    z2 = z * z
    s1, s2, s3, s4 = float(z.sum()), float(z2.sum()), _dot(z2, z), _dot(z2, z2)
    normal = np.array([[n, s1, s2], [s1, s2, s3], [s2, s3, s4]])
    coef = np.linalg.pinv(normal) @ np.array([float(y.sum()), _dot(z, y), _dot(z2, y)])
    z *= coef[1]
    z2 *= coef[2]
    z += z2
    z += coef[0]
    return z, (mean, std, coef)


def fitted_at(fit: tuple[float, float, np.ndarray], x: np.ndarray) -> np.ndarray:
    mean, std, coef = fit
    if std == 0.0:
        return np.full(np.shape(x), float(coef[0]))
    z = (np.asarray(x, float) - mean) / std
    return coef[0] + coef[1] * z + coef[2] * z * z


@dataclass(frozen=True)
class StoppingRule:
    stop: np.ndarray        # (paths,) the exercise date, or dates (never)
    value: np.ndarray       # (paths,) the exercise value realised (0 if never)
    fits: list              # per date: (mean, std, coefficients) or None


def longstaff_schwartz(exercise: np.ndarray, state: np.ndarray,
                       allowed: np.ndarray | None = None,
                       itm: np.ndarray | None = None) -> StoppingRule:
    """exercise, state: dates x paths, exercise values in today's money and
    the regressor; `allowed`: the dates on which the right may be used;
    `itm`: dates x paths, the paths regressed and allowed to exercise on each
    date (all when None: `stopping_rules`)."""
    if itm is None:
        return stopping_rules([exercise], state, [allowed])[0]
    dates, paths = exercise.shape
    allowed = np.ones(dates, bool) if allowed is None else np.asarray(allowed, bool)
    stop = np.full(paths, dates)
    value = np.zeros(paths)
    fits: list = [None] * dates
    for d in range(dates - 1, -1, -1):
        mask = itm[d]
        if not allowed[d] or not mask.any():
            continue
        g = exercise[d]
        fitted, fits[d] = regress(state[d, mask], g[mask] - value[mask])
        go = np.zeros(paths, bool)
        go[mask] = fitted > 0
        value = np.where(go, g, value)
        stop = np.where(go, d, stop)
    return StoppingRule(stop, value, fits)


def stopping_rules(exercises: list[np.ndarray], state: np.ndarray,
                   alloweds: list[np.ndarray | None],
                   overwrite_state: bool = False) -> list[StoppingRule]:
    """Longstaff-Schwartz on all paths for several rights on the same state
    (each side's), in one backward pass: the basis (z and its moments, the
    normal equations' pseudo-inverse) of every date at once, each date's
    fit from three sums.  `overwrite_state`: state may be replaced by z (no
    copy of dates x paths)."""
    dates, paths = state.shape
    sides = [(g, np.ones(dates, bool) if a is None else np.asarray(a, bool))
             for g, a in zip(exercises, alloweds)]
    stops = [np.full(paths, dates) for _ in sides]
    values = [np.zeros(paths) for _ in sides]
    fits: list[list] = [[None] * dates for _ in sides]
    if dates == 0 or paths == 0:
        return [StoppingRule(s, v, f) for s, v, f in zip(stops, values, fits)]
    mean = state.mean(axis=1)
    z_all = state if overwrite_state else state.copy()
    z_all -= mean[:, None]
    std = np.sqrt(np.einsum("dp,dp->d", z_all, z_all) / paths)
    varies = std > 1e-12 * np.maximum(1.0, np.abs(mean))
    z_all /= np.where(varies, std, 1.0)[:, None]
    s1, s2, s3, s4 = (np.empty(dates) for _ in range(4))
    for lo in range(0, dates, 16):          # z^2 16 dates at a time: memory stays bounded
        z, hi = z_all[lo:lo + 16], min(dates, lo + 16)
        z2 = z * z
        s1[lo:hi], s2[lo:hi] = z.sum(axis=1), z2.sum(axis=1)
        s3[lo:hi], s4[lo:hi] = np.einsum("dp,dp->d", z2, z), np.einsum("dp,dp->d", z2, z2)
    normal = np.stack([np.stack([np.full(dates, float(paths)), s1, s2], -1),
                       np.stack([s1, s2, s3], -1), np.stack([s2, s3, s4], -1)], -2)
    inverse = np.linalg.pinv(normal)                     # dates x 3 x 3
    z2, y, fitted = np.empty(paths), np.empty(paths), np.empty(paths)
    for d in range(dates - 1, -1, -1):
        active = [i for i, (_, allowed) in enumerate(sides) if allowed[d]]
        if not active:
            continue
        z = z_all[d]
        np.multiply(z, z, out=z2)
        for i in active:
            g = sides[i][0][d]
            np.subtract(g, values[i], out=y)
            if varies[d]:
                coef = inverse[d] @ np.array([float(y.sum()), _dot(z, y), _dot(z2, y)])
                np.multiply(z, coef[1], out=fitted)
                fitted += z2 * coef[2]
                go = fitted > -coef[0]
                fits[i][d] = (float(mean[d]), float(std[d]), coef)
            else:
                level = float(y.mean())
                go = np.full(paths, level > 0)
                fits[i][d] = (float(mean[d]), 0.0, np.array([level]))
            values[i] = np.where(go, g, values[i])
            stops[i] = np.where(go, d, stops[i])
    return [StoppingRule(s, v, f) for s, v, f in zip(stops, values, fits)]


# --- the deal's figures the simulation needs ----------------------------------------------

@dataclass(frozen=True)
class DealArrays:
    """Deterministic inputs, one entry a month (models x months for rents)."""
    months: int
    years: np.ndarray              # (months,) month k's first day, years from the start
    forward: np.ndarray            # (models, months) $/GPU-hour
    gpu_hours: np.ndarray          # (models, months) delivered
    invoice: np.ndarray
    revenue: np.ndarray            # the buyer's token revenue (0 when not modelled)
    df_buyer: np.ndarray           # on the payment dates
    df_provider: np.ndarray
    fee_buyer: np.ndarray          # termination fee x df on month k's first day, if early
    fee_provider: np.ndarray       # the same fee at the provider's rate (it receives it)
    fee_due: np.ndarray            # the termination fee itself, if notice in month k ends it early
    paid: np.ndarray               # (months, months) paid[k, m]
    buyer_may_end: bool
    provider_may_end: bool


def deal_arrays(scenario: Scenario) -> DealArrays:
    c, mk = scenario.contract, scenario.market
    timeline = build_timeline(scenario)
    capacity = build_capacity(scenario, timeline)
    online = capacity_online(scenario, timeline, capacity)
    bill = billing(scenario, timeline, online)
    buyer = buyer_view(scenario, timeline, token_flows(scenario, timeline, capacity), bill)
    n = timeline.months
    day_start = timeline.day_start[:-1]
    curve = forward_curve(mk, day_start)
    hours = gpu_hours_by_model(scenario, capacity.gpus_by_model, timeline.hours)
    zero = np.zeros(n)
    gh = np.array([hours.get(m, zero) for m in curve.models]).reshape(len(curve.models), n)
    end_days = notice_end_days(timeline, c.notice_days)
    early = end_days < timeline.day_start[-1]
    fee = c.termination_fee_months * bill.fee * early
    start_b = discount_factors(timeline.month_start, c.start_date, c.discount_rate_pct / 100.0)
    start_p = discount_factors(timeline.month_start, c.start_date, c.provider_wacc_pct / 100.0)
    return DealArrays(
        months=n, years=day_start / DAYS_PER_YEAR, forward=curve.rent, gpu_hours=gh,
        invoice=bill.invoice, revenue=buyer.revenue if buyer.modelled else zero,
        df_buyer=bill.payment_df,
        df_provider=discount_factors(bill.payment_date, c.start_date,
                                     c.provider_wacc_pct / 100.0),
        fee_buyer=fee * start_b, fee_provider=fee * start_p, fee_due=fee,
        paid=paid_fraction(timeline, end_days),
        buyer_may_end=party_may_end(scenario, PARTY_BUYER),
        provider_may_end=party_may_end(scenario, PARTY_PROVIDER))


# --- simulation -----------------------------------------------------------------------------
# Arrays are months x paths (each month's paths contiguous): the recursions and
# the regression work a month at a time.

def ou_paths(z: np.ndarray, sigma: float, kappa: float, dt: np.ndarray) -> np.ndarray:
    """OU from 0 on the month grid, in place over z (months x ...): standard
    normals, month 0's unused (month 0 is today)."""
    if sigma == 0.0:
        z[...] = 0.0
        return z
    decay = np.exp(-kappa * dt).astype(z.dtype)
    scale = (sigma * (np.sqrt((1 - np.exp(-2 * kappa * dt)) / (2 * kappa)) if kappa > 0
                      else np.sqrt(dt))).astype(z.dtype)
    z[0] = 0.0
    for k in range(1, z.shape[0]):
        z[k] *= scale[k - 1]
        z[k] += decay[k - 1] * z[k - 1]
    return z


def ou_variance(sigma: float, kappa: float, years: np.ndarray) -> np.ndarray:
    if kappa > 0:
        return sigma ** 2 * (1 - np.exp(-2 * kappa * years)) / (2 * kappa)
    return sigma ** 2 * years


@dataclass(frozen=True)
class MarketPaths:
    rent_index: np.ndarray          # (months, paths) normalised rent (the regressor)
    market_value: np.ndarray        # (months, paths) $ of the delivered hours at market
    token_factor: np.ndarray        # (months, paths) token price / its path (or months x 1 of 1)


def _standard_normals(stream, count: int) -> np.ndarray:
    """`count` float32 standard normals by Box-Muller from the stream's SFC64
    uniforms: about three times as fast as numpy's float32 ziggurat here, and
    float32 is ample for a Monte Carlo's precision (the largest |z| is
    sqrt(2 ln 2^24) = 5.8: the uniforms have 24 bits)."""
    pairs = -(-count // 2)
    u = np.random.Generator(np.random.SFC64(stream)).random(2 * pairs, dtype=np.float32)
    radius, angle = u[:pairs], u[pairs:]
    np.subtract(np.float32(1.0), radius, out=radius)            # (0, 1]: log is finite
    np.log(radius, out=radius)
    radius *= np.float32(-2.0)
    np.sqrt(radius, out=radius)
    angle *= np.float32(2.0 * np.pi)
    out = np.empty(2 * pairs, np.float32)
    np.cos(angle, out=out[:pairs])
    np.sin(angle, out=out[pairs:])
    out[:pairs] *= radius
    out[pairs:] *= radius
    return out[:count]


def block_normals(streams: list, sizes: list[int], shape: tuple[int, ...]) -> np.ndarray:
    """shape + (sum of sizes,): each block of paths from its own stream, so a
    path's numbers do not depend on how the blocks are grouped into chunks.
    Antithetic: a block's second half is its first half negated (half the
    draws, and a lower variance for a payoff monotone in the rent)."""
    out = np.empty(shape + (sum(sizes),), np.float32)
    cells = int(np.prod(shape))
    first = 0
    for stream, size in zip(streams, sizes):
        half = -(-size // 2)
        drawn = _standard_normals(stream, cells * half).reshape(shape + (half,))
        out[..., first:first + half] = drawn
        np.negative(drawn[..., :size - half], out=out[..., first + half:first + size])
        first += size
    return out


def _needs_token_price(deal: DealArrays, scenario: Scenario) -> bool:
    """The token price matters only for the margin the buyer loses while it
    replaces the capacity: with a lead time, a revenue and a volatility."""
    mk = scenario.market
    return (deal.buyer_may_end and mk.buyer_replacement_lead_months > 0
            and mk.token_price_vol_pct > 0 and bool(np.any(deal.revenue)))


def rent_factors(z: np.ndarray, market, years: np.ndarray, dt: np.ndarray,
                 own: bool = True) -> tuple[np.ndarray, np.ndarray | None]:
    """The rent factors of the module docstring from standard normals z
    (months x (1 + models) x paths, the common factor's first), in place over
    z: exp(C_k - (Var C_k + Var S_k) / 2) (months x paths) and each model's
    exp(S_jk) (months x models x paths; None when not wanted or the models'
    own volatility is 0), so that rent_jk = F_jk x the first x the second.
    `market`: the scenario's Market; `years`: each month's first day, years
    from the simulation's start; `dt`: the step to the next month.  Shared by
    the deal's own simulation (simulate_chunk) and the portfolio's
    (core/portfolio_risk.py)."""
    sigma = market.rent_vol_pct / 100.0
    rho = market.model_rent_correlation_pct / 100.0
    kappa = market.rent_mean_reversion_per_year
    s_c, s_s = sigma * np.sqrt(rho), sigma * np.sqrt(1 - rho)
    common = ou_paths(z[:, 0], s_c, kappa, dt)
    common -= (0.5 * (ou_variance(s_c, kappa, years) + ou_variance(
        s_s, kappa, years))[:, None]).astype(np.float32)
    scale = np.exp(common, out=common)                       # the common factor, in place
    if not own or s_s == 0.0:
        return scale, None
    own_factor = ou_paths(z[:, 1:], s_s, kappa, dt)          # (months, models, paths)
    return scale, np.exp(own_factor, out=own_factor)


def simulate_chunk(deal: DealArrays, scenario: Scenario, streams: list,
                   sizes: list[int]) -> MarketPaths:
    """`streams`: per block of paths, (the rents' stream, the token price's
    stream), so that the rents do not depend on whether the token price is
    drawn."""
    mk = scenario.market
    n = deal.months
    paths = sum(sizes)
    # Only the models the fleet delivers hours of move the market value.
    used = np.flatnonzero(deal.gpu_hours.sum(axis=1) > 0)
    weight = (deal.forward * deal.gpu_hours)[used]            # (models, months)
    dt = np.diff(deal.years, append=deal.years[-1] if n else 0.0)
    z = block_normals([rent for rent, _ in streams], sizes, (n, 1 + len(used)))
    token_shock = None
    if _needs_token_price(deal, scenario):
        r = mk.token_market_correlation_pct / 100.0
        token_shock = block_normals([token for _, token in streams], sizes, (n,))
        token_shock *= np.float32(np.sqrt(max(0.0, 1 - r * r)))
        token_shock += np.float32(r) * z[:, 0]
    scale, own = rent_factors(z, mk, deal.years, dt, own=len(used) > 0)
    total = weight.sum(axis=0)
    if len(used) == 0:
        value = np.zeros((n, paths))
        index = scale.astype(float)
    elif own is None:
        # float64 from here: with no volatility the values are exactly the forward's.
        value = np.multiply(total[:, None], scale, dtype=float)
        index = scale.astype(float)
    else:
        # float32 sums of a few models' values (relative error ~1e-7, far below the
        # Monte Carlo's), then float64 for the sums over months.
        value = np.multiply(np.einsum("jm,mjp->mp", weight.astype(np.float32), own), scale,
                            dtype=float)
        # The fleet's rent over its forward; in a month with no hours, the models' mean.
        priced = total > 0
        index = value / np.where(priced, total, 1.0)[:, None]
        if not priced.all():
            index[~priced] = own[~priced].mean(axis=1) * scale[~priced]
    if token_shock is None:
        token = np.ones((n, 1))
    else:
        s_t = mk.token_price_vol_pct / 100.0
        token = ou_paths(token_shock, s_t, 0.0, dt)
        token -= (0.5 * ou_variance(s_t, 0.0, deal.years)[:, None]).astype(np.float32)
        np.exp(token, out=token)
    return MarketPaths(index, value, token)


def _suffix(a: np.ndarray) -> np.ndarray:
    """S[m] = sum of a[m:] over months (rows), with S[months] = 0."""
    out = np.empty((a.shape[0] + 1,) + a.shape[1:])
    out[-1] = 0.0
    # A row at a time: numpy's cumsum along the months axis is ten times slower
    # (2.4 ms against 0.2 ms for 36 months x 10,000 paths).
    for m in range(a.shape[0] - 1, -1, -1):
        np.add(out[m + 1], a[m], out=out[m])
    return out


def notice_gains(replaced: np.ndarray, waiting: np.ndarray | None, paid: np.ndarray,
                 lead: int, out: np.ndarray | None = None) -> np.ndarray:
    """(notice months, paths): sum over m of (1 - paid[k, m]) x (waiting[m] if
    m < k + lead else replaced[m]), by suffix sums (no months x months work).
    `waiting` may be one column (the same on every path) or None (0); `out`:
    where to write (a view of the caller's months x paths array).  Row by
    row: no months x paths temporaries beyond the suffix sums (fresh memory
    costs page faults, a third of the time)."""
    n = replaced.shape[0]
    k = np.arange(n)
    s = (paid > 0).sum(axis=1)                      # first month not paid at all
    q = s - 1                                       # the month the notice ends in
    qc = np.clip(q, 0, max(n - 1, 0))
    weight = np.where(q >= k, 1.0 - paid[k, qc], 0.0)
    c = np.clip(np.maximum(s, k + lead), 0, n)
    shape = replaced.shape if waiting is None else np.broadcast_shapes(replaced.shape,
                                                                       waiting.shape)
    if out is None:
        out = np.empty(shape)
    SA = _suffix(replaced)
    SB = None if waiting is None else _suffix(waiting)
    part = np.empty(shape[1:])
    for m in range(n):
        row = out[m]
        np.copyto(row, SA[c[m]])
        if SB is not None and s[m] < c[m]:
            row += SB[s[m]]
            row -= SB[c[m]]
        # The month the notice ends in, in its unpaid share: waiting or replaced by then.
        source = waiting if qc[m] < m + lead else replaced
        if weight[m] > 0 and source is not None:
            np.multiply(source[qc[m]], weight[m], out=part)
            row += part
    return out


def exercise_values(deal: DealArrays, scenario: Scenario, market: MarketPaths,
                    out: tuple[np.ndarray, np.ndarray] | None = None
                    ) -> tuple[np.ndarray, np.ndarray]:
    """(buyer, provider) exercise values, notice months x paths, today's money;
    `out`: the two arrays to write them to.  notice_gains is linear in its
    flows: the invoices a notice saves are the same on every path, so they are
    summed once, as one column, and only the market's flows path by path."""
    mk = scenario.market
    out_b, out_p = out if out is not None else (None, None)
    inv_b = (deal.df_buyer * deal.invoice)[:, None]
    inv_p = (deal.df_provider * deal.invoice)[:, None]
    df_b, df_p = deal.df_buyer[:, None], deal.df_provider[:, None]
    lead = mk.buyer_replacement_lead_months
    replaced = market.market_value * (-(1 + mk.buyer_replacement_premium_pct / 100.0) * df_b)
    waiting = (market.token_factor * (-deal.revenue[:, None] * df_b)        # revenue lost
               if lead > 0 and np.any(deal.revenue) else None)
    buyer = notice_gains(replaced, waiting, deal.paid, lead, out_b)
    buyer += notice_gains(inv_b, inv_b, deal.paid, lead) - deal.fee_buyer[:, None]
    relet = market.market_value * (1 - mk.provider_relet_discount_pct / 100.0)
    if mk.provider_own_use_value_per_gpu_hour > 0:
        own_use = mk.provider_own_use_value_per_gpu_hour * deal.gpu_hours.sum(axis=0)
        np.maximum(relet, own_use[:, None], out=relet)
    relet *= df_p
    lead_p = mk.provider_relet_lead_months
    provider = notice_gains(relet, None, deal.paid, lead_p, out_p)
    provider -= notice_gains(inv_p, inv_p, deal.paid, lead_p)
    return buyer, provider


# --- the valuation --------------------------------------------------------------------------

@dataclass(frozen=True)
class RightsValuation:
    paths: int
    seed: int
    months: int
    buyer_alone: float               # $ today
    buyer_alone_se: float
    provider_alone: float
    provider_alone_se: float
    buyer_both: float                # each side's gain from the deal ending, both rights held
    provider_both: float
    expected_contract_value: float   # what the buyer pays (invoices, fee), both rights held
    buyer_exercise_by_month: np.ndarray     # share of paths the buyer ends the deal in month k
    provider_exercise_by_month: np.ndarray
    buyer_boundary: np.ndarray       # $/GPU-hour: the fleet rent at which the buyer gives notice
    provider_boundary: np.ndarray
    forward_rent: np.ndarray         # the fleet's forward rent per GPU-hour (NaN with none)
    buyer_may_end: bool
    provider_may_end: bool

    @property
    def buyer_exercise_probability(self) -> float:
        return float(self.buyer_exercise_by_month.sum())

    @property
    def provider_exercise_probability(self) -> float:
        return float(self.provider_exercise_by_month.sum())

    def by_month(self) -> dict[str, np.ndarray]:
        """The series core/figures.py declares in MARKET_SERIES, one value a month."""
        return {"buyer_exercise_cumulative": 100.0 * np.cumsum(self.buyer_exercise_by_month),
                "provider_exercise_cumulative":
                    100.0 * np.cumsum(self.provider_exercise_by_month),
                "buyer_exercise_boundary": self.buyer_boundary,
                "provider_exercise_boundary": self.provider_boundary,
                "forward_rent_per_gpu_hour": self.forward_rent}

    def key_figures(self) -> dict[str, float]:
        """The figures core/figures.py declares in MARKET_FIGURES."""
        return {"buyer_termination_right_value": self.buyer_alone,
                "provider_termination_right_value": self.provider_alone,
                "buyer_value_both_rights": self.buyer_both,
                "provider_value_both_rights": self.provider_both,
                "expected_contract_value_rights": self.expected_contract_value,
                "buyer_exercise_probability": 100.0 * self.buyer_exercise_probability,
                "provider_exercise_probability": 100.0 * self.provider_exercise_probability}


def simulate(deal: DealArrays, scenario: Scenario, paths: int, seed: int,
             chunk_blocks: int | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(state, buyer exercise values, provider exercise values), months x
    paths, simulated `chunk_blocks` blocks of BLOCK paths at a time (by
    default as many as make CHUNK_CELLS months x paths, at least one)."""
    n = deal.months
    state = np.empty((n, paths))
    gain_b = np.empty((n, paths))
    gain_p = np.empty((n, paths))
    blocks = -(-paths // BLOCK)
    streams = [tuple(block.spawn(2)) for block in np.random.SeedSequence(seed).spawn(blocks)]
    step = max(1, chunk_blocks if chunk_blocks is not None
               else CHUNK_CELLS // max(1, n * BLOCK))
    for first in range(0, blocks, step):
        chunk = range(first, min(blocks, first + step))
        market = simulate_chunk(deal, scenario, [streams[b] for b in chunk],
                                [min(BLOCK, paths - b * BLOCK) for b in chunk])
        start = first * BLOCK
        stop = start + market.rent_index.shape[1]
        state[:, start:stop] = market.rent_index
        exercise_values(deal, scenario, market, (gain_b[:, start:stop], gain_p[:, start:stop]))
    return state, gain_b, gain_p


def market_paths(deal: DealArrays, scenario: Scenario, paths: int, seed: int) -> MarketPaths:
    """The simulated market itself, all paths at once, from the same streams
    as `simulate` (so other models, core/credit.py's defaults, run on the
    rights' paths).  The token factor is months x 1 of ones when not drawn."""
    blocks = -(-paths // BLOCK)
    streams = [tuple(block.spawn(2)) for block in np.random.SeedSequence(seed).spawn(blocks)]
    return simulate_chunk(deal, scenario, streams,
                          [min(BLOCK, paths - b * BLOCK) for b in range(blocks)])


def _boundary(fits: list, low_side: bool, forward: np.ndarray) -> np.ndarray:
    """The rent ($/GPU-hour) at which the fitted exercise gain crosses 0: the
    highest normalised rent with a positive fit (the buyer's, who walks when
    rents are low), or the lowest (the provider's)."""
    out = np.full(len(fits), np.nan)
    for k, fit in enumerate(fits):
        if fit is None or not np.isfinite(forward[k]):
            continue
        positive = fitted_at(fit, X_GRID) > 0
        if positive.any() and not positive.all():
            x = X_GRID[positive].max() if low_side else X_GRID[positive].min()
            out[k] = x * forward[k]
    return out


def value_rights(scenario: Scenario, paths: int = FULL_PATHS, seed: int = DEFAULT_SEED,
                 chunk_blocks: int | None = None, deal: DealArrays | None = None,
                 notice_months: np.ndarray | None = None) -> RightsValuation:
    """Each side's right alone and both together (see the module docstring).
    `notice_months`: the months notice may be given in (all when None)."""
    deal = deal or deal_arrays(scenario)
    n = deal.months
    state, gain_b, gain_p = simulate(deal, scenario, paths, seed, chunk_blocks)
    allowed = np.ones(n, bool) if notice_months is None else np.asarray(notice_months, bool)
    none = np.zeros(n, bool)
    rule_b, rule_p = stopping_rules([gain_b, gain_p], state,
                                    [allowed if deal.buyer_may_end else none,
                                     allowed if deal.provider_may_end else none],
                                    overwrite_state=True)
    rows = np.arange(paths)
    first = np.minimum(rule_b.stop, rule_p.stop)
    ended = first < n
    by_buyer = ended & (rule_b.stop <= rule_p.stop)
    by_provider = ended & ~by_buyer
    at = np.clip(first, 0, max(n - 1, 0))
    fee_b = deal.fee_buyer[at] if n else np.zeros(paths)
    fee_p = deal.fee_provider[at] if n else np.zeros(paths)
    buyer_both = np.where(ended, gain_b[at, rows] + np.where(by_provider, fee_b, 0.0), 0.0) \
        if n else np.zeros(paths)
    provider_both = np.where(ended, gain_p[at, rows] + np.where(by_buyer, fee_p, 0.0), 0.0) \
        if n else np.zeros(paths)
    # What is paid on each path: the invoices to the notice's end and the buyer's fee if
    # the buyer ended it; the whole term's invoices where nobody gives notice.
    paid_to = deal.paid @ deal.invoice if n else np.zeros(0)
    billed = np.where(ended, (paid_to[at] + np.where(by_buyer, deal.fee_due[at], 0.0)) if n
                      else 0.0, float(deal.invoice.sum()))
    total_hours = deal.gpu_hours.sum(axis=0)
    weighted = (deal.forward * deal.gpu_hours).sum(axis=0)
    forward = np.where(total_hours > 0, weighted / np.where(total_hours > 0, total_hours, 1.0),
                       np.nan)

    def se(v: np.ndarray) -> float:
        # As if the paths were independent: antithetic pairs (block_normals) are negatively
        # correlated for a payoff monotone in the rent, so this overstates the error.
        return float(v.std(ddof=1) / np.sqrt(v.size)) if v.size > 1 else 0.0
    return RightsValuation(
        paths=paths, seed=seed, months=n,
        buyer_alone=float(rule_b.value.mean()), buyer_alone_se=se(rule_b.value),
        provider_alone=float(rule_p.value.mean()), provider_alone_se=se(rule_p.value),
        buyer_both=float(buyer_both.mean()), provider_both=float(provider_both.mean()),
        expected_contract_value=float(billed.mean()),
        buyer_exercise_by_month=np.bincount(first[by_buyer], minlength=n)[:n] / paths,
        provider_exercise_by_month=np.bincount(first[by_provider], minlength=n)[:n] / paths,
        buyer_boundary=_boundary(rule_b.fits, True, forward),
        provider_boundary=_boundary(rule_p.fits, False, forward),
        forward_rent=forward, buyer_may_end=deal.buyer_may_end,
        provider_may_end=deal.provider_may_end)


def value_rights_for(results: Results, paths: int = FULL_PATHS,
                     seed: int = DEFAULT_SEED) -> RightsValuation:
    return value_rights(results.scenario, paths, seed)
