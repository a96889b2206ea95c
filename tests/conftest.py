"""Shared helpers: the repo root, a runner for the real ``b4b`` command, and the one browser.

``browser``, ``page`` and ``page_log`` (``tests/browser.py``) live at this level so
that the Voila and JupyterLab tests of one session share one headless Chromium.
"""

import subprocess

import pytest

from tests.browser import browser, page, page_log  # noqa: F401  (fixtures shared by tests/*/)
from tests.helpers import B4B, REPO

# Made to fail in every way tests/jupyterlab looks for; nbval must not run it as a notebook of the kit.
collect_ignore = ["data/jupyterlab_probe.ipynb"]


@pytest.fixture
def b4b():
    """Run the installed ``b4b`` command; returns the CompletedProcess (text mode)."""

    def run(*args, cwd=None, timeout=300):
        return subprocess.run([str(B4B), *map(str, args)], capture_output=True, text=True, cwd=cwd or REPO,
                              timeout=timeout)

    return run
