"""Release, locked cells, answer keys and grading with real kernels in real sandboxes (the honest cases).

Hostile notebooks are in test_grading_hostile.py. The honest class is graded
once (the ``clean`` fixture of conftest.py). What these tests expect of exercise
set 01 comes from its notebooks, its bank and the answers typed by hand
(``BY_HAND``): a cell by what it holds, a question list from the bank, so the
tests follow the set when it is rewritten.
"""

import json

import nbformat
import pandas as pd
import pytest

from b4b_kit.errors import B4BError
from b4b_kit.workflows import exercises, grading
from b4b_kit.workflows.sandbox import GIB, MIB, Limits
from tests.helpers import BOB, BY_HAND, REPO, cell_index, grading_limits, hand_in, student_version

SET01 = "01_supplier_levels"
N01 = len(BY_HAND)  # questions in exercise set 01, every one answered by hand
RELEASED01 = student_version(SET01)  # the student version of set 01, as committed

SOURCES = sorted((REPO / "exercises" / "source").glob("*.ipynb"))


def number_of(text: str) -> int:
    """How a gradebook row names the cell of set 01's student version that holds ``text`` (from 1)."""
    return cell_index(RELEASED01, text) + 1


def test_strip_solutions_keeps_the_question_and_drops_the_answer():
    src = "# BEGIN SOLUTION\nanswer_q1 = 2  # a level\nanswer_q2 = [1, 2]\n# END SOLUTION\nex.check('q1', answer_q1)"
    assert grading.strip_solutions(src) == ("answer_q1 = None  # a level\nanswer_q2 = None  # your answer\n"
                                            "ex.check('q1', answer_q1)")


def test_hidden_blocks_and_solutions_without_assignment():
    src = "x = 1\n# BEGIN HIDDEN\nassert x == 1\n# END HIDDEN\n# BEGIN SOLUTION\nprint(42)\n# END SOLUTION"
    assert grading.strip_solutions(src) == "x = 1\n...  # your answer"


@pytest.mark.parametrize("src, match", [
    ("# BEGIN SOLUTION\nx = 1", "never closed"),
    ("x = 1\n# END SOLUTION", "without a matching"),
    ("# BEGIN SOLUTION\n# BEGIN HIDDEN\n# END HIDDEN\n# END SOLUTION", "opens inside another"),
])
def test_unbalanced_markers_are_named(src, match):
    with pytest.raises(B4BError, match=match):
        grading.strip_solutions(src, where="demo.ipynb, cell 3")


def test_cells_tagged_hidden_are_left_out():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("a = 1"), nbformat.v4.new_code_cell("secret = 2")])
    nb.cells[1].metadata["tags"] = ["hidden"]
    assert [c.source for c in grading.release_notebook(nb)["cells"]] == ["a = 1"]


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_committed_student_version_is_exactly_the_release_of_its_source(source, tmp_path):
    (released,) = grading.release(source, tmp_path)
    committed = REPO / "exercises" / source.name
    assert json.loads(released.read_text()) == json.loads(committed.read_text())
    assert "BEGIN SOLUTION" not in committed.read_text()


def test_cli_release(b4b, tmp_path):
    res = b4b("exercises", "release", REPO / "exercises" / "source", tmp_path)
    assert res.returncode == 0
    assert sorted(p.name for p in tmp_path.glob("*.ipynb")) == [p.name for p in SOURCES]


# ---- locked cells --------------------------------------------------------------------------------

def test_locked_cells_are_the_released_cells_with_solutions_as_gaps():
    source = nbformat.read(SOURCES[0], as_version=4)
    locked = grading.locked_cells(source)
    released = grading.release_notebook(source)
    assert [c.id for c in locked] == [c.id for c in released["cells"]]
    q1 = locked[cell_index(released, "answer_q1 = None")]  # the answer, then the check
    assert q1.cell_type == "code" and q1.pattern[0] == "*" and len(q1.pattern) == 2
    assert grading.check_locked(released, locked) == {"altered": [], "removed": []}
    assert grading.check_locked(source, locked) == {"altered": [], "removed": []}


def test_a_student_may_write_anything_in_the_answer_and_add_cells_but_not_change_the_rest():
    source = nbformat.read(SOURCES[0], as_version=4)
    locked = grading.locked_cells(source)
    q1 = cell_index(RELEASED01, "answer_q1 = None")
    nb = student_version(SET01, {"q1": BY_HAND["q1"]}, cells=["x = 1"], at=q1)
    moved = nb.cells[q1 + 1]  # q1's cell, moved by one
    moved.source = "# my working\nx = 0.9 * 0.7\nanswer_q1 = 2\n" + moved.source
    assert grading.check_locked(nb, locked) == {"altered": [], "removed": []}
    moved.source = moved.source.replace('ex.check("q1", answer_q1)', 'ex.check("q1", 2)')
    nb.cells[cell_index(nb, f'load("{SET01}")')].source += "\n"  # a blank line changes nothing
    del nb.cells[-1]  # the closing markdown
    assert grading.check_locked(nb, locked) == {"altered": [q1 + 1], "removed": [len(RELEASED01.cells)]}


def test_a_cell_found_by_content_when_its_id_changed():
    source = nbformat.read(SOURCES[0], as_version=4)
    locked = grading.locked_cells(source)
    nb = student_version(SET01)
    for cell in nb.cells:
        cell.id = "renamed-" + cell.id
    assert grading.check_locked(nb, locked) == {"altered": [], "removed": []}


# ---- limits and plain keys -----------------------------------------------------------------------

def test_limits_read_sizes_and_name_themselves():
    limits = Limits.parse(["memory=512MiB", "cell_time=2.5", "processes=64", "file_size=1GiB"])
    assert (limits.memory, limits.cell_time, limits.processes, limits.file_size) == (512 * MIB, 2.5, 64, GIB)
    assert limits.label("memory") == "memory 512 MiB" and limits.label("processes") == "processes 64"
    for bad in (["mem=1GiB"], ["memory=lots"], ["cpu=0"]):
        with pytest.raises(B4BError):
            Limits.parse(bad)


@pytest.mark.parametrize("spec, value, verdict", [
    ({"kind": "level", "answer": 2}, 2, True),
    ({"kind": "level", "answer": 2}, "level 2", True),
    ({"kind": "level", "answer": 2}, 3, False),
    ({"kind": "level", "answer": 2}, True, None),
    ({"kind": "number", "decimals": 2, "answer": 0.63}, 0.62, True),
    ({"kind": "number", "decimals": 2, "answer": 0.63}, 0.61, False),
    ({"kind": "number", "decimals": 0, "answer": 3200}, "3200", None),
    ({"kind": "choice", "options": ["a", "b"], "answer": "a"}, " a ", True),
    ({"kind": "choice", "options": ["a", "b"], "answer": "a"}, "c", None),
    ({"kind": "text", "answer": "Land"}, "land ", True),
    ({"kind": "text", "answer": "Land"}, 1, None),
])
def test_a_plain_key_judges_as_the_bank_does(spec, value, verdict):
    assert grading._judge_plain(spec, value) is verdict


# ---- the honest class ----------------------------------------------------------------------------

@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_every_source_scores_full_marks(clean, source):
    _, table, _ = clean
    row = table.loc[f"src-{source.stem[:2]}"]
    assert (row["status"], row["locked"], row["note"]) == ("ok", "", ""), row.to_dict()
    assert row["score"] == row["max_score"] >= 4
    assert row["sandbox"] == "bwrap"


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_every_student_version_runs_to_the_end_and_scores_zero(clean, source):
    _, table, _ = clean
    row = table.loc[f"stu-{source.stem[:2]}"]
    assert (row["status"], row["score"], row["locked"]) == ("ok", 0, "")
    assert row["note"] == "unanswered: " + ", ".join(exercises.load(source.stem).questions)


def test_a_student_version_answered_by_hand_scores_full_marks(clean):
    _, table, _ = clean
    assert table.loc["hand", ["status", "score", "max_score", "locked", "note"]].tolist() == ["ok", N01, N01, "", ""]


def test_a_partly_answered_notebook_scores_what_is_right(clean):
    _, table, _ = clean
    row = table.loc["bob"]
    assert (row["status"], row["score"], row["q.q1"], row["q.q5"]) == ("ok", 1, 1, 0)
    assert row["note"] == "unanswered: " + ", ".join(q for q in exercises.load(SET01).questions if q not in BOB)


def test_a_crashing_cell_is_named_and_grading_goes_on_past_it(clean):
    _, table, _ = clean
    row = table.loc["cy"]
    assert (row["status"], row["score"], row["locked"]) == ("error", N01, "")
    assert row["note"] == "cell 5 raised ZeroDivisionError: division by zero"


def test_a_removed_question_cell_is_reported_and_its_answer_missing(clean):
    _, table, _ = clean
    row = table.loc["eve"]
    removed = number_of('ex.check("q6"')
    assert (row["status"], row["score"], row["q.q6"], row["locked"]) == ("ok", N01 - 1, 0, f"removed: cell {removed}")
    assert row["note"] == "not defined: q6"


def test_changed_instructor_cells_are_named_and_the_answers_still_graded(clean):
    _, table, _ = clean
    q2_text, q3_check = number_of("answer_q2 = None") - 1, number_of('ex.check("q3", answer_q3)')
    assert table.loc["gus", ["status", "score", "locked"]].tolist() == ["ok", N01,
                                                                       f"altered: cells {q2_text}, {q3_check}"]


def test_the_gradebook_on_disk_is_the_table_and_runs_keep_each_executed_notebook(clean):
    root, table, out = clean
    on_disk = pd.read_csv(out).set_index("student")
    assert on_disk["score"].to_dict() == table["score"].astype(int).to_dict()
    assert list(on_disk.columns[:4]) == ["notebook", "status", "score", "max_score"]
    executed = json.loads((out.parent / "gradebook.runs" / "cy" / "01_supplier_levels.ipynb").read_text())
    outputs = [o for c in executed["cells"] if c["cell_type"] == "code" for o in c["outputs"]]
    assert any(o.get("ename") == "ZeroDivisionError" for o in outputs)
    assert any("Correct" in "".join(o.get("data", {}).get("text/plain", "")) for o in outputs)


def test_a_second_run_grades_nothing_again_and_keeps_the_gradebook(clean):
    root, table, out = clean
    again = []
    second = grading.grade(root, out, limits=grading_limits(), on_row=again.append)
    assert again == []
    assert second.set_index("student").drop(columns="seconds").equals(table.drop(columns="seconds"))


# ---- resuming ------------------------------------------------------------------------------------

def test_an_interrupted_run_keeps_what_it_graded_and_a_restart_grades_only_the_rest(tmp_path):
    root = tmp_path / "subs"
    for name in ("a", "b", "c"):
        hand_in(root, name, student_version(SET01, {"q1": BY_HAND["q1"]}))
    out = tmp_path / "book.csv"

    def stop(row):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        grading.grade(root, out, limits=grading_limits(), workers=1, on_row=stop)
    first = pd.read_csv(out)
    assert len(first) == 1 and first.loc[0, "score"] == 1
    rest = []
    grading.grade(root, out, limits=grading_limits(), workers=2, on_row=rest.append)
    assert sorted(r["student"] for r in rest) == sorted({"a", "b", "c"} - {first.loc[0, "student"]})
    hand_in(root, "a", student_version(SET01, {"q1": BY_HAND["q1"], "q2": BY_HAND["q2"]}))  # handed in again
    changed = []
    table = grading.grade(root, out, limits=grading_limits(), on_row=changed.append)
    assert [r["student"] for r in changed] == ["a"]
    assert table.set_index("student")["score"].to_dict() == {"a": 2, "b": 1, "c": 1}
    everything = []
    grading.grade(root, out, limits=grading_limits(), regrade=True, on_row=everything.append)
    assert len(everything) == 3


# ---- answer keys kept by the instructor ----------------------------------------------------------

def test_keys_from_the_sources_judge_like_the_bank_and_a_changed_key_wins(clean, tmp_path, b4b):
    import yaml

    root, table, _ = clean
    keys = tmp_path / "keys.yaml"
    res = b4b("exercises", "keys", SOURCES[0], "--out", keys)
    assert res.returncode == 0, res.stderr
    assert "01_supplier_levels: ok" in res.stdout
    data = yaml.safe_load(keys.read_text())
    q5 = exercises.load(SET01).questions["q5"]  # a number: the source computes it, the bank says how to round
    assert data["sets"][SET01]["questions"]["q5"] == {"kind": q5["kind"], "decimals": q5["decimals"],
                                                      "answer": eval(BY_HAND["q5"])}
    subs = tmp_path / "subs"
    for student in ("bob", "hand", "gus"):
        hand_in(subs, student, (root / student / "01_supplier_levels.ipynb").read_bytes())
    res = b4b("exercises", "grade", subs, "--keys", keys, "--out", tmp_path / "book.csv",
              "--limit", "cell_time=5", "--limit", "output=256KiB")
    assert res.returncode == 0, res.stderr
    by_keys = pd.read_csv(tmp_path / "book.csv").set_index("student")
    for column in ("score", "q.q1", "q.q5", "locked"):
        assert by_keys[column].fillna("").tolist() == table.loc[["bob", "gus", "hand"], column].fillna("").tolist()
    q1 = data["sets"][SET01]["questions"]["q1"]
    q1["answer"] = q1["answer"] % 4 + 1  # the instructor changed question 1 to another level
    keys.write_text(yaml.safe_dump(data))
    changed = grading.grade(subs, tmp_path / "book2.csv", keys=keys, limits=grading_limits()).set_index("student")
    assert changed.loc["hand", ["score", "q.q1"]].tolist() == [N01 - 1, 0]


def test_a_graded_set_outside_the_banks_is_graded_by_its_keys_alone(tmp_path):
    source = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("Which motion starts on day 2?"),
        nbformat.v4.new_code_cell("# BEGIN SOLUTION\nanswer_q1 = 'expand'  # a motion\n# END SOLUTION"),
        nbformat.v4.new_markdown_cell("Two of three customers renew: the share, to two decimals?"),
        nbformat.v4.new_code_cell("# BEGIN SOLUTION\nanswer_q2 = round(2 / 3, 2)\n# END SOLUTION"),
    ])
    (tmp_path / "src").mkdir()
    nbformat.write(source, tmp_path / "src" / "91_graded.ipynb")
    problems = grading.write_keys(tmp_path / "src", tmp_path / "keys.yaml")
    assert problems == {"91_graded": []}
    keys = grading.load_keys(tmp_path / "keys.yaml")["91_graded"]
    assert keys.questions == {"q1": {"kind": "text", "answer": "expand"},
                              "q2": {"kind": "number", "decimals": 2, "answer": 0.67}}
    (released,) = grading.release(tmp_path / "src", tmp_path / "released")
    subs = tmp_path / "subs"
    right = nbformat.read(released, as_version=4)
    right.cells[1].source = right.cells[1].source.replace("None", "'Expand'")
    right.cells[3].source = right.cells[3].source.replace("None", "0.666")
    hand_in(subs, "right", right, "91_graded.ipynb")
    hand_in(subs, "blank", nbformat.read(released, as_version=4), "91_graded.ipynb")
    table = grading.grade(subs, tmp_path / "book.csv", keys=tmp_path / "keys.yaml",
                          limits=grading_limits()).set_index("student")
    assert table.loc["right", ["status", "score", "max_score", "locked"]].tolist() == ["ok", 2, 2, ""]
    assert table.loc["blank", ["score", "note"]].tolist() == [0, "unanswered: q1, q2"]
    without = grading.grade(subs, tmp_path / "book2.csv", limits=grading_limits()).set_index("student")
    assert without.loc["right", "status"] == "unreadable" and "no known exercise set" in without.loc["right", "note"]


def test_a_broken_keys_file_is_a_clear_error(tmp_path):
    (tmp_path / "keys.yaml").write_text("sets:\n  01_supplier_levels:\n    questions:\n      q1: {kind: level}\n")
    with pytest.raises(B4BError, match="lack a kind or an answer"):
        grading.load_keys(tmp_path / "keys.yaml")
    (tmp_path / "other.yaml").write_text("- just a list\n")
    with pytest.raises(B4BError, match="not a keys file"):
        grading.load_keys(tmp_path / "other.yaml")


# ---- the command ---------------------------------------------------------------------------------

def test_cli_grade_prints_each_row_and_reports_bad_input(b4b, tmp_path):
    (tmp_path / "subs" / "gus").mkdir(parents=True)
    (tmp_path / "subs" / "gus" / "hw.ipynb").write_text("not a notebook")
    res = b4b("exercises", "grade", tmp_path / "subs", "--out", tmp_path / "book.csv")
    assert res.returncode == 0, res.stderr
    assert "gus" in res.stdout and "unreadable" in res.stdout and "gradebook:" in res.stdout
    assert (tmp_path / "book.csv").read_text().startswith("student,")
    res = b4b("exercises", "grade", tmp_path / "missing", "--out", tmp_path / "b.csv")
    assert res.returncode == 2 and "no such folder" in res.stderr
    res = b4b("exercises", "grade", tmp_path / "subs", "--limit", "memory=plenty")
    assert res.returncode == 2 and "memory=plenty" in res.stderr and "Traceback" not in res.stderr


def test_grading_works_from_an_installed_copy_whose_sources_the_sandbox_hides(tmp_path):
    import os
    import shutil
    import subprocess
    import sys

    # the layout a wheel installs (content/ holds copies, sources included), built offline, under /tmp:
    # the sandbox lays an empty /tmp of its own, and must still show the kit installed there
    place = tmp_path / "installed"
    try:
        shutil.copytree(REPO / "b4b_kit", place / "b4b_kit", ignore=shutil.ignore_patterns("__pycache__"))
        assert not (place / "b4b_kit" / "content" / "exercises").is_symlink()
        nb = student_version(SET01, {"q1": BY_HAND["q1"]}, cells=[
            "import b4b_kit, glob, os\n"
            "print('KIT', b4b_kit.__file__)\n"
            "print('SOURCES', glob.glob(os.path.dirname(b4b_kit.__file__) + '/content/exercises/**', recursive=True))"])
        hand_in(tmp_path / "subs", "a", nb)
        script = ("from b4b_kit.workflows import grading; import b4b_kit; print(b4b_kit.__file__); "
                  f"grading.grade({str(tmp_path / 'subs')!r}, {str(tmp_path / 'book.csv')!r})")
        res = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                             env={**os.environ, "PYTHONPATH": str(place)}, cwd=tmp_path)
        assert res.returncode == 0, res.stderr
        assert res.stdout.startswith(str(place / "b4b_kit"))
        table = pd.read_csv(tmp_path / "book.csv")
        assert table.loc[0, ["status", "score"]].tolist() == ["ok", 1]
        cell = json.loads((tmp_path / "book.runs" / "a" / "01_supplier_levels.ipynb").read_text())["cells"][-1]
        text = "".join(cell["outputs"][0]["text"])
        assert f"KIT {place / 'b4b_kit' / '__init__.py'}" in text
        assert "SOURCES ['" + str(place / "b4b_kit" / "content" / "exercises") + "/']" in text  # an empty folder
    finally:
        shutil.rmtree(place, ignore_errors=True)


def test_the_hand_answers_cover_every_question_of_set_01():
    assert set(BY_HAND) == set(exercises.load(SET01).questions)
