"""Grading a class: the sandboxed, parallel grader against the grader it replaced, in the same run.

100 submissions of the seven exercise sets, a mix a class hands in: full
solutions (40), partly answered (30), untouched student versions (20) and
notebooks that crash half-way (10). The baseline is the previous grader's
algorithm, kept here: one papermill run per submission, one after the other, its
verdicts read from what each notebook displayed. The new grader runs each
submission in its own bubblewrap sandbox with the default limits, several at
once, and judges the answer values itself. Both grade the same folder; the
scores must agree where the old one could be trusted (every notebook here is
honest), except that the new grader keeps grading after a crashing cell.

    python bench/bench_grading.py [N]
"""

from __future__ import annotations

import re
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from b4b_kit.workflows import grading, sandbox

REPO = Path(__file__).resolve().parents[1]
SOURCES = sorted((REPO / "exercises" / "source").glob("*.ipynb"))


def make_class(root: Path, n: int) -> None:
    """``n`` submissions in ``root/studentNNN/``: full, partial, empty and crashing, over the seven sets."""
    mix = ["full"] * 4 + ["partial"] * 3 + ["empty"] * 2 + ["crash"]
    for i in range(n):
        source = SOURCES[i % len(SOURCES)]
        kind = mix[i % len(mix)]
        nb = nbformat.read(source, as_version=4)
        if kind in ("partial", "empty"):
            student = nbformat.read(REPO / "exercises" / source.name, as_version=4)
            answered = 0
            for cell, solved in zip(student.cells, nb.cells):
                if kind == "partial" and "= None" in cell.source and answered < 3:
                    cell.source = grading.strip_solutions(solved.source).replace("= None", "= " + _key(solved.source))
                    answered += 1
            nb = student
        elif kind == "crash":
            nb.cells.insert(len(nb.cells) // 2, nbformat.v4.new_code_cell("raise RuntimeError('student bug')"))
        folder = root / f"student{i:03d}"
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / source.name)


def _key(solution_cell: str) -> str:
    m = re.search(r"^answer_\w+ = (.+?)(\s+#.*)?$", solution_cell, re.MULTILINE)
    return m.group(1)


# ---- the previous grader, as it was --------------------------------------------------------------

def old_grade_one(path: Path, workdir: Path, timeout: int = 60) -> dict:
    import papermill as pm

    row = {"notebook": path.name, "status": "ok", "score": 0}
    nb = nbformat.read(path, as_version=4)
    bank_id = next(m.group(1) for c in nb.cells if (m := re.search(r"""load\(\s*["']([\w-]+)["']\s*\)""", c.source)))
    questions = list(grading.load(bank_id).questions)
    executed_path = workdir / f"{abs(hash(str(path)))}.{path.name}"
    try:
        pm.execute_notebook(str(path), str(executed_path), cwd=str(path.parent), kernel_name="python3",
                            execution_timeout=timeout, progress_bar=False, log_output=False,
                            extra_arguments=["--IPKernelApp.log_level=ERROR"])
    except pm.PapermillExecutionError:
        row["status"] = "error"
    executed = nbformat.read(executed_path, as_version=4)
    seen = {}
    for cell in executed.cells:
        for output in cell.get("outputs", []):
            text = output.get("data", {}).get("text/plain", "")
            if m := re.match(r"(Correct|Not quite) — ", text):  # what each ex.check displayed
                qid = re.search(r'ex\.check\("(\w+)"', cell.source).group(1)
                seen[qid] = m.group(1) == "Correct"
    row["score"] = sum(1 for q in questions if seen.get(q) is True)
    return row


def old_grade(root: Path) -> dict:
    rows = {}
    with tempfile.TemporaryDirectory() as work:
        for path in sorted(root.rglob("*.ipynb")):
            rows[path.parent.name] = old_grade_one(path, Path(work))
    return rows


def main(n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "class"
        make_class(root, n)
        print(f"{n} submissions; sandbox: {sandbox.mode()}")
        started = time.perf_counter()
        old = old_grade(root)
        old_seconds = time.perf_counter() - started
        print(f"previous grader (papermill, sequential): {old_seconds:.1f} s")
        started = time.perf_counter()
        table = grading.grade(root, Path(tmp) / "gradebook.csv", runs=False).set_index("student")
        new_seconds = time.perf_counter() - started
        print(f"sandboxed grader ({(sandbox.os.cpu_count() or 1) + 1} workers): {new_seconds:.1f} s")
        agree = sum(1 for s, row in old.items() if row["status"] == "error" or row["score"] == table.loc[s, "score"])
        crashing = sum(1 for row in old.values() if row["status"] == "error")
        print(f"scores agree on {agree} of {n} ({crashing} crashing: the new grader grades past the crash)")
        print(f"ratio: {old_seconds / new_seconds:.2f}x faster")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100)
