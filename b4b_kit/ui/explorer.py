"""What every explorer shares: the chart view, the update loop, the error paragraph and the control styles.

An explorer is a small dashboard over one framework's model: controls in, a
model function, HTML and charts out. Each framework's ``widgets.py`` subclasses
:class:`Explorer` and writes only two methods, :meth:`Explorer.compute` (call
the model with the controls' values) and :meth:`Explorer.show` (put the result
on the page). The base observes the controls, runs the two on every change,
and shows a :class:`~b4b_kit.errors.B4BError` as one red paragraph in the page,
because Voila hides tracebacks and a student should never see one.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable

import ipywidgets as w
from ipywidgets.widgets.widget_bool import CheckboxStyle

from ..errors import B4BError
from .palette import ERROR
from .render import to_svg


def error_html(exc: Exception) -> str:
    """The paragraph an explorer shows in place of its output when the input is bad.

    Examples
    --------
    >>> error_html(B4BError("expected a number", where="churn"))
    "<p class='b4b-error' style='color:#a00'>churn: expected a number.</p>"
    """
    return f"<p class='b4b-error' style='color:{ERROR}'>{html.escape(str(exc))}</p>"


class ChartView(w.HTML):
    """An altair chart drawn as SVG in the kernel; setting ``chart`` redraws it.

    The explorers' charts. The browser gets an SVG image and needs no JavaScript
    for it, where an ``alt.JupyterChart`` ships a 0.9 MB Vega bundle per chart:
    a Voila page becomes interactive about 0.35 s sooner here, and the chart
    works with no internet and in a static export. A redraw costs the kernel
    50-100 ms, about what the browser spent drawing a live chart.

    Parameters
    ----------
    chart : altair.TopLevelMixin, optional
        The first chart to show; none leaves the view empty until ``chart`` is set.

    Examples
    --------
    >>> import altair as alt, pandas as pd
    >>> view = ChartView(alt.Chart(pd.DataFrame({"x": [1, 2]})).mark_bar().encode(x="x:Q"))
    >>> view.value.startswith("<svg")
    True
    """

    def __init__(self, chart=None, **kwargs):
        super().__init__(**kwargs)
        self.add_class("b4b-chart")
        self._chart = None
        if chart is not None:
            self.chart = chart

    @property
    def chart(self):
        """The altair chart shown."""
        return self._chart

    @chart.setter
    def chart(self, chart) -> None:
        self._chart = chart
        self.value = to_svg(chart)


class Controls:
    """Builds an explorer's sliders and checkboxes with one shared style and layout per size.

    Every widget otherwise brings two more models (its style and its layout)
    for the browser to build before the page is ready.

    Parameters
    ----------
    label_width, width : str
        CSS widths of a slider's label and of the whole slider.

    Examples
    --------
    >>> c = Controls()
    >>> a, b = c.slider(0.5, 0, 1, 0.05, "Churn"), c.slider(0.2, 0, 1, 0.05, "Expansion")
    >>> a.style is b.style and a.layout is b.layout, a.continuous_update
    (True, False)
    """

    def __init__(self, label_width: str = "15em", width: str = "34em"):
        self.label_width, self.width = label_width, width
        self._shared: dict = {}

    def _once(self, key, make):
        if key not in self._shared:
            self._shared[key] = make()
        return self._shared[key]

    def slider(self, value: float, low: float, high: float, step: float, label: str, fmt: str = ".2f", *,
               integer: bool = False, label_width: str | None = None, width: str | None = None) -> w.Widget:
        """A slider that reports only when released (each move reruns a model)."""
        lw, wd = label_width or self.label_width, width or self.width
        style = self._once(("slider", lw), lambda: w.SliderStyle(description_width=lw))
        layout = self._once(("layout", wd), lambda: w.Layout(width=wd))
        if integer:
            return w.IntSlider(value=int(value), min=int(low), max=int(high), step=int(step), description=label,
                               continuous_update=False, style=style, layout=layout)
        return w.FloatSlider(value=value, min=low, max=high, step=step, description=label, readout_format=fmt,
                             continuous_update=False, style=style, layout=layout)

    def checkbox(self, value: bool, label: str, width: str | None = None) -> w.Checkbox:
        """A checkbox with its label on the right, not indented."""
        style = self._once(("checkbox",), CheckboxStyle)
        layout = self._once(("layout", width), lambda: w.Layout(width=width) if width else w.Layout())
        return w.Checkbox(value=value, description=label, indent=False, style=style, layout=layout)


class Explorer(w.VBox):
    """Base class of the kit's explorers: observe the controls, compute, show, and show errors in the page.

    A subclass builds its controls and output widgets, then calls
    ``super().__init__(children, watch=controls, message=widget)``. The base
    runs :meth:`refresh` once and again whenever a watched control changes.

    Parameters
    ----------
    children : list of widgets
        What the explorer shows, top to bottom.
    watch : iterable of widgets
        Controls whose ``value`` changes rerun the model.
    message : ipywidgets.HTML
        Where a bad input's message goes (usually the explorer's text output).

    Examples
    --------
    >>> class Double(Explorer):
    ...     def __init__(self):
    ...         self.number, self.text = w.FloatText(value=2.0), w.HTML()
    ...         super().__init__([self.number, self.text], watch=[self.number], message=self.text)
    ...     def compute(self):
    ...         if self.number.value < 0:
    ...             raise B4BError("must not be negative", where="number")
    ...         return 2 * self.number.value
    ...     def show(self, result):
    ...         self.text.value = f"{result:g}"
    >>> d = Double(); d.text.value
    '4'
    >>> d.number.value = -1.0; d.text.value
    "<p class='b4b-error' style='color:#a00'>number: must not be negative.</p>"
    """

    def __init__(self, children: list, *, watch: Iterable[w.Widget] = (), message: w.HTML | None = None, **kwargs):
        super().__init__(children, **kwargs)
        self.message = message
        for control in watch:
            control.observe(self.refresh, names="value")
        self.refresh()

    def compute(self):
        """Call the model with the controls' current values; raise :class:`B4BError` on bad input."""
        raise NotImplementedError

    def show(self, result) -> None:
        """Put ``result`` on the page: HTML text and charts. Computes nothing."""
        raise NotImplementedError

    def refresh(self, change=None) -> bool:
        """Compute and show; on bad input show the message instead. True when the output was updated."""
        return self.guarded(lambda: self.show(self.compute()))

    def guarded(self, action: Callable[[], object], message: w.HTML | None = None) -> bool:
        """Run a callback's work; a :class:`B4BError` becomes the error paragraph in ``message``."""
        try:
            action()
        except B4BError as exc:
            (message or self.message).value = error_html(exc)
            return False
        return True
