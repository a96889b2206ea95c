"""Shared helpers: the repo root and a runner for the real ``b4b`` command."""

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
B4B = Path(sys.executable).with_name("b4b")


@pytest.fixture
def b4b():
    """Run the installed ``b4b`` command; returns the CompletedProcess (text mode)."""

    def run(*args, cwd=None, timeout=300):
        return subprocess.run([str(B4B), *map(str, args)], capture_output=True, text=True, cwd=cwd or REPO,
                              timeout=timeout)

    return run
