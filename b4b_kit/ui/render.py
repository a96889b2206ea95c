"""Offline rendering: the switch that makes altair charts draw with no internet, and SVG export.

Call :func:`enable_offline` once at the top of a notebook:

* ``"live"`` (default, lessons): every chart is drawn as SVG in the kernel;
  the explorers redraw theirs in place (:class:`b4b_kit.ui.explorer.ChartView`).
  Your own ``alt.JupyterChart`` widgets also work offline: they get the
  JavaScript bundled from vl-convert, made once (about 2 s) and cached on disk
  per vl-convert version. The kit's own widgets do not use it: each live chart
  ships that 0.9 MB bundle to the browser, which made a Voila page slower to
  become interactive.
* ``"static"``: only SVG, for papermill reports and HTML exports that must
  show charts without any JavaScript.
"""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path

import altair as alt

from ..errors import B4BError

MODES = ("live", "static")

_CACHE = Path(os.environ.get("B4B_CACHE", Path.home() / ".cache" / "b4b-kit"))


def _bundle_path() -> Path:
    import vl_convert as vlc

    return _CACHE / f"jupyterchart-offline-{vlc.__version__}-altair-{alt.__version__}.js"


def enable_offline(mode: str = "live") -> None:
    """Render altair charts with no internet access.

    Parameters
    ----------
    mode : {"live", "static"}
        ``"live"`` for updatable chart widgets, ``"static"`` for SVG images.

    Examples
    --------
    >>> enable_offline("static")
    >>> alt.renderers.active
    'svg'
    """
    if mode not in MODES:
        raise B4BError(f"unknown mode {mode!r}", where="enable_offline",
                       fix="Use 'live' in lessons or 'static' in case studies and reports.")
    alt.renderers.enable("svg")
    if mode == "static":
        return
    jc = alt.JupyterChart
    if not jc._is_offline:
        cached = _bundle_path()
        try:
            jc._esm = cached.read_text(encoding="utf-8")
            jc._is_offline = True
        except OSError:
            jc.enable_offline(True)
            _write_atomically(cached, jc._esm)


def _write_atomically(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only home only costs the 2 s bundle next time


def to_svg(chart: alt.TopLevelMixin) -> str:
    """The chart as an SVG string, made offline by vl-convert.

    Examples
    --------
    >>> import pandas as pd
    >>> to_svg(alt.Chart(pd.DataFrame({"x": [1]})).mark_point().encode(x="x:Q")).startswith("<svg")
    True
    """
    buffer = io.StringIO()
    chart.save(buffer, format="svg")
    return buffer.getvalue()
