import sys

import pytest

from b4b_kit import serve
from b4b_kit.errors import B4BError


def test_committed_config_preheats_lessons_hides_tracebacks_and_binds_loopback():
    cfg = serve.config()
    assert cfg["Voila"]["ip"] == "127.0.0.1"
    assert cfg["Voila"]["port"] == 8866
    assert cfg["VoilaConfiguration"]["show_tracebacks"] is False
    assert cfg["VoilaConfiguration"]["preheat_kernel"] is True
    assert cfg["VoilaKernelManager"]["preheat_denylist"] == ["cases/"]
    assert cfg["VoilaExecutor"]["timeout"] > 0


def test_command_line_overrides():
    argv = serve.command(port=9000, ip="0.0.0.0", preheat=False)
    assert argv[:3] == [sys.executable, "-m", "voila"]
    assert "--port=9000" in argv and "--Voila.ip=0.0.0.0" in argv
    assert "--VoilaConfiguration.preheat_kernel=False" in argv
    with pytest.raises(B4BError, match="not a port number"):
        serve.command(port=70000)
