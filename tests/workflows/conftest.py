"""One grading run of honest submissions, shared by the tests of test_grading.py (each run costs real kernels).

Where a submission changes a cell, the cell is found by what it holds (the
question it asks or checks), so the rows expected stay right when exercise
set 01 is rewritten.
"""

import nbformat
import pytest

from b4b_kit.workflows import grading
from tests.helpers import BOB, BY_HAND, REPO, cell_index, grading_limits, hand_in, student_version

SOURCES = sorted((REPO / "exercises" / "source").glob("*.ipynb"))


def honest_class(root):
    """Submissions a class hands in; returns nothing, writes ``root/STUDENT/NOTEBOOK.ipynb``."""
    for source in SOURCES:
        hand_in(root, f"src-{source.stem[:2]}", nbformat.read(source, as_version=4), source.name)
        hand_in(root, f"stu-{source.stem[:2]}", nbformat.read(REPO / "exercises" / source.name, as_version=4),
                source.name)
    hand_in(root, "bob", student_version("01_supplier_levels", BOB))
    hand_in(root, "hand", student_version("01_supplier_levels", BY_HAND))
    crash = nbformat.read(SOURCES[0], as_version=4)
    crash.cells.insert(4, nbformat.v4.new_code_cell("1 / 0"))
    hand_in(root, "cy", crash)
    reshaped = nbformat.read(SOURCES[0], as_version=4)
    reshaped.cells = [c for c in reshaped.cells if 'ex.check("q6"' not in c.source]
    hand_in(root, "eve", reshaped)
    edited = student_version("01_supplier_levels", BY_HAND)
    edited.cells[cell_index(edited, "answer_q2 = ") - 1].source += "\n\nI think the answer is level 3."  # q2's text
    q3 = cell_index(edited, 'ex.check("q3", answer_q3)')
    edited.cells[q3].source = edited.cells[q3].source.replace('ex.check("q3", answer_q3)', "print(answer_q3)")
    hand_in(root, "gus", edited)


@pytest.fixture(scope="session")
def clean(tmp_path_factory):
    """The honest class graded once: (submissions folder, gradebook indexed by student, gradebook path)."""
    root = tmp_path_factory.mktemp("clean") / "submissions"
    honest_class(root)
    out = root.parent / "gradebook.csv"
    table = grading.grade(root, out, limits=grading_limits())
    return root, table.set_index("student"), out
