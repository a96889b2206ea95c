"""Students who do not play fair: each hostile notebook runs through the real grader, in the real sandbox.

One grading run holds every hostile submission next to four honest ones; the
honest rows must be exactly those of the run without the hostile ones (the
``clean`` fixture). The test suite runs as CI does: as root here, so the
process limit is tested where root's exemption from RLIMIT_NPROC would bite.
Every attack is bounded inside its own notebook (2,000 processes, 8 GiB), so a
limit that failed could not take the machine down.
"""

import hashlib
import json
import shutil
from pathlib import Path

import nbformat
import pandas as pd
import pytest

import b4b_kit
from b4b_kit.workflows import grading, sandbox
from tests.helpers import BY_HAND, REPO, grading_limits, hand_in, student_version

SET = "01_supplier_levels"
N01 = len(BY_HAND)  # questions in exercise set 01, every one answered by hand
HONEST = ["src-01", "stu-01", "bob", "hand"]


def attacks(root: Path, gradebook: Path, marker: Path) -> dict:
    """The hostile notebooks, by student name."""
    here = {"ROOT": str(root), "GRADEBOOK": str(gradebook), "MARKER": str(marker),
            "SOURCES": str(REPO / "exercises" / "source"), "KIT": b4b_kit.__file__}
    setup = f"PATHS = {json.dumps(here)}"
    return {
        # displays six verdicts in the format the previous grader read
        "forger": student_version(SET, cells=[
            "from IPython.display import display\n"
            "for q in ['q1', 'q2', 'q3', 'q4', 'q5', 'q6']:\n"
            "    display({'application/vnd.b4b.feedback+json': {'bank': '01_supplier_levels', 'question': q,\n"
            "             'correct': True}, 'text/plain': 'Correct — ' + q}, raw=True)\n"
            "print('Correct — q1: 6/6')"]),
        # makes every check say yes, in every way the kernel can reach
        "patcher": student_version(SET, {"q1": "4"}, cells=[
            "import b4b_kit.workflows.exercises as m, b4b_kit.workflows.grading as g\n"
            "m.ExerciseSet.check = lambda self, q, a: m.Feedback(q, True, 'forged', self.id)\n"
            "m.answer_hash = lambda *a, **k: 'forged'\n"
            "m.load.cache_clear()\n"
            "g._judge_plain = lambda *a: True\n"
            "object.__setattr__(ex, 'check', lambda *a: True)\n"
            "print(ex.check('q1', answer_q1))"]),
        # replaces what hands the answers over: values of its choosing, judged like any answer
        "courier": student_version(SET, cells=[
            "import b4b_kit.workflows.grade_runner as r\n"
            "r.collect_answers = lambda ns: '{\"answer_q1\": {\"value\": 4}, \"answer_q2\": {\"value\": true}, '"
            " '\"answer_q3\": {\"value\": [\"under_served\"]}, \"answer_q9\": {\"value\": 1}, \"junk\": 5}'"]),
        "mute": student_version(SET, {"q1": "2"}, cells=[
            "import b4b_kit.workflows.grade_runner as r\nr.collect_answers = lambda ns: 'not json ' * 1000"]),
        # answers that claim to equal anything, or that act when printed, hashed or pickled
        "objects": student_version(SET, cells=[
            setup + "\nimport os\n"
            "class Evil:\n"
            "    def __eq__(self, other): return True\n"
            "    def __hash__(self): raise SystemExit('hashed')\n"
            "    def __str__(self): return '2'\n"
            "    __repr__ = __str__\n"
            "    def __index__(self): return 2\n"
            "    def __float__(self): return 0.63\n"
            "    def __reduce__(self): return (os.system, ('touch ' + PATHS['MARKER'],))\n"
            "class EvilStr(str):\n"
            "    def __eq__(self, other): return True\n"
            "    def __hash__(self): return 0\n"
            "    def strip(self): return self\n"
            "class EvilInt(int):\n"
            "    def __eq__(self, other): return True\n"
            "class Fake:\n"
            "    __module__ = 'numpy'\n"
            "    def item(self): return Evil()\n"
            "Fake.__name__ = 'float64'\n"
            "answer_q1, answer_q2, answer_q3 = Evil(), EvilInt(1), EvilStr('matched')\n"
            "answer_q4, answer_q5, answer_q6 = EvilStr('operate_services'), Fake(), Evil()"]),
        # looks for the other submissions and the solutions, and copies any answers found
        "snoop": student_version(SET, cells=[
            setup + "\nimport glob, json\n"
            "seen = sorted(set(glob.glob(PATHS['ROOT'] + '/**/*.ipynb', recursive=True)\n"
            "    + glob.glob('/home/**/*.ipynb', recursive=True) + glob.glob('/tmp/**/*.ipynb', recursive=True)\n"
            "    + glob.glob(PATHS['SOURCES'] + '/*.ipynb') + glob.glob('/work/**/source/*.ipynb', recursive=True)))\n"
            "print('SEEN', seen)\n"
            "for f in seen:\n"
            "    for cell in json.load(open(f))['cells']:\n"
            "        src = ''.join(cell['source'])\n"
            "        if src.startswith('# BEGIN SOLUTION'):\n"
            "            exec(src.split('ex.check')[0])",
            setup + "\nprint(open(PATHS['ROOT'] + '/src-01/01_supplier_levels.ipynb').read())"]),
        # deletes and overwrites the gradebook, the other submissions and the kit
        "vandal": student_version(SET, cells=[
            setup + "\nimport os, shutil\n"
            "hits = []\n"
            "for target in [PATHS['GRADEBOOK'], PATHS['ROOT'] + '/src-01/01_supplier_levels.ipynb', PATHS['KIT']]:\n"
            "    for attack in (os.remove, lambda t: open(t, 'w').write('vandalised')):\n"
            "        try:\n"
            "            attack(target)\n"
            "            hits.append(target)\n"
            "        except OSError as e:\n"
            "            print(type(e).__name__, target)\n"
            "shutil.rmtree(PATHS['ROOT'], ignore_errors=True)\n"
            "print('HITS', hits)"]),
        # 2,000 processes at most
        "flood": student_version(SET, cells=[
            "import subprocess\nchildren = []\n"
            "try:\n"
            "    for _ in range(2000):\n"
            "        children.append(subprocess.Popen(['sleep', '60']))\n"
            "finally:\n"
            "    print('STARTED', len(children))",
            "answer_q1 = 2"]),
        # 8 GiB at most, in 64 MiB pieces
        "hog": student_version(SET, cells=[
            "pieces = []\nfor _ in range(128):\n    pieces.append(bytes(64 << 20))", "del pieces\nanswer_q1 = 2"]),
        "bigfile": student_version(SET, cells=[
            "with open('big.bin', 'wb') as f:\n    f.write(b'x' * (100 << 20))", "answer_q1 = 2"]),
        "chatter": student_version(SET, cells=["while True:\n    print('x' * 1000)", "answer_q1 = 2"]),
        "exiter": student_version(SET, {"q1": "2"}, cells=["import sys\nsys.exit(3)", "answer_q2 = 3"]),
        "hard_exit": student_version(SET, {"q1": "2"}, cells=["import os\nos._exit(0)", "answer_q2 = 3"]),
        "suicide": student_version(SET, {"q1": "2"}, cells=["import os, signal\nos.kill(os.getpid(), signal.SIGKILL)",
                                                            "answer_q2 = 3"]),
        "sleeper": student_version(SET, cells=["import time\ntime.sleep(10**9)", "answer_q1 = 2"]),
        "stubborn": student_version(SET, {"q2": "3"}, cells=[
            "import signal, time\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\ntime.sleep(10**9)", "answer_q1 = 2"]),
        "many": _many_cells(),
        "huge": _huge(),
        "garbage": "{ this is not json",
        "latin1": b'{"cells": [], "note": "caf\xe9"}',
        "not_a_notebook": json.dumps({"hello": "world"}),
    }


def _many_cells():
    nb = student_version(SET, {"q1": "2"})
    nb.cells += [nbformat.v4.new_code_cell(f"n = {i}") for i in range(10_000)]
    nb.cells.append(nbformat.v4.new_code_cell("answer_q2 = 3"))
    return nb


def _huge():
    nb = student_version(SET, {"q1": "2"})
    nb.cells.append(nbformat.v4.new_markdown_cell("x" * (100 << 20)))
    return nb


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def hostile(clean, tmp_path_factory):
    """The honest four and every attack, graded in one run: (table by student, submissions, gradebook, marker)."""
    clean_root, _, _ = clean
    base = tmp_path_factory.mktemp("hostile")
    root, out, marker = base / "submissions", base / "gradebook.csv", base / "reduce-was-called"
    for student in HONEST:
        shutil.copytree(clean_root / student, root / student)
    for student, nb in attacks(root, out, marker).items():
        hand_in(root, student, nb)
    before = {p: _digest(p) for p in root.rglob("*.ipynb")}
    kit = _digest(Path(b4b_kit.__file__))
    table = grading.grade(root, out, limits=grading_limits())
    after = {p: _digest(p) for p in root.rglob("*.ipynb")}
    return {"table": table.set_index("student"), "root": root, "out": out, "marker": marker,
            "unchanged": before == after and kit == _digest(Path(b4b_kit.__file__))}


def row(hostile, student):
    return hostile["table"].loc[student]


def executed(hostile, student) -> str:
    """Everything the student's notebook printed or displayed, as the grader kept it."""
    nb = json.loads((hostile["out"].parent / "gradebook.runs" / student / f"{SET}.ipynb").read_text())
    return json.dumps([o for c in nb["cells"] if c["cell_type"] == "code" for o in c["outputs"]])


def test_the_honest_rows_are_exactly_those_of_a_run_without_the_attacks(clean, hostile):
    _, clean_table, _ = clean
    columns = [c for c in hostile["table"].columns if c != "seconds"]
    together = hostile["table"].loc[HONEST, columns]
    alone = clean_table.loc[HONEST, columns]
    assert together.astype(str).to_dict("index") == alone.astype(str).to_dict("index")
    assert together.loc["src-01", "score"] == N01 and together.loc["hand", "score"] == N01


def test_every_submission_has_its_row_and_nothing_on_disk_was_touched(hostile):
    table = hostile["table"]
    assert len(table) == len(HONEST) + 21
    on_disk = pd.read_csv(hostile["out"])
    assert sorted(on_disk["student"]) == sorted(table.index)
    assert hostile["unchanged"]  # every submission and the kit's own files
    assert (table["sandbox"] == "bwrap").all()


def test_forged_feedback_counts_for_nothing(hostile):
    assert row(hostile, "forger")[["status", "score", "max_score"]].tolist() == ["ok", 0, N01]


def test_a_monkeypatched_check_and_exercises_module_count_for_nothing(hostile):
    r = row(hostile, "patcher")
    assert (r["status"], r["score"], r["q.q1"]) == ("ok", 0, 0)
    assert "True" in executed(hostile, "patcher")  # the patch worked, in the kernel only


def test_a_replaced_answer_courier_hands_over_values_that_are_judged_like_any_answer(hostile):
    r = row(hostile, "courier")
    assert (r["status"], r["score"]) == ("ok", 0)
    assert r["note"] == "not defined: q3, q4, q5, q6; wrong type: q2 (bool)"  # q1 was 4: wrong
    mute = row(hostile, "mute")  # its answers as of the last cell that set one
    assert (mute["score"], mute["q.q1"]) == (1, 1)
    assert mute["note"] == "the last answers could not be read: as of cell 14 count; unanswered: q2, q3, q4, q5, q6"


def test_answer_objects_with_hostile_methods_are_never_objects_in_the_grader(hostile):
    r = row(hostile, "objects")
    assert (r["status"], r["score"]) == ("ok", 0)
    assert r["note"] == ("wrong type: q1 (Evil), q2 (EvilInt), q3 (EvilStr), q4 (EvilStr), q5 (Evil), q6 (Evil)")
    assert not hostile["marker"].exists()  # __reduce__ never ran anywhere that could reach the host


def test_other_submissions_and_the_sources_are_out_of_sight(hostile):
    r = row(hostile, "snoop")
    assert (r["status"], r["score"]) == ("error", 0)
    assert "FileNotFoundError" in r["note"]
    out = executed(hostile, "snoop")
    assert "SEEN ['/home/student/01_supplier_levels.ipynb']" in out
    assert "BEGIN SOLUTION" not in out and "under_served" not in out


def test_the_gradebook_and_other_files_cannot_be_deleted_or_written(hostile):
    r = row(hostile, "vandal")
    assert (r["status"], r["score"]) == ("ok", 0)
    out = executed(hostile, "vandal")
    assert "HITS []" in out and "FileNotFoundError" in out and "OSError" in out


def test_a_process_flood_stops_at_the_limit_and_the_kernel_goes_on(hostile):
    r = row(hostile, "flood")
    assert (r["status"], r["limit"], r["score"]) == ("limit", "processes 128", 1)
    started = int(executed(hostile, "flood").split("STARTED ")[1].split("\\n")[0])
    assert 64 < started < 128


def test_a_memory_hog_stops_at_the_limit_and_the_kernel_goes_on(hostile):
    r = row(hostile, "hog")
    assert (r["status"], r["limit"], r["score"]) == ("limit", "memory 2 GiB", 1)
    assert "MemoryError" in r["note"]


def test_a_file_past_the_size_limit_is_refused(hostile):
    r = row(hostile, "bigfile")
    assert (r["status"], r["limit"], r["score"]) == ("limit", "file size 16 MiB", 1)
    assert "File too large" in r["note"] or "No space left on device" in r["note"]


def test_endless_output_is_cut_at_the_output_limit_and_its_cell_at_the_time_limit(hostile):
    r = row(hostile, "chatter")
    assert (r["status"], r["limit"], r["score"]) == ("timeout", "cell time 5 s; output 256 KiB", 1)
    assert len(executed(hostile, "chatter")) < 300 * 1024


def test_sys_exit_is_an_error_of_its_cell_only(hostile):
    r = row(hostile, "exiter")
    assert (r["status"], r["score"]) == ("error", 2)
    assert r["note"].startswith("cell 16 raised SystemExit: 3")


@pytest.mark.parametrize("student", ["hard_exit", "suicide"])
def test_a_kernel_that_ends_itself_keeps_the_answers_given_before(hostile, student):
    r = row(hostile, student)
    assert (r["status"], r["score"], r["q.q1"], r["q.q2"]) == ("died", 1, 1, 0)
    assert "the kernel died during cell 16; answers given before it count" in r["note"]


def test_a_cell_that_sleeps_forever_is_interrupted_and_the_rest_still_runs(hostile):
    r = row(hostile, "sleeper")
    assert (r["status"], r["limit"], r["score"]) == ("timeout", "cell time 5 s", 1)
    assert "cell 16 ran past 5 s and was interrupted" in r["note"]


def test_a_kernel_that_ignores_the_interrupt_is_stopped_and_earlier_answers_count(hostile):
    r = row(hostile, "stubborn")
    assert (r["status"], r["limit"], r["score"], r["q.q2"]) == ("timeout", "cell time 5 s", 1, 1)


def test_ten_thousand_cells_run_up_to_the_cell_limit(hostile):
    r = row(hostile, "many")
    assert (r["status"], r["limit"], r["score"], r["q.q1"]) == ("limit", "cells 1000", 1, 1)
    assert r["note"].startswith("9008 code cells past the first 1000 were not run")


def test_a_100_mb_notebook_is_not_read(hostile):
    r = row(hostile, "huge")
    assert (r["status"], r["limit"], r["score"], r["max_score"]) == ("limit", "notebook 32 MiB", 0, N01)
    assert "100.0 MiB" in r["note"]


@pytest.mark.parametrize("student, note", [
    ("garbage", "not a readable notebook (JSONDecodeError)"),
    ("latin1", "not UTF-8 text (byte 26 is not valid)"),
    ("not_a_notebook", "not a readable notebook (KeyError)"),
])
def test_a_file_that_is_not_a_notebook_is_a_row_not_a_crash(hostile, student, note):
    assert row(hostile, student)[["status", "score", "note"]].tolist() == ["unreadable", 0, note]


# ---- limits that need a run of their own ----------------------------------------------------------

def test_cpu_time_past_the_limit_ends_the_kernel_with_a_row_naming_it(tmp_path):
    hand_in(tmp_path, "burner", student_version(SET, {"q1": "2"}, cells=["while True:\n    pass"]))
    limits = sandbox.replace(grading_limits(), cpu=3, cell_time=120)
    r = grading.grade_one(tmp_path / "burner" / f"{SET}.ipynb", limits=limits)
    assert (r["status"], r["limit"], r["score"]) == ("limit", "cpu 3 s", 1)


def test_the_wall_time_of_a_submission_ends_it_with_a_row_naming_it(tmp_path):
    hand_in(tmp_path, "slow", student_version(SET, {"q1": "2"}, cells=["import time\ntime.sleep(600)"]))
    limits = sandbox.replace(grading_limits(), wall=8, cell_time=120)
    r = grading.grade_one(tmp_path / "slow" / f"{SET}.ipynb", limits=limits)
    assert (r["status"], r["limit"], r["score"]) == ("timeout", "wall 8 s", 1)
    assert "stopped after 8 s" in r["note"]


def test_without_bubblewrap_the_grader_says_so_once_and_still_applies_the_limits(tmp_path):
    hand_in(tmp_path, "hog", student_version(SET, cells=["pieces = [bytes(64 << 20) for _ in range(128)]",
                                                         "answer_q1 = 2"]))
    hand_in(tmp_path, "hand", student_version(SET, BY_HAND))
    notes = []
    table = grading.grade(tmp_path, tmp_path.parent / "none.csv", sandbox="none", limits=grading_limits(),
                          on_note=notes.append).set_index("student")
    assert notes == [sandbox.WITHOUT_BWRAP]
    assert table.loc["hog", ["status", "limit", "score", "sandbox"]].tolist() == ["limit", "memory 2 GiB", 1, "none"]
    assert table.loc["hand", ["status", "score"]].tolist() == ["ok", N01]
