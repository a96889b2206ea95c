"""The cohort model of New + Renew and Land + Expand, checked against numbers worked out by hand."""

import math

import numpy as np
import pytest

from b4b_kit.errors import B4BError
from b4b_kit.sales_motions import motions
from b4b_kit.sales_motions.motions import LandExpand, NewRenew

FREE = {"land_cost": 0.0, "expand_cost": 0.0}


def table(motion, customers, years, **kw):
    return motions.yearly(motions.simulate_cohort(motion, customers, years, seed=kw.pop("seed", 0)), **kw)


def test_zero_churn_and_zero_expansion_keep_revenue_constant():
    t = table(LandExpand(land=2, potential=5, adoption_speed=0.5, expansion=0, churn=0, **FREE), 50, 6)
    assert t["revenue"].tolist() == [100.0] * 6
    assert t["customers"].tolist() == [50] * 6
    assert t["nrr"].tolist()[1:] == [1.0] * 5
    assert t["cumulative_revenue"].tolist() == [100.0, 200.0, 300.0, 400.0, 500.0, 600.0]


@pytest.mark.parametrize("p", [0.1, 0.3, 0.5])
def test_churn_without_expansion_leaves_revenue_share_one_minus_p_to_the_t(p):
    # adoption_speed 0: nobody realises value, so every customer is at risk every year
    n = 100_000
    t = table(LandExpand(land=1, potential=2, adoption_speed=0, expansion=0, churn=p, **FREE), n, 6, seed=3)
    share = (t["revenue"] / n).to_numpy()
    expected = (1 - p) ** np.arange(6)
    assert share[0] == 1.0
    assert np.abs(share - expected).max() < 0.005  # about 3 standard errors at n = 100,000
    nrr = t["nrr"].to_numpy()[1:]
    assert np.abs(nrr - (1 - p)).max() < 0.015


def test_customers_who_realise_value_do_not_churn():
    # survival per year is s + (1 - s)(1 - p) = 1 - (1 - s) p: here 1 - 0.5 * 0.4 = 0.8
    n = 100_000
    t = table(LandExpand(land=1, potential=2, adoption_speed=0.5, expansion=0, churn=0.4, **FREE), n, 5, seed=5)
    assert np.abs(t["customers"].to_numpy() / n - 0.8 ** np.arange(5)).max() < 0.005


def test_expected_growth_per_year_without_a_cap():
    # each year: x1.5 with s = 0.6; x1 with 0.4 * 0.75 = 0.3; x0 with 0.4 * 0.25 = 0.1 -> mean 1.2
    n = 200_000
    le = LandExpand(land=1, potential=1e9, adoption_speed=0.6, expansion=0.5, churn=0.25, **FREE)
    t = table(le, n, 4, seed=11)
    assert np.allclose(t["revenue"].to_numpy() / n, 1.2 ** np.arange(4), rtol=0.01)


def test_nrr_by_hand_for_two_customers():
    # A realises value in year 1 and grows 1 -> 1.5; B does not and leaves. NRR = 1.5 / 2 = 0.75.
    le = LandExpand(land=1, potential=10, adoption_speed=0.5, expansion=0.5, churn=0.5, land_cost=0.2,
                    expand_cost=0.1)
    realise = np.array([[0.0, 0.1, 0.9], [0.0, 0.9, 0.0]])
    leave = np.array([[0.0, 0.0, 0.9], [0.0, 0.1, 0.0]])
    t = motions.yearly(motions.cohort_from_draws(le, realise, leave))
    assert t["revenue"].tolist() == [2.0, 1.5, 1.5]  # A stays at 1.5 in year 2 (no value, but no churn)
    assert t["nrr"].tolist()[1:] == [0.75, 1.0]
    assert t["customers"].tolist() == [2, 1, 1]
    assert t["expense"].tolist() == pytest.approx([0.4, 0.1, 0.1])


def test_deterministic_land_expand_every_number():
    # land 1, doubles every year up to 4; two customers; land cost 0.5 each, 0.1 per customer-year after
    le = LandExpand(land=1, potential=4, adoption_speed=1, expansion=1, churn=0, land_cost=0.5, expand_cost=0.1)
    t = table(le, 2, 4)
    assert t["year"].tolist() == [0, 1, 2, 3]
    assert t["revenue"].tolist() == [2.0, 4.0, 8.0, 8.0]
    assert t["revenue_per_customer"].tolist() == [1.0, 2.0, 4.0, 4.0]
    assert t["cumulative_revenue"].tolist() == [2.0, 6.0, 14.0, 22.0]
    assert math.isnan(t["nrr"][0]) and t["nrr"].tolist()[1:] == [2.0, 2.0, 1.0]
    assert t["expense"].tolist() == pytest.approx([1.0, 0.2, 0.2, 0.2])
    assert t["bookings"].tolist() == t["revenue"].tolist()
    assert t["expense_to_bookings"].tolist() == pytest.approx([0.5, 0.05, 0.025, 0.025])
    # per customer won: (2 - 1)/2, + (4 - 0.2)/2, + (8 - 0.2)/2, + (8 - 0.2)/2
    assert t["clv"].tolist() == pytest.approx([0.5, 2.4, 6.3, 10.2])


def test_deterministic_land_expand_everyone_leaves_in_year_one():
    t = table(LandExpand(land=1, potential=4, adoption_speed=0, expansion=1, churn=1, **FREE), 3, 3)
    assert t["revenue"].tolist() == [3.0, 0.0, 0.0]
    assert t["customers"].tolist() == [3, 0, 0]
    assert t["nrr"][1] == 0.0 and math.isnan(t["nrr"][2])  # nothing to retain after everyone left
    assert math.isnan(t["expense_to_bookings"][2])


def test_a_customer_at_full_potential_stays_even_with_certain_churn():
    # realise-value draws are all 'no', churn is certain, but land == potential: fully adopted
    t = table(LandExpand(land=2, potential=2, adoption_speed=0, expansion=1, churn=1, **FREE), 4, 3)
    assert t["revenue"].tolist() == [8.0, 8.0, 8.0]


def test_deterministic_new_renew_every_number():
    # deal 10 + maintenance 2 a year; everyone renews; refresh every 2 years; 3 customers
    nr = NewRenew(deal=10, maintenance=0.2, renewal=1, refresh_every=2, new_cost=1, renew_cost=0.1)
    t = table(nr, 3, 5)
    assert t["recurring_revenue"].tolist() == [6.0] * 5
    assert t["revenue"].tolist() == [36.0, 6.0, 36.0, 6.0, 36.0]
    assert t["nrr"].tolist()[1:] == [1.0] * 4  # refresh deals are one-off, not recurring
    assert t["expense"].tolist() == pytest.approx([3.0, 0.3, 3.3, 0.3, 3.3])
    assert t["expense_to_bookings"].tolist() == pytest.approx([3 / 36, 0.05, 3.3 / 36, 0.05, 3.3 / 36])
    assert t["clv"].tolist() == pytest.approx(np.cumsum([11.0, 1.9, 10.9, 1.9, 10.9]))


def test_new_renew_without_renewals_pays_once():
    t = table(NewRenew(deal=10, maintenance=0.2, renewal=0, refresh_every=1, new_cost=1, renew_cost=0.1), 2, 3)
    assert t["revenue"].tolist() == [24.0, 0.0, 0.0]
    assert t["nrr"][1] == 0.0
    assert t["expense"].tolist() == [2.0, 0.0, 0.0]  # no refresh for customers who are gone


def test_new_renew_nrr_is_the_renewal_rate():
    t = table(NewRenew(renewal=0.8), 100_000, 4, seed=2)
    assert np.abs(t["nrr"].to_numpy()[1:] - 0.8).max() < 0.01


def test_discount_rate_discounts_lifetime_value():
    # constant revenue 1 per customer, no cost; at 100 % a year each later year counts half as much
    le = LandExpand(land=1, potential=1, adoption_speed=1, expansion=0, churn=0, **FREE)
    t = table(le, 2, 3, discount_rate=1.0)
    assert t["clv"].tolist() == [1.0, 1.5, 1.75]


@pytest.mark.parametrize("motion", [
    LandExpand(land=0.3, potential=3, adoption_speed=0.45, expansion=0.7, churn=0.35),
    LandExpand(),
    NewRenew(renewal=0.85, refresh_every=3),
])
def test_vectorized_cohort_equals_the_customer_by_customer_loop(motion):
    fast = motions.simulate_cohort(motion, customers=400, years=9, seed=21)
    slow = motions.simulate_cohort_loop(motion, customers=400, years=9, seed=21)
    for name in ("revenue", "recurring", "expense", "active"):
        np.testing.assert_array_equal(getattr(fast, name), getattr(slow, name), err_msg=name)


def test_same_seed_same_cohort_other_seed_other_cohort():
    a = motions.simulate_cohort(LandExpand(), 300, 6, seed=1).revenue
    assert np.array_equal(a, motions.simulate_cohort(LandExpand(), 300, 6, seed=1).revenue)
    assert not np.array_equal(a, motions.simulate_cohort(LandExpand(), 300, 6, seed=2).revenue)


def test_compare_stacks_both_motions_for_the_same_cohort_size():
    t = motions.compare_motions(customers=50, years=4)
    assert t["motion"].unique().tolist() == ["New + Renew", "Land + Expand"]
    assert t.groupby("motion")["customers"].first().tolist() == [50, 50]


def test_motion_figures_by_hand():
    le = LandExpand(land=1, potential=4, adoption_speed=1, expansion=1, churn=0, land_cost=0.5, expand_cost=0.1)
    f = motions.motion_figures(table(le, 2, 4))["Land + Expand"]
    assert f == {"cumulative_revenue": 22.0, "clv": 10.2, "nrr_last": 1.0,
                 "expense_to_bookings": round(1.6 / 22, 4), "customers_left": 2}


def test_consumption_pipeline_lands_at_a_share_of_the_run_rate():
    # $25M over 5 years: run-rate 5; land at 0.2 of it = 1; nobody adopts, nobody leaves
    c = motions.consumption_pipeline(deals=10, deal_value=25, term=5, land_share=0.2, adoption_speed=0,
                                     expansion=1, churn=0)
    assert c.revenue.shape == (10, 5)
    assert c.revenue.sum(axis=0).tolist() == [10.0] * 5


def test_spectrum_puts_levels_1_2_on_new_renew_and_3_4_on_land_expand():
    s = motions.spectrum()
    assert s["step"].tolist() == list(range(1, 9))
    assert s["discussion"].tolist()[0] == "Just sell me the product"
    assert s["discussion"].tolist()[-1] == "Contract for the business outcome"
    assert s["motions"].tolist() == ["New + Renew"] * 4 + ["Land + Expand"] * 4
    assert s["levels"].tolist() == ["1", "2", "2", "2", "3-4", "3", "3", "4"]


@pytest.mark.parametrize("make, where, text", [
    (lambda: LandExpand(churn=1.5), "LandExpand.churn", "1.5 is outside 0..1"),
    (lambda: LandExpand(adoption_speed=-0.1), "LandExpand.adoption_speed", "outside 0..1"),
    (lambda: LandExpand(adoption_speed="fast"), "LandExpand.adoption_speed", "expected a number"),
    (lambda: LandExpand(expansion=float("nan")), "LandExpand.expansion", "nan is not a finite number"),
    (lambda: LandExpand(potential=float("inf")), "LandExpand.potential", "inf is not a finite number"),
    (lambda: LandExpand(land=0), "LandExpand.land", "must pay something"),
    (lambda: LandExpand(land=2, potential=1), "LandExpand.potential", "below land"),
    (lambda: NewRenew(renewal=2), "NewRenew.renewal", "outside 0..1"),
    (lambda: NewRenew(deal=-5), "NewRenew.deal", "-5 is below 0"),
    (lambda: NewRenew(refresh_every=2.5), "NewRenew.refresh_every", "whole number"),
    (lambda: motions.simulate_cohort(LandExpand(), customers=-3), "customers", "-3 is below 1"),
    (lambda: motions.simulate_cohort(LandExpand(), customers=10, years=0), "years", "0 is below 1"),
    (lambda: motions.simulate_cohort(LandExpand(), customers=10**9, years=10), "customers", "too large"),
    (lambda: motions.simulate_cohort("land", customers=10), "motion", "unknown motion"),
    (lambda: motions.yearly(motions.simulate_cohort(LandExpand(), 5, 2), discount_rate=2), "discount_rate", "outside"),
    (lambda: motions.consumption_pipeline(land_share=0), "land_share", "start above zero"),
])
def test_bad_parameters_raise_one_message_naming_what_and_where(make, where, text):
    with pytest.raises(B4BError) as err:
        make()
    message = str(err.value)
    assert message.startswith(where + ":"), message
    assert text in message
    assert err.value.fix  # and says how to fix it
