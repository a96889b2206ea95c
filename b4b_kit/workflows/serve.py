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


def command(port: int | None = None, ip: str | None = None, preheat: bool = True, class_size: int | None = None,
            lessons: list[str] | tuple = (), max_viewers: int | None = None) -> list[str]:
    """The Voila command line that :func:`serve` runs (in :data:`ROOT`).

    With ``class_size`` it is the class server (:mod:`b4b_kit.workflows.class_server`):
    Voila with pools of ``class_size`` rendered kernels for ``lessons`` (default: every lesson).
    """
    if class_size is None:
        argv = [sys.executable, "-m", "voila", "--no-browser"]
    else:
        argv = [sys.executable, "-m", "b4b_kit.workflows.class_server", "--no-browser",
                *_class_options(class_size, lessons, max_viewers, preheat)]
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


def _class_options(class_size: int, lessons, max_viewers: int | None, preheat: bool) -> list[str]:
    if class_size < 1:
        raise B4BError(f"a class of {class_size}", where="--class-size",
                       fix="Give the number of viewers who may open a lesson together, e.g. --class-size 30.")
    if not preheat:
        raise B4BError("--class-size pre-heats kernels; --no-preheat turns that off", where="b4b serve",
                       fix="Use one of the two.")
    if max_viewers is not None and max_viewers < 1:
        raise B4BError(f"at most {max_viewers} viewers", where="--max-viewers", fix="Give 1 or more, or leave it out.")
    known = sorted(p.stem for p in ROOT.glob("*.ipynb"))
    chosen = []
    for lesson in lessons:
        name = lesson.removesuffix(".ipynb")
        matches = [k for k in known if name in (k, k.split("_", 1)[0])]
        if len(matches) != 1:
            raise B4BError(f"no lesson {lesson!r}", where="--lesson", fix=f"Use one of: {', '.join(known)}.")
        chosen.append(matches[0])
    options = [f"--ClassVoila.class_size={class_size}"]
    if chosen:
        options.append("--ClassVoila.class_lessons=" + json.dumps(chosen))
    if max_viewers is not None:
        options.append(f"--ClassVoila.max_viewers={max_viewers}")
    return options


def serve(port: int | None = None, ip: str | None = None, preheat: bool = True, class_size: int | None = None,
          lessons: list[str] | tuple = (), max_viewers: int | None = None) -> None:
    """Serve ``notebooks/`` until interrupted.

    The process becomes Voila (``exec``), so Ctrl-C or a SIGTERM reaches Voila
    itself, which shuts its kernels down; a wrapper process that died on a
    signal would leave Voila and its pre-heated kernels running.
    """
    settings = config()
    argv = command(port, ip, preheat, class_size, lessons, max_viewers)  # checks everything before starting
    shown_ip = ip or settings["Voila"]["ip"]
    shown_port = port or settings["Voila"]["port"]
    print(f"Dashboards: http://{shown_ip}:{shown_port}/   (Ctrl-C stops)", flush=True)
    if class_size is not None:
        which = ", ".join(lessons) if lessons else "every lesson"
        print(f"Class server: {class_size} kernels pre-heated for {which}, one kernel a time per core; memory per "
              "viewer and the number of viewers this machine holds follow once the first kernel has run its lesson.",
              flush=True)
    os.chdir(ROOT)
    os.execv(argv[0], argv)
