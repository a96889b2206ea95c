"""Offline rendering: the live mode bundles the chart JavaScript once and caches it; static is SVG only."""

import altair as alt
import pytest

from b4b_kit.errors import B4BError
from b4b_kit.ui import render


def test_live_offline_mode_bundles_once_and_reuses_the_cached_bundle(tmp_path, monkeypatch):
    monkeypatch.setattr(render, "_CACHE", tmp_path)
    monkeypatch.setattr(alt.JupyterChart, "_is_offline", False)
    monkeypatch.setattr(alt.JupyterChart, "_esm", alt.JupyterChart._esm)
    render.enable_offline()
    bundle = render._bundle_path()
    assert bundle.is_file() and alt.JupyterChart._is_offline
    assert "https://" not in alt.JupyterChart._esm.split("\n", 1)[0]
    assert "esm.sh" not in alt.JupyterChart._esm and "cdn.jsdelivr" not in alt.JupyterChart._esm
    assert alt.renderers.active == "svg"  # cell and explorer charts: SVG; alt.JupyterChart is offline too
    # a second kernel: the cached file is read instead of bundling again
    bundle.write_text("// cached marker\n" + bundle.read_text())
    monkeypatch.setattr(alt.JupyterChart, "_is_offline", False)
    render.enable_offline()
    assert alt.JupyterChart._esm.startswith("// cached marker")


def test_static_mode_uses_svg():
    render.enable_offline("static")
    assert alt.renderers.active == "svg"
    render.enable_offline("live")


def test_an_unknown_mode_is_a_clear_error():
    with pytest.raises(B4BError, match="unknown mode 'svg'.*'live' in lessons"):
        render.enable_offline("svg")
