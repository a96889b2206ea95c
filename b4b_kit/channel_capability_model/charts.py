"""Charts of the channel capability model: the symptom diagnosis and the consumer-back step-6 priorities.

Charts only encode columns the model computed (:mod:`b4b_kit.channel_capability_model.model`).
The Channel 1.0 capability questionnaire is drawn by :mod:`b4b_kit.maturity.charts`.

Examples
--------
>>> from b4b_kit.channel_capability_model import model
>>> diagnosis_bars(model.diagnose(["wrong_partners_selected"])).to_dict()["layer"][0]["mark"]["type"]
'bar'
"""

from __future__ import annotations

import altair as alt

from ..ui.palette import BLUE, colour_scale

PARETO_COLOURS = {"on the Pareto front": BLUE, "dominated": "#b8b8b8"}


def diagnosis_bars(diagnosis, areas: list[str] | None = None, title: str = "Likely capability gaps") -> alt.Chart:
    """Capabilities the ticked symptoms point to, likeliest on top, coloured by area.

    Parameters
    ----------
    diagnosis : pandas.DataFrame
        From :func:`b4b_kit.channel_capability_model.model.diagnose`.
    areas : list of str, optional
        All area names, so that each area keeps its colour whatever is ticked.
    """
    base = alt.Chart(diagnosis, title=title).encode(
        y=alt.Y("name:N", sort=alt.SortField("rank"), title=None, axis=alt.Axis(labelLimit=280)),
        x=alt.X("evidence:Q", title="evidence (symptom weight spread over its capabilities)"),
    )
    bars = base.mark_bar().encode(
        color=alt.Color("area_name:N", title=None, legend=alt.Legend(orient="bottom", columns=2),
                        scale=alt.Scale(domain=areas) if areas else alt.Undefined),
        tooltip=["name:N", "area_name:N", "symptoms:Q", alt.Tooltip("evidence:Q", format=".3f"),
                 alt.Tooltip("likelihood:Q", format=".0%"), "because:N"],
    )
    text = base.mark_text(align="left", dx=3).encode(text=alt.Text("symptoms:Q"))
    return (bars + text).properties(width=320, height=alt.Step(18))


def priority_chart(ranked, title: str = "Innovations: value against complexity") -> alt.HConcatChart:
    """The Pareto plot of step 6 beside the weighted ranking.

    Left: business value against implementation complexity, circle size for
    credibility, the Pareto front in colour, each point labelled with its rank.
    Right: the weighted score of each innovation.

    Parameters
    ----------
    ranked : pandas.DataFrame
        From :func:`b4b_kit.channel_capability_model.model.pareto_points` (the output of
        :func:`~b4b_kit.channel_capability_model.model.prioritise` with a ``status`` and ``slot``).
    """
    colour = alt.Color("status:N", title=None, scale=colour_scale(PARETO_COLOURS),
                       legend=alt.Legend(orient="bottom"))
    tooltip = ["label:N", "business_value:Q", "implementation_complexity:Q", "delivery_credibility:Q",
               alt.Tooltip("score:Q", format=".3f"), "status:N"]
    base = alt.Chart(ranked, title=title).encode(
        x=alt.X("implementation_complexity:Q", title="implementation complexity (less is better)",
                scale=alt.Scale(domain=[0.5, 5.5])),
        y=alt.Y("business_value:Q", title="business value", scale=alt.Scale(domain=[0.5, 5.5])),
    )
    points = base.mark_circle(opacity=0.75, stroke="white").encode(
        color=colour, size=alt.Size("delivery_credibility:Q", title="credibility", scale=alt.Scale(domain=[1, 5],
                                                                                                 range=[60, 600])),
        order=alt.Order("pareto:N"),  # front drawn last, on top of dominated points at the same spot
        tooltip=tooltip)
    # rank numbers beside the points; innovations sharing a spot get their numbers side by side
    labels = base.transform_calculate(label_x="datum.implementation_complexity + 0.2 + 0.2 * datum.slot").mark_text(
        align="left", baseline="middle", fontSize=11, fontWeight="bold").encode(x="label_x:Q", text="rank:N")
    scatter = (points + labels).properties(width=320, height=300)
    bars = alt.Chart(ranked, title="Weighted score").mark_bar().encode(
        y=alt.Y("label:N", sort=alt.SortField("rank"), title=None),
        x=alt.X("score:Q", title="score (0-1)", scale=alt.Scale(domain=[0, 1])),
        color=colour, tooltip=tooltip,
    ).properties(width=220, height=alt.Step(20))
    return alt.hconcat(scatter, bars)

