"""Kernels forked from a warm template, as sweep workers use them: real papermill runs of the probe case."""

import os

import pytest

from b4b_kit.workflows import cases, forked_kernels
from tests.helpers import REPO

PROBE = REPO / "tests" / "data" / "probe_case.ipynb"


@pytest.fixture(scope="module")
def template():
    assert forked_kernels.start(), "the template process did not start"
    yield forked_kernels._template
    forked_kernels._template.close()
    forked_kernels._template = None


def forked_run(tmp_path, name, **params):
    result = cases.run(PROBE, params, out=tmp_path / name, timeout=60,
                       kernel_manager_class=forked_kernels.ForkedKernelManager)
    return result.record


def test_each_run_is_a_new_child_of_the_template_with_its_own_random_streams(template, tmp_path):
    first = forked_run(tmp_path, "a", mode="probe")
    second = forked_run(tmp_path, "b", mode="probe")
    assert first["status"] == second["status"] == "ok"
    a, b = first["figures"], second["figures"]
    assert a["ppid"] == b["ppid"] == template.process.pid  # forked by the template, not started by us
    assert a["pid"] != b["pid"]
    # a fork copies the template's generators: without the reseed both runs would draw the same numbers
    assert a["draw"] != b["draw"] and a["np_draw"] != b["np_draw"]


def test_what_one_forked_run_changes_is_gone_in_the_next(template, tmp_path):
    leak = forked_run(tmp_path, "leak", mode="leak")
    probe = forked_run(tmp_path, "probe", mode="probe")
    assert leak["figures"]["saw_leak"] is True  # the leak run sees its own changes
    assert probe["figures"]["saw_leak"] is False
    assert "B4B_LEAK" not in os.environ


def test_a_forked_kernel_that_dies_or_fails_is_recorded_as_such(template, tmp_path):
    died = forked_run(tmp_path, "die", mode="die")
    failed = forked_run(tmp_path, "fail", mode="fail", value=3)
    assert died["status"] == "died", died["error"]
    assert failed["status"] == "failed"
    assert failed["error"]["name"] == "ValueError" and "value 3.0" in failed["error"]["message"]
    assert template.alive()  # one kernel's death does not touch the template


def test_a_hung_forked_kernel_times_out_and_is_stopped(template, tmp_path):
    result = cases.run(PROBE, {"mode": "hang"}, out=tmp_path / "hang", timeout=3,
                       kernel_manager_class=forked_kernels.ForkedKernelManager)
    assert result.record["status"] == "timeout"
    assert template.alive()


def test_without_a_template_the_kernel_starts_the_usual_way(tmp_path):
    saved, forked_kernels._template = forked_kernels._template, None
    try:
        record = forked_run(tmp_path, "plain", mode="probe")
    finally:
        forked_kernels._template = saved
    assert record["status"] == "ok"
    assert record["figures"]["ppid"] == os.getpid()  # jupyter_client's own Popen, from this process


def test_the_template_exits_when_its_worker_closes_it():
    template = forked_kernels.Template()
    assert template.alive()
    template.close()
    assert template.process.returncode == 0


def test_a_forked_kernel_gets_the_environment_and_folder_of_its_run_not_of_the_template(
        template, tmp_path, monkeypatch):
    import nbformat

    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                           "language": "python"}})
    nb.cells = [
        nbformat.v4.new_code_cell('note: str = ""  # unused', metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell(
            "import os, sys, tempfile\nfrom b4b_kit.workflows import cases\n"
            "cases.record({'env': os.environ.get('B4B_FORK_TEST', ''), 'cwd': os.getcwd(),\n"
            "              'tmp': tempfile.gettempdir(), 'path': ';'.join(sys.path)})"),
    ]
    case = tmp_path / "case" / "env_case.ipynb"
    case.parent.mkdir()
    nbformat.write(nb, case)
    run_tmp = tmp_path / "tmpdir"
    run_tmp.mkdir()
    # set after the template started: a kernel forked from it must still see them
    monkeypatch.setenv("B4B_FORK_TEST", "set by the worker")
    monkeypatch.setenv("TMPDIR", str(run_tmp))
    record = cases.run(case, {}, out=tmp_path / "out", timeout=60,
                       kernel_manager_class=forked_kernels.ForkedKernelManager).record
    figures = record["figures"]
    assert record["status"] == "ok", record["error"]
    assert figures["env"] == "set by the worker"
    assert figures["cwd"] == str(case.parent)
    assert figures["tmp"] == str(run_tmp)
    assert os.getcwd() not in figures["path"].split(";")  # the folder the sweep started in is no import path


def test_every_module_the_template_preloads_exists():
    # the template skips a module it cannot import (the kernel imports it later, at the usual cost),
    # so a moved module would only make runs slower: name each one that exists
    import importlib.util

    for name in forked_kernels.PRELOAD:
        assert importlib.util.find_spec(name) is not None, name
