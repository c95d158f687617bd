"""PPV price suggestion (no Django): a demand model learned from past PPV sends, and the price
that maximises expected revenue per recipient within the creator's floor and ceiling.

Demand model: P(buy | price) = expit(intercept + slope * ln(u) + linear_slope * (u - 1)) with
u = price / reference (the geometric mean of the prices tried): a logistic regression on the log
price, on the price, or on both, whichever has the lowest AIC (both needs three prices tried).
Fitted by maximum likelihood with a weak Normal(0, 10^2) prior on the coefficients, so that a
history where nobody bought above some price still has a finite answer. Expected revenue per
recipient is P(buy | price) * price. The suggestion maximises it over whole cents with the buy
probability taken one standard deviation below its estimate (CAUTION_SD): with a thin history
the estimate is uncertain away from the prices tried, and this keeps the suggestion near what
was tried; with a long history it is the revenue-maximising price itself.

The model is only trusted near the prices that were tried: the suggestion stays within
[lowest tried / 1.25, highest tried * 1.25] as well as within the floor and ceiling.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import optimize
from scipy.special import expit, log_expit

from huntaze.analytics.clv import NotEnoughData

FloatArray = NDArray[np.float64]

MIN_SENDS = 100
MIN_BUYS = 5
MIN_PRICE_SPREAD = 1.15  # highest tried price / lowest tried price
EXTRAPOLATION = 1.25
PRIOR_VARIANCE = 100.0
MAX_CANDIDATES = 20_000
CAUTION_SD = 1.0  # prices are ranked by revenue with the buy probability one sd lower

REASON_BEST_PRICE = "best_price"  # the revenue peak lies inside every limit
REASON_AT_CEILING = "at_ceiling"  # revenue still rising at the ceiling
REASON_AT_FLOOR = "at_floor"  # revenue still falling at the floor
REASON_AT_TESTED_HIGH = "at_tested_high"  # still rising at the highest price we trust
REASON_AT_TESTED_LOW = "at_tested_low"  # still falling at the lowest price we trust
REASON_OUTSIDE_TESTED = "outside_tested"  # floor and ceiling both outside the trusted range


@dataclass(frozen=True, slots=True)
class DemandModel:
    intercept: float
    slope: float  # d logit P / d ln(price / reference)
    linear_slope: float  # d logit P / d (price / reference)
    reference_price_cents: float  # geometric mean of the tried prices
    tested_min_cents: int
    tested_max_cents: int
    sends: int
    buys: int
    # Posterior covariance of (intercept, slope, linear_slope); zero rows for unused terms.
    covariance: tuple[tuple[float, ...], ...] = ((0.0,) * 3,) * 3

    def _features(self, prices_cents: ArrayLike) -> FloatArray:
        prices = np.asarray(prices_cents, dtype=np.float64).reshape(-1)
        if np.any(prices <= 0):
            raise ValueError("prices_cents must be > 0")
        relative = prices / self.reference_price_cents
        return np.column_stack((np.ones_like(relative), np.log(relative), relative - 1))

    def logit(self, prices_cents: ArrayLike) -> FloatArray:
        coefficients = np.array([self.intercept, self.slope, self.linear_slope])
        return np.asarray(self._features(prices_cents) @ coefficients, dtype=np.float64)

    def logit_sd(self, prices_cents: ArrayLike) -> FloatArray:
        """Standard deviation of the logit at these prices: small near the prices tried,
        growing away from them."""
        features = self._features(prices_cents)
        variance = np.einsum("ij,jk,ik->i", features, np.array(self.covariance), features)
        return np.sqrt(np.maximum(variance, 0.0))

    def buy_probability(self, prices_cents: ArrayLike) -> FloatArray:
        return np.asarray(expit(self.logit(prices_cents)), dtype=np.float64)


@dataclass(frozen=True, slots=True)
class PriceSuggestion:
    price_cents: int
    buy_probability: float
    expected_revenue_per_recipient_cents: float
    explanation: str  # plain English; pages translate from `reason` and the figures
    reason: str
    sends: int
    buys: int
    tested_min_cents: int
    tested_max_cents: int


def _check_history(
    prices_cents: ArrayLike, bought: ArrayLike, sends: ArrayLike | None
) -> tuple[FloatArray, FloatArray, FloatArray]:
    prices = np.asarray(prices_cents, dtype=np.float64).reshape(-1)
    buys = np.asarray(bought, dtype=np.float64).reshape(-1)
    trials = (
        np.ones_like(buys) if sends is None else np.asarray(sends, dtype=np.float64).reshape(-1)
    )
    if not (prices.shape == buys.shape == trials.shape):
        raise ValueError("prices_cents, bought (and sends) must have the same length")
    if not (
        np.all(np.isfinite(prices)) and np.all(np.isfinite(buys)) and np.all(np.isfinite(trials))
    ):
        raise ValueError("prices_cents, bought and sends must be finite numbers")
    if np.any(prices <= 0):
        raise ValueError("prices_cents must be > 0")
    if np.any(buys < 0) or np.any(buys > trials):
        raise ValueError("bought must be between 0 and the number of sends of each row")
    return prices, buys, trials


def _negative_log_posterior(
    coefficients: FloatArray, features: FloatArray, buys: FloatArray, trials: FloatArray
) -> tuple[float, FloatArray]:
    z = features @ coefficients
    log_likelihood = buys * log_expit(z) + (trials - buys) * log_expit(-z)
    residual = buys - trials * expit(z)
    value = -float(log_likelihood.sum()) + float(coefficients @ coefficients) / (2 * PRIOR_VARIANCE)
    grad = -(features.T @ residual) + coefficients / PRIOR_VARIANCE
    return value, grad


def _fit_candidate(
    features: FloatArray, buys: FloatArray, trials: FloatArray
) -> tuple[FloatArray, float, FloatArray]:
    """MAP coefficients of one feature set, its AIC and the posterior covariance (inverse
    Hessian of the negative log posterior)."""
    result = optimize.minimize(
        _negative_log_posterior,
        x0=np.zeros(features.shape[1]),
        args=(features, buys, trials),
        jac=True,
        method="BFGS",
        options={"gtol": 1e-8},
    )
    z = features @ result.x
    log_likelihood = float((buys * log_expit(z) + (trials - buys) * log_expit(-z)).sum())
    weight = trials * expit(z) * expit(-z)
    hessian = features.T @ (features * weight[:, None]) + np.eye(features.shape[1]) / PRIOR_VARIANCE
    return result.x, 2 * features.shape[1] - 2 * log_likelihood, np.linalg.inv(hessian)


def _check_enough(prices: FloatArray, buys: FloatArray, trials: FloatArray) -> None:
    total_sends, total_buys = float(trials.sum()), float(buys.sum())
    if total_sends < MIN_SENDS or total_buys < MIN_BUYS or total_sends - total_buys < MIN_BUYS:
        raise NotEnoughData(
            f"not enough history yet: the price model needs at least {MIN_SENDS} PPV recipients "
            f"with {MIN_BUYS} buys and {MIN_BUYS} non-buys (have {total_sends:.0f} recipients, "
            f"{total_buys:.0f} buys)"
        )
    if float(prices.max()) / float(prices.min()) < MIN_PRICE_SPREAD:
        raise NotEnoughData(
            "not enough history yet: every PPV so far was sent at about the same price, so "
            "there is no price sensitivity to learn; try a few different prices first"
        )


def fit_demand(
    prices_cents: ArrayLike, bought: ArrayLike, *, sends: ArrayLike | None = None
) -> DemandModel:
    """Fit P(buy | price) on past PPV sends. One row per recipient (`bought` 0 or 1), or with
    `sends` one row per batch (`bought` buys out of `sends` recipients at that price).

    Raises NotEnoughData below MIN_SENDS recipients or MIN_BUYS buys (or as many non-buys), or
    when every send had about the same price (nothing to learn the price sensitivity from)."""
    prices, buys, trials = _check_history(prices_cents, bought, sends)
    keep = trials > 0
    prices, buys, trials = prices[keep], buys[keep], trials[keep]
    _check_enough(prices, buys, trials)
    reference = float(np.exp(np.average(np.log(prices), weights=trials)))
    relative = prices / reference
    features = np.column_stack((np.ones_like(relative), np.log(relative), relative - 1))
    column_sets = [[0, 1], [0, 2]]  # logistic in log price, logistic in price
    if np.unique(prices).size >= 3:  # the two together need three prices
        column_sets.append([0, 1, 2])
    best_aic, coefficients, covariance = np.inf, np.zeros(3), np.zeros((3, 3))
    for columns in column_sets:
        fitted, aic, fitted_covariance = _fit_candidate(features[:, columns], buys, trials)
        if aic < best_aic:
            best_aic, coefficients, covariance = aic, np.zeros(3), np.zeros((3, 3))
            coefficients[columns] = fitted
            covariance[np.ix_(columns, columns)] = fitted_covariance
    return DemandModel(
        intercept=float(coefficients[0]),
        slope=float(coefficients[1]),
        linear_slope=float(coefficients[2]),
        reference_price_cents=reference,
        tested_min_cents=round(float(prices.min())),
        tested_max_cents=round(float(prices.max())),
        sends=round(float(trials.sum())),
        buys=round(float(buys.sum())),
        covariance=tuple(tuple(float(v) for v in row) for row in covariance),
    )


def _search_range(
    model: DemandModel, floor_cents: int, ceiling_cents: int
) -> tuple[int, int, bool]:
    """(low, high, is_outside): the prices searched, and whether the guardrails lie wholly
    outside the trusted range (then only the guardrail nearest to it is offered)."""
    trusted_low = int(np.ceil(model.tested_min_cents / EXTRAPOLATION))
    trusted_high = int(np.floor(model.tested_max_cents * EXTRAPOLATION))
    low, high = max(floor_cents, trusted_low), min(ceiling_cents, trusted_high)
    if low > high:
        nearest = ceiling_cents if ceiling_cents < trusted_low else floor_cents
        return nearest, nearest, True
    return low, high, False


def _reason(price: int, low: int, high: int, floor_cents: int, ceiling_cents: int) -> str:
    if low < price < high:
        return REASON_BEST_PRICE
    if price == high:
        return REASON_AT_CEILING if price == ceiling_cents else REASON_AT_TESTED_HIGH
    return REASON_AT_FLOOR if price == floor_cents else REASON_AT_TESTED_LOW


_EXPLANATIONS = {
    REASON_BEST_PRICE: "Expected revenue per recipient peaks at this price: a higher price "
    "loses more buyers than it earns, a lower one earns less per buyer than it gains.",
    REASON_AT_CEILING: "Revenue per recipient still rises with the price at your ceiling: "
    "fans are not very price sensitive in your history. Raise the ceiling to test higher.",
    REASON_AT_FLOOR: "Revenue per recipient still rises as the price falls at your floor: "
    "fans are price sensitive. Lower the floor to test cheaper PPVs.",
    REASON_AT_TESTED_HIGH: "Revenue still rises with the price, but this is the highest price "
    "the history supports (25% above the highest price tried). Try it, then the model learns.",
    REASON_AT_TESTED_LOW: "Revenue still rises as the price falls, but this is the lowest price "
    "the history supports (25% below the cheapest price tried). Try it, then the model learns.",
    REASON_OUTSIDE_TESTED: "Your floor and ceiling are far from every price tried so far, where "
    "the history says nothing: this is the guardrail nearest to the tried prices.",
}


def suggest_price(model: DemandModel, *, floor_cents: int, ceiling_cents: int) -> PriceSuggestion:
    """The price in whole cents that maximises P(buy | price) * price within the guardrails and
    the trusted range, with the buy probability, expected revenue per recipient and why."""
    if floor_cents < 1:
        raise ValueError("floor_cents must be >= 1")
    if ceiling_cents < floor_cents:
        raise ValueError("ceiling_cents must be >= floor_cents")
    low, high, is_outside = _search_range(model, floor_cents, ceiling_cents)
    step = max(1, (high - low) // MAX_CANDIDATES)
    candidates = np.arange(low, high + 1, step, dtype=np.float64)
    if candidates[-1] != high:
        candidates = np.append(candidates, float(high))
    cautious = expit(model.logit(candidates) - CAUTION_SD * model.logit_sd(candidates))
    best = int(np.argmax(cautious * candidates))
    revenue = model.buy_probability(candidates) * candidates
    price = int(candidates[best])
    probability = float(model.buy_probability([price])[0])
    reason = (
        REASON_OUTSIDE_TESTED
        if is_outside
        else _reason(price, low, high, floor_cents, ceiling_cents)
    )
    figures = (
        f" At ${price / 100:.2f}, {probability:.0%} of recipients are expected to buy "
        f"(learned from {model.sends} recipients, {model.buys} buys, prices tried "
        f"${model.tested_min_cents / 100:.2f} to ${model.tested_max_cents / 100:.2f})."
    )
    return PriceSuggestion(
        price_cents=price,
        buy_probability=probability,
        expected_revenue_per_recipient_cents=float(revenue[best]),
        explanation=_EXPLANATIONS[reason] + figures,
        reason=reason,
        sends=model.sends,
        buys=model.buys,
        tested_min_cents=model.tested_min_cents,
        tested_max_cents=model.tested_max_cents,
    )
