"""deploy/jupyterhub: the example for a class larger than one machine loads, and its parts fit together.

No test here runs JupyterHub or Kubernetes. The hub's configuration is loaded
the two ways a hub loads it (traitlets' loader, as ``jupyterhub -f`` does, and
as a ``jupyterhub_config.d`` file of the Zero to JupyterHub chart, where
``get_config`` means something else); every setting it makes is checked
against the names of the settings JupyterHub and KubeSpawner define (read in
jupyterhub 5.x/6.0 and kubespawner 7.x, which are not dependencies of the kit);
the student's start script runs for real, with a stand-in for
``jupyterhub-singleuser``.
"""

import os
import re
import subprocess
import sys

import pytest
import yaml
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

from b4b_kit.workflows import course, lab_settings
from tests.helpers import REPO

DEPLOY = REPO / "deploy" / "jupyterhub"
ENV = {"B4B_IMAGE": "registry.test/b4b-kit:1", "B4B_CLASS_PASSWORD": "class-pass-123",
       "B4B_ADMIN_PASSWORD": "a" * 32, "B4B_INSTRUCTORS": "teacher, assistant"}

# Settings of JupyterHub 5/6 (jupyterhub/app.py, auth.py, authenticators/shared.py, spawner.py) and
# KubeSpawner 7 (kubespawner/spawner.py) this file may use; a name outside these is a typo the hub ignores.
KNOWN = {
    "JupyterHub": {"authenticator_class", "spawner_class"},
    "Authenticator": {"admin_users", "allow_all", "allowed_users"},
    "SharedPasswordAuthenticator": {"user_password", "admin_password"},
    "KubeSpawner": {"image", "cmd", "default_url", "start_timeout", "mem_guarantee", "mem_limit", "cpu_guarantee",
                    "cpu_limit", "profile_list", "environment"},
}


@pytest.fixture
def hub_config(monkeypatch) -> Config:
    for key, value in ENV.items():
        monkeypatch.setenv(key, value)
    return PyFileConfigLoader("jupyterhub_config.py", path=str(DEPLOY)).load_config()


def test_the_hub_config_loads_and_spawns_one_kit_server_per_student(hub_config):
    assert hub_config.JupyterHub.spawner_class == "kubespawner.KubeSpawner"
    spawner = hub_config.KubeSpawner
    assert spawner.image == ENV["B4B_IMAGE"] and spawner.cmd == ["b4b-singleuser"]
    assert hub_config.Authenticator.admin_users == {"teacher", "assistant"}
    assert hub_config.SharedPasswordAuthenticator.user_password == ENV["B4B_CLASS_PASSWORD"]


def test_the_hub_config_uses_only_settings_the_hub_and_kubespawner_define(hub_config):
    used = {section: set(hub_config[section]) for section in hub_config}
    assert set(used) <= set(KNOWN), set(used) - set(KNOWN)
    for section, names in used.items():
        assert names <= KNOWN[section], (section, names - KNOWN[section])


def test_the_urls_the_hub_opens_exist_in_the_course_folder(hub_config):
    files = course._plan(instructor=False)
    lab = hub_config.KubeSpawner.default_url
    assert lab.startswith("/lab/tree/course/") and lab.removeprefix("/lab/tree/course/") in files
    (dashboards,) = [p["kubespawner_override"]["default_url"] for p in hub_config.KubeSpawner.profile_list
                     if "kubespawner_override" in p]
    folder = dashboards.removeprefix("/voila/tree/course/")
    assert dashboards.startswith("/voila/tree/course/") and any(f.startswith(folder + "/") for f in files)
    assert sum(bool(p.get("default")) for p in hub_config.KubeSpawner.profile_list) == 1


def test_the_hub_config_also_loads_as_a_config_file_of_the_chart():
    # Zero to JupyterHub execs jupyterhub_config.d files in its own namespace, where `c` is the
    # configuration and get_config(key) reads a chart value.
    def chart_get_config(key, default=None):
        return default

    namespace = {"c": Config(), "get_config": chart_get_config}
    exec(compile((DEPLOY / "jupyterhub_config.py").read_text(), "b4b.py", "exec"), namespace)
    assert namespace["c"].KubeSpawner.cmd == ["b4b-singleuser"]


def test_the_chart_values_mount_the_config_where_the_hub_loads_it_and_pass_every_variable_it_reads():
    values = yaml.safe_load((DEPLOY / "values.yaml").read_text())
    (mounted,) = values["hub"]["extraFiles"].values()
    assert re.fullmatch(r"/usr/local/etc/jupyterhub/jupyterhub_config\.d/\w+\.py", mounted["mountPath"])
    read = set(re.findall(r'os\.environ\.get\("(B4B_\w+)"', (DEPLOY / "jupyterhub_config.py").read_text()))
    assert read == set(ENV) and read <= set(values["hub"]["extraEnv"])
    for secret in ("B4B_CLASS_PASSWORD", "B4B_ADMIN_PASSWORD"):  # never written in the file itself
        assert "secretKeyRef" in values["hub"]["extraEnv"][secret]["valueFrom"]


def test_the_image_installs_the_kit_from_its_wheel_and_starts_the_student_script():
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    assert "COPY dist/b4b_kit-*.whl /tmp/" in dockerfile
    install = next(line for line in dockerfile.splitlines() if "pip install" in line)
    assert "/tmp/b4b_kit-*.whl" in install and " -e " not in install and "jupyterhub==" in install
    assert "COPY deploy/jupyterhub/b4b-singleuser /usr/local/bin/b4b-singleuser" in dockerfile
    assert dockerfile.rstrip().endswith('CMD ["b4b-singleuser"]')


def test_the_student_server_starts_on_a_completed_course_with_its_settings(tmp_path):
    stub = tmp_path / "bin" / "jupyterhub-singleuser"
    stub.parent.mkdir()
    stub.write_text('#!/bin/sh\necho "$JUPYTER_CONFIG_PATH" > "$HOME/started"\necho "$@" >> "$HOME/started"\n')
    stub.chmod(0o755)
    home = tmp_path / "home"
    home.mkdir()
    env = {"HOME": str(home), "PATH": f"{stub.parent}:{os.path.dirname(sys.executable)}:/usr/bin:/bin",
           "JUPYTER_CONFIG_PATH": "/etc/site-jupyter"}
    res = subprocess.run([str(DEPLOY / "b4b-singleuser"), "--port=8888", "--debug"], env=env, capture_output=True,
                         text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    config_path, args = (home / "started").read_text().splitlines()
    assert config_path == f"{home}/course/{lab_settings.CONFIG_DIR}:/etc/site-jupyter" and args == "--port=8888 --debug"
    assert (home / "course" / "lessons" / "01_supplier_levels.ipynb").is_file()
    assert "Start the course with:" in res.stdout
