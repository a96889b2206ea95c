"""What many tests share: the repository's paths, and the rows a chart was given."""

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
B4B = Path(sys.executable).with_name("b4b")
DATA = Path(__file__).parent / "data"


def chart_rows(chart, *, every: bool = False) -> list[dict]:
    """The rows of a chart's first inline dataset (of all its datasets with ``every=True``).

    ``chart`` may be an altair chart, its ``to_dict()`` spec, a ``ChartView``, or
    an explorer whose ``chart`` attribute is one: tests read what the chart was
    given, so that a chart that computed something itself would be caught.
    """
    while not isinstance(chart, dict) and not hasattr(chart, "to_dict"):
        chart = chart.chart
    spec = chart if isinstance(chart, dict) else chart.to_dict()
    datasets = list(spec["datasets"].values())
    return [row for data in datasets for row in data] if every else datasets[0]


def student_version(bank: str, answers: dict | None = None, *, cells: list[str] = (), at: int | None = None):
    """The released notebook of an exercise set with answers typed in, as a student would hand it in.

    ``answers`` maps a question to the source text of its answer (``{"q1": "2", "q3": "'matched'"}``);
    ``cells`` are code cells added at position ``at`` (default: the end).
    """
    import nbformat

    nb = nbformat.read(REPO / "exercises" / f"{bank}.ipynb", as_version=4)
    for qid, text in (answers or {}).items():
        (cell,) = [c for c in nb.cells if f"answer_{qid} = None" in c.source]
        cell.source = cell.source.replace(f"answer_{qid} = None", f"answer_{qid} = {text}")
    new = [nbformat.v4.new_code_cell(source) for source in cells]
    position = len(nb.cells) if at is None else at
    nb.cells[position:position] = new
    return nb


def hand_in(root: Path, student: str, nb, name: str = "01_supplier_levels.ipynb") -> Path:
    """Write a submission where graders look for it: ``root/student/name``."""
    import nbformat

    (root / student).mkdir(parents=True, exist_ok=True)
    path = root / student / name
    if isinstance(nb, bytes | str):
        path.write_bytes(nb if isinstance(nb, bytes) else nb.encode())
    else:
        nbformat.write(nb, path)
    return path


def grading_limits():
    """The limits the grading tests run with: the defaults, with times and sizes small enough for a test suite."""
    from b4b_kit.workflows.sandbox import KIB, MIB, Limits

    return Limits(cell_time=5, wall=90, processes=128, file_size=16 * MIB, output=256 * KIB, cells=1000)


# A class's honest answers to exercise set 01, typed by hand (computed where a student would compute).
BY_HAND = {"q1": "2", "q2": "'Level 3'", "q3": "'under_served'", "q4": "'automated_platform'",
           "q5": "round(0.9 * (1 - 0.3), 2)", "q6": "400 + 7 * 400"}
