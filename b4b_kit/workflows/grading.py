"""Instructor tools: release student versions of exercises, and grade submissions into a gradebook.

An exercise *source* notebook (``exercises/source/NN_topic.ipynb``) holds the
solutions between markers, as otter and nbgrader do::

    # BEGIN SOLUTION
    answer_q1 = 2
    # END SOLUTION
    ex.check("q1", answer_q1)

:func:`release` writes the student version: each solution block becomes
``answer_q1 = None  # your answer`` (one line per variable it assigned), cells
tagged ``hidden`` and lines between ``# BEGIN HIDDEN`` / ``# END HIDDEN`` are
dropped, and outputs are cleared. Answer keys never appear: checks compare
against SHA-256 digests in the question bank.

:func:`grade` runs every submitted notebook in a fresh kernel with a timeout,
reads the feedback each ``ex.check`` displayed, and writes one gradebook row per
submission, also for a submission that crashes, loops or is not a notebook.
"""

from __future__ import annotations

import copy
import re
import time
from pathlib import Path

from ..errors import B4BError
from .exercises import FEEDBACK_MIME, load

_BEGIN = re.compile(r"^\s*#\s*BEGIN SOLUTION\s*$")
_END = re.compile(r"^\s*#\s*END SOLUTION\s*$")
_BEGIN_HIDDEN = re.compile(r"^\s*#\s*BEGIN HIDDEN\s*$")
_END_HIDDEN = re.compile(r"^\s*#\s*END HIDDEN\s*$")
_ASSIGN = re.compile(r"^(\s*)([A-Za-z_]\w*)\s*=(?!=)[^#]*(#.*)?$")


def strip_solutions(source: str, where: str = "cell") -> str:
    r"""The student version of one code cell's source.

    Examples
    --------
    >>> cell = "# BEGIN SOLUTION\nanswer_q1 = 2  # a level, 1-4\n# END SOLUTION\nex.check('q1', answer_q1)"
    >>> print(strip_solutions(cell))
    answer_q1 = None  # a level, 1-4
    ex.check('q1', answer_q1)
    """
    out: list[str] = []
    mode = None
    for number, line in enumerate(source.splitlines(), start=1):
        if _BEGIN.match(line) or _BEGIN_HIDDEN.match(line):
            if mode:
                raise B4BError(f"line {number}: a block opens inside another", where=where,
                               fix="Close each '# BEGIN ...' with its '# END ...' first.")
            mode = "solution" if _BEGIN.match(line) else "hidden"
            assigned: list[tuple[str, str, str]] = []
            continue
        if (mode == "solution" and _END.match(line)) or (mode == "hidden" and _END_HIDDEN.match(line)):
            if mode == "solution":
                if not assigned:
                    out.append("...  # your answer")
                out += [f"{indent}{name} = None  {comment}" for indent, name, comment in assigned]
            mode = None
            continue
        if _END.match(line) or _END_HIDDEN.match(line):
            raise B4BError(f"line {number}: '# END' without a matching '# BEGIN'", where=where,
                           fix="Pair every '# END SOLUTION' with a '# BEGIN SOLUTION' above it.")
        if mode == "solution":
            m = _ASSIGN.match(line)
            if m and m.group(2) not in {n for _, n, _ in assigned}:
                # the solution line's comment says what kind of answer is wanted; keep it
                assigned.append((m.group(1), m.group(2), m.group(3) or "# your answer"))
        elif mode is None:
            out.append(line)
    if mode:
        raise B4BError(f"'# BEGIN {mode.upper()}' is never closed", where=where,
                       fix=f"Add '# END {mode.upper()}' after the block.")
    return "\n".join(out)


def release_notebook(nb: dict, where: str = "notebook") -> dict:
    """The student version of a source notebook (a new dict; the source is not changed)."""
    student = copy.deepcopy(nb)
    cells = []
    for index, cell in enumerate(student["cells"]):
        if "hidden" in cell.get("metadata", {}).get("tags", []):
            continue
        if cell["cell_type"] == "code":
            src = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
            cell["source"] = strip_solutions(src, where=f"{where}, cell {index}")
            cell["outputs"] = []
            cell["execution_count"] = None
        cells.append(cell)
    student["cells"] = cells
    return student


def release(src: str | Path, dst: str | Path) -> list[Path]:
    """Write the student version of every source notebook in ``src`` (a folder or one file) into ``dst``."""
    import nbformat

    src, dst = Path(src), Path(dst)
    sources = sorted(src.glob("*.ipynb")) if src.is_dir() else [src]
    if not sources:
        raise B4BError("no exercise notebooks found", where=str(src), fix="Point at a folder of .ipynb sources.")
    dst.mkdir(parents=True, exist_ok=True)
    written = []
    for path in sources:
        nb = nbformat.read(path, as_version=4)
        student = nbformat.from_dict(release_notebook(nb, where=str(path)))
        target = dst / path.name
        nbformat.write(student, target)
        written.append(target)
    return written


# ---- grading -------------------------------------------------------------------------------------

def _feedback(nb) -> dict[tuple[str, str], bool | None]:
    """(bank, question) -> correct, from the last check of each question the notebook displayed."""
    seen: dict[tuple[str, str], bool | None] = {}
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if FEEDBACK_MIME in data:
                fb = data[FEEDBACK_MIME]
                seen[(fb.get("bank", ""), fb.get("question", ""))] = fb.get("correct")
    return seen


def _bank_of(nb) -> str | None:
    for cell in nb.get("cells", []):
        src = cell.get("source", "")
        src = src if isinstance(src, str) else "".join(src)
        if m := re.search(r"""load\(\s*["']([\w-]+)["']\s*\)""", src):
            return m.group(1)
    return None


def grade_one(path: Path, workdir: Path, timeout: int = 60) -> dict:
    """Run one submission in a fresh kernel and score it; never raises for a bad submission.

    The executed copy goes to ``workdir``; the submission itself is not touched.
    """
    import nbformat
    import papermill as pm

    row = {"notebook": path.name, "status": "ok", "score": 0, "max_score": 0, "note": ""}
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as exc:  # not JSON, not a notebook: a row that says so
        return {**row, "status": "unreadable", "note": f"not a readable notebook ({type(exc).__name__})"}
    bank_id = _bank_of(nb)
    if bank_id is None:
        return {**row, "status": "unreadable", "note": "no exercise set is loaded (load(...) call missing)"}
    try:
        bank = load(bank_id)
    except B4BError as exc:
        return {**row, "status": "unreadable", "note": str(exc)}
    questions = list(bank.questions)
    executed_path = workdir / f"{abs(hash(str(path)))}.{path.name}"
    status, note = "ok", ""
    try:
        pm.execute_notebook(str(path), str(executed_path), cwd=str(path.parent), kernel_name="python3",
                            execution_timeout=timeout, progress_bar=False, log_output=False,
                            extra_arguments=["--IPKernelApp.log_level=ERROR"])
    except pm.PapermillExecutionError as exc:
        status, note = "error", f"cell {exc.exec_count} raised {exc.ename}: {exc.evalue}"[:300]
    except Exception as exc:  # timeout, dead kernel
        name = type(exc).__name__
        status = "timeout" if "Timeout" in name else "died" if name == "DeadKernelError" else "error"
        note = f"{name}: {str(exc).splitlines()[0] if str(exc) else ''}"[:300]
    try:
        executed = nbformat.read(executed_path, as_version=4)
    except Exception:
        executed = {"cells": []}
    seen = _feedback(executed)
    per_question = {q: (1 if seen.get((bank_id, q)) is True else 0) for q in questions}
    unchecked = [q for q in questions if (bank_id, q) not in seen]
    if unchecked:
        note = (note + "; " if note else "") + f"not checked: {', '.join(unchecked)}"
    return {**row, "status": status, "score": sum(per_question.values()), "max_score": len(questions),
            **{f"q.{q}": v for q, v in per_question.items()}, "note": note}


def grade(submissions: str | Path, out: str | Path, timeout: int = 60):
    """Grade every ``.ipynb`` under ``submissions`` (``<student>/<notebook>.ipynb`` or flat files).

    Returns the gradebook (a DataFrame) and writes it to ``out`` as CSV.
    """
    import tempfile

    import pandas as pd

    root = Path(submissions)
    if not root.is_dir():
        raise B4BError("no such folder", where=str(root), fix="Give the folder that holds the submitted notebooks.")
    paths = sorted(p for p in root.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
    if not paths:
        raise B4BError("no submitted notebooks found", where=str(root), fix="Put one .ipynb per student there.")
    rows = []
    with tempfile.TemporaryDirectory() as work:
        for path in paths:
            started = time.perf_counter()
            student = path.parent.name if path.parent != root else path.stem
            row = {"student": student, **grade_one(path, Path(work), timeout=timeout)}
            row["seconds"] = round(time.perf_counter() - started, 1)
            rows.append(row)
    table = pd.DataFrame(rows)
    out = Path(out)
    tmp = out.with_name(f".{out.name}.tmp")
    table.to_csv(tmp, index=False)
    tmp.replace(out)
    return table

