import json
import os
import subprocess
import sys

from b4b_kit.workflows import doctor
from tests.helpers import B4B


def test_this_environment_passes_every_check():
    checks = doctor.run_checks()
    assert [c.name for c in checks if not c.ok] == []
    names = {c.name for c in checks}
    assert {"python", "pandas", "kernelspec python3", "offline charts", "chromium (tests only)",
            "bubblewrap (grading sandbox)"} <= names


def test_a_missing_chromium_says_how_to_install_it(monkeypatch, tmp_path):
    monkeypatch.setattr(doctor, "CHROMIUM", tmp_path / "chromium")
    check = doctor.check_chromium()
    assert not check.ok and "apt-get install chromium" in check.fix


def test_a_missing_bubblewrap_says_how_to_install_it(monkeypatch):
    from b4b_kit.workflows import sandbox

    monkeypatch.setattr(sandbox, "bwrap_works", lambda: False)
    check = doctor.check_sandbox()
    assert not check.ok and "apt-get install bubblewrap" in check.fix


def test_a_too_old_package_is_named_with_the_range_to_install(monkeypatch):
    monkeypatch.setattr(doctor, "REQUIRED", {"pandas": ("99.0", None)})
    (check,) = doctor.check_packages()
    assert not check.ok and check.fix == "Run: pip install 'pandas>=99.0'."
    assert "FIX  pandas" in doctor.report([check])


def test_a_stale_kernelspec_pointing_elsewhere_is_caught(tmp_path):
    spec = tmp_path / "kernels" / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({"argv": ["/opt/old/bin/python", "-m", "ipykernel_launcher", "-f",
                                                           "{connection_file}"], "display_name": "old",
                                                  "language": "python"}))
    env = {**os.environ, "JUPYTER_PATH": str(tmp_path)}
    res = subprocess.run([str(B4B), "doctor"], capture_output=True, text=True, env=env, timeout=300)
    assert res.returncode == 1
    assert "FIX  kernelspec python3" in res.stdout and "/opt/old/bin/python" in res.stdout
    assert f"{sys.executable} -m ipykernel install --user" in res.stdout
