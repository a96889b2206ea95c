"""The customer-health dashboard: one customer's four metric families against the best-practice path.

Examples
--------
>>> from b4b_kit.consumption_analytics import model, telemetry
>>> board = CustomerHealthDashboard(model.analyse(telemetry.generate(customers=12, seed=4)), customer=1)
>>> board.health.customer_id
1
"""

from __future__ import annotations

import html

import ipywidgets as w

from ..ui.explorer import ChartView, Controls, Explorer
from . import charts
from . import model as analytics


class CustomerHealthDashboard(Explorer):
    """Pick a customer: its four metric families, its adoption against the best-practice path, and a verdict.

    Two sliders reshape the path (how much adoption counts as full, and how many
    months it should take); every change calls :mod:`b4b_kit.consumption_analytics.model` again.

    Parameters
    ----------
    analysis : b4b_kit.consumption_analytics.model.Analysis
        From :func:`b4b_kit.consumption_analytics.model.analyse`.
    customer : int or str, optional
        Customer id or name to start on; default the top of the adoption-services list.

    Examples
    --------
    >>> from b4b_kit.consumption_analytics import model, telemetry
    >>> board = CustomerHealthDashboard(model.analyse(telemetry.generate(customers=12, seed=4)), customer=1)
    >>> board.health.customer_id
    1
    """

    def __init__(self, analysis, customer=None):
        self.analysis = analysis
        names = analysis.customers.sort_values("customer")
        options = [(str(n), int(i)) for n, i in zip(names["customer"], names["customer_id"])]
        if customer is None:
            ranked = analysis.services_list()
            start = int(ranked["customer_id"].iloc[0]) if len(ranked) else options[0][1]
        else:
            start = int(analytics.select_customer(analysis.customers, customer)["customer_id"].iloc[0])
        path = analysis.path if isinstance(analysis.path, analytics.AdoptionPath) else analytics.AdoptionPath()
        controls = Controls(label_width="14em")
        self.picker = w.Dropdown(options=options, value=start, description="Customer",
                                 style={"description_width": "14em"}, layout=w.Layout(width="30em"))
        self.full_adoption = controls.slider(path.full_adoption, 0.4, 1.0, 0.05, "Path: full adoption")
        self.ramp_months = controls.slider(path.ramp_months, 1, 12, 1, "Path: months to full", integer=True)
        self._full_breadth = path.full_breadth
        self.verdict = w.HTML()
        self.verdict.add_class("b4b-health")
        self.chart = ChartView()
        super().__init__([self.picker, self.full_adoption, self.ramp_months, self.verdict, self.chart],
                         watch=[self.picker, self.full_adoption, self.ramp_months], message=self.verdict)
        self.add_class("b4b-health-dashboard")

    def _path(self):
        return analytics.AdoptionPath(full_adoption=float(self.full_adoption.value),
                                      full_breadth=self._full_breadth,
                                      ramp_months=int(self.ramp_months.value))

    @property
    def health(self):
        """The :class:`~b4b_kit.consumption_analytics.model.CustomerHealth` of the chosen customer now."""
        return self.analysis.reassess(path=self._path()).health(self.picker.value)

    def compute(self):
        path = self._path()
        metrics = self.analysis.metrics
        customer = self.picker.value
        return (self.analysis.reassess(path=path).health(customer),
                analytics.path_comparison(metrics, customer, path), analytics.seat_funnel(metrics, customer))

    def show(self, result) -> None:
        health, comparison, funnel = result
        colour = charts.HEALTH_COLOURS.get(health.status, "#333")
        label = analytics.STATUS_NAMES.get(health.status, health.status)
        rows = "".join(f"<tr><td>{html.escape(fam)}</td><td>{html.escape(what)}</td><td>{html.escape(value)}</td></tr>"
                       for fam, what, value in health.families())
        self.verdict.value = (
            f"<p><span class='b4b-health-status' style='background:{colour};color:white;padding:2px 8px;"
            f"border-radius:3px'>{html.escape(label)}</span></p>"
            f"<p class='b4b-health-text'>{html.escape(health.verdict)}</p>"
            f"<table class='b4b-health-table'><tr><th>family</th><th>measure</th><th>latest month</th></tr>"
            f"{rows}</table>"
        )
        self.chart.chart = charts.customer_health_chart(comparison, funnel)
