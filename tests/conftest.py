"""Shared helpers: the repo root and a runner for the real ``b4b`` command."""

import subprocess

import pytest

from tests.helpers import B4B, REPO


@pytest.fixture
def b4b():
    """Run the installed ``b4b`` command; returns the CompletedProcess (text mode)."""

    def run(*args, cwd=None, timeout=300):
        return subprocess.run([str(B4B), *map(str, args)], capture_output=True, text=True, cwd=cwd or REPO,
                              timeout=timeout)

    return run
