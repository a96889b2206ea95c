"""Explorers of the sales motions: Land + Expand against New + Renew, and the seller's pay plans.

Examples
--------
>>> ex = SalesMotionExplorer(customers=100)
>>> sorted(ex.figures)
['Land + Expand', 'New + Renew']
"""

from __future__ import annotations

from dataclasses import replace

import ipywidgets as w

from ..ui.explorer import ChartView, Controls, Explorer
from . import charts, motions
from . import compensation as pay


class SalesMotionExplorer(Explorer):
    """Sliders for Land + Expand (adoption speed, churn, expansion); revenue and NRR of both motions.

    The New + Renew cohort stays as given, so a slider shows what adoption does to
    the new motion against the old one. Both cohorts have ``customers`` customers
    and the same seed.

    Examples
    --------
    >>> ex = SalesMotionExplorer(customers=200)
    >>> before = ex.figures["Land + Expand"]["cumulative_revenue"]
    >>> ex.sliders["adoption_speed"].value = 0.9
    >>> ex.figures["Land + Expand"]["cumulative_revenue"] > before
    True
    """

    def __init__(self, adoption_speed: float = 0.6, churn: float = 0.3, expansion: float = 0.5, *,
                 customers: int = 1000, years: int = 10, seed: int = 0,
                 new_renew: motions.NewRenew | None = None, land_expand: motions.LandExpand | None = None):
        self.new_renew = new_renew or motions.NewRenew()
        self.land_expand = land_expand or motions.LandExpand()
        self.customers, self.years, self.seed = customers, years, seed
        controls = Controls()
        self.sliders = {
            "adoption_speed": controls.slider(adoption_speed, 0, 1, 0.05, "Adoption speed"),
            "churn": controls.slider(churn, 0, 1, 0.05, "Churn without value"),
            "expansion": controls.slider(expansion, 0, 2, 0.1, "Expansion with value", ".1f"),
        }
        self.summary = w.HTML()
        self.summary.add_class("b4b-motions-summary")
        self.table = None
        self.figures: dict = {}
        self.chart = ChartView()
        super().__init__([
            w.HTML("<b>Land + Expand customers</b> (New + Renew stays as it is)"),
            *self.sliders.values(),
            self.summary,
            self.chart,
        ], watch=self.sliders.values(), message=self.summary)

    def compute(self):
        motion = replace(self.land_expand, **{k: s.value for k, s in self.sliders.items()})
        return motions.compare_motions(motion, self.new_renew, customers=self.customers, years=self.years,
                                       seed=self.seed)

    def show(self, table) -> None:
        self.table = table
        self.figures = f = motions.motion_figures(table)
        le, nr = f["Land + Expand"], f["New + Renew"]
        n, last = self.customers, self.years - 1
        self.summary.value = (
            f"<p class='b4b-motions-text'>Over {self.years} years a customer won pays on average "
            f"<b>${le['cumulative_revenue'] / n:.2f}M</b> under Land + Expand against "
            f"<b>${nr['cumulative_revenue'] / n:.2f}M</b> under New + Renew. "
            f"NRR in year {last}: {le['nrr_last']:.0%} against {nr['nrr_last']:.0%}. "
            f"Customers still paying: {le['customers_left']:,} against {nr['customers_left']:,} of {n:,}. "
            f"Lifetime value so far (revenue − sales expense): ${le['clv']:.2f}M against ${nr['clv']:.2f}M; "
            f"expense-to-bookings: {le['expense_to_bookings']:.3f} against {nr['expense_to_bookings']:.3f}.</p>"
        )
        self.chart.chart = charts.motion_comparison(table)


class PayPlanExplorer(Explorer):
    """The same consumption deals under four pay plans: how adoption and the hybrid split move the seller's pay.

    The deals are those of :func:`b4b_kit.sales_motions.motions.consumption_pipeline`
    (ten deals shown at $25M each by default); the table and the chart give the
    pay per plan and year.

    Examples
    --------
    >>> ex = PayPlanExplorer()
    >>> ex.sliders["bookings_weight"].value = 1.0
    >>> ex.figures["pay_total_hybrid"] == ex.figures["pay_total_bookings"]
    True
    """

    def __init__(self, adoption_speed: float = 0.6, bookings_weight: float = 0.5, *, deals: int = 10,
                 deal_value: float = 25.0, term: int = 5, rate: float = 0.05, seed: int = 0):
        self.deal_value, self.rate = deal_value, rate
        self.pipeline = {"deals": deals, "deal_value": deal_value, "term": term, "seed": seed}
        controls = Controls()
        self.sliders = {
            "adoption_speed": controls.slider(adoption_speed, 0, 1, 0.05, "Adoption speed"),
            "bookings_weight": controls.slider(bookings_weight, 0, 1, 0.1, "Hybrid: weight on bookings", ".1f"),
        }
        self.summary = w.HTML()
        self.summary.add_class("b4b-pay-summary")
        self.by_year = None
        self.figures: dict = {}
        self.chart = ChartView()
        super().__init__([
            w.HTML(f"<b>{deals} consumption deals shown at ${deal_value:g}M each</b> "
                   f"(commission {rate:.0%} of the credited value)"),
            *self.sliders.values(),
            self.summary,
            self.chart,
        ], watch=self.sliders.values(), message=self.summary)

    def compute(self):
        cohort = motions.consumption_pipeline(adoption_speed=self.sliders["adoption_speed"].value, **self.pipeline)
        plan = pay.PayPlan(rate=self.rate, bookings_weight=self.sliders["bookings_weight"].value)
        by_year = pay.pay_by_year(pay.pay_schedule(pay.deals_from_cohort(cohort, self.deal_value), plan))
        return pay.pipeline_figures(cohort, self.deal_value, plan), by_year

    def show(self, result) -> None:
        self.figures, self.by_year = figures, by_year = result
        table = pay.pay_wide(by_year).rename_axis(columns=None).reset_index()
        self.summary.value = (
            f"<p class='b4b-pay-text'>The customers paid <b>${figures['realised_revenue_musd']:.1f}M</b> of the "
            f"${figures['pipeline_shown_musd']:.0f}M shown ({figures['realised_share']:.0%}); "
            f"{figures['customers_lost']} of {figures['deals']} left. Hybrid pay: "
            f"${figures['pay_total_hybrid']:.3f}M, {figures['pay_year0_share_hybrid']:.0%} of it in year 0.</p>"
            + table.to_html(index=False, float_format=lambda x: f"{x:.3f}", classes="b4b-pay-table", border=0)
        )
        self.chart.chart = charts.pay_timing(by_year)
