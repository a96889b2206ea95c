"""The questionnaire explorer for any maturity or capability framework file.

Examples
--------
>>> q = MaturityQuestionnaire("value_maturity_model")
>>> q.result.overall
0.0
"""

from __future__ import annotations

import html
from pathlib import Path

import ipywidgets as w

from ..errors import B4BError
from ..frameworks import Framework, get
from ..ui.explorer import ChartView, Explorer, error_html
from . import charts
from . import model as maturity


class MaturityQuestionnaire(Explorer):
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
        fw = framework if isinstance(framework, Framework) else get(framework)
        self.framework = fw
        self.scale = scale or maturity.Scale()
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
        self.level_range = maturity.level_range(fw, self.scale)
        default_target = self.level_range[1] if fw.kind == "levels" else self.scale.pass_mark
        self.rule = w.ToggleButtons(options=list(maturity.RULES), value=rule, description="Scoring rule")
        self.pass_mark = w.FloatSlider(value=float(self.scale.pass_mark), min=lo, max=hi, step=0.5,
                                       description="Pass mark", continuous_update=False)
        self.target = w.FloatSlider(value=float(target if target is not None else default_target),
                                    min=1 if fw.kind == "levels" else lo, max=self.level_range[1],
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
        self.chart = ChartView()
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
        ], watch=[*self.sliders.values(), *self.weights.values(), self.rule, self.pass_mark, self.target],
            message=self.output)

    @property
    def answers(self) -> dict:
        """Criterion id -> score, as set in the controls."""
        return {c: s.value for c, s in self.sliders.items()}

    @property
    def importance(self) -> dict:
        """Criterion id -> importance weight, as set in the controls."""
        return {c: d.value for c, d in self.weights.items()}

    def _scale(self):
        return maturity.Scale(self.scale.low, self.scale.high, self.pass_mark.value)

    def _assess(self):
        return maturity.assess_one(self.framework, self.answers, scale=self._scale(), rule=self.rule.value,
                                   importance=self.importance, respondent=self.respondent)

    @property
    def result(self):
        """The :class:`~b4b_kit.maturity.model.Maturity` for the controls' current values."""
        return self._assess()

    def gaps(self):
        """Gaps to the target level, ranked (see :func:`b4b_kit.maturity.model.gaps`)."""
        target = int(self.target.value) if self.framework.kind == "levels" else self.target.value
        return maturity.gaps(self.framework, self.answers, target, scale=self._scale(),
                             importance=self.importance, respondent=self.respondent)

    def to_frame(self):
        """Answers and results, one row per criterion (see :func:`b4b_kit.maturity.model.answers_table`)."""
        return maturity.answers_table(self.framework, self.answers, scale=self._scale(), rule=self.rule.value,
                                      importance=self.importance, respondent=self.respondent)

    def export(self, path=None):
        """Write :meth:`to_frame` to CSV; returns the path."""
        return maturity.to_csv(self.to_frame(), Path(path or self.export_path.value))

    def _export_clicked(self):
        try:
            path = self.export()
        except (B4BError, OSError) as exc:
            self.export_status.value = error_html(exc)
            return
        self.export_status.value = f"<p>Saved {len(self.sliders)} answers to <code>{html.escape(str(path))}</code>.</p>"

    def compute(self):
        return self._assess(), self.gaps()

    def show(self, result) -> None:
        assessed, gap_table = result
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
        self.output.value = (f"<p class='b4b-maturity-summary'>{html.escape(assessed.summary)}</p>{gap_html}")
        self.chart.chart = charts.maturity_profile(assessed.to_frame(), self.level_range, title=self.framework.name)
