"""Charts of the supplier levels: the staircase of one assessment and the map of a portfolio.

Charts only encode columns the model computed (:mod:`b4b_kit.supplier_levels.model`).

Examples
--------
>>> from b4b_kit.supplier_levels import model
>>> chart = staircase(model.ladder(model.assess_one(0.9, 0.2, 0.3, 0.5, offer={"standard_reliable_product"})))
>>> chart.to_dict()["layer"][0]["mark"]["type"]
'bar'
"""

from __future__ import annotations

import altair as alt

from ..ui.palette import AMBER, BLUE, NAVY, PALE, PURPLE, RED, TEAL, colour_scale

LEVEL_COLOURS = {"offered": BLUE, "needed, not offered": RED, "promised, not delivered": AMBER, "not needed": PALE}
MISMATCH_COLOURS = {"over_promised": AMBER, "under_served": RED, "over_served": PURPLE, "matched": BLUE}


def staircase(ladder, title: str = "Supplier levels") -> alt.Chart:
    """The four supplier levels as a staircase, coloured by what is needed and offered.

    Parameters
    ----------
    ladder : pandas.DataFrame
        From :func:`b4b_kit.supplier_levels.model.ladder`: one row per level with ``number``,
        ``name``, ``status`` and ``marker``.
    """
    base = alt.Chart(ladder, title=title).encode(
        x=alt.X("label:N", sort=None, title=None, axis=alt.Axis(labelAngle=0)),
    )
    bars = base.mark_bar(size=70).encode(
        y=alt.Y("number:Q", title="level", scale=alt.Scale(domain=[0, 4.6]), axis=alt.Axis(tickCount=4)),
        color=alt.Color("status:N", title=None,
                        scale=colour_scale(LEVEL_COLOURS),
                        legend=alt.Legend(orient="bottom")),
        tooltip=["name:N", "status:N", "elements:N"],
    )
    marks = base.mark_text(dy=-10, fontWeight="bold").encode(y="number:Q", text="marker:N")
    return (bars + marks).properties(width=420, height=240)


def portfolio_map(table) -> alt.Chart:
    """Required against offered level for each product-market, sized by revenue.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`b4b_kit.supplier_levels.model.portfolio_summary`.
    """
    return (
        alt.Chart(table, title="Required vs offered level (size: revenue)")
        .mark_circle(opacity=0.85)
        .encode(
            x=alt.X("required_level:O", title="required level", scale=alt.Scale(domain=[1, 2, 3, 4])),
            y=alt.Y("offered_level:O", title="offered level", sort="descending",
                    scale=alt.Scale(domain=[0, 1, 2, 3, 4])),
            size=alt.Size("revenue_musd:Q", title="revenue ($M)", scale=alt.Scale(range=[80, 1800])),
            color=alt.Color("mismatch:N", title=None,
                            scale=colour_scale(MISMATCH_COLOURS)),
            tooltip=["required_level:O", "offered_level:O", "mismatch:N", "product_markets:Q",
                     alt.Tooltip("revenue_musd:Q", format=".1f")],
        )
        .properties(width=300, height=260)
    )


LINE_COLOURS = {"Customer Value Power": NAVY, "Supplier Offer Power": TEAL}


def power_lines(table, title: str = "Both Power Lines grow level by level") -> alt.Chart:
    """The two Power Lines at each level: bar length is the running count of elements on the line.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`b4b_kit.supplier_levels.model.power_lines`.
    """
    base = alt.Chart(table, title=title).encode(
        y=alt.Y("level_label:N", sort=None, title=None),
        yOffset=alt.YOffset("line:N", sort=list(LINE_COLOURS)),
    )
    bars = base.mark_bar(height=14).encode(
        x=alt.X("elements:Q", title="elements on the line (cumulative)", axis=alt.Axis(tickMinStep=1)),
        color=alt.Color("line:N", title=None, scale=colour_scale(LINE_COLOURS), legend=alt.Legend(orient="bottom")),
        tooltip=["level_label:N", "line:N", "elements:Q", alt.Tooltip("added:N", title="added at this level")],
    )
    labels = base.mark_text(align="left", dx=4, fontSize=10).encode(x="elements:Q", text="added:N")
    return (bars + labels).properties(width=360, height=260)
