"""One grading run of honest submissions, shared by the grading tests (each run costs real kernels)."""

import nbformat
import pytest

from b4b_kit.workflows import grading
from tests.helpers import BY_HAND, REPO, grading_limits, hand_in, student_version

SOURCES = sorted((REPO / "exercises" / "source").glob("*.ipynb"))


def honest_class(root):
    """Submissions a class hands in; returns nothing, writes ``root/STUDENT/NOTEBOOK.ipynb``."""
    for source in SOURCES:
        hand_in(root, f"src-{source.stem[:2]}", nbformat.read(source, as_version=4), source.name)
        hand_in(root, f"stu-{source.stem[:2]}", nbformat.read(REPO / "exercises" / source.name, as_version=4),
                source.name)
    hand_in(root, "bob", student_version("01_supplier_levels", {"q1": "2", "q5": "0.27"}))
    hand_in(root, "hand", student_version("01_supplier_levels", BY_HAND))
    crash = nbformat.read(SOURCES[0], as_version=4)
    crash.cells.insert(4, nbformat.v4.new_code_cell("1 / 0"))
    hand_in(root, "cy", crash)
    reshaped = nbformat.read(SOURCES[0], as_version=4)
    reshaped.cells = [c for c in reshaped.cells if 'ex.check("q6"' not in c.source]
    hand_in(root, "eve", reshaped)
    edited = student_version("01_supplier_levels", BY_HAND)
    edited.cells[4].source += "\n\nI think the answer is level 3."  # the question text of q2
    edited.cells[7].source = edited.cells[7].source.replace('ex.check("q3", answer_q3)', "print(answer_q3)")
    hand_in(root, "gus", edited)


@pytest.fixture(scope="session")
def clean(tmp_path_factory):
    """The honest class graded once: (submissions folder, gradebook indexed by student, gradebook path)."""
    root = tmp_path_factory.mktemp("clean") / "submissions"
    honest_class(root)
    out = root.parent / "gradebook.csv"
    table = grading.grade(root, out, limits=grading_limits())
    return root, table.set_index("student"), out
