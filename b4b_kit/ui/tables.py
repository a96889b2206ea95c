"""Tables that read like a dashboard: no index column, text left, numbers right with units.

One helper for every table a lesson or case study shows. It writes plain HTML
with inline styles, so JupyterLab, Voila and an exported report show the same
thing, and it costs nothing at start-up (a pandas ``Styler`` would import
jinja2, about 0.4 s). Math typesetting is switched off for the table (the
``tex2jax_ignore`` and ``mathjax_ignore`` classes): a column of dollar amounts
is not LaTeX. Seen in JupyterLab 4.6 and in Voila: two dollar amounts in plain
HTML output are typeset as a formula, the same amounts in a ``table()`` are not.

A column's *format* says how to write its numbers::

    text              as is, left-aligned (the default for text columns)
    int               1,000
    number:N          1,234.5 with N decimals (number = 2 decimals)
    percent[:N]       a share 0-1 as 27 % (N decimals, default 0)
    usd | usd_k | usd_m   an amount in $, $k or $M, written $950, $200k, $15.3M or $1.2B
    unit:TEXT[:N]     1,000 units/yr: the number (N decimals, default 0) and its unit
    yesno             yes / no

Columns without a format get one from their values: whole numbers as ``int``,
other numbers with a precision that suits their size, booleans as yes/no.

Examples
--------
>>> import pandas as pd
>>> t = table(pd.DataFrame({"offer": ["bundle"], "fee": [150.0], "share": [0.27], "use": [1000]}),
...           formats={"fee": "usd_k", "share": "percent", "use": "unit:units/yr"})
>>> t.rows
[['bundle', '$150k', '27 %', '1,000 units/yr']]
>>> "<th" in t.to_html() and "index" not in t.to_html()
True
"""

from __future__ import annotations

import html
import math
import numbers
from collections.abc import Mapping

from ..errors import B4BError

_KINDS = ("text", "int", "number", "percent", "usd", "usd_k", "usd_m", "unit", "yesno")
_STYLE = {
    "table": "border-collapse:collapse;margin:0.5em 0;font-size:0.92em;font-variant-numeric:tabular-nums",
    "th": "border-bottom:1px solid #8c8c8c;padding:0.25em 0.7em;font-weight:600;vertical-align:bottom",
    "td": "border-bottom:1px solid #e6e6e6;padding:0.25em 0.7em;vertical-align:top",
    "caption": "caption-side:top;text-align:left;font-weight:600;padding:0.2em 0",
}


def _is_missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _money(value: float) -> str:
    """Dollars written with a scale suffix: $950, $200k, $25M, $1.2B."""
    sign = "−" if value < 0 else ""
    v = abs(value)
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if v >= size:
            scaled = round(v / size, 1)
            text = f"{scaled:,.0f}" if scaled == int(scaled) or scaled >= 100 else f"{scaled:,.1f}"
            return f"{sign}${text}{suffix}"
    return f"{sign}${v:,.0f}" if v >= 10 or v == int(v) else f"{sign}${v:,.2f}"


def _auto_number(value: float) -> str:
    if float(value).is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    v = abs(value)
    if v >= 100:
        return f"{value:,.0f}"
    if v >= 1:
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{value:.3g}"


def format_value(value, spec: str = "") -> str:
    """One cell as text, following a column format (see the module docstring).

    Examples
    --------
    >>> format_value(200, "usd_k"), format_value(25_000_000, "usd"), format_value(0.2704, "percent:1")
    ('$200k', '$25M', '27.0 %')
    >>> format_value(1000.0), format_value(0.123456), format_value(True)
    ('1,000', '0.123', 'yes')
    """
    if _is_missing(value):
        return "–"
    kind, _, rest = spec.partition(":")
    if isinstance(value, bool) or kind == "yesno":
        return "yes" if value else "no"
    if not isinstance(value, numbers.Real) or kind == "text":
        return str(value)
    value = float(value)
    if kind in ("", "auto"):
        return _auto_number(value)
    if kind == "int":
        return f"{round(value):,}"
    if kind == "number":
        return f"{value:,.{int(rest or 2)}f}"
    if kind == "percent":
        return f"{100 * value:.{int(rest or 0)}f} %"
    if kind in ("usd", "usd_k", "usd_m"):
        return _money(value * {"usd": 1, "usd_k": 1e3, "usd_m": 1e6}[kind])
    if kind == "unit":
        unit, _, decimals = rest.partition(":")
        return f"{value:,.{int(decimals or 0)}f} {unit}".rstrip()
    raise AssertionError(kind)


def _check(formats: Mapping[str, str], columns) -> None:
    for column, spec in formats.items():
        if column not in columns:
            raise B4BError(f"no column {column!r} to format", where="table formats",
                           fix=f"Columns: {', '.join(map(str, columns))}.")
        kind, _, rest = spec.partition(":")
        if kind not in _KINDS or (kind == "unit" and not rest):
            raise B4BError(f"unknown format {spec!r}", where=f"table formats, column {column!r}",
                           fix=f"Use one of {', '.join(_KINDS)} (unit needs a name, e.g. 'unit:units/yr').")


class Table:
    """A formatted table; shows itself as HTML in Jupyter and Voila, and as aligned text elsewhere."""

    def __init__(self, frame, formats: Mapping[str, str] | None = None, headers: Mapping[str, str] | None = None,
                 caption: str = ""):
        formats = dict(formats or {})
        _check(formats, list(frame.columns))
        self.data = frame
        self.caption = caption
        self.headers = [str((headers or {}).get(c, c)) for c in frame.columns]
        self.numeric = []
        self.rows: list[list[str]] = [[] for _ in range(len(frame))]
        for column in frame.columns:
            values = frame[column].tolist()
            spec = formats.get(column, "")
            is_number = spec not in ("text", "yesno") and any(
                isinstance(v, numbers.Real) and not isinstance(v, bool) for v in values)
            self.numeric.append(is_number)
            for row, value in zip(self.rows, values):
                row.append(format_value(value, spec))

    def to_html(self) -> str:
        """The table as one HTML element with inline styles (math typesetting off)."""
        def cell(tag: str, text: str, right: bool) -> str:
            align = "right" if right else "left"
            return f"<{tag} style='{_STYLE[tag]};text-align:{align}'>{html.escape(text)}</{tag}>"

        head = "".join(cell("th", h, n) for h, n in zip(self.headers, self.numeric))
        body = "".join("<tr>" + "".join(cell("td", v, n) for v, n in zip(row, self.numeric)) + "</tr>"
                       for row in self.rows)
        caption = f"<caption style='{_STYLE['caption']}'>{html.escape(self.caption)}</caption>" if self.caption else ""
        return (f"<table class='b4b-table tex2jax_ignore mathjax_ignore' style='{_STYLE['table']}'>"
                f"{caption}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")

    def _repr_html_(self) -> str:
        return self.to_html()

    def __repr__(self) -> str:
        widths = [max(len(h), *(len(r[i]) for r in self.rows)) if self.rows else len(h)
                  for i, h in enumerate(self.headers)]

        def line(values) -> str:
            return "  ".join(v.rjust(w) if n else v.ljust(w)
                             for v, w, n in zip(values, widths, self.numeric)).rstrip()

        out = [self.caption] if self.caption else []
        return "\n".join(out + [line(self.headers), line(["-" * w for w in widths])] + [line(r) for r in self.rows])


def table(frame, formats: Mapping[str, str] | None = None, *, headers: Mapping[str, str] | None = None,
          caption: str = "") -> Table:
    """Show a DataFrame as a dashboard table: no index, text left, numbers right in their units.

    Parameters
    ----------
    frame : pandas.DataFrame
        The rows to show; its index is not shown (reset it first if it holds data).
    formats : mapping of column to format, optional
        See the module docstring, e.g. ``{"revenue_musd": "usd_m", "share": "percent"}``.
    headers : mapping of column to header text, optional
        What to write above a column instead of its name.
    caption : str, optional
        A title above the table.

    Examples
    --------
    >>> import pandas as pd
    >>> print(table(pd.DataFrame({"level": [1, 2], "name": ["Basic", "Complex"]}), headers={"level": "#"}))
    #  name
    -  -------
    1  Basic
    2  Complex
    """
    return Table(frame, formats, headers, caption)
