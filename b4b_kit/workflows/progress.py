"""Progress of a batch of runs (a sweep, a grading round): counts, failures so far and time left.

One small piece that every long workflow uses the same way::

    with progress.watch(len(todo), what="runs") as watch:
        watch.note("8 runs: 0 already done, 8 to run")
        for record in results:
            watch.finished(record["status"] == "ok", "  3f2a... ok in 2.1 s")

How it shows depends on where the output goes (``mode="auto"``):

* ``"bar"`` — a terminal: a tqdm progress bar (done/total, failures, elapsed and
  time left), with the line of each failed item printed above it;
* ``"notebook"`` — called from Python in a Jupyter kernel: tqdm's notebook bar
  (``tqdm.auto``), failures printed below it;
* ``"lines"`` — output to a file or a pipe (logs, CI): one line per finished
  item, as the kit printed before, ending with the count so far, the failures
  and an estimate of the time left;
* ``"quiet"`` — nothing (``--quiet``; scripts that read the registry or the exit code).

tqdm is what papermill itself uses for its progress bars; the kit only adds
the failure count and the plain-line mode.

Examples
--------
>>> import io
>>> out = io.StringIO()
>>> with watch(2, mode="lines", stream=out, clock=iter([0.0, 4.0, 8.0]).__next__) as w:
...     w.finished(True, "run a ok")
...     w.finished(False, "run b failed")
>>> print(out.getvalue(), end="")
run a ok  [1/2, 0 failed, about 4 s left]
run b failed  [2/2, 1 failed]
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

from ..errors import B4BError

MODES = ("auto", "bar", "notebook", "lines", "quiet")


def in_notebook() -> bool:
    """Whether this code runs in a Jupyter kernel (where a widget bar can show), as tqdm.autonotebook tells."""
    ipython = sys.modules.get("IPython")
    if ipython is None:
        return False
    shell = ipython.get_ipython()
    return shell is not None and "IPKernelApp" in getattr(shell, "config", {})


def choose(mode: str = "auto", stream: TextIO | None = None) -> str:
    """The mode to show progress in: ``mode`` itself unless it is ``"auto"``.

    Examples
    --------
    >>> import io
    >>> choose("auto", io.StringIO()), choose("quiet")
    ('lines', 'quiet')
    """
    if mode not in MODES:
        raise B4BError(f"unknown progress mode {mode!r}", where="progress",
                       fix=f"Use one of {', '.join(MODES)}.")
    if mode != "auto":
        return mode
    if in_notebook():
        return "notebook"
    stream = stream or sys.stdout
    isatty = getattr(stream, "isatty", None)
    return "bar" if isatty is not None and isatty() else "lines"


def time_left(seconds: float) -> str:
    """A rough, readable duration.

    Examples
    --------
    >>> time_left(4.2), time_left(95), time_left(7300)
    ('about 4 s', 'about 2 min', 'about 2.0 h')
    """
    if seconds < 60:
        return f"about {seconds:.0f} s"
    if seconds < 3600:
        return f"about {seconds / 60:.0f} min"
    return f"about {seconds / 3600:.1f} h"


class Progress:
    """Counts finished items and shows them (use :func:`watch`, which also closes the bar).

    Parameters
    ----------
    total : int
        Items to finish.
    what : str
        What an item is called, plural (``"runs"``, ``"submissions"``).
    mode : str
        One of :data:`MODES`.
    stream : file, optional
        Where to write (default ``sys.stdout``).
    say : callable, optional
        Instead of a stream: called with each line (the ``"lines"`` mode only).
    clock : callable, optional
        Seconds (default :func:`time.monotonic`); tests pass a fake one.
    """

    def __init__(self, total: int, *, what: str = "runs", mode: str = "auto", stream: TextIO | None = None,
                 say: Callable[[str], None] | None = None, clock: Callable[[], float] | None = None):
        self.total = total
        self.what = what
        self.stream = stream or sys.stdout
        self.mode = "lines" if say is not None else choose(mode, self.stream)
        self._say = say or (lambda line: print(line, file=self.stream, flush=True))
        self._clock = clock or time.monotonic
        self._start = self._clock()
        self.done = 0
        self.failed = 0
        self._bar = None
        if self.mode in ("bar", "notebook") and total:
            self._bar = self._make_bar()

    def _make_bar(self):
        if self.mode == "notebook":
            from tqdm.auto import tqdm
        else:
            from tqdm import tqdm
        # the failures go in the description: tqdm's own postfix would add a stray ", " before them
        fmt = "{n_fmt}/{total_fmt} " + self.what + " |{bar}| {desc} [{elapsed}<{remaining}]"
        if self.mode == "notebook":
            bar = tqdm(total=self.total, bar_format=fmt, leave=True, desc="0 failed")
        else:
            # a terminal that reports no size (a fresh pseudo-terminal) would get a bar of width 0
            import shutil

            bar = tqdm(total=self.total, file=self.stream, bar_format=fmt, leave=True, desc="0 failed",
                       ncols=shutil.get_terminal_size().columns)
        return bar

    def note(self, message: str) -> None:
        """A line of information (the plan, a summary): printed, above the bar if there is one."""
        if self.mode == "quiet":
            return
        if self._bar is not None:
            self._bar.write(message, file=None if self.mode == "notebook" else self.stream)
        else:
            self._say(message)

    def finished(self, ok: bool, line: str = "") -> None:
        """One item finished; ``line`` describes it (printed for every item as lines, for failures above a bar)."""
        self.done += 1
        self.failed += 0 if ok else 1
        if self.mode == "quiet":
            return
        if self._bar is not None:
            if not ok and line:
                self._bar.write(line, file=None if self.mode == "notebook" else self.stream)
            self._bar.set_description_str(f"{self.failed} failed", refresh=False)
            self._bar.update(1)
            return
        self._say(f"{line}  [{self.status()}]" if line else f"[{self.status()}]")

    def status(self) -> str:
        """``"3/8, 1 failed, about 12 s left"``: the count so far and, while items remain, the time left."""
        text = f"{self.done}/{self.total}, {self.failed} failed"
        remaining = self.total - self.done
        if self.done and remaining > 0:
            per_item = (self._clock() - self._start) / self.done
            text += f", {time_left(per_item * remaining)} left"
        return text

    def close(self) -> None:
        """Close the bar (it stays on screen with its final count)."""
        if self._bar is not None:
            self._bar.close()
            self._bar = None


@contextmanager
def watch(total: int, **options) -> Iterator[Progress]:
    """Show the progress of ``total`` items while the block runs (options as :class:`Progress`); close the bar after."""
    shown = Progress(total, **options)
    try:
        yield shown
    finally:
        shown.close()
