"""``b4b doctor``: check the environment a student or instructor has, and say what to fix.

Each check returns a :class:`Check` with what was found and, when it fails, the
fix. Nothing here changes the environment.
"""

from __future__ import annotations

import importlib.metadata as md
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REQUIRED = {  # package -> (minimum, below) as found in pyproject.toml
    "pandas": ("2.2", None),
    "numpy": ("1.26", None),
    "altair": ("5.4", None),
    "anywidget": ("0.9", None),
    "vl-convert-python": ("1.6", "2"),
    "ipywidgets": ("8.1", None),
    "ipykernel": ("6.29", None),
    "papermill": ("2.6", None),
    "voila": ("0.5.8", None),
    "duckdb": ("1.4", None),
    "distributed": ("2024.8", None),
}
CHROMIUM = Path("/usr/bin/chromium")


@dataclass(frozen=True)
class Check:
    """The outcome of one check: its name, whether it passed, what was seen, and the fix."""

    name: str
    ok: bool
    detail: str
    fix: str = ""


def _version_tuple(text: str) -> tuple[int, ...]:
    parts = []
    for piece in text.split("."):
        digits = "".join(ch for ch in piece if ch.isdigit())
        if not digits:
            break
        parts.append(int(digits))
    return tuple(parts)


def check_python() -> Check:
    """The kit needs Python 3.11 or newer."""
    ok = sys.version_info >= (3, 11)
    return Check("python", ok, sys.version.split()[0], "" if ok else "Install Python 3.11 or newer.")


def check_packages() -> list[Check]:
    """Each package the kit needs, at a version it works with."""
    out = []
    for name, (low, high) in REQUIRED.items():
        try:
            found = md.version(name)
        except md.PackageNotFoundError:
            out.append(Check(name, False, "not installed", 'Run: pip install -e ".[dev]" (or make setup).'))
            continue
        version = _version_tuple(found)
        ok = version >= _version_tuple(low) and (high is None or version < _version_tuple(high))
        wanted = f">={low}" + (f",<{high}" if high else "")
        out.append(Check(name, ok, found, "" if ok else f"Run: pip install '{name}{wanted}'."))
    return out


def check_kernelspec() -> Check:
    """The ``python3`` kernel must start this environment's Python, or notebooks import another kit."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        spec = KernelSpecManager().get_kernel_spec("python3")
    except NoSuchKernel:
        return Check("kernelspec python3", False, "missing", "Run: python -m ipykernel install --user")
    exe = spec.argv[0]
    if exe in ("python", "python3", "{python}"):
        return Check("kernelspec python3", True, f"{exe} (this environment)")
    same = Path(exe).resolve() == Path(sys.executable).resolve() or Path(exe).parent == Path(sys.executable).parent
    return Check("kernelspec python3", same, exe,
                 "" if same else f"The python3 kernel runs {exe}, not {sys.executable}. Remove the stale spec "
                 f"({spec.resource_dir}) or run: {sys.executable} -m ipykernel install --user")


def check_offline_charts() -> Check:
    """Live charts must carry their JavaScript (no CDN) and static charts must render to SVG."""
    try:
        import altair as alt

        from .. import ui

        ui.enable_offline()
        esm = alt.JupyterChart._esm
        cdn = [host for host in ("cdn.jsdelivr.net", "esm.sh", "unpkg.com") if host in esm]
        svg = ui.to_svg(alt.Chart(alt.Data(values=[{"x": 1}])).mark_point().encode(x="x:Q"))
    except Exception as exc:  # a doctor reports, it does not crash
        return Check("offline charts", False, f"{type(exc).__name__}: {exc}",
                     "Reinstall vl-convert-python (<2) and anywidget.")
    ok = not cdn and svg.lstrip().startswith("<svg")
    return Check("offline charts", ok, "live bundle and SVG work without internet" if ok else f"CDN in bundle: {cdn}",
                 "" if ok else "Reinstall altair, anywidget and vl-convert-python (<2).")


def check_chromium() -> Check:
    """Only the browser tests need it."""
    if not CHROMIUM.exists():
        return Check("chromium (tests only)", False, "not found at /usr/bin/chromium",
                     "Run: sudo apt-get install chromium")
    try:
        run = subprocess.run([str(CHROMIUM), "--version"], capture_output=True, text=True, timeout=30)
        version = run.stdout.strip()
    except (OSError, subprocess.SubprocessError) as exc:
        return Check("chromium (tests only)", False, str(exc), "Reinstall: sudo apt-get install --reinstall chromium")
    return Check("chromium (tests only)", bool(version), version or "no version printed")


def check_sandbox() -> Check:
    """Grading sandboxes each submission with bubblewrap; without it, it runs them unconfined."""
    from . import sandbox

    name = "bubblewrap (grading sandbox)"
    if sandbox.bwrap_works():
        return Check(name, True, "bwrap can make namespaces here")
    return Check(name, False, "bwrap missing or not allowed to make namespaces",
                 "Run: sudo apt-get install bubblewrap")


def check_data() -> Check:
    """Every framework file loads and every dataset matches its card."""
    from .. import datasets, frameworks
    from ..errors import B4BError

    try:
        for name in frameworks.names():
            frameworks.get(name)
        for card in datasets.DATA_DIR.glob("*.card.yaml"):
            datasets.load(card.name.removesuffix(".card.yaml"))
    except B4BError as exc:
        return Check("frameworks and datasets", False, str(exc), exc.fix or "")
    return Check("frameworks and datasets", True, f"{len(frameworks.names())} frameworks; datasets match their cards")


CHECKS: tuple[Callable[[], Check | list[Check]], ...] = (
    check_python, check_packages, check_kernelspec, check_offline_charts, check_data, check_chromium,
    check_sandbox,
)


def run_checks() -> list[Check]:
    """Run every check."""
    out: list[Check] = []
    for check in CHECKS:
        result = check()
        out.extend(result if isinstance(result, list) else [result])
    return out


def report(checks: list[Check]) -> str:
    """The checks as lines a person reads: a mark, the name, what was found, the fix."""
    width = max(len(c.name) for c in checks)
    lines = []
    for c in checks:
        lines.append(f"{'ok ' if c.ok else 'FIX'}  {c.name.ljust(width)}  {c.detail}")
        if not c.ok and c.fix:
            lines.append(f"     {' ' * width}  -> {c.fix}")
    bad = sum(not c.ok for c in checks)
    lines.append("All good." if not bad else f"{bad} problem(s) to fix.")
    return "\n".join(lines)
