"""Release and grading, with real kernels: sources run with their solutions, student versions without."""

import json
import shutil

import nbformat
import pytest

from b4b_kit.errors import B4BError
from b4b_kit.workflows import exercises, grading
from tests.helpers import REPO

SOURCES = sorted((REPO / "exercises" / "source").glob("*.ipynb"))
N01 = len(exercises.load("01_supplier_levels").questions)  # questions in exercise set 01


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


@pytest.fixture(scope="module")
def gradebook(tmp_path_factory):
    """Six submissions of exercise 01: full marks, partly wrong, crashing, looping, reshaped, not a notebook."""
    root = tmp_path_factory.mktemp("submissions")
    source = REPO / "exercises" / "source" / "01_supplier_levels.ipynb"
    student = REPO / "exercises" / "01_supplier_levels.ipynb"

    def submit(name, nb):
        (root / name).mkdir()
        nbformat.write(nb, root / name / "01_supplier_levels.ipynb")

    full = nbformat.read(source, as_version=4)
    submit("ada", full)
    partial = nbformat.read(student, as_version=4)
    for cell in partial.cells:
        if cell.source.startswith("answer_q1 ="):
            cell.source = cell.source.replace("answer_q1 = None", "answer_q1 = 2")
        if cell.source.startswith("answer_q5 ="):
            cell.source = cell.source.replace("answer_q5 = None", "answer_q5 = 0.27")
    submit("bob", partial)
    crash = nbformat.read(source, as_version=4)
    crash.cells.insert(4, nbformat.v4.new_code_cell("1 / 0"))
    submit("cy", crash)
    loop = nbformat.read(source, as_version=4)
    loop.cells.insert(6, nbformat.v4.new_code_cell("while True:\n    pass"))
    submit("dee", loop)
    reshaped = nbformat.read(source, as_version=4)
    reshaped.cells = [c for c in reshaped.cells if "ex.check(\"q6\"" not in c.source]
    submit("eve", reshaped)
    (root / "fay").mkdir()
    (root / "fay" / "01_supplier_levels.ipynb").write_text("{ this is not json")
    out = root / "gradebook.csv"
    table = grading.grade(root, out, timeout=8)
    return table.set_index("student"), out


def test_a_full_solution_scores_every_question(gradebook):
    table, _ = gradebook
    assert table.loc["ada", "status"] == "ok"
    assert (table.loc["ada", "score"], table.loc["ada", "max_score"]) == (N01, N01)


def test_a_partly_answered_notebook_scores_what_is_right(gradebook):
    table, _ = gradebook
    assert table.loc["bob", "status"] == "ok"
    assert table.loc["bob", "score"] == 1  # q1 right, q5 wrong, the rest unanswered
    assert table.loc["bob", "q.q1"] == 1 and table.loc["bob", "q.q5"] == 0


def test_a_crashing_notebook_gets_a_row_naming_the_error(gradebook):
    table, _ = gradebook
    assert table.loc["cy", "status"] == "error"
    assert "ZeroDivisionError" in table.loc["cy", "note"]
    assert "not checked" in table.loc["cy", "note"]
    assert 0 < table.loc["cy", "score"] < N01  # questions before the crash still count


def test_a_looping_notebook_times_out_and_the_others_still_run(gradebook):
    table, _ = gradebook
    assert table.loc["dee", "status"] == "timeout"
    assert table.loc["dee", "score"] < N01


def test_a_reshaped_notebook_says_which_questions_were_not_checked(gradebook):
    table, _ = gradebook
    assert table.loc["eve", "score"] == N01 - 1
    assert "not checked: q6" in table.loc["eve", "note"]


def test_a_file_that_is_not_a_notebook_is_a_row_not_a_crash(gradebook):
    table, out = gradebook
    assert table.loc["fay", "status"] == "unreadable"
    import pandas as pd

    assert len(pd.read_csv(out)) == 6


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_every_source_run_with_its_solutions_scores_full_marks(source, tmp_path):
    row = grading.grade_one(source, tmp_path, timeout=120)
    assert row["status"] == "ok", row["note"]
    assert row["score"] == row["max_score"] >= 4, row


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_every_student_version_runs_to_the_end_and_scores_zero(source, tmp_path):
    shutil.copy(REPO / "exercises" / source.name, tmp_path / source.name)
    row = grading.grade_one(tmp_path / source.name, tmp_path, timeout=120)
    assert row["status"] == "ok", row["note"]
    assert row["score"] == 0 and "not checked" not in row["note"]


def test_cli_grade_writes_the_gradebook_and_reports_bad_folders(b4b, tmp_path):
    (tmp_path / "subs" / "gus").mkdir(parents=True)
    (tmp_path / "subs" / "gus" / "hw.ipynb").write_text("not a notebook")
    res = b4b("exercises", "grade", tmp_path / "subs", "--out", tmp_path / "book.csv")
    assert res.returncode == 0, res.stderr
    assert "gus" in res.stdout and "unreadable" in res.stdout
    assert (tmp_path / "book.csv").read_text().startswith("student,")
    res = b4b("exercises", "grade", tmp_path / "missing", "--out", tmp_path / "b.csv")
    assert res.returncode == 2 and "no such folder" in res.stderr
