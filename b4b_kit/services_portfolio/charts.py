"""Charts of the services portfolio: the services mix over the years and the classification signals.

Charts only encode columns the model computed (:mod:`b4b_kit.services_portfolio.model`).

Examples
--------
>>> from b4b_kit.services_portfolio import model
>>> table = model.scores({"acts_on": "operations"})
>>> service_scores(table).to_dict()["mark"]["type"]
'bar'
"""

from __future__ import annotations

import altair as alt

from ..ui.palette import AMBER, GREEN, RED, SLATE, colour_scale

SERVICE_COLOURS = {
    "traditional_services": SLATE, "optimize_services": GREEN, "outcome_services": AMBER,
    "support_services": "#c7d0d9", "education_services": "#aab7c4", "professional_services": "#8d9db0",
    "field_services": "#71849b", "managed_services": "#566b86", "operational_services": GREEN,
    "adoption_services": "#8fd18f", "outcome_as_a_service": AMBER, "uncertain": RED,
}
SCORE_STATUS_COLOURS = {"chosen": GREEN, "tied": AMBER, "matched": SLATE, "none": "#e6e6e6"}


def service_mix(mix, highlight_year: int | None = None,
                title: str = "Services mix: share of service revenue by year") -> alt.Chart:
    """Stacked shares of revenue per year, traditional lines at the bottom, new services above.

    Parameters
    ----------
    mix : pandas.DataFrame
        From :func:`b4b_kit.services_portfolio.model.mix`: ``year``, ``group``, ``name``, ``order``,
        ``revenue_musd``, ``share``.
    highlight_year : int, optional
        Draw this year's bar solid and the others faded.
    """
    legend = mix.drop_duplicates("group").sort_values("order")
    colours = [SERVICE_COLOURS.get(g, "#888888") for g in legend["group"]]
    # A text test, not alt.datum: expressions overload ==, so two such charts compare equal, and
    # anything that redraws only on a changed chart (alt.JupyterChart does) would miss the new year.
    opacity = (alt.value(1.0) if highlight_year is None
               else alt.condition(f"datum.year === {int(highlight_year)}", alt.value(1.0), alt.value(0.35)))
    return (
        alt.Chart(mix, title=title)
        .mark_bar()
        .encode(
            x=alt.X("year:O", title=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("share:Q", title="share of service revenue", axis=alt.Axis(format="%"),
                    scale=alt.Scale(domain=[0, 1])),
            color=alt.Color("name:N", title=None, scale=alt.Scale(domain=legend["name"].tolist(), range=colours),
                            legend=alt.Legend(orient="bottom", columns=3)),
            order=alt.Order("order:Q", sort="ascending"),
            opacity=opacity,
            tooltip=["year:O", "name:N", alt.Tooltip("revenue_musd:Q", format=".2f", title="revenue ($M)"),
                     alt.Tooltip("share:Q", format=".1%")],
        )
        .properties(width=460, height=260)
    )


def service_scores(table, max_signals: int | None = None,
                   title: str = "Signals matched per category") -> alt.Chart:
    """One bar per category: how many of the service's attributes match its signals.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`b4b_kit.services_portfolio.model.scores`: ``order``, ``name``, ``signals_matched``,
        ``matched``, ``status``.
    max_signals : int, optional
        Fix the axis at 0..max_signals (the number of signalled attributes).
    """
    scale = alt.Scale(domain=[0, max_signals]) if max_signals else alt.Scale()
    return (
        alt.Chart(table, title=title)
        .mark_bar()
        .encode(
            y=alt.Y("name:N", title=None, sort=alt.EncodingSortField(field="order", op="min")),
            x=alt.X("signals_matched:Q", title="signals matched", scale=scale, axis=alt.Axis(tickMinStep=1)),
            color=alt.Color("status:N", title=None,
                            scale=colour_scale(SCORE_STATUS_COLOURS),
                            legend=alt.Legend(orient="bottom")),
            tooltip=["name:N", "portfolio:N", "signals_matched:Q", "matched:N", "status:N"],
        )
        .properties(width=300, height=200)
    )

