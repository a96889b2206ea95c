"""Charts of consumption analytics: a customer against the adoption path, seat funnels, cohorts, health.

Charts only encode columns the model computed (:mod:`b4b_kit.consumption_analytics.model`).

Examples
--------
>>> from b4b_kit.consumption_analytics import model, telemetry
>>> analysis = model.analyse(telemetry.generate(customers=6, seed=1))
>>> health_map(analysis.customers).to_dict()["mark"]["type"]
'circle'
"""

from __future__ import annotations

import altair as alt

from ..ui.palette import AMBER, BLUE, LEAF, PURPLE, RED, SILVER, colour_scale

HEALTH_COLOURS = {"expand_ready": BLUE, "on_track": LEAF, "behind": AMBER, "at_risk": RED, "churned": SILVER}
FUNNEL_COLOURS = {"licensed (purchase)": SILVER, "deployed (deployment)": PURPLE, "active (consumption)": BLUE}


def adoption_path_chart(comparison,
                        title: str = "Customer (solid) against the best-practice path (dashed)") -> alt.Chart:
    """A customer's adoption rate and feature breadth (solid) against the path (dashed), by month since land.

    Parameters
    ----------
    comparison : pandas.DataFrame
        From :func:`b4b_kit.consumption_analytics.model.path_comparison`: ``months_since_land``,
        ``measure``, ``series``, ``value``.
    """
    return (
        alt.Chart(comparison, title=title)
        .mark_line(point=True)
        .encode(
            x=alt.X("months_since_land:Q", title="months since land", axis=alt.Axis(tickMinStep=1)),
            y=alt.Y("value:Q", title="share", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
            color=alt.Color("measure:N", title=None, scale=alt.Scale(domain=["adoption rate", "feature breadth"],
                                                                    range=[BLUE, LEAF]),
                            legend=alt.Legend(orient="bottom")),
            strokeDash=alt.StrokeDash("series:N", title=None,
                                      scale=alt.Scale(domain=["customer", "best-practice path"],
                                                      range=[[1, 0], [5, 4]]),
                                      legend=None),  # said in the title: a dash legend draws no line here
            tooltip=["series:N", "measure:N", "months_since_land:Q", alt.Tooltip("value:Q", format=".0%")],
        )
        .properties(width=300, height=220)
    )


def seat_funnel_chart(funnel, title: str = "Seats: licensed, deployed, active") -> alt.Chart:
    """Seats licensed, deployed and active by month since land: purchase, deployment and consumption in one view.

    Parameters
    ----------
    funnel : pandas.DataFrame
        From :func:`b4b_kit.consumption_analytics.model.seat_funnel`: ``months_since_land``, ``measure``, ``seats``.
    """
    return (
        alt.Chart(funnel, title=title)
        .mark_line(point=True)
        .encode(
            x=alt.X("months_since_land:Q", title="months since land", axis=alt.Axis(tickMinStep=1)),
            y=alt.Y("seats:Q", title="seats"),
            color=alt.Color("measure:N", title=None, scale=colour_scale(FUNNEL_COLOURS),
                            legend=alt.Legend(orient="bottom", columns=1)),
            tooltip=["measure:N", "months_since_land:Q", "seats:Q"],
        )
        .properties(width=260, height=220)
    )


def customer_health_chart(comparison, funnel, title: str = "") -> alt.HConcatChart:
    """The seat funnel next to adoption against the path: the customer-health dashboard's chart."""
    chart = alt.hconcat(seat_funnel_chart(funnel), adoption_path_chart(comparison)).resolve_scale(
        color="independent", strokeDash="independent")
    return chart.properties(title=title) if title else chart


def cohort_chart(curves, measure: str = "adoption_rate", title: str | None = None) -> alt.Chart:
    """One line per group: the median (or mean) of a measure by month since land.

    Parameters
    ----------
    curves : pandas.DataFrame
        From :func:`b4b_kit.consumption_analytics.model.cohort_curves`.
    measure : {"adoption_rate", "feature_breadth", "kpi_attainment"}
    """
    labels = {"adoption_rate": "active users per licensed seat", "feature_breadth": "share of features used",
              "kpi_attainment": "KPI attainment (share of target)"}
    if measure not in labels:
        raise ValueError(f"measure must be one of {', '.join(labels)}, not {measure!r}")
    return (
        alt.Chart(curves, title=title or labels[measure][0].upper() + labels[measure][1:])
        .mark_line(point=True)
        .encode(
            x=alt.X("months_since_land:Q", title="months since land", axis=alt.Axis(tickMinStep=1)),
            y=alt.Y(f"{measure}:Q", title=labels[measure], axis=alt.Axis(format="%")),
            color=alt.Color("group:N", title=None, legend=alt.Legend(orient="bottom")),
            tooltip=["group:N", "months_since_land:Q", alt.Tooltip(f"{measure}:Q", format=".0%"), "customers:Q"],
        )
        .properties(width=300, height=220)
    )


def health_map(assessed, title: str = "Customers in their latest month (size: contract value)") -> alt.Chart:
    """Each customer's adoption rate against its feature breadth, coloured by status and sized by contract value.

    Parameters
    ----------
    assessed : pandas.DataFrame
        From :func:`b4b_kit.consumption_analytics.model.assess_customers` (one row per customer).
    """
    data = assessed[["customer", "status", "months_since_land", "adoption_rate", "feature_breadth",
                     "contract_value_usd", "value_at_risk_usd"]].astype({"status": str})
    return (
        alt.Chart(data, title=title)
        .mark_circle(opacity=0.8)
        .encode(
            x=alt.X("adoption_rate:Q", title="active users per licensed seat", axis=alt.Axis(format="%")),
            y=alt.Y("feature_breadth:Q", title="share of features used", axis=alt.Axis(format="%")),
            size=alt.Size("contract_value_usd:Q", title="contract ($/yr)", scale=alt.Scale(range=[30, 600])),
            color=alt.Color("status:N", title=None, scale=colour_scale(HEALTH_COLOURS)),
            tooltip=["customer:N", "status:N", "months_since_land:Q",
                     alt.Tooltip("adoption_rate:Q", format=".0%"), alt.Tooltip("feature_breadth:Q", format=".0%"),
                     alt.Tooltip("contract_value_usd:Q", format="$,.0f"),
                     alt.Tooltip("value_at_risk_usd:Q", format="$,.0f")],
        )
        .properties(width=340, height=260)
    )


def peer_feature_chart(peers, title: str = "Share of healthy customers using each feature") -> alt.Chart:
    """Bars of how many healthy peers use each feature, in the order of the next-feature rule.

    Parameters
    ----------
    peers : pandas.DataFrame
        From :func:`b4b_kit.consumption_analytics.model.peer_feature_use`.
    """
    return (
        alt.Chart(peers, title=title)
        .mark_bar(color=LEAF)
        .encode(
            y=alt.Y("feature:N", sort=None, title=None),
            x=alt.X("peer_share:Q", title="share of healthy peers", axis=alt.Axis(format="%"),
                    scale=alt.Scale(domain=[0, 1])),
            tooltip=["feature:N", "peers_using:Q", alt.Tooltip("peer_share:Q", format=".0%"), "peer_events:Q"],
        )
        .properties(width=300, height=alt.Step(16))
    )

