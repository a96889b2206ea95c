"""``b4b serve``: the lessons and case studies as Voila dashboards, with the kit's committed configuration.

The configuration is ``notebooks/voila.json`` (Voila reads it from the folder it
is started in): pre-heated kernels for the lessons, so a page appears as soon as
it is asked for; a per-cell timeout; no tracebacks shown to students; bound to
127.0.0.1 unless told otherwise. Case studies are not pre-heated (each holds a
kernel of its own otherwise); they render in a few seconds.

Two settings are there for speed on a 2-core machine, measured in a real browser
(``bench/bench_serve.py``):

* ``fill_delay: 3``: after a page takes the pre-heated kernel, the next one
  starts 3 s later, once the page is interactive, not while the browser is
  still building it (lesson 01: 1.81 s against 2.36 s with 0.5 s, the median
  of 6 interleaved views each). A second visitor of the same lesson within
  those seconds waits for the new kernel, as they would anyway with a pool of one.
* ``extension_denylist``: the page does not load anywidget's or pygments'
  front-end code, which no dashboard uses (the explorers draw SVG charts).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from .. import resources
from ..errors import B4BError

ROOT = resources.notebooks()


def config(root: Path = ROOT) -> dict:
    """The committed Voila configuration."""
    return json.loads((root / "voila.json").read_text(encoding="utf-8"))


def command(port: int | None = None, ip: str | None = None, preheat: bool = True) -> list[str]:
    """The Voila command line that :func:`serve` runs (in :data:`ROOT`)."""
    argv = [sys.executable, "-m", "voila", "--no-browser"]
    if port is not None:
        if not 0 < port < 65536:
            raise B4BError(f"{port} is not a port number", where="--port",
                           fix="Use a number from 1 to 65535, e.g. 8866.")
        argv.append(f"--port={port}")
    if ip is not None:
        argv.append(f"--Voila.ip={ip}")
    if not preheat:
        argv.append("--VoilaConfiguration.preheat_kernel=False")
    return argv


def serve(port: int | None = None, ip: str | None = None, preheat: bool = True) -> None:
    """Serve ``notebooks/`` until interrupted.

    The process becomes Voila (``exec``), so Ctrl-C or a SIGTERM reaches Voila
    itself, which shuts its kernels down; a wrapper process that died on a
    signal would leave Voila and its pre-heated kernels running.
    """
    settings = config()
    argv = command(port, ip, preheat)  # checks the port before anything starts
    shown_ip = ip or settings["Voila"]["ip"]
    shown_port = port or settings["Voila"]["port"]
    print(f"Dashboards: http://{shown_ip}:{shown_port}/   (Ctrl-C stops)", flush=True)
    os.chdir(ROOT)
    os.execv(argv[0], argv)
