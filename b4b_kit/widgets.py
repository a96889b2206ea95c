"""ipywidgets explorers: a thin UI over the pure functions of :mod:`b4b_kit.assess`.

Every callback catches :class:`~b4b_kit.errors.B4BError` and shows its message
in the page, because Voila hides tracebacks and a student should never see one.
"""

from __future__ import annotations

import html

import ipywidgets as w
from ipywidgets.widgets.widget_bool import CheckboxStyle

from . import charts
from .assess import TRAITS, assess_one, ladder, offer_elements
from .errors import B4BError
from .frameworks import get


class ChartView(w.HTML):
    """An altair chart drawn as SVG in the kernel; setting ``chart`` redraws it.

    The explorers' charts. The browser gets an SVG image and needs no JavaScript
    for it, where an ``alt.JupyterChart`` ships a 0.9 MB Vega bundle per chart:
    a Voila page becomes interactive about 0.35 s sooner here, and the chart
    works with no internet and in a static export. A redraw costs the kernel
    50-100 ms, about what the browser spent drawing a live chart.

    Parameters
    ----------
    chart : altair.TopLevelMixin
        The first chart to show.

    Examples
    --------
    >>> import altair as alt, pandas as pd
    >>> view = ChartView(alt.Chart(pd.DataFrame({"x": [1, 2]})).mark_bar().encode(x="x:Q"))
    >>> view.value.startswith("<svg")
    True
    """

    def __init__(self, chart, **kwargs):
        super().__init__(**kwargs)
        self.add_class("b4b-chart")
        self.chart = chart

    @property
    def chart(self):
        """The altair chart shown."""
        return self._chart

    @chart.setter
    def chart(self, chart) -> None:
        self._chart = chart
        self.value = charts.to_svg(chart)


# The wireless printer of B4B chapter 4: hard to set up, sold make-sell-ship.
PRINTER_MAKER = {
    "traits": {"mastery_difficulty": 0.8, "customer_capability": 0.2,
               "outcome_variability": 0.3, "outcome_criticality": 0.4},
    "offer": {"standard_reliable_product"},
}


def _trait_label(trait_id: str) -> str:
    return next(it.name for it in get("supplier_levels").lists["traits"] if it.id == trait_id)


class SupplierLevelExplorer(w.VBox):
    """Sliders for a product-market's traits, checkboxes for the supplier's offer, a live verdict.

    Parameters
    ----------
    traits : dict, optional
        Starting trait values (0-1); default: the printer maker of chapter 4.
    offer : set of str, optional
        Starting offer elements.

    Examples
    --------
    >>> ex = SupplierLevelExplorer()
    >>> ex.assessment.mismatch
    'under_served'
    >>> ex.checkboxes["tailored_product"].value = True
    >>> ex.checkboxes["implementation_and_maintenance"].value = True
    >>> ex.assessment.mismatch
    'matched'
    """

    def __init__(self, traits: dict | None = None, offer: set[str] | None = None):
        traits = {**PRINTER_MAKER["traits"], **(traits or {})}
        offer = PRINTER_MAKER["offer"] if offer is None else set(offer)
        fw = get("supplier_levels")
        # One style and one layout shared by all sliders (and by all checkboxes): every widget
        # otherwise brings two more models for the browser to build before the page is ready.
        slider_style, slider_layout = w.SliderStyle(description_width="15em"), w.Layout(width="34em")
        box_style, box_layout = CheckboxStyle(), w.Layout()
        self.sliders = {
            t: w.FloatSlider(value=traits[t], min=0, max=1, step=0.05, description=_trait_label(t),
                             continuous_update=False, style=slider_style, layout=slider_layout)
            for t in TRAITS
        }
        self.checkboxes = {
            e: w.Checkbox(value=e in offer, description=f"L{fw.group_of(e).number}: {fw.element(e).name}",
                          indent=False, style=box_style, layout=box_layout)
            for level in offer_elements() for e in level
        }
        self.verdict = w.HTML()
        self.verdict.add_class("b4b-verdict")
        self.chart = ChartView(charts.staircase(ladder(self._assess())))
        for control in [*self.sliders.values(), *self.checkboxes.values()]:
            control.observe(self._update, names="value")
        super().__init__([
            w.HTML("<b>Product-market</b> (0 = low, 1 = high)"),
            *self.sliders.values(),
            w.HTML("<b>What the supplier offers</b> (Supplier Offer Power)"),
            w.GridBox(list(self.checkboxes.values()),
                      layout=w.Layout(grid_template_columns="repeat(2, 22em)")),
            self.verdict,
            self.chart,
        ])
        self._update()

    def _assess(self):
        return assess_one(**{t: s.value for t, s in self.sliders.items()},
                      offer={e for e, box in self.checkboxes.items() if box.value})

    @property
    def assessment(self):
        """The :class:`~b4b_kit.assess.Assessment` for the controls' current values."""
        return self._assess()

    def _update(self, change=None):
        try:
            result = self._assess()
        except B4BError as exc:
            self.verdict.value = f"<p style='color:#a00'>{html.escape(str(exc))}</p>"
            return
        self.verdict.value = (
            f"<p><b>Required level:</b> {result.required_level} &nbsp; <b>Offered level:</b> "
            f"{result.offered_level} &nbsp; <b>Promised level:</b> {result.promised_level}</p>"
            f"<p class='b4b-verdict-text'>{html.escape(result.verdict)}</p>"
        )
        self.chart.chart = charts.staircase(ladder(result))


# --- Lesson 06, sales motions: New + Renew vs Land + Expand, and the seller's pay ----------------

from .economics import compensation as _pay  # noqa: E402  (appended section; keeps the top of the file untouched)
from .economics import motions as _motions  # noqa: E402

_MOTION_STYLE = {"description_width": "15em"}


def _motion_slider(value, low, high, step, label, fmt=".2f"):
    return w.FloatSlider(value=value, min=low, max=high, step=step, description=label, readout_format=fmt,
                         continuous_update=False, style=_MOTION_STYLE, layout=w.Layout(width="34em"))


def _motion_error_html(exc: B4BError) -> str:
    return f"<p style='color:#a00'>{html.escape(str(exc))}</p>"


class SalesMotionExplorer(w.VBox):
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
                 new_renew: _motions.NewRenew | None = None, land_expand: _motions.LandExpand | None = None):
        self.new_renew = new_renew or _motions.NewRenew()
        self.land_expand = land_expand or _motions.LandExpand()
        self.customers, self.years, self.seed = customers, years, seed
        self.sliders = {
            "adoption_speed": _motion_slider(adoption_speed, 0, 1, 0.05, "Adoption speed"),
            "churn": _motion_slider(churn, 0, 1, 0.05, "Churn without value"),
            "expansion": _motion_slider(expansion, 0, 2, 0.1, "Expansion with value", ".1f"),
        }
        self.summary = w.HTML()
        self.summary.add_class("b4b-motions-summary")
        self.table = None
        self.figures: dict = {}
        self.chart = ChartView(charts.motion_comparison(self._compute()))
        for slider in self.sliders.values():
            slider.observe(self._update, names="value")
        super().__init__([
            w.HTML("<b>Land + Expand customers</b> (New + Renew stays as it is)"),
            *self.sliders.values(),
            self.summary,
            self.chart,
        ])
        self._update()

    def _compute(self):
        from dataclasses import replace

        motion = replace(self.land_expand, **{k: s.value for k, s in self.sliders.items()})
        return _motions.compare(motion, self.new_renew, customers=self.customers, years=self.years, seed=self.seed)

    def _update(self, change=None):
        try:
            table = self._compute()
        except B4BError as exc:
            self.summary.value = _motion_error_html(exc)
            return
        self.table = table
        self.figures = f = _motions.motion_figures(table)
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


class PayPlanExplorer(w.VBox):
    """The same consumption deals under four pay plans: how adoption and the hybrid split move the seller's pay.

    The deals are those of :func:`b4b_kit.economics.motions.consumption_pipeline`
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
        self.sliders = {
            "adoption_speed": _motion_slider(adoption_speed, 0, 1, 0.05, "Adoption speed"),
            "bookings_weight": _motion_slider(bookings_weight, 0, 1, 0.1, "Hybrid: weight on bookings", ".1f"),
        }
        self.summary = w.HTML()
        self.summary.add_class("b4b-pay-summary")
        self.by_year = None
        self.figures: dict = {}
        self.chart = ChartView(charts.pay_timing(self._compute()[1]))
        for slider in self.sliders.values():
            slider.observe(self._update, names="value")
        super().__init__([
            w.HTML(f"<b>{deals} consumption deals shown at ${deal_value:g}M each</b> "
                   f"(commission {rate:.0%} of the credited value)"),
            *self.sliders.values(),
            self.summary,
            self.chart,
        ])
        self._update()

    def _compute(self):
        cohort = _motions.consumption_pipeline(adoption_speed=self.sliders["adoption_speed"].value, **self.pipeline)
        plan = _pay.PayPlan(rate=self.rate, bookings_weight=self.sliders["bookings_weight"].value)
        by_year = _pay.pay_by_year(_pay.pay_schedule(_pay.deals_from_cohort(cohort, self.deal_value), plan))
        return _pay.pipeline_figures(cohort, self.deal_value, plan), by_year

    def _update(self, change=None):
        try:
            figures, by_year = self._compute()
        except B4BError as exc:
            self.summary.value = _motion_error_html(exc)
            return
        self.figures, self.by_year = figures, by_year
        table = _pay.pay_wide(by_year).rename_axis(columns=None).reset_index()
        self.summary.value = (
            f"<p class='b4b-pay-text'>The customers paid <b>${figures['realised_revenue_musd']:.1f}M</b> of the "
            f"${figures['pipeline_shown_musd']:.0f}M shown ({figures['realised_share']:.0%}); "
            f"{figures['customers_lost']} of {figures['deals']} left. Hybrid pay: "
            f"${figures['pay_total_hybrid']:.3f}M, {figures['pay_year0_share_hybrid']:.0%} of it in year 0.</p>"
            + table.to_html(index=False, float_format=lambda x: f"{x:.3f}", classes="b4b-pay-table", border=0)
        )
        self.chart.chart = charts.pay_timing(by_year)


# ---- Outcome offer types (framework 2): one deal, five pricing schemes ------------------------

from .economics import pricing as _pricing  # noqa: E402  (kept with the explorer that uses it)


def _oo_slider(value, low, high, step, label, fmt=".2f"):
    return w.FloatSlider(value=value, min=low, max=high, step=step, description=label, readout_format=fmt,
                         continuous_update=False, style={"description_width": "17em"},
                         layout=w.Layout(width="36em"))


class OutcomeOfferExplorer(w.VBox):
    """Sliders for a deal's uncertainty and cost to serve; the five pricing schemes' margin and risk, live.

    Every scheme is priced to expect the same revenue
    (:func:`~b4b_kit.economics.pricing.equal_revenue_prices`), so the charts
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

    def __init__(self, deal: _pricing.DealAssumptions | None = None, annual_revenue: float = 200.0,
                 *, n: int = 20_000, seed: int = 0):
        self.deal = deal or _pricing.DealAssumptions()
        self.annual_revenue, self.n, self.seed = annual_revenue, n, seed
        d = self.deal
        self.sliders = {
            "uncertainty": _oo_slider(1.0, 0, 2, 0.1, "Uncertainty (× the spreads)", ".1f"),
            "chain_correlation": _oo_slider(d.chain_correlation, 0, 1, 0.05, "Link usage → KPI → gain"),
            "kpi_target": _oo_slider(d.kpi_target, 0, 0.15, 0.005, "Type 2 KPI target", ".3f"),
            "unit_cost": _oo_slider(d.unit_cost, 0, 0.2, 0.01, "Cost to serve per unit used ($k)"),
            "fixed_cost": _oo_slider(d.fixed_cost, 0, 200, 5, "Fixed cost to serve ($k/year)", ".0f"),
        }
        self.text = w.HTML()
        self.text.add_class("b4b-pricing")
        self.summary = None
        first = _pricing.summarize(_pricing.simulate(self._deal(), n=self.n, seed=self.seed))
        self.margin_chart = ChartView(charts.scheme_ranges(first))
        self.risk_chart = ChartView(charts.risk_split_bars(_pricing.risk_split(first)))
        for slider in self.sliders.values():
            slider.observe(self._update, names="value")
        super().__init__([
            w.HTML(f"<b>One deal, five ways to bill it</b> (each priced to expect about "
                   f"${annual_revenue:g}k a year over {d.years} years)"),
            *self.sliders.values(),
            self.text,
            w.HBox([self.margin_chart, self.risk_chart]),
        ])
        self._update()

    def _deal(self) -> _pricing.DealAssumptions:
        from dataclasses import replace

        values = {k: s.value for k, s in self.sliders.items() if k != "uncertainty"}
        deal = replace(self.deal, **values).with_uncertainty(self.sliders["uncertainty"].value)
        return _pricing.equal_revenue_prices(deal, self.annual_revenue)

    def _update(self, change=None):
        try:
            summary = _pricing.summarize(_pricing.simulate(self._deal(), n=self.n, seed=self.seed))
        except B4BError as exc:
            self.text.value = f"<p class='b4b-pricing-error' style='color:#a00'>{html.escape(str(exc))}</p>"
            return
        self.summary = summary
        rows = "".join(
            f"<tr><th style='text-align:left'>{html.escape(r.name)}</th>"
            f"<td>{r.margin_mean:,.0f}</td><td>{r.margin_p5:,.0f}</td><td>{r.loss_probability:.0%}</td>"
            f"<td class='b4b-risk-share'>{r.supplier_risk_share * 100:.0f}¢</td></tr>"
            for r in summary.itertuples(index=False))
        self.text.value = (
            "<table class='b4b-pricing-table' style='border-spacing:1.2em 0.1em'><tr><th></th><th>expected margin $k</th><th>worst 5 % $k</th>"
            "<th>chance of a loss</th><th>supplier's part of each $1 of gain shortfall</th></tr>"
            f"{rows}</table>"
        )
        self.margin_chart.chart = charts.scheme_ranges(summary)
        self.risk_chart.chart = charts.risk_split_bars(_pricing.risk_split(summary))


# --- Maturity questionnaire, Channel 1.0 diagnosis, step-6 prioritiser (b4b_kit.maturity, b4b_kit.channel) ---

from pathlib import Path as _Path  # noqa: E402

from . import channel as _channel  # noqa: E402
from . import maturity as _maturity  # noqa: E402


def _maturity_error_html(exc: Exception) -> str:
    return f"<p class='b4b-error' style='color:#a00'>{html.escape(str(exc))}</p>"


class MaturityQuestionnaire(w.VBox):
    """A questionnaire built from any framework file: one slider per criterion, grouped by level or area.

    The controls only collect answers; every number comes from
    :mod:`b4b_kit.maturity`. The result (levels per dimension, gaps to the
    target) updates on every change; *Export to CSV* writes
    :meth:`to_frame` to the path in the box.

    Parameters
    ----------
    framework : str or Framework
        A framework id, a path to a framework file, or a loaded framework.
    scale : Scale, optional
        Answer scale and pass mark (default 0-4, pass mark 3).
    answers : mapping, optional
        Starting scores (default: the lowest point for every criterion).
    importance : mapping, optional
        Starting importance weights 1-3 (default 1).
    rule : {"staged", "continuous"}
    target : number, optional
        Target level for the gaps (default: the top level, or the pass mark for areas).
    respondent : str
        Name written into the export.
    export_path : str
        Default file for *Export to CSV*.

    Examples
    --------
    >>> q = MaturityQuestionnaire("value_maturity_model")
    >>> q.result.overall
    0.0
    >>> for c in q.sliders: q.sliders[c].value = 4
    >>> q.result.overall, q.rule.value
    (5.0, 'staged')
    """

    def __init__(self, framework="value_maturity_model", *, scale=None, answers=None, importance=None,
                 rule: str = "staged", target=None, respondent: str = "respondent",
                 export_path: str = "maturity_answers.csv", top_gaps: int = 8):
        fw = framework if isinstance(framework, _maturity.Framework) else get(framework)
        self.framework = fw
        self.scale = scale or _maturity.Scale()
        self.respondent = respondent
        self.top_gaps = top_gaps
        answers = dict(answers or {})
        importance = dict(importance or {})
        lo, hi = int(self.scale.low), int(self.scale.high)
        self.sliders, self.weights = {}, {}
        blocks = []
        for number, group in enumerate(fw.groups, start=1):
            heading = (f"Level {number}: {group.name}" if fw.kind == "levels" else group.name)
            star = " <i>(the kit's reading)</i>" if group.own_reading else ""
            rows = [w.HTML(f"<b>{html.escape(heading)}</b>{star}")]
            for el in group.elements:
                self.sliders[el.id] = w.IntSlider(value=int(answers.get(el.id, lo)), min=lo, max=hi,
                                                  continuous_update=False, layout=w.Layout(width="16em"))
                self.weights[el.id] = w.Dropdown(options=[1, 2, 3], value=int(importance.get(el.id, 1)),
                                                 layout=w.Layout(width="4.5em"))
                label = w.HTML(f"<span title='{html.escape(el.description, quote=True)}'>"
                               f"{html.escape(el.name)}{' *' if el.own_reading else ''}</span>",
                               layout=w.Layout(width="24em"))
                row = w.HBox([label, self.sliders[el.id], self.weights[el.id]])
                row.add_class("b4b-criterion")
                rows.append(row)
            blocks.append(w.VBox(rows))
        lr = _maturity.level_range(fw, self.scale)
        default_target = lr[1] if fw.kind == "levels" else self.scale.pass_mark
        self.rule = w.ToggleButtons(options=list(_maturity.RULES), value=rule, description="Scoring rule")
        self.pass_mark = w.FloatSlider(value=float(self.scale.pass_mark), min=lo, max=hi, step=0.5,
                                       description="Pass mark", continuous_update=False)
        self.target = w.FloatSlider(value=float(target if target is not None else default_target),
                                    min=1 if fw.kind == "levels" else lo, max=lr[1],
                                    step=1 if fw.kind == "levels" else 0.5, readout_format=".0f"
                                    if fw.kind == "levels" else ".1f",
                                    description="Target level", continuous_update=False)
        self.output = w.HTML()
        self.output.add_class("b4b-maturity-result")
        self.export_path = w.Text(value=export_path, description="CSV file")
        self.export_button = w.Button(description="Export to CSV", icon="download")
        self.export_status = w.HTML()
        self.export_status.add_class("b4b-export-status")
        self.export_button.on_click(lambda _: self._export_clicked())
        result = self._assess()
        self.chart = ChartView(charts.maturity_profile(result.to_frame(), lr, title=fw.name))
        for control in [*self.sliders.values(), *self.weights.values(), self.rule, self.pass_mark, self.target]:
            control.observe(self._update, names="value")
        scale_note = w.HTML(f"<p>Score each criterion from {lo} (not in place) to {hi} (fully in place); "
                            f"the dropdown is its importance (1-3). Hover over a name for its meaning; "
                            f"* marks the kit's own reading.</p>")
        questions = w.VBox(blocks)
        questions.add_class("b4b-questionnaire")
        super().__init__([
            scale_note, questions,
            w.HBox([self.rule]), w.HBox([self.pass_mark, self.target]),
            self.output, self.chart,
            w.HBox([self.export_path, self.export_button]), self.export_status,
        ])
        self._update()

    @property
    def answers(self) -> dict:
        """Criterion id -> score, as set in the controls."""
        return {c: s.value for c, s in self.sliders.items()}

    @property
    def importance(self) -> dict:
        """Criterion id -> importance weight, as set in the controls."""
        return {c: d.value for c, d in self.weights.items()}

    def _scale(self):
        return _maturity.Scale(self.scale.low, self.scale.high, self.pass_mark.value)

    def _assess(self):
        return _maturity.assess_one(self.framework, self.answers, scale=self._scale(), rule=self.rule.value,
                                    importance=self.importance, respondent=self.respondent)

    @property
    def result(self):
        """The :class:`~b4b_kit.maturity.Maturity` for the controls' current values."""
        return self._assess()

    def gaps(self):
        """Gaps to the target level, ranked (see :func:`b4b_kit.maturity.gaps`)."""
        target = int(self.target.value) if self.framework.kind == "levels" else self.target.value
        return _maturity.gaps(self.framework, self.answers, target, scale=self._scale(),
                              importance=self.importance, respondent=self.respondent)

    def to_frame(self):
        """Answers and results, one row per criterion (see :func:`b4b_kit.maturity.answers_table`)."""
        return _maturity.answers_table(self.framework, self.answers, scale=self._scale(), rule=self.rule.value,
                                       importance=self.importance, respondent=self.respondent)

    def export(self, path=None):
        """Write :meth:`to_frame` to CSV; returns the path."""
        return _maturity.to_csv(self.to_frame(), _Path(path or self.export_path.value))

    def _export_clicked(self):
        try:
            path = self.export()
        except (B4BError, OSError) as exc:
            self.export_status.value = _maturity_error_html(exc)
            return
        self.export_status.value = f"<p>Saved {len(self.sliders)} answers to <code>{html.escape(str(path))}</code>.</p>"

    def _update(self, change=None):
        try:
            result = self._assess()
            gap_table = self.gaps()
        except B4BError as exc:
            self.output.value = _maturity_error_html(exc)
            return
        lr = _maturity.level_range(self.framework, self.scale)
        goal = (f"level {self.target.value:g}" if self.framework.kind == "levels"
                else f"a score of {self.target.value:g} on every capability")
        if len(gap_table):
            items = "".join(
                f"<li>{html.escape(r.name)} ({html.escape(r.group_name)}): score {r.score:g}, needs "
                f"{r.required:g}, priority {r.priority:g}</li>"
                for r in gap_table.head(self.top_gaps).itertuples())
            more = f" (top {self.top_gaps} of {len(gap_table)})" if len(gap_table) > self.top_gaps else ""
            gap_html = f"<p><b>Gaps to {goal}</b>{more}:</p><ol>{items}</ol>"
        else:
            gap_html = f"<p class='b4b-no-gaps'><b>No gaps</b>: nothing falls short of {goal}.</p>"
        self.output.value = (f"<p class='b4b-maturity-summary'>{html.escape(result.summary)}</p>{gap_html}")
        self.chart.chart = charts.maturity_profile(result.to_frame(), lr, title=self.framework.name)


class SymptomDiagnosis(w.VBox):
    """Tick the Channel 1.0 symptoms you recognise; see the capability gaps they point to.

    Examples
    --------
    >>> d = SymptomDiagnosis(ticked=["wrong_partners_selected"])
    >>> d.checkboxes["asks_not_needs"].value = True
    >>> d.diagnosis["capability"].iloc[0]
    'partner_assessments'
    """

    def __init__(self, framework=_channel.FRAMEWORK, *, ticked=(), list_name: str = _channel.SYMPTOMS,
                 top: int = 12):
        self.framework = framework
        self.list_name = list_name
        self.top = top
        table = _channel.symptoms(framework, list_name)
        self.checkboxes = {
            r.symptom: w.Checkbox(value=r.symptom in set(ticked), description=r.name, indent=False,
                                  layout=w.Layout(width="34em"))
            for r in table.itertuples()
        }
        self.output = w.HTML()
        self.output.add_class("b4b-diagnosis")
        self.areas = [g.name for g in (get(framework) if isinstance(framework, str) else framework).groups]
        self.chart = ChartView(charts.diagnosis_bars(self._diagnose().head(top), self.areas))
        for box in self.checkboxes.values():
            box.observe(self._update, names="value")
        boxes = w.VBox(list(self.checkboxes.values()))
        boxes.add_class("b4b-symptoms")
        super().__init__([w.HTML("<b>Which symptoms do you see?</b>"), boxes, self.output, self.chart])
        self._update()

    @property
    def ticked(self) -> list[str]:
        return [s for s, box in self.checkboxes.items() if box.value]

    def _diagnose(self):
        return _channel.diagnose(self.ticked, framework=self.framework, list_name=self.list_name)

    @property
    def diagnosis(self):
        """The ranked capability gaps (see :func:`b4b_kit.channel.diagnose`)."""
        return self._diagnose()

    def _update(self, change=None):
        try:
            diagnosis = self._diagnose()
        except B4BError as exc:
            self.output.value = _maturity_error_html(exc)
            return
        if diagnosis.empty:
            self.output.value = "<p class='b4b-diagnosis-text'>Tick at least one symptom to see likely gaps.</p>"
        else:
            lead = diagnosis.iloc[0]
            areas = diagnosis.groupby("area_name", sort=False)["evidence"].sum().sort_values(ascending=False)
            self.output.value = (
                f"<p class='b4b-diagnosis-text'>{len(self.ticked)} symptom(s) point to {len(diagnosis)} "
                f"capabilities. Likeliest gap: <b>{html.escape(lead['name'])}</b> "
                f"({html.escape(lead['area_name'])}), behind {lead['symptoms']} of them. "
                f"Area with most evidence: <b>{html.escape(areas.index[0])}</b>.</p>")
        self.chart.chart = charts.diagnosis_bars(diagnosis.head(self.top), self.areas)


class InnovationPrioritiser(w.VBox):
    """Consumer-back step 6: three weight sliders, the weighted ranking and the Pareto front.

    Examples
    --------
    >>> from b4b_kit import datasets
    >>> p = InnovationPrioritiser(datasets.load("tire_innovations"))
    >>> p.sliders["business_value"].value = 1.0
    >>> p.sliders["implementation_complexity"].value = 0.0
    >>> p.sliders["delivery_credibility"].value = 0.0
    >>> p.ranking["innovation"].iloc[0]
    'mobile_mounting_germany'
    """

    def __init__(self, innovations, weights=None):
        self.innovations = innovations
        start = _channel._weights(weights)
        labels = {"business_value": "Business value", "implementation_complexity": "Low complexity",
                  "delivery_credibility": "Credibility"}
        self.sliders = {c: w.FloatSlider(value=start[c], min=0, max=1, step=0.05, description=labels[c],
                                         continuous_update=False, style={"description_width": "8em"},
                                         layout=w.Layout(width="30em"))
                        for c in _channel.CRITERIA}
        self.output = w.HTML()
        self.output.add_class("b4b-priorities")
        self.chart = ChartView(charts.priority_chart(_channel.pareto_points(self._rank())))
        for s in self.sliders.values():
            s.observe(self._update, names="value")
        super().__init__([w.HTML("<b>Weights</b> (used relative to their sum)"), *self.sliders.values(),
                          self.output, self.chart])
        self._update()

    def _rank(self):
        return _channel.prioritise(self.innovations, {c: s.value for c, s in self.sliders.items()})

    @property
    def ranking(self):
        """The ranked innovations (see :func:`b4b_kit.channel.prioritise`)."""
        return self._rank()

    def _update(self, change=None):
        try:
            ranked = self._rank()
        except B4BError as exc:
            self.output.value = _maturity_error_html(exc)
            return
        names = ranked["name"] if "name" in ranked.columns else ranked["innovation"]
        front = ", ".join(n for n, p in zip(names, ranked["pareto"]) if p)
        self.output.value = (
            f"<p class='b4b-priorities-text'>Top: <b>{html.escape(str(names.iloc[0]))}</b> "
            f"(score {ranked['score'].iloc[0]:.3f}). Pareto front ({int(ranked['pareto'].sum())} of "
            f"{len(ranked)}, the same for any weights): {html.escape(front)}.</p>")
        self.chart.chart = charts.priority_chart(_channel.pareto_points(ranked))


# ---- Services portfolio (framework 3): classify a catalogue, read its mix -----------------------

class ServicePortfolioExplorer(w.VBox):
    """Pick a service to see its category and the signals behind it; pick a year to read the mix.

    Changing a service's attributes reclassifies it at once, and its revenue
    moves between categories in the mix chart. Nothing is computed here: the
    callbacks call :mod:`b4b_kit.services`.

    Parameters
    ----------
    catalogue, revenue : pandas.DataFrame, optional
        Default: the shipped ``service_catalogue`` and ``service_revenue`` datasets.
    framework : Framework, id or path, optional
        Where the classification signals come from; default: the shipped file.
    service_id : str, optional
        The service shown first; default: the first one.
    year : int, optional
        The year read out first; default: the last year with revenue.

    Examples
    --------
    >>> ex = ServicePortfolioExplorer(service_id="NW-E02")
    >>> ex.classification.category
    'education_services'
    >>> ex.attributes["activity"].value = "analyse_usage"
    >>> ex.classification.category
    'adoption_services'
    """

    def __init__(self, catalogue=None, revenue=None, framework=None, service_id: str | None = None,
                 year: int | None = None):
        from . import datasets
        from . import services as sv

        self._sv = sv
        self.framework = sv.resolve_framework(framework)
        self.rules = sv.rules(self.framework)
        self.catalogue = (datasets.load("service_catalogue") if catalogue is None else catalogue).reset_index(drop=True)
        self.revenue = sv.check_revenue(datasets.load("service_revenue") if revenue is None else revenue, self.catalogue)
        self._edits: dict[str, dict[str, str]] = {}
        self._loading = False
        ids = self.catalogue["service_id"].astype(str).tolist()
        labels = [f"{n} ({s})" if "supplier" in self.catalogue else str(n)
                  for n, s in zip(self.catalogue["name"], self.catalogue.get("supplier", self.catalogue["name"]))]
        self.service = w.Dropdown(options=list(zip(labels, ids)), value=service_id or ids[0], description="Service",
                                  layout=w.Layout(width="34em"))
        vocab = sv.vocabulary(self.framework)
        self.attributes = {}
        for a in self.rules.attributes:
            if a not in self.catalogue.columns:
                continue
            extra = sorted({sv._norm(v) for v in self.catalogue[a]} - set(vocab[a]) - {""})
            options = [("unknown (not stated)", "unknown"), *[(v, v) for v in (*vocab[a], *extra)]]
            self.attributes[a] = w.Dropdown(options=options, description=a.replace("_", " "),
                                            layout=w.Layout(width="22em"))
        years = sorted(self.revenue["year"].unique().tolist())
        self.year = w.IntSlider(value=year or years[-1], min=years[0], max=years[-1], description="Year",
                                continuous_update=False, layout=w.Layout(width="34em"))
        self.restore = w.Button(description="Restore the catalogue", tooltip="Undo every attribute change")
        self.verdict = w.HTML()
        self.verdict.add_class("b4b-service-verdict")
        self.mix_text = w.HTML()
        self.mix_text.add_class("b4b-service-mix")
        self._reclassify()
        self._fill_attributes()
        self.scores_chart = ChartView(self._scores_chart())
        self.mix_chart = ChartView(charts.service_mix(self.mix, self.year.value))
        self.service.observe(self._on_service, names="value")
        for dropdown in self.attributes.values():
            dropdown.observe(self._on_attribute, names="value")
        self.year.observe(self._on_year, names="value")
        self.restore.on_click(self._on_restore)
        super().__init__([
            w.HTML("<b>Choose a service</b> and read how the framework's signals classify it. "
                   "Change what it acts on, what the customer pays for or what work it does, and watch the verdict."),
            self.service,
            w.HBox(list(self.attributes.values())),
            self.restore,
            self.verdict,
            self.scores_chart,
            w.HTML("<b>The services mix</b>: pick a year."),
            self.year,
            self.mix_text,
            self.mix_chart,
        ])
        self.add_class("b4b-services-explorer")
        self._show_service()
        self._show_year()

    # -- state through the model functions
    def _edited_catalogue(self):
        table = self.catalogue.copy()
        for sid, changes in self._edits.items():
            for a, value in changes.items():
                table.loc[table["service_id"].astype(str) == sid, a] = value
        return table

    def _reclassify(self) -> None:
        self.classified = self._sv.classify(self._edited_catalogue(), self.framework)
        self.mix = self._sv.mix(self.classified, self.revenue, framework=self.framework)

    def _current(self) -> dict:
        return self._sv.select_service(self.classified, self.service.value)

    @property
    def classification(self):
        """The :class:`~b4b_kit.services.Classification` of the chosen service as the controls stand."""
        return self._sv.classify_one({a: d.value for a, d in self.attributes.items()}, self.rules)

    def _scores_chart(self):
        table = self._sv.scores({a: d.value for a, d in self.attributes.items()}, self.rules)
        return charts.service_scores(table, max_signals=len(self.rules.attributes))

    def _fill_attributes(self) -> None:
        row = self._current()
        self._loading = True
        try:
            for a, dropdown in self.attributes.items():
                dropdown.value = self._sv._norm(row.get(a)) or "unknown"
        finally:
            self._loading = False

    # -- views
    def _show_service(self) -> None:
        row = self._current()
        c = self.classification
        edited = " <i>(attributes changed here)</i>" if self._edits.get(self.service.value) else ""
        if c.uncertain:
            verdict = "<span style='color:#a33'><b>Uncertain</b></span>: flagged, not guessed"
        else:
            area = self.rules.portfolio_names[c.portfolio]
            verdict = f"<b>{html.escape(c.category_name)}</b>" + (f" ({html.escape(area)})" if area != c.category_name else "")
        meta = ", ".join(f"{k.replace('_', ' ')}: {html.escape(str(row[k]))}" for k in ("legacy_line", "need")
                         if k in row)
        self.verdict.value = (
            f"<p><b>{html.escape(str(row['name']))}</b>{edited}<br><small>{html.escape(str(row.get('description', '')))}"
            f"{'<br>' + meta if meta else ''}</small></p>"
            f"<p class='b4b-service-category'>Category: {verdict}</p>"
            f"<p class='b4b-service-explanation'>{html.escape(c.explanation)}</p>"
        )

    def _show_year(self) -> None:
        summary = self._sv.year_summary(self.mix, self.year.value)
        new = float(self._sv.new_share(self.mix).loc[self.year.value])
        total = sum(r for _, r, _ in summary)
        parts = " · ".join(f"{html.escape(n)} {s:.0%}" for n, _, s in summary)
        self.mix_text.value = (f"<p class='b4b-service-mix-text'>In {self.year.value}: {parts}. "
                               f"Optimize + outcome services: <b>{new:.0%}</b> of ${total:.1f}M.</p>")
        self.mix_chart.chart = charts.service_mix(self.mix, self.year.value)

    def _error(self, exc: B4BError) -> None:
        self.verdict.value = f"<p style='color:#a00'>{html.escape(str(exc))}</p>"

    # -- callbacks
    def _on_service(self, change=None) -> None:
        try:
            self._fill_attributes()
            self._show_service()
            self.scores_chart.chart = self._scores_chart()
        except B4BError as exc:
            self._error(exc)

    def _on_attribute(self, change=None) -> None:
        if self._loading:
            return
        try:
            original = self.catalogue[self.catalogue["service_id"].astype(str) == self.service.value].iloc[0]
            changes = {a: d.value for a, d in self.attributes.items()
                       if d.value != (self._sv._norm(original[a]) or "unknown")}
            if changes:
                self._edits[self.service.value] = changes
            else:
                self._edits.pop(self.service.value, None)
            self._reclassify()
            self._show_service()
            self.scores_chart.chart = self._scores_chart()
            self._show_year()
        except B4BError as exc:
            self._error(exc)

    def _on_year(self, change=None) -> None:
        try:
            self._show_year()
        except B4BError as exc:
            self.mix_text.value = f"<p style='color:#a00'>{html.escape(str(exc))}</p>"

    def _on_restore(self, button=None) -> None:
        try:
            self._edits.clear()
            self._reclassify()
            self._fill_attributes()
            self._show_service()
            self.scores_chart.chart = self._scores_chart()
            self._show_year()
        except B4BError as exc:
            self._error(exc)


# --- consumption analytics (lesson 07): customer health --------------------------------------------

class CustomerHealthDashboard(w.VBox):
    """Pick a customer: its four metric families, its adoption against the best-practice path, and a verdict.

    Two sliders reshape the path (how much adoption counts as full, and how many
    months it should take); every change calls :mod:`b4b_kit.analytics` again.

    Parameters
    ----------
    analysis : b4b_kit.analytics.Analysis
        From :func:`b4b_kit.analytics.analyse`.
    customer : int or str, optional
        Customer id or name to start on; default the top of the adoption-services list.

    Examples
    --------
    >>> from b4b_kit import analytics, telemetry
    >>> board = CustomerHealthDashboard(analytics.analyse(telemetry.generate(customers=12, seed=4)), customer=1)
    >>> board.health.customer_id
    1
    """

    def __init__(self, analysis, customer=None):
        from . import analytics

        self._analytics = analytics
        self.analysis = analysis
        names = analysis.customers.sort_values("customer")
        options = [(str(n), int(i)) for n, i in zip(names["customer"], names["customer_id"])]
        if customer is None:
            ranked = analysis.services_list()
            start = int(ranked["customer_id"].iloc[0]) if len(ranked) else options[0][1]
        else:
            start = int(analytics.select_customer(analysis.customers, customer)["customer_id"].iloc[0])
        path = analysis.path if isinstance(analysis.path, analytics.AdoptionPath) else analytics.AdoptionPath()
        style = {"description_width": "14em"}
        self.picker = w.Dropdown(options=options, value=start, description="Customer", style=style,
                                 layout=w.Layout(width="30em"))
        self.full_adoption = w.FloatSlider(value=path.full_adoption, min=0.4, max=1.0, step=0.05,
                                           description="Path: full adoption", continuous_update=False,
                                           style=style, layout=w.Layout(width="34em"))
        self.ramp_months = w.IntSlider(value=path.ramp_months, min=1, max=12, step=1,
                                       description="Path: months to full", continuous_update=False,
                                       style=style, layout=w.Layout(width="34em"))
        self._full_breadth = path.full_breadth
        self.verdict = w.HTML()
        self.verdict.add_class("b4b-health")
        self.chart = ChartView(charts.customer_health_chart(*self._tables(start, path)))
        for control in (self.picker, self.full_adoption, self.ramp_months):
            control.observe(self._update, names="value")
        super().__init__([self.picker, self.full_adoption, self.ramp_months, self.verdict, self.chart])
        self.add_class("b4b-health-dashboard")
        self._update()

    def _path(self):
        return self._analytics.AdoptionPath(full_adoption=float(self.full_adoption.value),
                                            full_breadth=self._full_breadth,
                                            ramp_months=int(self.ramp_months.value))

    def _tables(self, customer, path):
        metrics = self.analysis.metrics
        return (self._analytics.path_comparison(metrics, customer, path),
                self._analytics.seat_funnel(metrics, customer))

    @property
    def health(self):
        """The :class:`~b4b_kit.analytics.CustomerHealth` of the chosen customer against the current path."""
        return self.analysis.reassess(path=self._path()).health(self.picker.value)

    def _update(self, change=None):
        try:
            path = self._path()
            health = self.analysis.reassess(path=path).health(self.picker.value)
            tables = self._tables(self.picker.value, path)
        except B4BError as exc:
            self.verdict.value = f"<p style='color:#a00'>{html.escape(str(exc))}</p>"
            return
        colour = charts.HEALTH_COLOURS.get(health.status, "#333")
        label = self._analytics.STATUS_NAMES.get(health.status, health.status)
        rows = "".join(f"<tr><td>{html.escape(fam)}</td><td>{html.escape(what)}</td><td>{html.escape(value)}</td></tr>"
                       for fam, what, value in health.families())
        self.verdict.value = (
            f"<p><span class='b4b-health-status' style='background:{colour};color:white;padding:2px 8px;"
            f"border-radius:3px'>{html.escape(label)}</span></p>"
            f"<p class='b4b-health-text'>{html.escape(health.verdict)}</p>"
            f"<table class='b4b-health-table'><tr><th>family</th><th>measure</th><th>latest month</th></tr>"
            f"{rows}</table>"
        )
        self.chart.chart = charts.customer_health_chart(*tables)
