"""The services-portfolio explorer: classify one service from the framework's signals, read the mix by year.

Examples
--------
>>> ex = ServicePortfolioExplorer(service_id="NW-E02")
>>> ex.classification.category
'education_services'
"""

from __future__ import annotations

import html

import ipywidgets as w

from .. import checks, datasets
from ..ui.explorer import ChartView, Explorer
from ..ui.palette import ERROR
from . import charts
from . import model as sv


class ServicePortfolioExplorer(Explorer):
    """Pick a service to see its category and the signals behind it; pick a year to read the mix.

    Changing a service's attributes reclassifies it at once, and its revenue
    moves between categories in the mix chart. Nothing is computed here: the
    callbacks call :mod:`b4b_kit.services_portfolio.model`.

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
        self.framework = checks.framework(framework, default=sv.FRAMEWORK)
        self.rules = sv.rules(self.framework)
        self.catalogue = (datasets.load("service_catalogue") if catalogue is None else catalogue).reset_index(drop=True)
        revenue = datasets.load("service_revenue") if revenue is None else revenue
        self.revenue = sv.check_revenue(revenue, self.catalogue)
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
            extra = sorted({sv.normalise(v) for v in self.catalogue[a]} - set(vocab[a]) - {""})
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
        self.scores_chart = ChartView()
        self.mix_chart = ChartView()
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
        ], message=self.verdict)
        self.add_class("b4b-services-explorer")

    # -- state through the model functions
    def _edited_catalogue(self):
        table = self.catalogue.copy()
        for sid, changes in self._edits.items():
            for a, value in changes.items():
                table.loc[table["service_id"].astype(str) == sid, a] = value
        return table

    def _reclassify(self) -> None:
        self.classified = sv.classify(self._edited_catalogue(), self.framework)
        self.mix = sv.mix(self.classified, self.revenue, framework=self.framework)

    def _current(self) -> dict:
        return sv.select_service(self.classified, self.service.value)

    @property
    def classification(self):
        """The :class:`~b4b_kit.services_portfolio.model.Classification` of the chosen service as the controls stand."""
        return sv.classify_one({a: d.value for a, d in self.attributes.items()}, self.rules)

    def _scores_chart(self):
        table = sv.scores({a: d.value for a, d in self.attributes.items()}, self.rules)
        return charts.service_scores(table, max_signals=len(self.rules.attributes))

    def _fill_attributes(self) -> None:
        row = self._current()
        self._loading = True
        try:
            for a, dropdown in self.attributes.items():
                dropdown.value = sv.normalise(row.get(a)) or "unknown"
        finally:
            self._loading = False

    # -- views
    def compute(self):
        return None  # the state lives in the controls and the edited catalogue; show() reads it

    def show(self, result=None) -> None:
        self._show_service()
        self.scores_chart.chart = self._scores_chart()
        self._show_year()

    def _show_service(self) -> None:
        row = self._current()
        c = self.classification
        edited = " <i>(attributes changed here)</i>" if self._edits.get(self.service.value) else ""
        if c.uncertain:
            verdict = f"<span style='color:{ERROR}'><b>Uncertain</b></span>: flagged, not guessed"
        else:
            area = self.rules.portfolio_names[c.portfolio]
            verdict = f"<b>{html.escape(c.category_name)}</b>"
            if area != c.category_name:
                verdict += f" ({html.escape(area)})"
        meta = ", ".join(f"{k.replace('_', ' ')}: {html.escape(str(row[k]))}" for k in ("legacy_line", "need")
                         if k in row)
        self.verdict.value = (
            f"<p><b>{html.escape(str(row['name']))}</b>{edited}<br>"
            f"<small>{html.escape(str(row.get('description', '')))}"
            f"{'<br>' + meta if meta else ''}</small></p>"
            f"<p class='b4b-service-category'>Category: {verdict}</p>"
            f"<p class='b4b-service-explanation'>{html.escape(c.explanation)}</p>"
        )

    def _show_year(self) -> None:
        summary = sv.year_summary(self.mix, self.year.value)
        new = float(sv.new_share(self.mix).loc[self.year.value])
        total = sum(r for _, r, _ in summary)
        parts = " · ".join(f"{html.escape(n)} {s:.0%}" for n, _, s in summary)
        self.mix_text.value = (f"<p class='b4b-service-mix-text'>In {self.year.value}: {parts}. "
                               f"Optimize + outcome services: <b>{new:.0%}</b> of ${total:.1f}M.</p>")
        self.mix_chart.chart = charts.service_mix(self.mix, self.year.value)

    # -- callbacks
    def _on_service(self, change=None) -> None:
        def work():
            self._fill_attributes()
            self._show_service()
            self.scores_chart.chart = self._scores_chart()
        self.guarded(work)

    def _on_attribute(self, change=None) -> None:
        if self._loading:
            return

        def work():
            original = self.catalogue[self.catalogue["service_id"].astype(str) == self.service.value].iloc[0]
            changes = {a: d.value for a, d in self.attributes.items()
                       if d.value != (sv.normalise(original[a]) or "unknown")}
            if changes:
                self._edits[self.service.value] = changes
            else:
                self._edits.pop(self.service.value, None)
            self._reclassify()
            self.show()
        self.guarded(work)

    def _on_year(self, change=None) -> None:
        self.guarded(self._show_year, self.mix_text)

    def _on_restore(self, button=None) -> None:
        def work():
            self._edits.clear()
            self._reclassify()
            self._fill_attributes()
            self.show()
        self.guarded(work)
