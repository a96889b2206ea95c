"""The explorer base: the chart view, the update loop, errors shown in the page, shared control styles."""

import re

import altair as alt
import ipywidgets as w
import pandas as pd

from b4b_kit.errors import B4BError
from b4b_kit.ui.explorer import ChartView, Controls, Explorer, error_html


def test_chart_view_redraws_charts_that_differ_only_in_an_expression():
    # altair expressions overload ==, so these two charts compare equal; the SVG must differ anyway
    data = pd.DataFrame({"year": [2020, 2021], "share": [0.4, 0.6]})

    def chart(year):
        return alt.Chart(data).mark_bar().encode(
            x="year:O", y="share:Q", opacity=alt.condition(alt.datum.year == year, alt.value(1.0), alt.value(0.3)))

    def opacities(svg):
        return re.findall(r' opacity="([0-9.]+)"', svg.split('class="mark-rect role-mark', 1)[1])

    view = ChartView(chart(2020))
    assert opacities(view.value) == ["1", "0.3"]
    view.chart = chart(2021)
    assert opacities(view.value) == ["0.3", "1"]


def test_chart_view_starts_empty_until_a_chart_is_set():
    view = ChartView()
    assert view.value == "" and view.chart is None
    view.chart = alt.Chart(pd.DataFrame({"x": [1]})).mark_point().encode(x="x:Q")
    assert view.value.lstrip().startswith("<svg")


class Halver(Explorer):
    """The smallest explorer: one number in, half of it out; negative numbers are bad input."""

    def __init__(self):
        self.number, self.text = w.FloatText(value=8.0), w.HTML()
        self.shown = 0
        super().__init__([self.number, self.text], watch=[self.number], message=self.text)

    def compute(self):
        if self.number.value < 0:
            raise B4BError("must not be negative", where="number", fix="Type 0 or more.")
        return self.number.value / 2

    def show(self, result):
        self.shown += 1
        self.text.value = f"half: {result:g}"


def test_explorer_computes_and_shows_once_at_start_and_on_every_change():
    ex = Halver()
    assert (ex.text.value, ex.shown) == ("half: 4", 1)
    ex.number.value = 3.0
    assert (ex.text.value, ex.shown) == ("half: 1.5", 2)


def test_explorer_shows_a_bad_input_in_the_page_and_recovers():
    ex = Halver()
    ex.number.value = -1.0
    assert ex.text.value == error_html(B4BError("must not be negative", where="number", fix="Type 0 or more."))
    assert "color:#a00" in ex.text.value and "number: must not be negative. Type 0 or more." in ex.text.value
    assert ex.shown == 1  # show() never ran on the bad input
    ex.number.value = 2.0
    assert ex.text.value == "half: 1"


def test_error_html_escapes_the_message():
    assert "&lt;b&gt;" in error_html(B4BError("<b>bold</b>"))


def test_controls_share_one_style_and_layout_per_size():
    c = Controls(label_width="10em", width="20em")
    a, b = c.slider(1, 0, 2, 0.5, "a"), c.slider(3, 0, 9, 1, "b", integer=True)
    assert a.style is b.style and a.layout is b.layout
    assert (a.style.description_width, a.layout.width, isinstance(b, w.IntSlider)) == ("10em", "20em", True)
    wide = c.slider(1, 0, 2, 0.5, "wide", width="40em")
    assert wide.layout is not a.layout and wide.style is a.style
    x, y = c.checkbox(True, "x"), c.checkbox(False, "y")
    assert x.style is y.style and (x.indent, y.value) == (False, False)
