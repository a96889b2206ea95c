"""Charts of any maturity or capability assessment: profile, heatmap, distribution, gaps.

Charts only encode columns the engine computed (:mod:`b4b_kit.maturity.model`); both
questionnaire frameworks (value maturity, channel capability) use them.

Examples
--------
>>> from b4b_kit import maturity
>>> answers = dict.fromkeys(maturity.criterion_ids("value_maturity_model"), 2)
>>> result = maturity.assess_one("value_maturity_model", answers)
>>> lr = maturity.level_range("value_maturity_model")
>>> maturity_profile(result.to_frame(), lr).to_dict()["layer"][0]["mark"]["type"]
'bar'
"""

from __future__ import annotations

import altair as alt

from ..ui.palette import NAVY

OVERALL_COLOUR = NAVY


def maturity_profile(levels, level_range: tuple[int, int], title: str = "Maturity by dimension") -> alt.Chart:
    """Level per dimension (and overall) as horizontal bars on the framework's level scale.

    Parameters
    ----------
    levels : pandas.DataFrame
        ``dimension``, ``dimension_name`` and ``level``, e.g. from
        :meth:`b4b_kit.maturity.model.Maturity.to_frame`; with a ``series`` column
        (e.g. before / after) the bars of each dimension are grouped by it.
    level_range : (low, high)
        From :func:`b4b_kit.maturity.level_range`.
    """
    lo, hi = level_range
    grouped = "series" in levels.columns
    base = alt.Chart(levels, title=title).encode(
        y=alt.Y("dimension_name:N", sort=None, title=None),
        x=alt.X("level:Q", title="level", scale=alt.Scale(domain=[lo, hi]), axis=alt.Axis(tickMinStep=1)),
        tooltip=["dimension_name:N", alt.Tooltip("level:Q", format=".2f")] + (["series:N"] if grouped else []),
    )
    if grouped:
        bars = base.mark_bar().encode(yOffset=alt.YOffset("series:N", sort=None),
                                      color=alt.Color("series:N", sort=None, title=None,
                                                      legend=alt.Legend(orient="bottom")))
        text = base.mark_text(align="left", dx=3, fontSize=10).encode(
            yOffset=alt.YOffset("series:N", sort=None), text=alt.Text("level:Q", format=".2f"))
    else:
        bars = base.mark_bar().encode(color=alt.condition(alt.datum.dimension == "overall",
                                                          alt.value(OVERALL_COLOUR), alt.value("#6f9fca")))
        text = base.mark_text(align="left", dx=3).encode(text=alt.Text("level:Q", format=".2f"))
    return (bars + text).properties(width=380, height=alt.Step(24 if not grouped else 14))


def maturity_heatmap(heat, level_range: tuple[int, int],
                     title: str = "Level per respondent and dimension") -> alt.Chart:
    """Respondents (or groups) x dimensions, coloured by level.

    Parameters
    ----------
    heat : pandas.DataFrame
        From :func:`b4b_kit.maturity.heatmap_table`.
    """
    lo, hi = level_range
    base = alt.Chart(heat, title=title).encode(
        x=alt.X("dimension_name:N", sort=alt.SortField("order"), title=None, axis=alt.Axis(labelAngle=-30)),
        y=alt.Y("row:N", title=None),
    )
    cells = base.mark_rect().encode(
        color=alt.Color("level:Q", title="level", scale=alt.Scale(domain=[lo, hi], scheme="blues")),
        tooltip=["row:N", "dimension_name:N", alt.Tooltip("level:Q", format=".2f"), "respondents:Q"],
    )
    text = base.mark_text(fontSize=10).encode(
        text=alt.Text("level:Q", format=".1f"),
        color=alt.condition(f"datum.level > {lo + 0.6 * (hi - lo)}", alt.value("white"), alt.value("black")),
    )
    return (cells + text).properties(width=alt.Step(70), height=alt.Step(16))


def maturity_distribution(dist, title: str = "Respondents per level") -> alt.Chart:
    """Share of respondents at each level, one stacked bar per dimension.

    Parameters
    ----------
    dist : pandas.DataFrame
        From :func:`b4b_kit.maturity.distribution`.
    """
    return (
        alt.Chart(dist, title=title)
        .mark_bar()
        .encode(
            y=alt.Y("dimension_name:N", sort=alt.SortField("order"), title=None),
            x=alt.X("share:Q", title="share of respondents", axis=alt.Axis(format="%"), stack="zero"),
            color=alt.Color("level:O", title="level", scale=alt.Scale(scheme="blues"),
                            legend=alt.Legend(orient="bottom", direction="horizontal")),
            order=alt.Order("level:Q"),
            tooltip=["dimension_name:N", "level:O", "respondents:Q", alt.Tooltip("share:Q", format=".0%")],
        )
        .properties(width=380, height=alt.Step(22))
    )


def gap_bars(gaps, title: str = "Gaps to the target, by priority (importance x gap)") -> alt.Chart:
    """Criteria short of the target as bars of priority, highest on top.

    Parameters
    ----------
    gaps : pandas.DataFrame
        From :func:`b4b_kit.maturity.gaps` (pass ``gaps.head(n)`` to show the top n).
    """
    return (
        alt.Chart(gaps, title=title)
        .mark_bar()
        .encode(
            y=alt.Y("name:N", sort=alt.SortField("rank"), title=None, axis=alt.Axis(labelLimit=280)),
            x=alt.X("priority:Q", title="priority"),
            color=alt.Color("group_name:N", title=None, legend=alt.Legend(orient="bottom", columns=3)),
            tooltip=["name:N", "group_name:N", alt.Tooltip("score:Q", format=".2f"), "required:Q",
                     alt.Tooltip("gap:Q", format=".2f"), "importance:Q", alt.Tooltip("priority:Q", format=".2f")],
        )
        .properties(width=320, height=alt.Step(18))
    )


