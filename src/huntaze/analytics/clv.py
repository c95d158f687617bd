"""Customer-base models on plain arrays (no Django): BG/NBD for purchase counts and P(alive),
Gamma-Gamma for spend, and the customer lifetime value built from both.

References:
- Fader, Hardie & Lee (2005), "Counting Your Customers the Easy Way: An Alternative to the
  Pareto/NBD Model", Marketing Science 24(2), 275-284 (BG/NBD; likelihood, P(alive) and the
  conditional expectation are equations (6), (10) and (13) of the paper and of Hardie's note
  "Implementing the BG/NBD Model", brucehardie.com/notes/004/).
- Fader, Hardie & Lee (2005), "RFM and CLV: Using Iso-Value Curves for Customer Base Analysis",
  Journal of Marketing Research 42(4); Hardie (2013), "The Gamma-Gamma Model of Monetary Value",
  brucehardie.com/notes/025/.

Data per customer (here a fan), in one time unit (days in this project): `frequency` x is the
number of repeat purchases (purchase periods after the first), `recency` t_x the time of the last
purchase measured from the first one, `T` the time from the first purchase to now. A customer
without repeat purchase has x = 0 and t_x = 0.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import optimize
from scipy.special import digamma, expit, gammaln, hyp2f1

FloatArray = NDArray[np.float64]

# Below these the likelihood is too flat to trust the parameters: we refuse to fit.
BGNBD_MIN_CUSTOMERS = 30
BGNBD_MIN_REPEAT_CUSTOMERS = 5
GAMMA_GAMMA_MIN_CUSTOMERS = 10
DAYS_PER_MONTH = 30.0
_LOG_BOUND = 12.0  # parameters searched in [e^-12, e^12] (after time scaling)


_CONVERGED_GRADIENT = 1e-6  # the objectives are mean log-likelihoods per customer


def _converged(result: optimize.OptimizeResult) -> bool:
    """L-BFGS-B's own verdict, or a gradient already at zero: at the tolerances asked here its
    line search can end "ABNORMAL" at machine precision on one CPU and not on another, with
    the same optimum."""
    gradient = np.asarray(result.jac, dtype=float)
    return bool(result.success) or float(np.max(np.abs(gradient))) < _CONVERGED_GRADIENT


class NotEnoughData(ValueError):  # noqa: N818 - the agreed public name
    """The model cannot be fitted or applied on this data; the message says why, in words a
    creator can read (for example 'not enough history yet: ...')."""


@dataclass(frozen=True, slots=True)
class BGNBDParams:
    r: float
    alpha: float
    a: float
    b: float


@dataclass(frozen=True, slots=True)
class GammaGammaParams:
    p: float
    q: float
    gamma: float


@dataclass(frozen=True, slots=True)
class ChurnReason:
    """Why a fan looks at risk: time since the last purchase against the fan's usual gap.

    `kind` is one of "no_repeat" (a single purchase so far, no usual gap yet), "overdue" (more
    than twice the usual gap), "late" (past the usual gap), "on_track". `ratio` is
    days_since_last / usual_gap_days (None without a usual gap). `message` is plain English for
    logs and non-translated contexts; pages build their own translated text from the fields."""

    kind: str
    days_since_last: float
    usual_gap_days: float | None
    ratio: float | None
    message: str


# ----------------------------------------------------------------------------- input checks


def _as_float_array(values: ArrayLike, name: str) -> FloatArray:
    array = np.asarray(values, dtype=np.float64)
    if array.ndim != 1:
        array = array.reshape(-1)
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must contain finite numbers only")
    return array


def _check_rfm(frequency: ArrayLike, recency: ArrayLike, T: ArrayLike) -> tuple[FloatArray, ...]:  # noqa: N803
    x = _as_float_array(frequency, "frequency")
    t_x = _as_float_array(recency, "recency")
    t_total = _as_float_array(T, "T")
    if not (x.shape == t_x.shape == t_total.shape):
        raise ValueError("frequency, recency and T must have the same length")
    if np.any(x < 0) or np.any(x != np.round(x)):
        raise ValueError("frequency must be whole numbers >= 0 (repeat purchases)")
    if np.any(t_x < 0) or np.any(t_x > t_total):
        raise ValueError("recency must be between 0 and T for every customer")
    if np.any((x == 0) & (t_x != 0)):
        raise ValueError("recency must be 0 for customers without repeat purchase")
    return x, t_x, t_total


# ----------------------------------------------------------------------------- BG/NBD fit


@dataclass(frozen=True, slots=True)
class _Patterns:
    """Unique (x, t_x, T) rows with their counts, and the unique x values (special functions
    of x are computed once per distinct x)."""

    x: FloatArray
    t_x: FloatArray
    t_total: FloatArray
    weight: FloatArray
    x_values: FloatArray
    x_index: NDArray[np.intp]
    has_repeat: NDArray[np.bool_]


def _compress(x: FloatArray, t_x: FloatArray, t_total: FloatArray, weight: FloatArray) -> _Patterns:
    span = float(t_total.max()) + 1.0 if t_total.size else 1.0
    whole = span < 2**20 and bool(
        np.all(t_x == np.floor(t_x)) and np.all(t_total == np.floor(t_total))
    )
    if whole and float(x.max()) < 2**20:  # whole days: one int64 key sorts much faster
        key = (x.astype(np.int64) * int(span) + t_x.astype(np.int64)) * int(span)
        key += t_total.astype(np.int64)
        keys, first, inverse = np.unique(key, return_index=True, return_inverse=True)
        summed = np.asarray(
            np.bincount(inverse, weights=weight, minlength=keys.size), dtype=np.float64
        )
        ux, ut, u_total = x[first], t_x[first], t_total[first]
    else:
        order = np.lexsort((t_total, t_x, x))
        xs, ts, tt, ws = x[order], t_x[order], t_total[order], weight[order]
        is_new = np.ones(xs.size, dtype=bool)
        is_new[1:] = (np.diff(xs) != 0) | (np.diff(ts) != 0) | (np.diff(tt) != 0)
        starts = np.flatnonzero(is_new)
        summed = np.add.reduceat(ws, starts)
        ux, ut, u_total = xs[starts], ts[starts], tt[starts]
    x_values, x_index = np.unique(ux, return_inverse=True)
    return _Patterns(ux, ut, u_total, summed, x_values, x_index, ux > 0)


def _bgnbd_nll_and_grad(log_params: FloatArray, data: _Patterns) -> tuple[float, FloatArray]:
    """Mean negative log-likelihood over customers and its gradient in log-parameters."""
    r, alpha, a, b = np.exp(log_params)
    xv = data.x_values
    # Terms that depend on x only, on the distinct x values.
    lg = gammaln(r + xv) - gammaln(r) + gammaln(a + b) + gammaln(b + xv) - gammaln(b)
    lg -= gammaln(a + b + xv)
    d_r_x = digamma(r + xv) - digamma(r)
    d_ab_x = digamma(a + b) - digamma(a + b + xv)
    d_b_x = d_ab_x + digamma(b + xv) - digamma(b)
    idx = data.x_index
    x, w, rep = data.x, data.weight, data.has_repeat

    log_alpha_t = np.log(alpha + data.t_total)
    log_alpha_tx = np.log(alpha + data.t_x)
    a3 = -(r + x) * log_alpha_t
    b_x1 = b + np.maximum(x, 1.0) - 1.0
    a4 = np.log(a) - np.log(b_x1) - (r + x) * log_alpha_tx
    a4 = np.where(rep, a4, -np.inf)
    top = np.maximum(a3, a4)
    e3, e4 = np.exp(a3 - top), np.exp(a4 - top)
    total = e3 + e4
    ll = r * np.log(alpha) + lg[idx] + top + np.log(total)
    w3, w4 = e3 / total, e4 / total

    g_r = d_r_x[idx] + np.log(alpha) - w3 * log_alpha_t - w4 * log_alpha_tx
    g_alpha = r / alpha - w3 * (r + x) / (alpha + data.t_total) - w4 * (r + x) / (alpha + data.t_x)
    g_a = d_ab_x[idx] + w4 / a
    g_b = d_b_x[idx] - w4 / b_x1
    weight_sum = w.sum()
    nll = -float(np.dot(w, ll)) / weight_sum
    grad = -(np.stack((g_r, g_alpha, g_a, g_b)) @ w) / weight_sum
    return nll, grad * np.array([r, alpha, a, b])


def bgnbd_fit(
    frequency: ArrayLike,
    recency: ArrayLike,
    T: ArrayLike,  # noqa: N803 - the model's own notation
    *,
    weights: ArrayLike | None = None,
) -> BGNBDParams:
    """Maximum-likelihood BG/NBD parameters (r, alpha, a, b); alpha is in the time unit of
    recency and T. `weights` counts customers sharing a row (default one each).

    Raises NotEnoughData below BGNBD_MIN_CUSTOMERS customers or BGNBD_MIN_REPEAT_CUSTOMERS
    repeat customers, or when the likelihood has no interior maximum."""
    x, t_x, t_total = _check_rfm(frequency, recency, T)
    weight = np.ones_like(x) if weights is None else _as_float_array(weights, "weights")
    if weight.shape != x.shape or np.any(weight < 0):
        raise ValueError("weights must be >= 0, one per customer")
    customers = float(weight.sum())
    repeaters = float(weight[x > 0].sum())
    if customers < BGNBD_MIN_CUSTOMERS or repeaters < BGNBD_MIN_REPEAT_CUSTOMERS:
        raise NotEnoughData(
            f"not enough history yet: the purchase model needs at least {BGNBD_MIN_CUSTOMERS} "
            f"buyers of whom {BGNBD_MIN_REPEAT_CUSTOMERS} bought more than once "
            f"(have {customers:.0f} and {repeaters:.0f})"
        )
    if float(t_total.max()) <= 0:
        raise NotEnoughData("not enough history yet: every buyer bought for the first time today")
    scale = 10.0 / float(t_total.max())  # times in [0, 10] keep the problem well conditioned
    keep = weight > 0
    raw = _compress(x[keep], t_x[keep], t_total[keep], weight[keep])
    data = _Patterns(
        raw.x,
        raw.t_x * scale,
        raw.t_total * scale,
        raw.weight,
        raw.x_values,
        raw.x_index,
        raw.has_repeat,
    )
    result = optimize.minimize(
        _bgnbd_nll_and_grad,
        x0=np.zeros(4),
        args=(data,),
        jac=True,
        method="L-BFGS-B",
        bounds=[(-_LOG_BOUND, _LOG_BOUND)] * 4,
        options={"ftol": 1e-13, "gtol": 1e-9, "maxiter": 2000},
    )
    if not _converged(result) or np.any(np.abs(result.x) >= _LOG_BOUND - 1e-6):
        raise NotEnoughData(
            "not enough history yet: the purchases so far do not determine the model "
            "(the likelihood has no interior maximum)"
        )
    r, alpha, a, b = np.exp(result.x)
    return BGNBDParams(r=float(r), alpha=float(alpha / scale), a=float(a), b=float(b))


def bgnbd_log_likelihood(
    params: BGNBDParams,
    frequency: ArrayLike,
    recency: ArrayLike,
    T: ArrayLike,  # noqa: N803
) -> float:
    """Total log-likelihood of the data under `params` (as reported in the papers)."""
    x, t_x, t_total = _check_rfm(frequency, recency, T)
    data = _compress(x, t_x, t_total, np.ones_like(x))
    log_params = np.log([params.r, params.alpha, params.a, params.b])
    nll, _ = _bgnbd_nll_and_grad(log_params, data)
    return -nll * x.size


# ----------------------------------------------------------------------------- BG/NBD predictions


def bgnbd_p_alive(
    params: BGNBDParams,
    frequency: ArrayLike,
    recency: ArrayLike,
    T: ArrayLike,  # noqa: N803
) -> FloatArray:
    """P(alive | x, t_x, T): 1 for customers without repeat purchase (FHL 2005, eq. 13)."""
    x, t_x, t_total = _check_rfm(frequency, recency, T)
    r, alpha, a, b = params.r, params.alpha, params.a, params.b
    log_odds_dead = np.log(a / (b + np.maximum(x, 1.0) - 1.0)) + (r + x) * (
        np.log(alpha + t_total) - np.log(alpha + t_x)
    )
    return np.asarray(np.where(x > 0, expit(-log_odds_dead), 1.0), dtype=np.float64)


def _expected_purchases_raw(
    r: float,
    alpha: float,
    a: float,
    b: float,
    t: float,
    x: FloatArray,
    t_x: FloatArray,
    tt: FloatArray,
) -> FloatArray:
    z = t / (alpha + tt + t)
    bracket = 1.0 - np.power((alpha + tt) / (alpha + tt + t), r + x) * hyp2f1(
        r + x, b + x, a + b + x - 1.0, z
    )
    numerator = (a + b + x - 1.0) / (a - 1.0) * bracket
    log_odds_dead = np.log(a / (b + np.maximum(x, 1.0) - 1.0)) + (r + x) * (
        np.log(alpha + tt) - np.log(alpha + t_x)
    )
    return np.asarray(numerator * np.where(x > 0, expit(-log_odds_dead), 1.0), dtype=np.float64)


def bgnbd_expected_purchases(
    params: BGNBDParams,
    t: float,
    frequency: ArrayLike,
    recency: ArrayLike,
    T: ArrayLike,  # noqa: N803
) -> FloatArray:
    """E[purchases in (T, T + t] | x, t_x, T] (FHL 2005, eq. 10), t in the data's time unit."""
    x, t_x, t_total = _check_rfm(frequency, recency, T)
    if not np.isfinite(t) or t < 0:
        raise ValueError("t must be a finite number >= 0")
    if t == 0:
        return np.zeros_like(x)
    r, alpha, a, b = params.r, params.alpha, params.a, params.b
    if abs(a - 1.0) < 1e-5:  # removable singularity at a = 1: average both sides
        lower = _expected_purchases_raw(r, alpha, 1.0 - 1e-5, b, t, x, t_x, t_total)
        upper = _expected_purchases_raw(r, alpha, 1.0 + 1e-5, b, t, x, t_x, t_total)
        return (lower + upper) / 2.0
    return _expected_purchases_raw(r, alpha, a, b, t, x, t_x, t_total)


# ----------------------------------------------------------------------------- Gamma-Gamma


def _gamma_gamma_nll_and_grad(
    log_params: FloatArray, x: FloatArray, m: FloatArray
) -> tuple[float, FloatArray]:
    p, q, gamma = np.exp(log_params)
    px = p * x
    log_gm = np.log(gamma + m * x)
    ll = (
        gammaln(px + q)
        - gammaln(px)
        - gammaln(q)
        + q * np.log(gamma)
        + (px - 1.0) * np.log(m)
        + px * np.log(x)
        - (px + q) * log_gm
    )
    psi_pq = digamma(px + q)
    g_p = x * (psi_pq - digamma(px) + np.log(m) + np.log(x) - log_gm)
    g_q = psi_pq - digamma(q) + np.log(gamma) - log_gm
    g_gamma = q / gamma - (px + q) / (gamma + m * x)
    n = x.size
    grad = -np.array([g_p.sum(), g_q.sum(), g_gamma.sum()]) / n
    return -float(ll.sum()) / n, grad * np.array([p, q, gamma])


def _check_spend(frequency: ArrayLike, monetary_value: ArrayLike) -> tuple[FloatArray, FloatArray]:
    x = _as_float_array(frequency, "frequency")
    m = _as_float_array(monetary_value, "monetary_value")
    if x.shape != m.shape:
        raise ValueError("frequency and monetary_value must have the same length")
    if np.any(x < 0) or np.any(x != np.round(x)):
        raise ValueError("frequency must be whole numbers >= 0 (repeat purchases)")
    if np.any(m < 0):
        raise ValueError("monetary_value must be >= 0")
    return x, m


def gamma_gamma_fit(frequency: ArrayLike, monetary_value: ArrayLike) -> GammaGammaParams:
    """Maximum-likelihood Gamma-Gamma parameters (p, q, gamma) of the average spend per
    transaction. Only customers with frequency > 0 and a positive average spend are used (the
    model's convention: spend of the repeat transactions). The spend unit is the caller's
    (cents here; dollars for CDNOW).

    Raises NotEnoughData below GAMMA_GAMMA_MIN_CUSTOMERS such customers, or when the fitted q
    is <= 1 (the expected spend would be infinite)."""
    x, m = _check_spend(frequency, monetary_value)
    keep = (x > 0) & (m > 0)
    x, m = x[keep], m[keep]
    if x.size < GAMMA_GAMMA_MIN_CUSTOMERS:
        raise NotEnoughData(
            f"not enough history yet: the spend model needs at least {GAMMA_GAMMA_MIN_CUSTOMERS} "
            f"repeat buyers (have {x.size})"
        )
    scale = 1.0 / float(np.mean(m))  # spend scaled to mean 1; gamma scales back
    result = optimize.minimize(
        _gamma_gamma_nll_and_grad,
        x0=np.zeros(3),
        args=(x, m * scale),
        jac=True,
        method="L-BFGS-B",
        bounds=[(-_LOG_BOUND, _LOG_BOUND)] * 3,
        options={"ftol": 1e-14, "gtol": 1e-10, "maxiter": 2000},
    )
    p, q, gamma = np.exp(result.x)
    if not _converged(result) or np.any(np.abs(result.x) >= _LOG_BOUND - 1e-6) or q <= 1.0:
        raise NotEnoughData(
            "not enough history yet: spend per purchase varies too much to estimate an "
            "expected spend"
        )
    return GammaGammaParams(p=float(p), q=float(q), gamma=float(gamma / scale))


def gamma_gamma_expected_spend(
    params: GammaGammaParams, frequency: ArrayLike, monetary_value: ArrayLike
) -> FloatArray:
    """E[spend per transaction | x, mean spend]: a weighted average of the population mean
    p*gamma/(q-1) and the customer's own mean (Hardie 2013, eq. 6). With x = 0 it is the
    population mean."""
    x, m = _check_spend(frequency, monetary_value)
    p, q, gamma = params.p, params.q, params.gamma
    if q <= 1.0:
        raise NotEnoughData("the spend model has no finite mean (q <= 1)")
    return np.asarray((p * gamma + p * x * m) / (p * x + q - 1.0), dtype=np.float64)


# ----------------------------------------------------------------------------- CLV and churn


def clv(
    bgnbd: BGNBDParams,
    gg: GammaGammaParams,
    frequency: ArrayLike,
    recency: ArrayLike,
    T: ArrayLike,  # noqa: N803
    monetary_value: ArrayLike,
    *,
    months: int,
    monthly_discount_rate: float,
    margin: float,
    time_unit_days: float = 1.0,
) -> FloatArray:
    """Discounted expected margin over the next `months`: sum over months i of
    E[purchases in month i] * E[spend] * margin / (1 + monthly_discount_rate)^i, a month being
    30 days (`time_unit_days` is the length of the data's time unit in days, 7 for weeks)."""
    if months < 1:
        raise ValueError("months must be >= 1")
    if not (0.0 <= monthly_discount_rate < 1.0):
        raise ValueError("monthly_discount_rate must be in [0, 1)")
    if not (0.0 <= margin <= 1.0):
        raise ValueError("margin must be in [0, 1]")
    if time_unit_days <= 0:
        raise ValueError("time_unit_days must be > 0")
    spend = gamma_gamma_expected_spend(gg, frequency, monetary_value)
    month_units = DAYS_PER_MONTH / time_unit_days
    total = np.zeros_like(spend)
    previous = np.zeros_like(spend)
    for month in range(1, months + 1):
        cumulative = bgnbd_expected_purchases(bgnbd, month * month_units, frequency, recency, T)
        total += (cumulative - previous) / (1.0 + monthly_discount_rate) ** month
        previous = cumulative
    return np.asarray(total * spend * margin, dtype=np.float64)


def churn_reason(days_since_last: float, usual_gap_days: float | None) -> ChurnReason:
    """Explain churn risk by the time since the last purchase against the usual gap between the
    fan's purchases (None or 0 when the fan bought only once)."""
    if not np.isfinite(days_since_last) or days_since_last < 0:
        raise ValueError("days_since_last must be a finite number >= 0")
    days = float(days_since_last)
    if usual_gap_days is None or usual_gap_days <= 0 or not np.isfinite(usual_gap_days):
        return ChurnReason(
            "no_repeat", days, None, None, f"single purchase so far, {days:.0f} days ago"
        )
    gap = float(usual_gap_days)
    ratio = days / gap
    if ratio > 2.0:
        kind, text = "overdue", f"{days:.0f} days since last purchase, {ratio:.1f}x the usual gap"
    elif ratio > 1.0:
        kind, text = "late", f"{days:.0f} days since last purchase, past the usual gap"
    else:
        kind, text = "on_track", f"{days:.0f} days since last purchase, within the usual gap"
    return ChurnReason(kind, days, gap, ratio, f"{text} of {format_days(gap)} days")


def format_days(days: float) -> str:
    """Days as people write them: one decimal below 10 (0.4, 2.5), whole days above."""
    return f"{days:.1f}" if days < 10 else f"{days:.0f}"
