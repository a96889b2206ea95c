"""Every lesson and case study, opened in real JupyterLab and run as a student runs it.

Run > Run All Cells through the menu, then what a student would notice: an error
or warning under a cell, a cell that never ran, a widget that did not render, an
empty chart (or, in a lesson or case study, none at all), text typeset as a
formula, a request leaving the machine, a pop-up, a kernel still busy. A
screenshot of each notebook is kept in build/jupyterlab/ for a person to look at.
The released exercise sets get the same in test_exercises.py, and the answer loop.
"""

import json
import shutil

import pytest

from tests.helpers import DATA
from tests.jupyterlab.conftest import CASES, LESSONS

PROBE = DATA / "jupyterlab_probe.ipynb"


@pytest.mark.browser
@pytest.mark.parametrize("path", LESSONS + CASES)
def test_notebook_runs_clean_and_reads_right_in_jupyterlab(lab, path):
    lab.open(path)
    lab.run_all()
    lab.assert_nothing_wrong(need_chart=True)


@pytest.mark.browser
def test_the_harness_sees_what_a_student_would(lab):
    # A notebook made to go wrong in every way the harness looks for, but one: its formula cell is tagged math.
    target = lab.server.root / "probe" / PROBE.name
    target.parent.mkdir(exist_ok=True)
    shutil.copy(PROBE, target)
    cells = json.loads(PROBE.read_text())["cells"]
    assert "math" in cells[1]["metadata"]["tags"]

    lab.open(f"probe/{PROBE.name}")
    lab.run_all()
    problems = lab.problems(need_chart=True)
    text = "\n".join(problems)

    assert "text typeset as math: 'typeset: 30Mandthen'" in text  # the markdown cell of amounts
    assert "x2" not in text  # the tagged formula is allowed
    assert "from$1to" in text.replace(" ", "") or "'typeset: 1to'" in text  # the Label widget typesets too
    assert "cell 5 shows an error or warning" in text and "ZeroDivisionError" in text
    assert "cells that never ran: [6]" in text
    assert "GET http://example.com/ HTTP/1.1" in text  # the kernel's request, caught by the proxy recorder
    assert "https://example.org/pixel.png" in text  # the page's request, blocked by the browser
    assert "no chart at all" in text
    print("\n".join(problems))
    assert len(problems) == 7


@pytest.mark.browser
def test_first_start_is_quiet(lab_app):
    # the course folder's own settings (b4b init) reach JupyterLab: no news pop-up, no update check
    settings = lab_app.server.api("GET", "/lab/api/settings/@jupyterlab/apputils-extension:notification")
    defaults = {name: spec.get("default") for name, spec in settings["schema"]["properties"].items()}
    assert defaults["fetchNews"] == "false" and defaults["checkForUpdates"] is False  # JupyterLab's own: "none", True
    assert not settings["raw"] or "fetchNews" not in settings["raw"]  # from the override, not a user setting
    lab_app.page.wait_for_timeout(1000)  # without the override the news question pops up at once
    assert lab_app.page.locator(".Toastify__toast").all_inner_texts() == []
