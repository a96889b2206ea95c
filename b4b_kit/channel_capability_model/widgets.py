"""Explorers of the channel capability model: symptom diagnosis and the consumer-back step-6 prioritiser.

The Channel 1.0 capability questionnaire is :class:`b4b_kit.maturity.widgets.MaturityQuestionnaire`.

Examples
--------
>>> d = SymptomDiagnosis(ticked=["wrong_partners_selected"])
>>> d.diagnosis["capability"].iloc[0]
'ideal_partner_personae'
"""

from __future__ import annotations

import html

import ipywidgets as w

from ..frameworks import get
from ..ui.explorer import ChartView, Controls, Explorer
from . import charts
from . import model as channel


class SymptomDiagnosis(Explorer):
    """Tick the Channel 1.0 symptoms you recognise; see the capability gaps they point to.

    Examples
    --------
    >>> d = SymptomDiagnosis(ticked=["wrong_partners_selected"])
    >>> d.checkboxes["asks_not_needs"].value = True
    >>> d.diagnosis["capability"].iloc[0]
    'partner_assessments'
    """

    def __init__(self, framework=channel.FRAMEWORK, *, ticked=(), list_name: str = channel.SYMPTOMS,
                 top: int = 12):
        self.framework = framework
        self.list_name = list_name
        self.top = top
        table = channel.symptoms(framework, list_name)
        controls = Controls()
        self.checkboxes = {r.symptom: controls.checkbox(r.symptom in set(ticked), r.name, width="34em")
                           for r in table.itertuples()}
        self.output = w.HTML()
        self.output.add_class("b4b-diagnosis")
        self.areas = [g.name for g in (get(framework) if isinstance(framework, str) else framework).groups]
        self.chart = ChartView()
        boxes = w.VBox(list(self.checkboxes.values()))
        boxes.add_class("b4b-symptoms")
        super().__init__([w.HTML("<b>Which symptoms do you see?</b>"), boxes, self.output, self.chart],
                         watch=self.checkboxes.values(), message=self.output)

    @property
    def ticked(self) -> list[str]:
        """The ids of the ticked symptoms."""
        return [s for s, box in self.checkboxes.items() if box.value]

    def compute(self):
        return channel.diagnose(self.ticked, framework=self.framework, list_name=self.list_name)

    @property
    def diagnosis(self):
        """The ranked capability gaps (see :func:`b4b_kit.channel_capability_model.model.diagnose`)."""
        return self.compute()

    def show(self, diagnosis) -> None:
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


class InnovationPrioritiser(Explorer):
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
        start = channel.check_weights(weights)
        labels = {"business_value": "Business value", "implementation_complexity": "Low complexity",
                  "delivery_credibility": "Credibility"}
        controls = Controls(label_width="8em", width="30em")
        self.sliders = {c: controls.slider(start[c], 0, 1, 0.05, labels[c]) for c in channel.CRITERIA}
        self.output = w.HTML()
        self.output.add_class("b4b-priorities")
        self.chart = ChartView()
        super().__init__([w.HTML("<b>Weights</b> (used relative to their sum)"), *self.sliders.values(),
                          self.output, self.chart], watch=self.sliders.values(), message=self.output)

    def compute(self):
        return channel.prioritise(self.innovations, {c: s.value for c, s in self.sliders.items()})

    @property
    def ranking(self):
        """The ranked innovations (see :func:`b4b_kit.channel_capability_model.model.prioritise`)."""
        return self.compute()

    def show(self, ranked) -> None:
        names = ranked["name"] if "name" in ranked.columns else ranked["innovation"]
        front = ", ".join(n for n, p in zip(names, ranked["pareto"]) if p)
        self.output.value = (
            f"<p class='b4b-priorities-text'>Top: <b>{html.escape(str(names.iloc[0]))}</b> "
            f"(score {ranked['score'].iloc[0]:.3f}). Pareto front ({int(ranked['pareto'].sum())} of "
            f"{len(ranked)}, the same for any weights): {html.escape(front)}.</p>")
        self.chart.chart = charts.priority_chart(channel.pareto_points(ranked))
