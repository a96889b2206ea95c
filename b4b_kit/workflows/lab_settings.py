"""JupyterLab settings that belong to one folder (a course), not to the user: no news question, no update check.

On its first start JupyterLab 4 asks every new user whether to fetch Jupyter
news (the ``fetchNews`` setting of ``@jupyterlab/apputils-extension:notification``
is ``"none"``, which means *ask*), and it checks the internet for newer
versions. A class does not need either.

Where JupyterLab 4.6 can take such a default from, read in ``jupyterlab_server``
and ``jupyter_core`` and tried:

* ``overrides.json`` in the application settings folder
  (``<sys.prefix>/share/jupyter/lab/settings``) works, but for every user of
  that Python environment, and it writes into the installation;
* a settings file in the user's ``~/.jupyter/lab/user-settings`` (or
  ``JUPYTERLAB_SETTINGS_DIR``) changes that user's own settings everywhere;
* nothing in the folder ``jupyter lab DIR`` serves, nor in the working folder,
  is read: Jupyter reads configuration only from its config path
  (``jupyter --paths``), and JupyterLab has no per-project settings
  (jupyterlab/jupyterlab#12916);
* ``labconfig/default_setting_overrides.json`` is read from *every* folder of
  the config path, and ``JUPYTER_CONFIG_PATH`` puts a folder in front of that
  path without hiding the others.

So a course folder keeps its own Jupyter config folder, ``DIR/.jupyter``, with
``labconfig/default_setting_overrides.json`` (the defaults the browser sees:
``fetchNews: "false"``, ``checkForUpdates: false``) and
``jupyter_server_config.json`` (the server neither fetches news nor checks for
updates). :func:`environment` adds that folder to ``JUPYTER_CONFIG_PATH``;
``b4b lab DIR`` starts ``jupyter lab DIR`` with it. These are defaults: a
student who changes the setting in the Settings Editor keeps their choice, and
nothing outside the course folder is written.

Examples
--------
>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> [p.relative_to(folder).as_posix() for p in write(folder)]
['.jupyter/labconfig/default_setting_overrides.json', '.jupyter/jupyter_server_config.json']
>>> environment(folder, base={})["JUPYTER_CONFIG_PATH"] == str(folder / ".jupyter")
True
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

CONFIG_DIR = ".jupyter"
NOTIFICATION_PLUGIN = "@jupyterlab/apputils-extension:notification"
SETTINGS = {NOTIFICATION_PLUGIN: {"fetchNews": "false", "checkForUpdates": False}}
SERVER_CONFIG = {"LabApp": {"news_url": None,
                            "check_for_updates_class": "jupyterlab.handlers.announcements.NeverCheckForUpdate"}}


def files() -> dict[str, str]:
    """The files :func:`write` puts in a folder: path relative to it -> text."""
    def text(data: dict) -> str:
        return json.dumps(data, indent=2) + "\n"

    return {f"{CONFIG_DIR}/labconfig/default_setting_overrides.json": text(SETTINGS),
            f"{CONFIG_DIR}/jupyter_server_config.json": text(SERVER_CONFIG)}


def write(folder: str | Path) -> list[Path]:
    """Write the course's JupyterLab settings into ``folder/.jupyter``; returns the files written."""
    written = []
    for relative, text in files().items():
        path = Path(folder) / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def environment(folder: str | Path, base: dict | None = None) -> dict:
    """A copy of ``base`` (default ``os.environ``) in which Jupyter also reads ``folder/.jupyter``, first."""
    env = dict(os.environ if base is None else base)
    own = str(Path(folder).absolute() / CONFIG_DIR)
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(p for p in [own, env.get("JUPYTER_CONFIG_PATH")] if p)
    return env


def command(folder: str | Path, *extra: str) -> list[str]:
    """The command line of ``jupyter lab FOLDER`` in this Python (run it with :func:`environment`)."""
    return [sys.executable, "-m", "jupyterlab", str(folder), *extra]


def lab(folder: str | Path, *extra: str) -> None:
    """Become ``jupyter lab FOLDER`` with the folder's settings (``exec``: Ctrl-C and signals reach JupyterLab)."""
    if not Path(folder).is_dir():
        from ..errors import B4BError

        raise B4BError(f"{folder} is not a folder", where="b4b lab",
                       fix="Name a course folder; 'b4b init FOLDER' makes one.")
    argv = command(folder, *extra)
    os.execve(argv[0], argv, environment(folder))
