"""A seller's pay under four plans for the same consumption deals, checked by hand."""

import numpy as np
import pytest

from b4b_kit.errors import B4BError
from b4b_kit.sales_motions import compensation as pay
from b4b_kit.sales_motions import motions
from b4b_kit.sales_motions.compensation import Deal, PayPlan

# $25M over 5 years (planned run-rate 5), $2M committed, the customer pays 1, 2.5, 5, 5, 5.
# Breadth (share of the run-rate reached) 0.2, 0.5, 1, 1, 1 -> breadth credits 5, 7.5, 12.5, 0, 0.
DEAL = Deal("region A", pro_forma=25, committed=2, revenue=(1, 2.5, 5, 5, 5))


def by_plan(table, column="pay"):
    return {p: table[table["plan"] == p][column].round(6).tolist() for p in pay.PLANS}


def test_credits_of_one_deal_by_hand():
    c = pay.credits(DEAL, bookings_weight=0.5)
    assert c["bookings"] == [2.0, 0, 0, 0, 0]
    assert c["revenue"] == [1.0, 2.5, 5.0, 5.0, 5.0]
    assert c["pro_forma"] == [25.0, 0, 0, 0, 0]
    assert c["hybrid"] == [0.5 * 2 + 0.5 * 5, 0.5 * 7.5, 0.5 * 12.5, 0.0, 0.0]


def test_who_is_paid_when_per_year_table():
    t = pay.pay_by_year(pay.pay_schedule([DEAL], PayPlan(rate=0.1)))
    assert t["year"].tolist() == [0, 1, 2, 3, 4] * 4
    assert by_plan(t) == {
        "bookings": [0.2, 0, 0, 0, 0],
        "revenue": [0.1, 0.25, 0.5, 0.5, 0.5],
        "hybrid": [0.35, 0.375, 0.625, 0, 0],
        "pro_forma": [2.5, 0, 0, 0, 0],
    }
    assert by_plan(t, "cumulative_pay")["revenue"] == [0.1, 0.35, 0.85, 1.35, 1.85]
    assert by_plan(t, "paid_share")["hybrid"] == [round(0.35 / 1.35, 6), round(0.725 / 1.35, 6), 1, 1, 1]


def test_pay_figures_by_hand():
    f = pay.pay_figures(pay.pay_by_year(pay.pay_schedule([DEAL], PayPlan(rate=0.1))))
    assert f == {
        "pay_total_bookings": 0.2, "pay_year0_share_bookings": 1.0,
        "pay_total_revenue": 1.85, "pay_year0_share_revenue": round(0.1 / 1.85, 4),
        "pay_total_hybrid": 1.35, "pay_year0_share_hybrid": round(0.35 / 1.35, 4),
        "pay_total_pro_forma": 2.5, "pay_year0_share_pro_forma": 1.0,
    }


def test_hybrid_weight_one_is_bookings_only_and_zero_is_breadth_only():
    all_bookings = pay.credits(DEAL, bookings_weight=1.0)
    assert all_bookings["hybrid"] == all_bookings["bookings"]
    assert pay.credits(DEAL, bookings_weight=0.0)["hybrid"] == [5.0, 7.5, 12.5, 0.0, 0.0]


def test_breadth_pays_the_pro_forma_value_once_and_only_as_far_as_it_is_reached():
    # a customer that stays at a tenth of the planned use credits a tenth of the pro forma value
    small = Deal("small", pro_forma=25, committed=0.5, revenue=(0.5,) * 5)
    assert small.breadth() == [0.1] * 5
    assert sum(pay.credits(small, 0.0)["hybrid"]) == pytest.approx(2.5)
    # falling back after a peak earns nothing more; overshooting the plan is capped at full breadth
    bumpy = Deal("bumpy", pro_forma=10, committed=0, revenue=(1, 4, 2, 8))
    assert bumpy.breadth() == [0.4, 1.0, 1.0, 1.0]
    assert pay.credits(bumpy, 0.0)["hybrid"] == pytest.approx([4.0, 6.0, 0.0, 0.0])


def test_revenue_timed_pay_is_the_rate_times_all_revenue():
    deals = [DEAL, Deal("b", pro_forma=10, committed=1, revenue=(0.5, 1, 0, 0, 0))]
    t = pay.pay_by_year(pay.pay_schedule(deals, PayPlan(rate=0.05)))
    assert t[t.plan == "revenue"]["pay"].sum() == pytest.approx(0.05 * (18.5 + 1.5))
    assert t[t.plan == "bookings"]["pay"].sum() == pytest.approx(0.05 * 3)


def test_term_longer_than_the_revenue_shown_lowers_the_run_rate():
    d = Deal("d", pro_forma=30, committed=0, revenue=(3, 6), term=5)
    assert d.run_rate == 6 and d.breadth() == [0.5, 1.0]


def test_deals_from_cohort_commit_to_their_starting_use():
    cohort = motions.consumption_pipeline(deals=3, deal_value=25, term=5, land_share=0.2, adoption_speed=1,
                                          expansion=1, churn=0)
    deals = pay.deals_from_cohort(cohort, 25)
    assert [d.name for d in deals] == ["deal 1", "deal 2", "deal 3"]
    assert deals[0].committed == 1.0 and deals[0].revenue == (1.0, 2.0, 4.0, 5.0, 5.0)
    assert pay.deals_from_cohort(cohort, 25, committed=3)[2].committed == 3


def test_pipeline_figures_in_deterministic_mode():
    # two deals at 25 over 5 years: land at 2.5, double once to the run-rate 5, nobody leaves
    cohort = motions.consumption_pipeline(deals=2, deal_value=25, term=5, land_share=0.5, adoption_speed=1,
                                          expansion=1, churn=0)
    f = pay.pipeline_figures(cohort, 25, PayPlan(rate=0.05, bookings_weight=0.5))
    # hybrid per deal: 0.5 * 2.5 committed + 0.5 * 25 breadth = 13.75; year 0: 0.5 * 2.5 + 0.5 * 12.5 = 7.5
    assert f == {
        "deals": 2, "pipeline_shown_musd": 50.0, "first_year_revenue_musd": 5.0,
        "realised_revenue_musd": 45.0, "realised_share": 0.9, "customers_lost": 0, "customers_at_full_use": 2,
        "pay_total_bookings": 0.25, "pay_year0_share_bookings": 1.0,
        "pay_total_revenue": 2.25, "pay_year0_share_revenue": round(0.25 / 2.25, 4),
        "pay_total_hybrid": 1.375, "pay_year0_share_hybrid": round(0.75 / 1.375, 4),
        "pay_total_pro_forma": 2.5, "pay_year0_share_pro_forma": 1.0,
    }


def test_faster_adoption_pays_more_under_revenue_and_hybrid_but_not_bookings():
    slow, fast = (pay.pipeline_figures(motions.consumption_pipeline(adoption_speed=s, seed=1), 25) for s in (0.1, 0.9))
    assert fast["pay_total_revenue"] > slow["pay_total_revenue"]
    assert fast["pay_total_hybrid"] > slow["pay_total_hybrid"]
    assert fast["pay_total_bookings"] == slow["pay_total_bookings"]
    assert fast["pay_total_pro_forma"] == slow["pay_total_pro_forma"] == 0.05 * 250


def test_pay_wide_has_one_column_per_plan_in_plan_order():
    wide = pay.pay_wide(pay.pay_by_year(pay.pay_schedule([DEAL])))
    assert list(wide.columns) == [pay.PLAN_NAMES[p] for p in pay.PLANS]
    assert np.allclose(wide.sum().to_numpy(), [0.1, 0.925, 0.675, 1.25])


@pytest.mark.parametrize("make, where, text", [
    (lambda: PayPlan(rate=-0.1), "PayPlan.rate", "outside 0..1"),
    (lambda: PayPlan(bookings_weight=1.2), "PayPlan.bookings_weight", "outside 0..1"),
    (lambda: Deal("x", pro_forma=0, committed=1, revenue=(1,)), "deal 'x', pro_forma", "is 0"),
    (lambda: Deal("x", pro_forma=10, committed=-1, revenue=(1,)), "deal 'x', committed", "below 0"),
    (lambda: Deal("x", pro_forma=10, committed=1, revenue=()), "deal 'x', revenue", "one revenue figure per year"),
    (lambda: Deal("x", pro_forma=10, committed=1, revenue=(1, "a")), "deal 'x', revenue[1]", "expected a number"),
    (lambda: pay.pay_schedule([]), "deals", "non-empty list"),
    (lambda: pay.deals_from_cohort("cohort", 25), "cohort", "expected a Cohort"),
])
def test_bad_input_raises_one_message_naming_what_and_where(make, where, text):
    with pytest.raises(B4BError) as err:
        make()
    assert str(err.value).startswith(where + ":"), str(err.value)
    assert text in str(err.value)
