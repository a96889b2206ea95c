"""The outcome-offer explorer: one deal billed five ways, who earns what and who carries the risk.

Examples
--------
>>> ex = OutcomeOfferExplorer(n=1000)
>>> len(ex.summary)
5
"""

from __future__ import annotations

import html
from dataclasses import replace

import ipywidgets as w

from ..ui.explorer import ChartView, Controls, Explorer
from . import charts, pricing


class OutcomeOfferExplorer(Explorer):
    """Sliders for a deal's uncertainty and cost to serve; the five pricing schemes' margin and risk, live.

    Every scheme is priced to expect the same revenue
    (:func:`~b4b_kit.outcome_offer_types.pricing.equal_revenue_prices`), so the charts
    show who carries the risk, not who charges more. ``n`` scenarios are
    simulated per move (20,000 keeps a dashboard responsive); the charts get
    only the five-row summary.

    Examples
    --------
    >>> ex = OutcomeOfferExplorer(n=2000)
    >>> ex.sliders["uncertainty"].value = 0.0
    >>> float(ex.summary["supplier_risk_share"].abs().max())
    0.0
    """

    def __init__(self, deal: pricing.DealAssumptions | None = None, annual_revenue: float = 200.0,
                 *, n: int = 20_000, seed: int = 0):
        self.deal = deal or pricing.DealAssumptions()
        self.annual_revenue, self.n, self.seed = annual_revenue, n, seed
        d = self.deal
        controls = Controls(label_width="17em", width="36em")
        self.sliders = {
            "uncertainty": controls.slider(1.0, 0, 2, 0.1, "Uncertainty (× the spreads)", ".1f"),
            "chain_correlation": controls.slider(d.chain_correlation, 0, 1, 0.05, "Link usage → KPI → gain"),
            "kpi_target": controls.slider(d.kpi_target, 0, 0.15, 0.005, "Type 2 KPI target", ".3f"),
            "unit_cost": controls.slider(d.unit_cost, 0, 0.2, 0.01, "Cost to serve per unit used ($k)"),
            "fixed_cost": controls.slider(d.fixed_cost, 0, 200, 5, "Fixed cost to serve ($k/year)", ".0f"),
        }
        self.text = w.HTML()
        self.text.add_class("b4b-pricing")
        self.summary = None
        self.margin_chart = ChartView()
        self.risk_chart = ChartView()
        super().__init__([
            w.HTML(f"<b>One deal, five ways to bill it</b> (each priced to expect about "
                   f"${annual_revenue:g}k a year over {d.years} years)"),
            *self.sliders.values(),
            self.text,
            w.HBox([self.margin_chart, self.risk_chart]),
        ], watch=self.sliders.values(), message=self.text)

    def _deal(self) -> pricing.DealAssumptions:
        values = {k: s.value for k, s in self.sliders.items() if k != "uncertainty"}
        deal = replace(self.deal, **values).with_uncertainty(self.sliders["uncertainty"].value)
        return pricing.equal_revenue_prices(deal, self.annual_revenue)

    def compute(self):
        return pricing.summarize(pricing.simulate(self._deal(), n=self.n, seed=self.seed))

    def show(self, summary) -> None:
        self.summary = summary
        rows = "".join(
            f"<tr><th style='text-align:left'>{html.escape(r.name)}</th>"
            f"<td>{r.margin_mean:,.0f}</td><td>{r.margin_p5:,.0f}</td><td>{r.loss_probability:.0%}</td>"
            f"<td class='b4b-risk-share'>{r.supplier_risk_share * 100:.0f}¢</td></tr>"
            for r in summary.itertuples(index=False))
        self.text.value = (
            "<table class='b4b-pricing-table' style='border-spacing:1.2em 0.1em'><tr><th></th>"
            "<th>expected margin $k</th><th>worst 5 % $k</th>"
            "<th>chance of a loss</th><th>supplier's part of each $1 of gain shortfall</th></tr>"
            f"{rows}</table>"
        )
        self.margin_chart.chart = charts.scheme_ranges(summary)
        self.risk_chart.chart = charts.risk_split_bars(pricing.risk_split(summary))
