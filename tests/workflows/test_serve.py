import sys

import pytest

from b4b_kit.errors import B4BError
from b4b_kit.workflows import serve
from tests.helpers import REPO


def test_committed_config_preheats_lessons_hides_tracebacks_and_binds_loopback():
    cfg = serve.config()
    assert cfg["Voila"]["ip"] == "127.0.0.1"
    assert cfg["Voila"]["port"] == 8866
    assert cfg["VoilaConfiguration"]["show_tracebacks"] is False
    assert cfg["VoilaConfiguration"]["preheat_kernel"] is True
    assert cfg["VoilaKernelManager"]["preheat_denylist"] == ["cases/"]
    # the refill starts once a page is interactive, not while the browser still builds it
    assert cfg["VoilaKernelManager"]["fill_delay"] >= 2
    assert cfg["VoilaExecutor"]["timeout"] > 0


def test_committed_config_leaves_out_front_end_extensions_no_dashboard_uses():
    # The explorers draw their charts as SVG (widgets.ChartView), so the page need not load
    # anywidget's or pygments' front-end code; the browser tests show the dashboards still work.
    assert serve.config()["VoilaConfiguration"]["extension_denylist"] == ["anywidget", "jupyterlab_pygments"]
    ui_code = [*(REPO / "b4b_kit").glob("*/widgets.py"), REPO / "b4b_kit" / "ui" / "explorer.py"]
    assert len(ui_code) == 8  # six frameworks' explorers, the questionnaire, the explorer base
    for path in ui_code:
        assert "JupyterChart" not in path.read_text().replace("``alt.JupyterChart``", ""), path


def test_command_line_overrides():
    argv = serve.command(port=9000, ip="0.0.0.0", preheat=False)
    assert argv[:3] == [sys.executable, "-m", "voila"]
    assert "--port=9000" in argv and "--Voila.ip=0.0.0.0" in argv
    assert "--VoilaConfiguration.preheat_kernel=False" in argv
    with pytest.raises(B4BError, match="not a port number"):
        serve.command(port=70000)


def test_sigterm_to_b4b_serve_stops_voila_and_leaves_nothing_running(tmp_path):
    """`b4b serve` becomes Voila, so a signal to it reaches Voila and no server is orphaned."""
    import signal
    import socket
    import subprocess
    import time
    import urllib.request

    from tests.helpers import B4B

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([str(B4B), "serve", f"--port={port}", "--no-preheat"], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 120
    up = False
    while time.monotonic() < deadline and not up:
        try:
            urllib.request.build_opener(urllib.request.ProxyHandler({})).open(f"http://127.0.0.1:{port}/", timeout=2)
            up = True
        except OSError:
            time.sleep(0.3)
    assert up, "the server never answered"
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=60)
    time.sleep(0.5)
    with socket.socket() as s:
        assert s.connect_ex(("127.0.0.1", port)) != 0, "something still listens on the port"
    assert "Dashboards: http://127.0.0.1:" in proc.stdout.read()
