"""BG/NBD, Gamma-Gamma and CLV against published results and limiting cases.

Data: the CDNOW sample summary (2,357 customers who made their first purchase in the first
quarter of 1997, 39 calibration weeks), as shipped by the `lifetimes` package
(lifetimes/datasets/cdnow_customers_summary_with_transactions.csv: x, t_x, T in weeks, zbar the
mean spend of the repeat purchases in dollars). The file is read directly, without importing
lifetimes.

Published values:
- Fader, Hardie & Lee (2005), "Counting Your Customers the Easy Way: An Alternative to the
  Pareto/NBD Model", Marketing Science 24(2), 275-284, section 4: r = 0.243, alpha = 4.414,
  a = 0.793, b = 2.426, log-likelihood -9582.4, and E[Y(39) | x = 2, t_x = 30.43, T = 38.86]
  = 1.226 (also in Hardie's note "Implementing the BG/NBD Model", brucehardie.com/notes/004/).
- Fader, Hardie & Lee (2005), "RFM and CLV: Using Iso-Value Curves for Customer Base Analysis",
  Journal of Marketing Research 42(4), 415-430, and Hardie (2013), "The Gamma-Gamma Model of
  Monetary Value", brucehardie.com/notes/025/: on the 946 repeat buyers, p = 6.25, q = 3.74,
  gamma = 15.44.
"""

from __future__ import annotations

import importlib.util
import warnings
from pathlib import Path

import numpy as np
import pytest

from huntaze.analytics.clv import (
    BGNBDParams,
    GammaGammaParams,
    NotEnoughData,
    bgnbd_expected_purchases,
    bgnbd_fit,
    bgnbd_log_likelihood,
    bgnbd_p_alive,
    churn_reason,
    clv,
    gamma_gamma_expected_spend,
    gamma_gamma_fit,
)


def _cdnow() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    spec = importlib.util.find_spec("lifetimes")
    assert spec is not None
    assert spec.submodule_search_locations
    folder = Path(next(iter(spec.submodule_search_locations))) / "datasets"
    rows = np.loadtxt(
        folder / "cdnow_customers_summary_with_transactions.csv", delimiter=",", skiprows=1
    )
    return rows[:, 1], rows[:, 2], rows[:, 3], rows[:, 4]


@pytest.fixture(scope="module")
def cdnow() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    return _cdnow()


@pytest.fixture(scope="module")
def cdnow_bgnbd(cdnow) -> BGNBDParams:
    x, t_x, t_total, _ = cdnow
    return bgnbd_fit(x, t_x, t_total)


def _simulate(params: BGNBDParams, fans: int, seed: int) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(seed)
    t_total = rng.integers(30, 366, size=fans).astype(float)
    rate = rng.gamma(params.r, 1.0 / params.alpha, size=fans)
    drop = rng.beta(params.a, params.b, size=fans)
    x, t_x, clock = np.zeros(fans), np.zeros(fans), np.zeros(fans)
    active = np.arange(fans)
    while active.size:
        clock[active] += rng.exponential(1.0 / rate[active])
        buyers = active[clock[active] <= t_total[active]]
        x[buyers] += 1
        t_x[buyers] = clock[buyers]
        active = buyers[rng.random(buyers.size) >= drop[buyers]]
    return x, t_x, t_total


# ----------------------------------------------------------------------------- published results


def test_bgnbd_fit_on_cdnow_matches_fader_hardie_lee_2005(cdnow, cdnow_bgnbd):
    x, t_x, t_total, _ = cdnow
    assert x.size == 2357
    assert cdnow_bgnbd.r == pytest.approx(0.243, abs=5e-4)
    assert cdnow_bgnbd.alpha == pytest.approx(4.414, abs=5e-4)
    assert cdnow_bgnbd.a == pytest.approx(0.793, abs=5e-4)
    assert cdnow_bgnbd.b == pytest.approx(2.426, abs=5e-4)
    assert bgnbd_log_likelihood(cdnow_bgnbd, x, t_x, t_total) == pytest.approx(-9582.4, abs=0.05)


def test_bgnbd_conditional_expectation_matches_the_paper_example(cdnow_bgnbd):
    expected = bgnbd_expected_purchases(cdnow_bgnbd, 39.0, [2], [30.43], [38.86])
    assert expected[0] == pytest.approx(1.226, abs=5e-4)


def test_gamma_gamma_fit_on_cdnow_repeat_buyers_matches_hardie_2013(cdnow):
    x, _, _, zbar = cdnow
    assert int((x > 0).sum()) == 946
    params = gamma_gamma_fit(x, zbar)
    assert params.p == pytest.approx(6.25, abs=5e-3)
    assert params.q == pytest.approx(3.74, abs=5e-3)
    assert params.gamma == pytest.approx(15.44, abs=1e-2)


def test_clv_equals_lifetimes_customer_lifetime_value_on_cdnow_in_days(cdnow, cdnow_bgnbd):
    # Same model in days: r, a, b unchanged, alpha times 7; lifetimes uses 30-day months for "D".
    x, t_x, t_total, zbar = cdnow
    in_days = BGNBDParams(cdnow_bgnbd.r, cdnow_bgnbd.alpha * 7, cdnow_bgnbd.a, cdnow_bgnbd.b)
    gg = gamma_gamma_fit(x, zbar)
    ours = clv(
        in_days,
        gg,
        x,
        t_x * 7,
        t_total * 7,
        zbar,
        months=12,
        monthly_discount_rate=0.01,
        margin=1.0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pandas as pd
        from lifetimes import BetaGeoFitter, GammaGammaFitter

        bgf, ggf = BetaGeoFitter(), GammaGammaFitter()
        bgf.params_ = pd.Series(
            {"r": in_days.r, "alpha": in_days.alpha, "a": in_days.a, "b": in_days.b}
        )
        bgf.predict = bgf.conditional_expected_number_of_purchases_up_to_time
        ggf.params_ = pd.Series({"p": gg.p, "q": gg.q, "v": gg.gamma})
        theirs = ggf.customer_lifetime_value(
            bgf, pd.Series(x), pd.Series(t_x * 7), pd.Series(t_total * 7), pd.Series(zbar),
            time=12, discount_rate=0.01, freq="D",
        ).to_numpy()  # fmt: skip
    np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=1e-9)


def test_time_unit_does_not_change_the_fit(cdnow, cdnow_bgnbd):
    x, t_x, t_total, _ = cdnow
    in_days = bgnbd_fit(x, t_x * 7, t_total * 7)
    assert in_days.alpha == pytest.approx(cdnow_bgnbd.alpha * 7, rel=1e-5)
    assert (in_days.r, in_days.a, in_days.b) == pytest.approx(
        (cdnow_bgnbd.r, cdnow_bgnbd.a, cdnow_bgnbd.b), rel=1e-5
    )


# ----------------------------------------------------------------------------- limiting cases

PARAMS = BGNBDParams(r=0.5, alpha=10.0, a=1.5, b=4.0)


def test_p_alive_is_one_without_repeat_purchase_and_falls_with_silence():
    assert bgnbd_p_alive(PARAMS, [0, 0], [0, 0], [5, 300]).tolist() == [1.0, 1.0]
    silent = bgnbd_p_alive(PARAMS, [3, 3, 3], [20, 20, 20], [20, 60, 200])
    assert silent[0] == pytest.approx(1 / (1 + PARAMS.a / (PARAMS.b + 2)))  # bought just now
    assert silent[0] > silent[1] > silent[2] > 0


def test_expected_purchases_is_zero_over_an_empty_horizon():
    assert bgnbd_expected_purchases(PARAMS, 0.0, [0, 4], [0, 10], [20, 30]).tolist() == [0, 0]


def test_without_dropout_bgnbd_reduces_to_the_nbd_posterior_mean():
    # b -> infinity: p ~ Beta(a, b) -> 0, nobody churns; E[Y(t)] = (r + x) t / (alpha + T).
    no_dropout = BGNBDParams(r=0.5, alpha=10.0, a=1.5, b=1e6)
    x, t_x, t_total = np.array([0, 3, 10]), np.array([0, 20, 50]), np.array([40, 40, 60])
    expected = bgnbd_expected_purchases(no_dropout, 30.0, x, t_x, t_total)
    np.testing.assert_allclose(expected, (0.5 + x) * 30 / (10 + t_total), rtol=1e-4)
    np.testing.assert_allclose(bgnbd_p_alive(no_dropout, x, t_x, t_total), 1.0, atol=1e-5)


def test_over_an_infinite_horizon_expected_purchases_reach_the_geometric_limit():
    # t -> infinity with a > 1: E = P(alive) (a + b + x - 1) / (a - 1); the remainder falls
    # like (T / t)^min(a - 1, r + x).
    params = BGNBDParams(r=2.0, alpha=10.0, a=3.0, b=4.0)
    x, t_x, t_total = np.array([0, 2, 6]), np.array([0, 15, 80]), np.array([30, 30, 100])
    expected = bgnbd_expected_purchases(params, 1e7, x, t_x, t_total)
    alive = bgnbd_p_alive(params, x, t_x, t_total)
    np.testing.assert_allclose(expected, alive * (params.a + params.b + x - 1) / 2.0, rtol=1e-4)


def test_expected_purchases_is_continuous_at_a_equal_one():
    x, t_x, t_total = np.array([0, 3]), np.array([0, 20]), np.array([40, 40])
    at_one = bgnbd_expected_purchases(BGNBDParams(0.5, 10, 1.0, 4.0), 30, x, t_x, t_total)
    near = bgnbd_expected_purchases(BGNBDParams(0.5, 10, 1.001, 4.0), 30, x, t_x, t_total)
    np.testing.assert_allclose(at_one, near, rtol=1e-3)
    assert np.all(np.isfinite(at_one))


def test_gamma_gamma_expected_spend_between_population_and_own_mean():
    params = GammaGammaParams(p=6.0, q=4.0, gamma=15.0)
    population = params.p * params.gamma / (params.q - 1)
    spend = gamma_gamma_expected_spend(params, [0, 1, 5, 100_000], [0.0, 50.0, 50.0, 50.0])
    assert spend[0] == pytest.approx(population)
    assert population < spend[1] < spend[2] < 50.0
    assert spend[3] == pytest.approx(50.0, rel=1e-4)


def test_undiscounted_clv_is_margin_times_spend_times_expected_purchases():
    gg = GammaGammaParams(p=6.0, q=4.0, gamma=15.0)
    x, t_x, t_total, m = [0, 3, 8], [0, 20, 90], [40, 40, 100], [0.0, 30.0, 12.0]
    value = clv(PARAMS, gg, x, t_x, t_total, m, months=6, monthly_discount_rate=0.0, margin=0.8)
    purchases = bgnbd_expected_purchases(PARAMS, 180.0, x, t_x, t_total)
    spend = gamma_gamma_expected_spend(gg, x, m)
    np.testing.assert_allclose(value, 0.8 * spend * purchases, rtol=1e-12)
    discounted = clv(
        PARAMS, gg, x, t_x, t_total, m, months=6, monthly_discount_rate=0.05, margin=0.8
    )
    assert np.all(discounted < value)


# ----------------------------------------------------------------------------- fit properties


def test_fit_recovers_simulated_parameters():
    truth = BGNBDParams(r=0.3, alpha=20.0, a=0.8, b=3.0)
    x, t_x, t_total = _simulate(truth, 40_000, seed=7)
    fitted = bgnbd_fit(x, t_x, t_total)
    assert fitted.r == pytest.approx(truth.r, rel=0.1)
    assert fitted.alpha == pytest.approx(truth.alpha, rel=0.15)
    assert fitted.a == pytest.approx(truth.a, rel=0.2)
    assert fitted.b == pytest.approx(truth.b, rel=0.25)


def test_weights_are_counts_of_identical_customers(cdnow):
    x, t_x, t_total, _ = cdnow
    head = slice(0, 600)
    repeated = bgnbd_fit(np.tile(x[head], 3), np.tile(t_x[head], 3), np.tile(t_total[head], 3))
    weighted = bgnbd_fit(x[head], t_x[head], t_total[head], weights=np.full(600, 3.0))
    assert (weighted.r, weighted.alpha, weighted.a, weighted.b) == pytest.approx(
        (repeated.r, repeated.alpha, repeated.a, repeated.b), rel=1e-6
    )


# ----------------------------------------------------------------------------- bad input


def test_too_few_buyers_is_not_enough_history():
    with pytest.raises(NotEnoughData, match="not enough history yet"):
        bgnbd_fit([1, 0, 2], [5, 0, 9], [10, 10, 10])
    with pytest.raises(NotEnoughData, match="not enough history yet"):
        bgnbd_fit(np.zeros(100), np.zeros(100), np.full(100, 30.0))  # nobody came back
    with pytest.raises(NotEnoughData, match="not enough history yet"):
        gamma_gamma_fit([1, 2, 0], [10.0, 20.0, 0.0])


def test_inconsistent_input_names_the_field():
    with pytest.raises(ValueError, match="recency must be between 0 and T"):
        bgnbd_p_alive(PARAMS, [1], [50], [40])
    with pytest.raises(ValueError, match="frequency must be whole numbers"):
        bgnbd_p_alive(PARAMS, [-1], [0], [40])
    with pytest.raises(ValueError, match="frequency must be whole numbers"):
        bgnbd_p_alive(PARAMS, [1.5], [3], [40])
    with pytest.raises(ValueError, match="finite"):
        bgnbd_fit([1, np.nan], [1, 0], [3, 3])
    with pytest.raises(ValueError, match="same length"):
        bgnbd_p_alive(PARAMS, [1, 2], [1], [40])
    with pytest.raises(ValueError, match="recency must be 0"):
        bgnbd_p_alive(PARAMS, [0], [3], [40])


# ----------------------------------------------------------------------------- churn reason


def test_churn_reason_compares_silence_with_the_usual_gap():
    overdue = churn_reason(90, 30)
    assert (overdue.kind, overdue.ratio) == ("overdue", 3.0)
    assert overdue.message == "90 days since last purchase, 3.0x the usual gap of 30 days"
    assert churn_reason(45, 30).kind == "late"
    assert (
        churn_reason(3, 0.4).message == "3 days since last purchase, 7.5x the usual gap of 0.4 days"
    )
    assert churn_reason(10, 30).kind == "on_track"
    single = churn_reason(12, None)
    assert (single.kind, single.usual_gap_days, single.ratio) == ("no_repeat", None, None)
    with pytest.raises(ValueError, match="days_since_last"):
        churn_reason(-1, 10)


def test_a_fit_whose_line_search_stops_at_a_zero_gradient_counts_as_converged():
    from scipy.optimize import OptimizeResult

    from huntaze.analytics.clv import _converged

    stopped_at_optimum = OptimizeResult(success=False, jac=np.array([1e-8, -2e-11, 1e-8]))
    stopped_early = OptimizeResult(success=False, jac=np.array([1e-8, 3e-3, 0.0]))
    assert _converged(stopped_at_optimum) is True
    assert _converged(stopped_early) is False
    assert _converged(OptimizeResult(success=True, jac=np.array([1.0]))) is True
