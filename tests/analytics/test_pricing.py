"""PPV price suggestion on simulated sends with a known demand curve: the regret against the
best price is small, the guardrails hold, and thin histories are refused in words."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import expit

from huntaze.analytics.clv import NotEnoughData
from huntaze.analytics.pricing import (
    REASON_AT_CEILING,
    REASON_AT_FLOOR,
    REASON_AT_TESTED_HIGH,
    REASON_BEST_PRICE,
    REASON_OUTSIDE_TESTED,
    fit_demand,
    suggest_price,
)

TRIED = np.array([500, 800, 1000, 1500, 2000, 2500])


def logistic_curve(price):
    return expit(-1.0 - 2.2 * np.log(price / 1500))  # best price 876 cents


def exponential_curve(price):
    return 0.6 * np.exp(-price / 1200)  # best price 1200 cents, not the model's family


def _history(curve, recipients: int, rng: np.random.Generator):
    prices = rng.choice(TRIED, size=recipients).astype(float)
    return prices, (rng.random(recipients) < curve(prices)).astype(float)


def _regret(curve, price_cents: int, floor: int, ceiling: int) -> float:
    grid = np.arange(floor, ceiling + 1, dtype=float)
    return 1.0 - float(curve(np.array([price_cents]))[0]) * price_cents / (curve(grid) * grid).max()


@pytest.mark.parametrize(("curve", "limit"), [(logistic_curve, 0.01), (exponential_curve, 0.02)])
def test_regret_against_the_best_price_is_small(curve, limit):
    rng = np.random.default_rng(11)
    regrets = []
    for _ in range(10):
        prices, bought = _history(curve, 5000, rng)
        suggestion = suggest_price(fit_demand(prices, bought), floor_cents=300, ceiling_cents=5000)
        assert 300 <= suggestion.price_cents <= 5000
        regrets.append(_regret(curve, suggestion.price_cents, 300, 5000))
    assert np.mean(regrets) < limit


def test_fitted_demand_matches_the_true_curve_at_the_tried_prices():
    sends = np.full(TRIED.size, 20_000)
    bought = np.round(sends * logistic_curve(TRIED.astype(float)))

    model = fit_demand(TRIED, bought, sends=sends)

    np.testing.assert_allclose(model.buy_probability(TRIED), logistic_curve(TRIED), atol=2e-3)
    assert (model.sends, model.buys) == (120_000, int(bought.sum()))
    suggestion = suggest_price(model, floor_cents=300, ceiling_cents=5000)
    assert suggestion.reason == REASON_BEST_PRICE
    assert suggestion.price_cents == pytest.approx(876, abs=10)
    assert suggestion.expected_revenue_per_recipient_cents == pytest.approx(
        suggestion.buy_probability * suggestion.price_cents
    )


def test_batches_with_counts_fit_like_one_row_per_recipient():
    rng = np.random.default_rng(3)
    prices, bought = _history(logistic_curve, 2000, rng)
    per_row = fit_demand(prices, bought)
    sends = np.array([(prices == p).sum() for p in TRIED])
    buys = np.array([bought[prices == p].sum() for p in TRIED])
    batched = fit_demand(TRIED, buys, sends=sends)
    np.testing.assert_allclose(
        batched.buy_probability(TRIED), per_row.buy_probability(TRIED), rtol=1e-6
    )


def test_guardrails_bound_the_price_and_the_reason_says_which():
    sends = np.full(TRIED.size, 5000)
    model = fit_demand(TRIED, np.round(sends * logistic_curve(TRIED.astype(float))), sends=sends)

    capped = suggest_price(model, floor_cents=300, ceiling_cents=700)
    assert (capped.price_cents, capped.reason) == (700, REASON_AT_CEILING)
    raised = suggest_price(model, floor_cents=1200, ceiling_cents=5000)
    assert (raised.price_cents, raised.reason) == (1200, REASON_AT_FLOOR)
    far = suggest_price(model, floor_cents=9000, ceiling_cents=12000)
    assert (far.price_cents, far.reason) == (9000, REASON_OUTSIDE_TESTED)
    assert "$7.00" in capped.explanation
    assert "30000 recipients" in capped.explanation


def test_price_insensitive_fans_get_the_highest_supported_price_not_the_ceiling():
    sends = np.full(TRIED.size, 5000)
    flat = np.full(TRIED.size, 1000.0)  # 20% buy at every price

    suggestion = suggest_price(
        fit_demand(TRIED, flat, sends=sends), floor_cents=300, ceiling_cents=10_000
    )

    assert suggestion.price_cents == 3125  # highest tried price * 1.25
    assert suggestion.reason == REASON_AT_TESTED_HIGH
    assert suggestion.buy_probability == pytest.approx(0.2, abs=0.01)


def test_thin_history_is_refused_with_a_clear_message():
    with pytest.raises(
        NotEnoughData, match="not enough history yet: the price model needs at least 100"
    ):
        fit_demand([500] * 50 + [900] * 40, [1] * 20 + [0] * 70)
    with pytest.raises(NotEnoughData, match="same price"):
        fit_demand([1000] * 200, [1] * 50 + [0] * 150)
    with pytest.raises(NotEnoughData, match="5 buys"):
        fit_demand([500] * 100 + [900] * 100, [0] * 200)


def test_bad_input_names_the_field():
    with pytest.raises(ValueError, match="prices_cents must be > 0"):
        fit_demand([0, 500], [1, 0])
    with pytest.raises(ValueError, match="bought must be between 0 and the number of sends"):
        fit_demand([500, 900], [3, 1], sends=[2, 2])
    with pytest.raises(ValueError, match="same length"):
        fit_demand([500, 900], [1])
    sends = np.full(TRIED.size, 500)
    model = fit_demand(TRIED, np.round(sends * logistic_curve(TRIED.astype(float))), sends=sends)
    with pytest.raises(ValueError, match="ceiling_cents must be >= floor_cents"):
        suggest_price(model, floor_cents=1000, ceiling_cents=900)
    with pytest.raises(ValueError, match="floor_cents must be >= 1"):
        suggest_price(model, floor_cents=0, ceiling_cents=900)
