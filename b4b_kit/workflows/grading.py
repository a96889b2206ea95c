"""Instructor tools: release student versions of exercises, write answer keys, grade submissions.

An exercise *source* notebook (``exercises/source/NN_topic.ipynb``) holds the
solutions between markers, as otter and nbgrader do::

    # BEGIN SOLUTION
    answer_q1 = 2
    # END SOLUTION
    ex.check("q1", answer_q1)

:func:`release` writes the student version: each solution block becomes
``answer_q1 = None  # your answer`` (one line per variable it assigned), cells
tagged ``hidden`` and lines between ``# BEGIN HIDDEN`` / ``# END HIDDEN`` are
dropped, and outputs are cleared.

:func:`grade` decides every grade in its own process. Each submission runs in a
sandbox of its own (:mod:`b4b_kit.workflows.sandbox`: bubblewrap, resource
limits), with its cells sent one by one to a fresh kernel; then the grader asks
for the ``answer_*`` variables as plain values (text, numbers, booleans) and
judges them against the question bank, or against the keys of
:func:`write_keys` for a set whose answers students must not be able to try
out. Whatever the notebook prints, displays or writes counts for nothing, and
no object of the submission's reaches the grader. The grader also checks the
instructor's cells (question text, checks, set-up) against the source, as
nbgrader does with its locked cells, and names the cells that were changed or
removed. Submissions are graded by several workers at once; the gradebook is
rewritten atomically after each one, and a run started again skips what it has
already graded.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import re
import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import B4BError
from . import sandbox as sandboxes
from .exercises import _normalise, _type_problem, load
from .progress import watch
from .sandbox import Limits

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


# ---- locked cells: the instructor's part of the released notebook -------------------------------

@dataclass(frozen=True)
class LockedCell:
    """An instructor cell of a released notebook, as nbgrader's checksums know its locked cells.

    ``pattern`` lists the cell's instructor lines in blocks, each ``"N:digest"``
    (N lines, the first 16 hex digits of their SHA-256), with ``"*"`` where a
    solution was: there the student writes anything. Blank lines and trailing
    spaces do not count.
    """

    number: int  # position in the released notebook, from 1
    id: str | None
    cell_type: str
    pattern: tuple[str, ...]


def _lines(source) -> list[str]:
    text = source if isinstance(source, str) else "".join(source)
    return [line.rstrip() for line in text.splitlines() if line.strip()]


def _digest(lines: list[str]) -> str:
    return f"{len(lines)}:{hashlib.sha256(chr(10).join(lines).encode()).hexdigest()[:16]}"


def locked_cells(source_nb: dict) -> list[LockedCell]:
    r"""The instructor cells of the notebook :func:`release_notebook` makes from ``source_nb``.

    Examples
    --------
    >>> answer = "# BEGIN SOLUTION\nanswer_q1 = 2\n# END SOLUTION\ncheck(answer_q1)"
    >>> nb = {"cells": [{"cell_type": "markdown", "source": "Which level?"}, {"cell_type": "code", "source": answer}]}
    >>> [c.pattern for c in locked_cells(nb)]
    [('1:93d505012f1292b2',), ('*', '1:36d8b0464603e694')]
    """
    out = []
    for cell in source_nb.get("cells", []):
        if "hidden" in cell.get("metadata", {}).get("tags", []):
            continue
        pattern: list[str] = []
        block: list[str] = []
        mode = None
        for line in _lines(cell.get("source", "")):
            if cell["cell_type"] == "code" and (_BEGIN.match(line) or _BEGIN_HIDDEN.match(line)):
                mode = "solution" if _BEGIN.match(line) else "hidden"
                if mode == "solution":
                    if block:
                        pattern.append(_digest(block))
                        block = []
                    if not pattern or pattern[-1] != "*":
                        pattern.append("*")
                continue
            if mode and (_END.match(line) or _END_HIDDEN.match(line)):
                mode = None
                continue
            if mode is None:
                block.append(line)
        if block:
            pattern.append(_digest(block))
        out.append(LockedCell(len(out) + 1, cell.get("id"), cell["cell_type"], tuple(pattern)))
    return out


def _matches(pattern: tuple[str, ...], lines: list[str]) -> bool:
    """Whether a cell's lines keep every instructor block, in order, where the pattern puts it.

    A block first in the pattern must open the cell, a block last must close it;
    a ``"*"`` stands for any lines (the student's answer).
    """
    if not pattern:
        return not lines
    position, last = 0, len(pattern) - 1
    for k, part in enumerate(pattern):
        if part == "*":
            continue
        n = int(part.split(":")[0])
        free_before = k > 0 and pattern[k - 1] == "*"
        if k == last:
            start = len(lines) - n
            starts = [start] if start >= position and (free_before or start == position) else []
        else:
            starts = range(position, len(lines) - n + 1) if free_before else [position]
        for start in starts:
            if _digest(lines[start:start + n]) == part:
                position = start + n
                break
        else:
            return False
    return pattern[-1] == "*" or position == len(lines)


def check_locked(nb: dict, reference: list[LockedCell]) -> dict[str, list[int]]:
    """Which instructor cells a submission changed (``altered``) or no longer has (``removed``).

    A cell is found by its id (JupyterLab keeps cell ids), or else by its content;
    a student may add cells anywhere.
    """
    cells = [c for c in nb.get("cells", []) if isinstance(c, dict)]
    by_id = {c.get("id"): c for c in cells if c.get("id")}
    used: set[int] = set()
    altered, removed = [], []
    for ref in reference:
        cell = by_id.get(ref.id) if ref.id else None
        if cell is not None and cell.get("cell_type") == ref.cell_type:
            used.add(id(cell))
            if not _matches(ref.pattern, _lines(cell.get("source", ""))):
                altered.append(ref.number)
            continue
        twin = next((c for c in cells if id(c) not in used and c.get("cell_type") == ref.cell_type
                     and _matches(ref.pattern, _lines(c.get("source", "")))), None)
        if twin is None:
            (altered if cell is not None else removed).append(ref.number)
        else:
            used.add(id(twin))
    return {"altered": altered, "removed": removed}


def _describe_locked(found: dict[str, list[int]]) -> str:
    parts = [f"{what}: cell{'s' if len(numbers) > 1 else ''} {', '.join(map(str, numbers))}"
             for what, numbers in found.items() if numbers]
    return "; ".join(parts)


# ---- answer keys ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class SetKey:
    """How one exercise set is judged: its questions, with bank digests or plain keys, and its locked cells."""

    id: str
    questions: dict  # question id -> {"kind", "decimals", "options", and "answer" for a plain key}
    locked: tuple[LockedCell, ...] | None
    fingerprint: str  # changes when the keys or the reference change: a resumed run then regrades

    def judge(self, question: str, value) -> bool | None:
        """True or False for a plain value; None if it has the wrong type for the question."""
        spec = self.questions[question]
        if "answer" not in spec:
            return load(self.id).check(question, value).correct
        return _judge_plain(spec, value)


def _judge_plain(spec: dict, value) -> bool | None:
    """Judge against a plain key as the bank judges against a digest (same tolerance, same text forms).

    Examples
    --------
    >>> _judge_plain({"kind": "number", "decimals": 2, "answer": 0.63}, 0.634)
    True
    >>> _judge_plain({"kind": "level", "answer": 2}, "Level 2"), _judge_plain({"kind": "level", "answer": 2}, "two")
    (True, None)
    """
    kind, decimals = spec["kind"], spec.get("decimals", 0)
    if value is None:
        return None
    if kind in ("level", "number") or (kind == "choice" and spec.get("options")):
        if _type_problem(spec, value):
            return None
    elif not isinstance(value, str):
        return None  # a text answer (or a choice the keys give no options for)
    if kind == "level":
        value = int(value.lower().replace("level", "").strip()) if isinstance(value, str) else int(value)
        return value == int(spec["answer"])
    if kind == "number":
        key = _normalise("number", spec["answer"], decimals)
        return any(_normalise("number", float(value) + k * 10.0 ** -decimals, decimals) == key for k in (0, -1, 1))
    return _normalise("choice", value) == _normalise("choice", spec["answer"])


def _bank_key(bank_id: str, reference: list[LockedCell] | None) -> SetKey:
    bank = load(bank_id)
    questions = {q: {k: v for k, v in spec.items() if k in ("kind", "decimals", "options")}
                 for q, spec in bank.questions.items()}
    text = (_banks_dir() / f"{bank_id}.yaml").read_bytes()
    ref = json.dumps([c.pattern for c in reference or []]).encode()
    return SetKey(bank_id, questions, tuple(reference) if reference is not None else None,
                  "bank:" + hashlib.sha256(text + ref).hexdigest()[:12])


def _banks_dir() -> Path:
    from .exercises import DATA_DIR

    return Path(DATA_DIR)


def load_keys(path: str | Path) -> dict[str, SetKey]:
    """The sets of a keys file written by :func:`write_keys`."""
    import yaml

    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise B4BError(f"cannot read the keys file ({type(exc).__name__})", where=str(path),
                       fix="Write it with `b4b exercises keys SOURCES --out FILE`.") from None
    if not isinstance(data, dict) or not isinstance(data.get("sets"), dict):
        raise B4BError("not a keys file (no 'sets:')", where=str(path),
                       fix="Write it with `b4b exercises keys SOURCES --out FILE`.")
    out = {}
    for set_id, entry in data["sets"].items():
        questions = entry.get("questions") or {}
        bad = [q for q, spec in questions.items() if not isinstance(spec, dict) or "answer" not in spec
               or spec.get("kind") not in ("level", "number", "choice", "text")]
        if bad or not questions:
            raise B4BError(f"set {set_id}: questions {', '.join(map(str, bad)) or '(none)'} lack a kind or an answer",
                           where=str(path), fix="Each question needs kind (level|number|choice|text) and answer.")
        locked = entry.get("locked")
        reference = None if locked is None else tuple(
            LockedCell(c["cell"], c.get("id"), c["type"], tuple(c["pattern"])) for c in locked)
        fingerprint = "keys:" + hashlib.sha256(json.dumps(entry, sort_keys=True, default=str).encode()).hexdigest()[:12]
        out[str(set_id)] = SetKey(str(set_id), questions, reference, fingerprint)
    return out


def write_keys(src: str | Path, out: str | Path, *, limits: Limits | None = None,
               sandbox: str = "auto") -> dict[str, list[str]]:
    """Write the answer keys of the exercise sources in ``src`` (a folder or one file) to ``out`` (YAML).

    Each source runs as a submission would, and the values its answer variables
    end with become the keys, so a solution may compute its answer. A question's
    kind, decimals and options come from the bank when it has the question, and
    otherwise from the value (text or number). Returns, per set, the problems
    found (a source answer the bank does not accept, a bank question the source
    does not answer); the keys are written either way.
    """
    import nbformat
    import yaml

    src = Path(src)
    sources = sorted(src.glob("*.ipynb")) if src.is_dir() else [src]
    if not sources or not all(p.is_file() for p in sources):
        raise B4BError("no exercise sources found", where=str(src), fix="Point at a folder of source notebooks.")
    limits = limits or Limits()
    kind = sandboxes.mode(sandbox)
    sets, problems = {}, {}
    for path in sources:
        nb = nbformat.read(path, as_version=4)
        run = _execute(path.name, path.read_text(encoding="utf-8"), nb, limits, kind, [])
        if run["status"] != "ok":
            raise B4BError(f"the source does not run cleanly: {run['note']}", where=str(path),
                           fix="Run it in JupyterLab and fix the failing cell.")
        answers = run["answers"] or {}
        bank = None
        try:
            bank = load(path.stem)
        except B4BError:
            pass
        questions, found = {}, []
        names = sorted({name[len("answer_"):] for name in answers} | set(bank.questions if bank else []))
        for qid in names:
            entry = answers.get(f"answer_{qid}")
            if not isinstance(entry, dict) or "value" not in entry or entry["value"] is None:
                found.append(f"{qid}: the source gives no plain answer")
                continue
            value = entry["value"]
            if bank and qid in bank.questions:
                spec = {k: v for k, v in bank.questions[qid].items() if k in ("kind", "decimals", "options")}
                if bank.check(qid, value).correct is not True:
                    found.append(f"{qid}: the bank does not accept the source's answer {value!r}")
            elif isinstance(value, str):
                spec = {"kind": "text"}
            else:
                decimals = len(repr(float(value)).split(".")[1].rstrip("0")) if isinstance(value, float) else 0
                spec = {"kind": "number", "decimals": decimals}
            questions[qid] = {**spec, "answer": value}
        sets[path.stem] = {
            "source": path.name,
            "source_sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
            "questions": questions,
            "locked": [{"cell": c.number, "id": c.id, "type": c.cell_type, "pattern": list(c.pattern)}
                       for c in locked_cells(nb)],
        }
        problems[path.stem] = found
    header = ("# Answer keys for `b4b exercises grade --keys`, written by `b4b exercises keys` from the sources.\n"
              "# Keep this file with the instructor: whoever has it has the answers.\n")
    _atomic_write(Path(out), header + yaml.safe_dump({"format": 1, "sets": sets}, sort_keys=False, width=100))
    return problems


def _atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


# ---- running one submission ----------------------------------------------------------------------

_LIMIT_ERRORS = (  # what a cell error says when a limit stopped it
    ("memory", re.compile(r"MemoryError")),
    ("processes", re.compile(r"BlockingIOError|can't start new thread|Resource temporarily unavailable")),
    ("file_size", re.compile(r"\[Errno 27\]|File too large|\[Errno 28\]|No space left on device")),
)
_SIGXCPU = 24


def _read_notebook(path: Path, limits: Limits) -> tuple[str | None, dict | None, dict]:
    """(text, notebook, row fields if it cannot be graded)."""
    size = path.stat().st_size
    if size > limits.notebook:
        return None, None, {"status": "limit", "limit": limits.label("notebook"),
                            "note": f"the file is {size / sandboxes.MIB:.1f} MiB; nothing was run"}
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, None, {"status": "unreadable", "note": f"not UTF-8 text (byte {exc.start} is not valid)"}
    try:
        nb = json.loads(text)
        if isinstance(nb, dict) and nb.get("nbformat", 4) < 4:
            import nbformat

            nb = nbformat.reads(text, as_version=4)
        cells = nb["cells"]
        if not isinstance(cells, list) or not all(isinstance(c, dict) and isinstance(c.get("cell_type"), str)
                                                  for c in cells):
            raise ValueError("cells")
    except (ValueError, KeyError, TypeError, RecursionError) as exc:
        return None, None, {"status": "unreadable", "note": f"not a readable notebook ({type(exc).__name__})"}
    except Exception as exc:  # nbformat's own conversions: any failure means the same thing here
        return None, None, {"status": "unreadable", "note": f"not a readable notebook ({type(exc).__name__})"}
    return text, nb, {}


def _plain(values) -> dict:
    """The runner's answers, kept only if they have the shape the grader asked for."""
    out = {}
    if not isinstance(values, dict):
        return out
    for name, entry in values.items():
        if not (isinstance(name, str) and re.fullmatch(r"answer_\w{1,60}", name) and isinstance(entry, dict)):
            continue
        if "value" in entry and type(entry["value"]) in (str, int, float, bool, type(None)):
            value = entry["value"]
            if not (isinstance(value, str) and len(value) > 10_000):
                out[name] = {"value": value}
        elif isinstance(entry.get("unsupported"), str):
            out[name] = {"unsupported": entry["unsupported"][:60]}
    return out


def _execute(name: str, text: str, nb: dict, limits: Limits, kind: str, hide: list[Path],
             worker: sandboxes.Worker | None = None) -> dict:
    """Run a notebook's code cells in a sandbox; what happened, and the answer values it ended with."""
    cells = []
    for index, cell in enumerate(nb["cells"]):
        source = cell.get("source", "")
        source = source if isinstance(source, str) else "".join(s for s in source if isinstance(s, str))
        if cell["cell_type"] == "code" and source.strip():
            cells.append((index, source))
    skipped = max(0, len(cells) - limits.cells)
    cells = cells[:limits.cells]
    job = {"name": name, "text": text, "cells": cells, "cell_time": limits.cell_time, "output": limits.output,
           "snapshot": [i for i, source in cells if "answer_" in source]}
    own = worker is None
    worker = worker or sandboxes.Worker(limits, kind, hide)
    try:
        report = worker.execute(job, limits.output + 16 * sandboxes.MIB)
    finally:
        if own:
            worker.close()
    records, answers, done, started = {}, None, None, False
    answered_after, unreadable, unlimited = None, False, ""
    for record in report.records:
        kind_of = record.get("type")
        if kind_of == "cell" and isinstance(record.get("index"), int):
            records[record["index"]] = record
        elif kind_of == "answers" and "values" in record:
            answers, answered_after, unreadable = _plain(record["values"]), record.get("after"), False
        elif kind_of == "answers":
            unreadable = True  # the kernel was asked and gave nothing readable
        elif kind_of == "started":
            started, unlimited = True, str(record.get("unlimited", ""))[:100]
        elif kind_of == "done":
            done = record
    outcome = _outcome(records, answers, done, started, report, limits, len(cells))
    if unreadable:
        where = f"as of cell {answered_after + 1}" if isinstance(answered_after, int) else "none"
        unread = f"the last answers could not be read: {where} count"
        outcome["note"] = "; ".join(x for x in (outcome["note"], unread) if x)
    if unlimited:
        outcome["note"] = "; ".join(x for x in (outcome["note"], f"not limited on this machine: {unlimited}") if x)
    if skipped:
        outcome["status"] = "limit" if outcome["status"] in ("ok", "error") else outcome["status"]
        outcome["limit"] = "; ".join(x for x in (limits.label("cells"), outcome["limit"]) if x)
        outcome["note"] = "; ".join(x for x in (f"{skipped} code cells past the first {limits.cells} were not run",
                                                outcome["note"]) if x)
    return outcome


def _outcome(records: dict, answers: dict | None, done: dict | None, started: bool, box, limits: Limits,
             n_cells: int) -> dict:
    hit: list[str] = []
    notes: list[str] = []
    errors = [(i, r) for i, r in sorted(records.items()) if r.get("status") == "error"]
    timeouts = [i for i, r in sorted(records.items()) if r.get("status") == "timeout"]
    for _, r in errors:
        message = f"{r.get('ename', '')}: {r.get('evalue', '')}"
        for name, pattern in _LIMIT_ERRORS:
            if pattern.search(message) and name not in hit:
                hit.append(name)
    kernel = (done or {}).get("kernel") or next((r.get("kernel") for r in records.values() if r.get("kernel")), None)
    died = bool(kernel) or any(r.get("status") == "died" for r in records.values())
    if isinstance(kernel, dict):
        cpu = kernel.get("cpu")
        if kernel.get("signal") == _SIGXCPU or (isinstance(cpu, int | float) and cpu >= limits.cpu - 1):
            hit.append("cpu")
    if timeouts:
        hit.append("cell_time")
    if box.timed_out:
        hit.append("wall")
    if box.overflow or any(r.get("dropped") for r in records.values()):
        hit.append("output")
    if done is not None and not done.get("started", True):
        died = True
        notes.append("the kernel did not start" + (f": {done.get('error') or done.get('log', '')}"[:200]
                                                   if done.get("error") or done.get("log") else ""))
    elif done is None and not (box.timed_out or box.overflow):
        died = True
        last_words = box.stderr.strip().splitlines()[-1:] if box.stderr.strip() else []
        notes.append("the sandbox ended without a report" + "".join(f" ({w[:200]})" for w in last_words))
    if errors:
        i, r = errors[0]
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        notes.append(f"cell {i + 1} raised {r.get('ename', '')}: {r.get('evalue', '')}"[:300] + more)
    if timeouts:
        notes.append(f"cell {timeouts[0] + 1} ran past {limits.cell_time:g} s and was interrupted")
    if died and started and records:
        last = max(records)
        notes.append(f"the kernel died during cell {last + 1}; answers given before it count")
    if box.timed_out:
        notes.append(f"stopped after {limits.wall:g} s; answers given before count")
    ran = sum(1 for r in records.values() if r.get("status") in ("ok", "error", "timeout"))
    fatal = [h for h in hit if h not in ("output", "cell_time", "wall")]
    status = ("limit" if fatal else "timeout" if ("cell_time" in hit or "wall" in hit) else
              "died" if died else "error" if errors else "ok")
    return {"status": status, "limit": "; ".join(limits.label(h) for h in hit), "note": "; ".join(notes),
            "answers": answers, "records": records, "ran": ran, "cells": n_cells}


# ---- grading -------------------------------------------------------------------------------------

class _Workers:
    """One sandbox worker per grading thread (each keeps its warm template between submissions)."""

    def __init__(self, limits: Limits, kind: str, hide: list[Path]) -> None:
        self.limits, self.kind, self.hide = limits, kind, hide
        self._local = threading.local()
        self._made: list[sandboxes.Worker] = []
        self._lock = threading.Lock()

    def get(self) -> sandboxes.Worker:
        worker = getattr(self._local, "worker", None)
        if worker is None:
            worker = self._local.worker = sandboxes.Worker(self.limits, self.kind, self.hide)
            with self._lock:
                self._made.append(worker)
        return worker

    def close(self) -> None:
        with self._lock:
            made, self._made = self._made, []
        for worker in made:
            worker.close()


def _bank_of(nb) -> str | None:
    for cell in nb.get("cells", []):
        src = cell.get("source", "")
        src = src if isinstance(src, str) else "".join(s for s in src if isinstance(s, str))
        if m := re.search(r"""load\(\s*["']([\w-]+)["']\s*\)""", src):
            return m.group(1)
    return None


class _Sets:
    """The sets a grading run knows: from a keys file, or the installed banks with their sources' locked cells."""

    def __init__(self, keys: str | Path | None, source: str | Path | None) -> None:
        self.keys = load_keys(keys) if keys else None
        if source is None:
            from .. import resources

            source = Path(resources.exercises()) / "source"
        self.source = Path(source)
        self._cache: dict[str, SetKey | None] = {}
        self._lock = threading.Lock()

    def known(self) -> set[str]:
        if self.keys is not None:
            return set(self.keys)
        return {p.stem for p in _banks_dir().glob("*.yaml")}

    def get(self, set_id: str) -> SetKey | None:
        if self.keys is not None:
            return self.keys.get(set_id)
        with self._lock:
            if set_id not in self._cache:
                reference = None
                source = self.source / f"{set_id}.ipynb"
                if source.is_file():
                    reference = locked_cells(json.loads(source.read_text(encoding="utf-8")))
                try:
                    self._cache[set_id] = _bank_key(set_id, reference)
                except B4BError:
                    self._cache[set_id] = None
            return self._cache[set_id]

    def for_notebook(self, path: Path, nb: dict) -> tuple[SetKey | None, str]:
        """The set a submission answers: its file name, else the set its notebook loads."""
        if path.stem in self.known():
            return self.get(path.stem), ""
        named = _bank_of(nb)
        if named and named in self.known():
            return self.get(named), f"set {named} taken from its load(...) call (file renamed)"
        return None, "no known exercise set (file name and load(...) call name none)"


def _judge(key: SetKey, answers: dict | None) -> tuple[dict, list[str]]:
    scores, notes = {}, []
    missing, unanswered, wrong_type = [], [], []
    answers = answers or {}
    for qid in key.questions:
        entry = answers.get(f"answer_{qid}")
        scores[qid] = 0
        if entry is None:
            missing.append(qid)
        elif "unsupported" in entry:
            wrong_type.append(f"{qid} ({entry['unsupported']})")
        elif entry["value"] is None:
            unanswered.append(qid)
        else:
            verdict = key.judge(qid, entry["value"])
            if verdict is None:
                wrong_type.append(f"{qid} ({type(entry['value']).__name__})")
            scores[qid] = 1 if verdict is True else 0
    if missing:
        notes.append(f"not defined: {', '.join(missing)}")
    if unanswered:
        notes.append(f"unanswered: {', '.join(unanswered)}")
    if wrong_type:
        notes.append(f"wrong type: {', '.join(wrong_type)}")
    return scores, notes


def _grade_path(path: Path, sets: _Sets, limits: Limits, kind: str, hide: list[Path],
                runs: Path | None, worker: sandboxes.Worker | None = None) -> dict:
    row = {"notebook": path.name, "status": "ok", "score": 0, "max_score": 0, "limit": "", "locked": "",
           "note": "", "sandbox": kind, "sha256": "", "key": ""}
    try:
        row["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
        text, nb, problem = _read_notebook(path, limits)
    except OSError as exc:
        return {**row, "status": "unreadable", "note": f"cannot read the file ({exc.strerror or exc})"}
    if problem:
        known = sets.get(path.stem) if path.stem in sets.known() else None
        return {**row, **problem, "max_score": len(known.questions) if known else 0}
    key, set_note = sets.for_notebook(path, nb)
    if key is None:
        return {**row, "status": "unreadable", "note": set_note}
    row.update(max_score=len(key.questions), key=key.fingerprint)
    notes = [set_note] if set_note else []
    if key.locked is None:
        notes.append("locked cells not checked (no source for this set)")
    else:
        row["locked"] = _describe_locked(check_locked(nb, list(key.locked)))
    run = _execute(path.name, text, nb, limits, kind, hide, worker)
    scores, answer_notes = _judge(key, run["answers"])
    if runs is not None:
        _write_run(runs, path.name, nb, run["records"])
    return {**row, "status": run["status"], "score": sum(scores.values()),
            **{f"q.{q}": v for q, v in scores.items()}, "limit": run["limit"],
            "note": "; ".join(n for n in [run["note"], *answer_notes, *notes] if n)}


def _write_run(folder: Path, name: str, nb: dict, records: dict) -> None:
    """The executed copy an instructor can open: the submission with the outputs that were kept."""
    executed = copy.deepcopy(nb)
    for index, cell in enumerate(executed["cells"]):
        if cell.get("cell_type") == "code":
            outputs = records.get(index, {}).get("outputs", [])
            cell["outputs"] = [o for o in outputs if isinstance(o, dict)] if isinstance(outputs, list) else []
    _atomic_write(folder / name, json.dumps(executed, indent=1, ensure_ascii=False))


def grade_one(path: str | Path, workdir: str | Path | None = None, timeout: float | None = None, *,
              keys: str | Path | None = None, source: str | Path | None = None, limits: Limits | None = None,
              sandbox: str = "auto") -> dict:
    """Grade one submission in a sandbox of its own; never raises for a bad submission.

    ``workdir``, if given, receives the executed copy. ``timeout`` is the time per
    cell (else ``limits.cell_time``).
    """
    limits = limits or Limits()
    if timeout is not None:
        limits = replace(limits, cell_time=timeout)
    path = Path(path)
    return _grade_path(path, _Sets(keys, source), limits, sandboxes.mode(sandbox), [path.parent],
                       Path(workdir) if workdir else None)


COLUMNS = ["student", "notebook", "status", "score", "max_score"]
TAIL = ["limit", "locked", "note", "seconds", "sandbox", "sha256", "key"]


def _table(rows: list[dict]):
    import pandas as pd

    table = pd.DataFrame(rows)
    for column in ["limit", "locked", "note", "sandbox", "sha256", "key"]:
        table[column] = table[column].fillna("").astype(str) if column in table else ""
    questions = sorted((c for c in table.columns if c.startswith("q.")), key=lambda c: (len(c), c))
    for column in ["score", "max_score", *questions]:
        if column in table:
            table[column] = table[column].astype("Int64")
    ordered = [c for c in COLUMNS if c in table] + questions + [c for c in TAIL if c in table]
    return table[ordered + [c for c in table.columns if c not in ordered]]


def _previous(out: Path) -> dict[tuple[str, str], dict]:
    import pandas as pd

    if not out.is_file():
        return {}
    try:
        table = pd.read_csv(out, dtype=str, keep_default_na=False)
    except (ValueError, OSError, UnicodeDecodeError):
        return {}
    if not {"student", "notebook", "sha256", "key"} <= set(table.columns):
        return {}
    rows = {}
    for row in table.to_dict("records"):
        clean = {k: v for k, v in row.items() if not (k.startswith("q.") and v == "")}  # another set's question
        for k in ("score", "max_score", *[c for c in clean if c.startswith("q.")]):
            clean[k] = int(float(clean[k])) if clean.get(k, "") != "" else None
        clean["seconds"] = float(clean["seconds"]) if clean.get("seconds", "") != "" else None
        rows[(row["student"], row["notebook"])] = clean
    return rows


def grade(submissions: str | Path, out: str | Path, timeout: float | None = None, *,
          keys: str | Path | None = None, source: str | Path | None = None, workers: int | None = None,
          regrade: bool = False, limits: Limits | None = None, sandbox: str = "auto", runs: bool = True,
          on_row=None, on_note=None, progress: str = "quiet"):
    """Grade every ``.ipynb`` under ``submissions`` (``<student>/<notebook>.ipynb`` or flat files).

    Parameters
    ----------
    submissions
        The folder of submissions.
    out
        The gradebook (CSV). It is rewritten atomically after every submission; if it
        exists, submissions it already grades (same file, same keys) are skipped.
    timeout
        Seconds per cell (else ``limits.cell_time``).
    keys
        A keys file from :func:`write_keys`; without it the installed question banks judge.
    source
        The folder of exercise sources whose instructor cells are checked (default: the
        kit's); a keys file carries its own.
    workers
        Submissions graded at once (default: the number of cores, plus one).
    regrade
        Grade every submission again.
    limits, sandbox
        See :class:`~b4b_kit.workflows.sandbox.Limits` and :func:`~b4b_kit.workflows.sandbox.mode`.
    runs
        Write each executed notebook (outputs kept up to the limit) to ``<out>.runs/<student>/``.
    on_row, on_note
        Called with each new row (a dict), and with a note for the instructor (no sandbox).
    progress : str
        How to show progress (:mod:`b4b_kit.workflows.progress`): ``"auto"`` is a bar in a
        terminal or a notebook and a line per submission (:func:`row_line`) in a log.

    Returns
    -------
    The gradebook as a DataFrame.
    """
    from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait

    limits = limits or Limits()
    if timeout is not None:
        limits = replace(limits, cell_time=timeout)
    root = Path(submissions)
    if not root.is_dir():
        raise B4BError("no such folder", where=str(root), fix="Give the folder that holds the submitted notebooks.")
    paths = sorted(p for p in root.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts and p.is_file())
    if not paths:
        raise B4BError("no submitted notebooks found", where=str(root), fix="Put one .ipynb per student there.")
    out = Path(out)
    sets = _Sets(keys, source)
    kind = sandboxes.mode(sandbox)
    if kind == "none":
        (on_note or _warn)(sandboxes.WITHOUT_BWRAP)
    runs_dir = out.with_name(out.stem + ".runs") if runs else None
    hide = [root, out.parent, *([Path(keys)] if keys else []), sets.source]
    previous = {} if regrade else _previous(out)
    students = {p: (p.parent.name if p.parent != root else p.stem) for p in paths}
    rows: dict[Path, dict] = {}
    todo = []
    for path in paths:
        before = previous.get((students[path], path.name))
        if before and _unchanged(before, path, sets):
            rows[path] = before
        else:
            todo.append(path)

    def one(path: Path) -> dict:
        started = time.perf_counter()
        run_folder = runs_dir / students[path] if runs_dir and students[path] != path.stem else runs_dir
        try:
            row = _grade_path(path, sets, limits, kind, hide, run_folder, boxes.get())
        except B4BError:
            raise  # the sandbox cannot run here: no row would be right
        except Exception as exc:  # a bug of ours must not cost the other rows
            row = {"notebook": path.name, "status": "error", "score": 0, "max_score": 0,
                   "note": f"grader error: {type(exc).__name__}: {exc}"[:300], "sandbox": kind}
        return {"student": students[path], **row, "seconds": round(time.perf_counter() - started, 1)}

    def save():
        ordered = [rows[p] for p in paths if p in rows]
        _atomic_write(out, _table(ordered).to_csv(index=False))

    workers = max(1, workers or (os.cpu_count() or 1) + 1)
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="b4b-grade")
    boxes = _Workers(limits, kind, hide)
    try:
        with watch(len(todo), what="submissions", mode=progress) as shown:
            if len(todo) < len(paths):
                shown.note(f"{len(paths)} submissions: {len(paths) - len(todo)} already graded, {len(todo)} to grade")
            pending = {pool.submit(one, path): path for path in todo}
            while pending:
                finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in finished:
                    path = pending.pop(future)
                    rows[path] = future.result()
                    save()
                    shown.finished(rows[path]["status"] == "ok", row_line(rows[path]))
                    if on_row:
                        on_row(rows[path])
        save()
    except BaseException:
        boxes.close()  # Ctrl-C: stop every sandbox; nothing of a half-graded submission is kept
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    boxes.close()
    pool.shutdown()
    return _table([rows[p] for p in paths])


def row_line(row: dict) -> str:
    """One gradebook row as a line for a log: student, notebook, status, score and what went wrong.

    Examples
    --------
    >>> row_line({"student": "ada", "notebook": "01.ipynb", "status": "ok", "score": 6, "max_score": 6})
    'ada                  01.ipynb                         ok         6/6'
    """
    note = f"  ({row['note']})" if row.get("note") else ""
    limit = f"  [limit: {row['limit']}]" if row.get("limit") else ""
    locked = f"  [locked cells {row['locked']}]" if row.get("locked") else ""
    return (f"{row['student']:<20} {row['notebook']:<32} {row['status']:<10} "
            f"{row['score']}/{row['max_score']}{limit}{locked}{note}")


def _unchanged(before: dict, path: Path, sets: _Sets) -> bool:
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    except OSError:
        return False
    if before.get("sha256") != digest:
        return False
    if not before.get("key"):
        return False  # not graded against a set: try again
    return any(key is not None and key.fingerprint == before["key"] for key in map(sets.get, sets.known()))


def _warn(message: str) -> None:
    import warnings

    warnings.warn(message, RuntimeWarning, stacklevel=3)
