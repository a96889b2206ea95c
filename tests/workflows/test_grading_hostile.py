"""Students who do not play fair: each hostile notebook runs through the real grader, in the real sandbox.

The submissions answer the tests' own exercise set (``tests/data/grading``: the
source ``90_grading_probe.ipynb`` and its bank, which the grader loads as it
loads the kit's), so the rows expected here do not move when the kit's
exercise sets are rewritten. Its student version has nine cells: a title, then
question text and answer cell for q1 (a level, 2), q2 (a level, 3), q3 (a
choice, 'matched') and q4 (a number, 0.63); cells an attack adds are numbered
from 10.

One grading run holds every hostile submission next to four honest ones; the
honest rows must be exactly those of a run of the honest ones alone. The test
suite runs as CI does: as root here, so the process limit is tested where
root's exemption from RLIMIT_NPROC would bite. Every attack is bounded inside
its own notebook (2,000 processes, 8 GiB), so a limit that failed could not
take the machine down.
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
from tests.helpers import PROBE, REPO, grading_limits, hand_in, probe_banks, student_version

SET = PROBE.stem
NAME = PROBE.name
ANSWERS = {"q1": "2", "q2": "3", "q3": "'matched'", "q4": "round(0.9 * (1 - 0.3), 2)"}  # the probe set's, by hand
N = len(ANSWERS)


def probe(answers: dict | None = None, cells: list[str] = ()):
    """The probe set's student version with ``answers`` typed in and ``cells`` added at the end."""
    return student_version(PROBE, answers, cells=cells)


def honest() -> dict:
    """Honest submissions: the source, the untouched student version, one partly and one fully answered."""
    return {"src": nbformat.read(PROBE, as_version=4), "stu": probe(),
            "part": probe({"q1": "2", "q4": "0.27"}), "hand": probe(ANSWERS)}


HONEST = list(honest())


def attacks(root: Path, gradebook: Path, marker: Path) -> dict:
    """The hostile notebooks, by student name."""
    here = {"ROOT": str(root), "GRADEBOOK": str(gradebook), "MARKER": str(marker),
            "SOURCES": [str(PROBE.parent), str(REPO / "exercises" / "source")], "KIT": b4b_kit.__file__}
    setup = f"PATHS = {json.dumps(here)}"
    return {
        # displays a verdict for every question, in the format the previous grader read
        "forger": probe(cells=[
            "from IPython.display import display\n"
            f"for q in {list(ANSWERS)}:\n"
            f"    display({{'application/vnd.b4b.feedback+json': {{'bank': '{SET}', 'question': q,\n"
            "             'correct': True}, 'text/plain': 'Correct — ' + q}, raw=True)\n"
            f"print('Correct — q1: {N}/{N}')"]),
        # makes every check and judge say yes, in every way the kernel can reach
        "patcher": probe({"q1": "4"}, cells=[
            "import b4b_kit.workflows.exercises as m, b4b_kit.workflows.grading as g\n"
            "m.ExerciseSet.check = lambda self, q, a: m.Feedback(q, True, 'forged', self.id)\n"
            "m.answer_hash = lambda *a, **k: 'forged'\n"
            "m.load.cache_clear()\n"
            "g._judge_plain = lambda *a: True\n"
            "g.SetKey.judge = lambda *a: True\n"
            f"print(m.ExerciseSet('{SET}', 'supplier_levels', {{}}).check('q1', answer_q1).correct,\n"
            "      g.SetKey.judge(None, 'q1', answer_q1))"]),
        # replaces what hands the answers over: values of its choosing, judged like any answer (q9: no such question)
        "courier": probe(cells=[
            "import b4b_kit.workflows.grade_runner as r\n"
            "r.collect_answers = lambda ns: '{\"answer_q1\": {\"value\": 4}, \"answer_q2\": {\"value\": true}, '"
            " '\"answer_q3\": {\"value\": [\"matched\"]}, \"answer_q9\": {\"value\": 2}, \"junk\": 5}'"]),
        "mute": probe({"q1": "2"}, cells=[
            "import b4b_kit.workflows.grade_runner as r\nr.collect_answers = lambda ns: 'not json ' * 1000"]),
        # answers that claim to equal anything, or that act when printed, hashed or pickled; each would be
        # right if the grader took it for what it claims to be
        "objects": probe(cells=[
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
            "answer_q1, answer_q2, answer_q3, answer_q4 = Evil(), EvilInt(3), EvilStr('matched'), Fake()"]),
        # looks for the other submissions and the solutions, and copies any answers found
        "snoop": probe(cells=[
            setup + "\nimport glob, json\n"
            "seen = sorted(set(glob.glob(PATHS['ROOT'] + '/**/*.ipynb', recursive=True)\n"
            "    + glob.glob('/home/**/*.ipynb', recursive=True) + glob.glob('/tmp/**/*.ipynb', recursive=True)\n"
            "    + [f for folder in PATHS['SOURCES'] for f in glob.glob(folder + '/*.ipynb')]\n"
            "    + glob.glob('/work/**/source/*.ipynb', recursive=True)))\n"
            "print('SEEN', seen)\n"
            "for f in seen:\n"
            "    for cell in json.load(open(f))['cells']:\n"
            "        src = ''.join(cell['source'])\n"
            "        if src.startswith('# BEGIN SOLUTION'):\n"
            "            exec(src.split('ex.check')[0])",
            setup + f"\nprint(open(PATHS['ROOT'] + '/src/{NAME}').read())"]),
        # deletes and overwrites the gradebook, the other submissions and the kit
        "vandal": probe(cells=[
            setup + "\nimport os, shutil\n"
            "hits = []\n"
            f"for target in [PATHS['GRADEBOOK'], PATHS['ROOT'] + '/src/{NAME}', PATHS['KIT']]:\n"
            "    for attack in (os.remove, lambda t: open(t, 'w').write('vandalised')):\n"
            "        try:\n"
            "            attack(target)\n"
            "            hits.append(target)\n"
            "        except OSError as e:\n"
            "            print(type(e).__name__, target)\n"
            "shutil.rmtree(PATHS['ROOT'], ignore_errors=True)\n"
            "print('HITS', hits)"]),
        # 2,000 processes at most
        "flood": probe(cells=[
            "import subprocess\nchildren = []\n"
            "try:\n"
            "    for _ in range(2000):\n"
            "        children.append(subprocess.Popen(['sleep', '60']))\n"
            "finally:\n"
            "    print('STARTED', len(children))",
            "answer_q1 = 2"]),
        # 8 GiB at most, in 64 MiB pieces
        "hog": probe(cells=[
            "pieces = []\nfor _ in range(128):\n    pieces.append(bytes(64 << 20))", "del pieces\nanswer_q1 = 2"]),
        "bigfile": probe(cells=[
            "with open('big.bin', 'wb') as f:\n    f.write(b'x' * (100 << 20))", "answer_q1 = 2"]),
        "chatter": probe(cells=["while True:\n    print('x' * 1000)", "answer_q1 = 2"]),
        "exiter": probe({"q1": "2"}, cells=["import sys\nsys.exit(3)", "answer_q2 = 3"]),
        "hard_exit": probe({"q1": "2"}, cells=["import os\nos._exit(0)", "answer_q2 = 3"]),
        "suicide": probe({"q1": "2"}, cells=["import os, signal\nos.kill(os.getpid(), signal.SIGKILL)",
                                             "answer_q2 = 3"]),
        "sleeper": probe(cells=["import time\ntime.sleep(10**9)", "answer_q1 = 2"]),
        "stubborn": probe({"q2": "3"}, cells=[
            "import signal, time\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\ntime.sleep(10**9)", "answer_q1 = 2"]),
        "many": _many_cells(),
        "huge": _huge(),
        "garbage": "{ this is not json",
        "latin1": b'{"cells": [], "note": "caf\xe9"}',
        "not_a_notebook": json.dumps({"hello": "world"}),
    }


def _many_cells():
    nb = probe({"q1": "2"})
    nb.cells += [nbformat.v4.new_code_cell(f"n = {i}") for i in range(10_000)]
    nb.cells.append(nbformat.v4.new_code_cell("answer_q2 = 3"))
    return nb


def _huge():
    nb = probe({"q1": "2"})
    nb.cells.append(nbformat.v4.new_markdown_cell("x" * (100 << 20)))
    return nb


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def grade(root: Path, out: Path, **options):
    """``grading.grade`` judging by the probe set's bank and checking against its source."""
    with probe_banks():
        return grading.grade(root, out, source=PROBE.parent, limits=grading_limits(), **options)


def grade_one(path: Path, limits):
    """``grading.grade_one`` with the probe set's bank and source."""
    with probe_banks():
        return grading.grade_one(path, source=PROBE.parent, limits=limits)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """The honest four graded alone, then again with every attack in one run.

    Returns both tables by student, and the second run's submissions, gradebook and marker.
    """
    base = tmp_path_factory.mktemp("hostile")
    alone = base / "alone"
    for student, nb in honest().items():
        hand_in(alone, student, nb, NAME)
    honest_table = grade(alone, base / "alone.csv")
    root, out, marker = base / "submissions", base / "gradebook.csv", base / "reduce-was-called"
    shutil.copytree(alone, root)
    for student, nb in attacks(root, out, marker).items():
        hand_in(root, student, nb, NAME)
    before = {p: _digest(p) for p in root.rglob("*.ipynb")}
    kit = _digest(Path(b4b_kit.__file__))
    table = grade(root, out)
    after = {p: _digest(p) for p in root.rglob("*.ipynb")}
    return {"table": table.set_index("student"), "alone": honest_table.set_index("student"), "root": root,
            "out": out, "marker": marker, "unchanged": before == after and kit == _digest(Path(b4b_kit.__file__))}


def row(hostile, student):
    return hostile["table"].loc[student]


def executed(hostile, student) -> str:
    """Everything the student's notebook printed or displayed, as the grader kept it."""
    nb = json.loads((hostile["out"].parent / "gradebook.runs" / student / NAME).read_text())
    return json.dumps([o for c in nb["cells"] if c["cell_type"] == "code" for o in c["outputs"]])


def test_the_honest_rows_are_exactly_those_of_a_run_without_the_attacks(hostile):
    columns = [c for c in hostile["table"].columns if c != "seconds"]
    together = hostile["table"].loc[HONEST, columns]
    alone = hostile["alone"].loc[HONEST, columns]
    assert together.astype(str).to_dict("index") == alone.astype(str).to_dict("index")
    assert together["score"].to_dict() == {"src": N, "stu": 0, "part": 1, "hand": N}
    assert (together["status"] == "ok").all() and (together["locked"] == "").all()
    assert together.loc["part", ["q.q1", "q.q4", "note"]].tolist() == [1, 0, "unanswered: q2, q3"]


def test_every_submission_has_its_row_and_nothing_on_disk_was_touched(hostile):
    table = hostile["table"]
    assert len(table) == len(HONEST) + 21
    on_disk = pd.read_csv(hostile["out"])
    assert sorted(on_disk["student"]) == sorted(table.index)
    assert hostile["unchanged"]  # every submission and the kit's own files
    assert (table["sandbox"] == "bwrap").all()


def test_forged_feedback_counts_for_nothing(hostile):
    assert row(hostile, "forger")[["status", "score", "max_score"]].tolist() == ["ok", 0, N]
    assert executed(hostile, "forger").count("vnd.b4b.feedback+json") == N  # shown, and kept as data


def test_a_monkeypatched_check_and_exercises_module_count_for_nothing(hostile):
    r = row(hostile, "patcher")
    assert (r["status"], r["score"], r["q.q1"]) == ("ok", 0, 0)
    assert "True True" in executed(hostile, "patcher")  # the patches worked, in the kernel only


def test_a_replaced_answer_courier_hands_over_values_that_are_judged_like_any_answer(hostile):
    r = row(hostile, "courier")
    assert (r["status"], r["score"], r["q.q1"]) == ("ok", 0, 0)  # q1 was 4: wrong
    assert r["note"] == "not defined: q3, q4; wrong type: q2 (bool)"
    mute = row(hostile, "mute")  # its answers as of the last cell that set one: q4's, cell 9
    assert (mute["score"], mute["q.q1"]) == (1, 1)
    assert mute["note"] == "the last answers could not be read: as of cell 9 count; unanswered: q2, q3, q4"


def test_answer_objects_with_hostile_methods_are_never_objects_in_the_grader(hostile):
    r = row(hostile, "objects")
    assert (r["status"], r["score"]) == ("ok", 0)
    assert r["note"] == "wrong type: q1 (Evil), q2 (EvilInt), q3 (EvilStr), q4 (Evil)"
    assert not hostile["marker"].exists()  # __reduce__ never ran anywhere that could reach the host


def test_other_submissions_and_the_sources_are_out_of_sight(hostile):
    r = row(hostile, "snoop")
    assert (r["status"], r["score"]) == ("error", 0)
    assert "FileNotFoundError" in r["note"]
    out = executed(hostile, "snoop")
    assert f"SEEN ['/home/student/{NAME}']" in out
    assert "BEGIN SOLUTION" not in out and "answer_q4 = 0.63" not in out


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
    assert (r["status"], r["score"], r["q.q2"]) == ("error", 2, 1)  # q2 answered after the exit
    assert r["note"].startswith("cell 10 raised SystemExit: 3")


@pytest.mark.parametrize("student", ["hard_exit", "suicide"])
def test_a_kernel_that_ends_itself_keeps_the_answers_given_before(hostile, student):
    r = row(hostile, student)
    assert (r["status"], r["score"], r["q.q1"], r["q.q2"]) == ("died", 1, 1, 0)
    assert "the kernel died during cell 10; answers given before it count" in r["note"]


def test_a_cell_that_sleeps_forever_is_interrupted_and_the_rest_still_runs(hostile):
    r = row(hostile, "sleeper")
    assert (r["status"], r["limit"], r["score"]) == ("timeout", "cell time 5 s", 1)
    assert "cell 10 ran past 5 s and was interrupted" in r["note"]


def test_a_kernel_that_ignores_the_interrupt_is_stopped_and_earlier_answers_count(hostile):
    r = row(hostile, "stubborn")
    assert (r["status"], r["limit"], r["score"], r["q.q1"], r["q.q2"]) == ("timeout", "cell time 5 s", 1, 0, 1)


def test_ten_thousand_cells_run_up_to_the_cell_limit(hostile):
    r = row(hostile, "many")
    assert (r["status"], r["limit"], r["score"], r["q.q1"], r["q.q2"]) == ("limit", "cells 1000", 1, 1, 0)
    # 4 answer cells, 10,000 more and q2's answer at the end: 10,005 code cells, of which 1,000 ran
    assert r["note"] == "9005 code cells past the first 1000 were not run; unanswered: q2, q3, q4"


def test_a_100_mb_notebook_is_not_read(hostile):
    r = row(hostile, "huge")
    assert (r["status"], r["limit"], r["score"], r["max_score"]) == ("limit", "notebook 32 MiB", 0, N)
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
    hand_in(tmp_path, "burner", probe({"q1": "2"}, cells=["while True:\n    pass"]), NAME)
    r = grade_one(tmp_path / "burner" / NAME, sandbox.replace(grading_limits(), cpu=3, cell_time=120))
    assert (r["status"], r["limit"], r["score"]) == ("limit", "cpu 3 s", 1)


def test_the_wall_time_of_a_submission_ends_it_with_a_row_naming_it(tmp_path):
    hand_in(tmp_path, "slow", probe({"q1": "2"}, cells=["import time\ntime.sleep(600)"]), NAME)
    r = grade_one(tmp_path / "slow" / NAME, sandbox.replace(grading_limits(), wall=8, cell_time=120))
    assert (r["status"], r["limit"], r["score"]) == ("timeout", "wall 8 s", 1)
    assert "stopped after 8 s" in r["note"]


def test_without_bubblewrap_the_grader_says_so_once_and_still_applies_the_limits(tmp_path):
    hand_in(tmp_path, "hog", probe(cells=["pieces = [bytes(64 << 20) for _ in range(128)]", "answer_q1 = 2"]), NAME)
    hand_in(tmp_path, "hand", probe(ANSWERS), NAME)
    notes = []
    table = grade(tmp_path, tmp_path.parent / "none.csv", sandbox="none", on_note=notes.append).set_index("student")
    assert notes == [sandbox.WITHOUT_BWRAP]
    assert table.loc["hog", ["status", "limit", "score", "sandbox"]].tolist() == ["limit", "memory 2 GiB", 1, "none"]
    assert table.loc["hand", ["status", "score"]].tolist() == ["ok", N]
