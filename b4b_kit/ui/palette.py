"""The kit's colours, named once, and the one way a chart maps categories to them.

Every framework's ``charts.py`` builds its category colours from these hues, so
the same meaning keeps the same colour across lessons: blue for what is offered
or the new way, red for a shortfall or the supplier's risk, amber for a promise
or a tie, grey for the old way or a baseline.

Examples
--------
>>> colour_scale({"offered": BLUE, "needed, not offered": RED}).to_dict()["range"]
['#2b6ca3', '#d1495b']
"""

from __future__ import annotations

from collections.abc import Mapping

import altair as alt

BLUE = "#2b6ca3"
RED = "#d1495b"
AMBER = "#edae49"
PURPLE = "#8e7cc3"
GREEN = "#2e8b57"
LEAF = "#59a14f"
TEAL = "#2a9d8f"
NAVY = "#1f3b57"
GREY = "#8c8c8c"
SILVER = "#9d9d9d"
SLATE = "#9aa5b1"
PALE = "#d9d9d9"
ERROR = "#a00"


def colour_scale(colours: Mapping[str, str]) -> alt.Scale:
    """An altair colour scale from an ordered ``{category: colour}`` mapping (legend in that order)."""
    return alt.Scale(domain=list(colours), range=list(colours.values()))
