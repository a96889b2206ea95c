"""Parameterized case studies: read their parameters, check them, run them with papermill, keep a record.

A case study is a notebook in ``notebooks/cases/`` with one cell tagged
``parameters`` made of lines like::

    threshold: float = 0.5  # step up to levels 2 and 3 [range 0..1]
    scheme: str = "staged"  # scoring rule [one of staged|continuous]
    dataset: str = ""       # CSV of product-markets; empty: the shipped data [file supplier_portfolio]

The comment is the help text; a trailing ``[range LOW..HIGH]``, ``[one of
A|B]`` or ``[file]`` states what values are allowed, and ``[unit $k]`` the
unit that reports show next to the value. ``[file NAME]`` says the
file must have the columns of the data card ``datasets/NAME.card.yaml``: a
file given is checked against it before a kernel starts, and
``b4b cases show`` prints those columns (:func:`data_files`). Parameters are checked
*before* a kernel starts: papermill itself only warns on unknown names and
never checks types.

The notebook hands its key figures to :func:`record`, which shows them and
stores them in the output notebook; :func:`run` writes them with the
parameters and provenance to ``<case>.results.json`` beside the output
notebook, also when the run fails part-way.

Examples
--------
>>> sorted(parameters("goldilocks_portfolio"))
['dataset', 'outcome_threshold', 'seed', 'supplier', 'threshold']
>>> check("goldilocks_portfolio", {"threshold": "0.6"})["threshold"]
0.6
"""

from __future__ import annotations

import ast
import json
import os
import re
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .. import resources
from ..errors import B4BError, ParameterError

CASES_DIR = resources.cases()
RESULTS_MIME = "application/vnd.b4b.results+json"

_TYPES = {"int": int, "float": float, "str": str, "bool": bool}
_RANGE = re.compile(r"\[range\s+([-+0-9.eE]+)\s*\.\.\s*([-+0-9.eE]+)\]")
_CHOICES = re.compile(r"\[one of\s+([^\]]+)\]")
_FILE = re.compile(r"\[file(?:\s+([a-z][a-z0-9_]*))?\]")
_UNIT = re.compile(r"\[unit\s+([^\]]+)\]")


@dataclass(frozen=True)
class Parameter:
    """One parameter of a case study, as declared in its ``parameters`` cell."""

    name: str
    type: str
    default: object
    help: str = ""
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] = ()
    is_file: bool = False
    dataset: str | None = None
    """For a file parameter: the dataset whose data card the file must follow."""
    unit: str = ""

    @property
    def allowed(self) -> str:
        """What values are allowed, in words."""
        if self.choices:
            return "one of " + ", ".join(self.choices)
        if self.low is not None:
            return f"{self.type} from {_num(self.low)} to {_num(self.high)}"
        if self.dataset:
            return f"a CSV with the columns of the {self.dataset} data (or empty for the shipped file)"
        if self.is_file:
            return "a path to an existing file (or empty for the default)"
        return {"int": "a whole number", "float": "a number", "bool": "true or false", "str": "text"}[self.type]


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def names() -> list[str]:
    """The case studies shipped with the kit."""
    return sorted(p.stem for p in CASES_DIR.glob("*.ipynb"))


def framework_of(case: str | Path) -> str:
    """The id of the framework a case study belongs to (``metadata.b4b.framework`` of its notebook).

    Examples
    --------
    >>> framework_of("goldilocks_portfolio")
    'supplier_levels'
    """
    path = notebook_path(case)
    meta = json.loads(path.read_text(encoding="utf-8")).get("metadata", {}).get("b4b", {})
    if not meta.get("framework"):
        raise B4BError("the notebook names no framework", where=f"{path}, metadata.b4b.framework",
                       fix="Add {\"b4b\": {\"framework\": \"<framework id>\"}} to the notebook's metadata.")
    return meta["framework"]


def notebook_path(case: str | Path) -> Path:
    """The notebook of a case study, by name or path."""
    path = Path(case)
    if path.suffix == ".ipynb":
        if not path.is_file():
            raise B4BError("no such notebook", where=str(path), fix="Check the path.")
        return path
    path = CASES_DIR / f"{case}.ipynb"
    if not path.is_file():
        raise B4BError(f"unknown case study {str(case)!r}",
                       fix=f"Known case studies: {', '.join(names()) or 'none'}. Run 'b4b cases list'.")
    return path


def _parameters_cell(nb: dict, where: str) -> str:
    for cell in nb["cells"]:
        if cell["cell_type"] == "code" and "parameters" in cell.get("metadata", {}).get("tags", []):
            src = cell["source"]
            return "".join(src) if isinstance(src, list) else src
    raise B4BError("no cell tagged 'parameters'", where=where,
                   fix="Tag the cell that declares the parameters with 'parameters'.")


def parameters(case: str | Path) -> dict[str, Parameter]:
    """The declared parameters of a case study, read from its ``parameters`` cell (no kernel)."""
    path = notebook_path(case)
    source = _parameters_cell(json.loads(path.read_text(encoding="utf-8")), str(path))
    lines = source.splitlines()
    found: dict[str, Parameter] = {}
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise B4BError(f"the parameters cell is not valid Python ({exc.msg})", where=f"{path}, line {exc.lineno}",
                       fix="Write one 'name: type = value  # help' line per parameter.") from None
    for node in tree.body:
        if not (isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None):
            raise B4BError("every line of the parameters cell must read 'name: type = value  # help'",
                           where=f"{path}, parameters cell line {node.lineno}",
                           fix="Move computed values to a later cell.")
        type_name = ast.unparse(node.annotation)
        if type_name not in _TYPES:
            raise B4BError(f"type {type_name!r} is not supported", where=f"{path}, parameter {node.target.id}",
                           fix="Use int, float, str or bool.")
        default = ast.literal_eval(node.value)
        comment = lines[node.lineno - 1].partition("#")[2].strip()
        low = high = None
        if m := _RANGE.search(comment):
            low, high = float(m.group(1)), float(m.group(2))
        choices = tuple(c.strip() for c in m.group(1).split("|")) if (m := _CHOICES.search(comment)) else ()
        unit = m.group(1).strip() if (m := _UNIT.search(comment)) else ""
        help_text = _UNIT.sub("", _FILE.sub("", _CHOICES.sub("", _RANGE.sub("", comment)))).strip()
        file_tag = _FILE.search(comment)
        found[node.target.id] = Parameter(node.target.id, type_name, default, help_text, low, high, choices,
                                          bool(file_tag), file_tag.group(1) if file_tag else None, unit)
    return found


def _convert(p: Parameter, value: object, case: str) -> object:
    def bad(why: str) -> ParameterError:
        return ParameterError(f"{why}; it takes {p.allowed}", where=f"parameter {p.name!r} of {case}",
                              fix=f"For example: -p {p.name} {p.default!r}." if p.default != "" else None)

    if isinstance(value, str) and p.type != "str":
        text = value.strip()
        if p.type == "bool":
            if text.lower() not in ("true", "false", "1", "0", "yes", "no"):
                raise bad(f"{value!r} is not true or false")
            value = text.lower() in ("true", "1", "yes")
        else:
            try:
                value = int(text) if p.type == "int" else float(text)
            except ValueError:
                raise bad(f"{value!r} is not {'a whole number' if p.type == 'int' else 'a number'}") from None
    if p.type == "float" and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, _TYPES[p.type]) or (p.type in ("int", "float") and isinstance(value, bool)):
        raise bad(f"{value!r} is a {type(value).__name__}, not {p.type}")
    if p.low is not None and not p.low <= value <= p.high:
        raise bad(f"{value!r} is out of range")
    if p.choices and value not in p.choices:
        raise bad(f"{value!r} is not allowed")
    if p.is_file and value:
        path = Path(value).expanduser()
        if not path.is_file():
            raise bad(f"no file at {value!r}")
        value = str(path.resolve())
        if p.dataset:  # a file that does not fit fails here, naming file and column, before any kernel starts
            from .. import datasets

            try:
                datasets.load(p.dataset, file=value)
            except B4BError as exc:
                raise ParameterError(exc.what, where=f"parameter {p.name!r} of {case}: {exc.where}",
                                     fix=f"{exc.fix or ''} 'b4b cases show {case}' lists the columns it needs."
                                     .strip()) from None
    return value


def data_files(case: str | Path) -> dict[str, dict]:
    """The data a case reads from its file parameters: parameter -> the dataset's columns and card.

    Returns
    -------
    dict
        For each parameter tagged ``[file NAME]``: ``{"dataset": NAME, "card":
        path of the card, "columns": DataFrame}`` with the columns from
        :func:`b4b_kit.datasets.schema` (column, type, unit, allowed, description).

    Examples
    --------
    >>> files = data_files("goldilocks_portfolio")
    >>> files["dataset"]["dataset"], files["dataset"]["columns"]["column"].iloc[0]
    ('supplier_portfolio', 'supplier')
    """
    from .. import datasets

    return {p.name: {"dataset": p.dataset, "card": datasets.DATA_DIR / f"{p.dataset}.card.yaml",
                     "columns": datasets.schema(p.dataset)}
            for p in parameters(case).values() if p.dataset}


def check(case: str | Path, values: dict[str, object]) -> dict[str, object]:
    """Check parameter values against a case's declarations; return them converted to their types.

    Strings (from the command line) are converted; file paths are made absolute,
    so they mean the same once the notebook runs in its own folder.

    Raises
    ------
    ParameterError
        For an unknown name, a wrong type or a value out of range, naming the
        parameter, its type and what it allows.
    """
    declared = parameters(case)
    label = Path(case).stem
    out = {}
    for name, value in values.items():
        if name not in declared:
            import difflib

            close = difflib.get_close_matches(name, declared, n=1)
            hint = f"Did you mean {close[0]!r}? " if close else ""
            raise ParameterError(f"unknown parameter {name!r}", where=label,
                                 fix=f"{hint}{label} takes: {', '.join(declared)}. Run 'b4b cases show {label}'.")
        out[name] = _convert(declared[name], value, label)
    return out


def record(figures: dict, datasets: dict[str, str | Path] | None = None, evidence: list | None = None,
           units: dict[str, str] | None = None) -> dict:
    """Report a case study's key figures: show them, and store them in the notebook for :func:`run`.

    Parameters
    ----------
    figures : dict
        Name -> number or short text. Must be JSON-serialisable.
    datasets : dict, optional
        Name -> path of each data file the case read; their SHA-256 go in the record.
    evidence : list, optional
        Comparisons with published figures (from :func:`b4b_kit.evidence.compare`);
        shown beside their figures and stored under ``evidence`` in the record.
        Records made without them have no ``evidence`` key (read it with ``.get``).
    units : dict, optional
        Name -> unit of a figure (``"$k"``, ``"$M"``, ``"share"`` for 0..1 shown in %,
        ``"units/yr"``), for reports; figures named ``*_musd`` or ``*_share`` need none.
    """
    from html import escape

    from IPython.display import display

    from ..datasets import checksum

    sums = {name: {"path": str(p), "sha256": checksum(p)} for name, p in (datasets or {}).items()}
    compared = [c.to_dict() if hasattr(c, "to_dict") else dict(c) for c in (evidence or [])]
    payload = {"figures": figures, "datasets": sums, **({"units": dict(units)} if units else {})}
    if compared:
        payload["evidence"] = compared
    beside = {c["figure"]: published_text(c) for c in compared}  # each compared figure shows its range
    text = "\n".join(f"{k}: {v}" + (f"  [{beside[k]}]" if k in beside else "") for k, v in figures.items())
    rows = "".join(f"<tr><th style='text-align:left'>{escape(str(k))}</th><td>{escape(str(v))}</td>"
                   + (f"<td>{escape(beside.get(k, ''))}</td>" if beside else "") + "</tr>" for k, v in figures.items())
    display({RESULTS_MIME: json.loads(json.dumps(payload)), "text/plain": text,
             "text/html": f"<table class='b4b-results'>{rows}</table>"}, raw=True)
    return payload


def published_text(c: dict) -> str:
    """'published LOW-HIGH (band): where (benchmark)' for one stored comparison."""
    if c.get("low") is None:
        return f"{c['where']} ({c['benchmark']})"
    band = f" ({c['band']})" if c.get("band") else ""
    return f"published {c['low']:g}-{c['high']:g}{band}: {c['where']} ({c['benchmark']})"


def recorded(nb: dict) -> dict:
    """The payload that :func:`record` left in an executed notebook (empty if none)."""
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []):
            if RESULTS_MIME in output.get("data", {}):
                return output["data"][RESULTS_MIME]
    return {}


def provenance(repo: Path | None = None) -> dict:
    """Kit version, git commit, Python and key package versions."""
    import importlib.metadata as md
    import subprocess

    from .. import __version__

    repo = repo or resources.source_checkout()  # an installed wheel has no commit to report
    commit = dirty = None
    try:
        if repo is not None:
            commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True,
                                    timeout=10).stdout.strip() or None
        if commit:
            dirty = bool(subprocess.run(["git", "status", "--porcelain"], cwd=repo, capture_output=True,
                                        text=True, timeout=10).stdout.strip())
    except (OSError, subprocess.SubprocessError):
        pass
    packages = {}
    for name in ("numpy", "pandas", "altair", "papermill", "ipykernel"):
        try:
            packages[name] = md.version(name)
        except md.PackageNotFoundError:
            packages[name] = None
    return {"kit_version": __version__, "git_commit": commit, "git_dirty": dirty,
            "python": sys.version.split()[0], "packages": packages}


def write_json(path: Path, data: dict) -> None:
    """Write JSON atomically: a reader sees the old file or the new one, never half of one."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=2, default=str)
        fh.write("\n")
    os.replace(tmp, path)


def _failing_cell(nb) -> dict:
    """Where the error sits in the output notebook (papermill's own index ignores the cells it adds)."""
    for index, cell in enumerate(nb.cells):
        if any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            first = next((line for line in cell.source.splitlines() if line.strip()), "")
            return {"cell_index": index, "cell": cell.get("execution_count"), "source": first}
    return {}


@dataclass(frozen=True)
class RunResult:
    """What :func:`run` produced: paths, status and the record written beside the notebook."""

    notebook: Path
    results: Path
    record: dict

    @property
    def ok(self) -> bool:
        """Whether the run finished without an error."""
        return self.record["status"] == "ok"


def run(case: str | Path, params: dict[str, object] | None = None, out: str | Path = "build",
        *, timeout: int = 600, kernel_name: str = "python3", kernel_manager_class=None) -> RunResult:
    """Run a case study with papermill and write ``<case>.ipynb`` and ``<case>.results.json`` into ``out``.

    Parameters are checked first (see :func:`check`). A failing run keeps the
    output notebook up to the failing cell, and its record says which cell
    failed and why; the result's ``ok`` is then False. ``kernel_manager_class``
    is for sweeps (:class:`b4b_kit.workflows.forked_kernels.ForkedKernelManager`).
    """
    import hashlib

    import nbformat
    import papermill as pm

    src = notebook_path(case)
    values = check(src, params or {})
    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    out_nb = out_dir / f"{src.stem}.ipynb"
    results = out_dir / f"{src.stem}.results.json"
    declared = parameters(src)
    rec = {
        "case": src.stem,
        "notebook": str(src.resolve()),
        "notebook_sha256": hashlib.sha256(src.read_bytes()).hexdigest(),
        "parameters": {n: values.get(n, p.default) for n, p in declared.items()},
        "parameters_given": sorted(values),
        "status": "running",
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        **provenance(),
    }
    write_json(results, rec)
    t0 = time.perf_counter()
    error = None
    try:
        pm.execute_notebook(str(src), str(out_nb), parameters=values, cwd=str(src.parent),
                            kernel_name=kernel_name, execution_timeout=timeout, progress_bar=False,
                            log_output=False,
                            # ipykernel 7 warns about TCP transport on every start: noise in `b4b run`
                            extra_arguments=["--IPKernelApp.log_level=ERROR"],
                            **({"kernel_manager_class": kernel_manager_class} if kernel_manager_class else {}))
        status = "ok"
    except pm.PapermillExecutionError as exc:
        status = "failed"
        error = {"cell": exc.exec_count, "cell_index": exc.cell_index, "name": exc.ename,
                 "message": exc.evalue}
    except Exception as exc:  # a kernel that dies or times out: keep the record, report it
        name = type(exc).__name__
        status = ("timeout" if "Timeout" in name or "timed out" in str(exc).lower()
                  else "died" if name == "DeadKernelError" else "error")
        error = {"cell": None, "cell_index": None, "name": type(exc).__name__, "message": str(exc).splitlines()[0]
                 if str(exc) else ""}
    executed = nbformat.read(out_nb, as_version=4) if out_nb.exists() else None
    payload = recorded(executed) if executed else {}
    if error is not None and executed is not None:
        error.update(_failing_cell(executed))
    rec.update(status=status, error=error, duration_s=round(time.perf_counter() - t0, 2),
               figures=payload.get("figures", {}), datasets=payload.get("datasets", {}),
               output_notebook=str(out_nb), **({"units": payload["units"]} if payload.get("units") else {}))
    if "evidence" in payload:  # only cases with published counterparts: other records keep their shape
        rec["evidence"] = payload["evidence"]
    write_json(results, rec)
    return RunResult(out_nb, results, rec)


# --- checking a results record by running its case again ---------------------------------------------------

@dataclass(frozen=True)
class Rerun:
    """A results record set against a fresh run of its case with the same parameters (see :func:`rerun`).

    ``figures`` lists every figure that changed, appeared or disappeared as
    ``(name, recorded, now)`` (``MISSING`` for a side that has none);
    ``provenance`` lists ``(what, recorded, now)`` for the notebook hash, each
    dataset's SHA-256, the kit, Python and package versions, and the
    parameters that could not be passed as recorded; ``same`` names what
    matched.
    """

    record: Path
    result: RunResult
    compared: int
    figures: tuple[tuple[str, object, object], ...]
    provenance: tuple[tuple[str, object, object], ...]
    same: tuple[str, ...]

    @property
    def identical(self) -> bool:
        """True when the run finished and every figure is what the record holds."""
        return self.result.ok and not self.figures

    def lines(self) -> list[str]:
        """The report, one line per difference, for the command line."""
        out = [f"rerun of {self.result.record['case']} from {self.record}: {self.result.notebook}"]
        if not self.result.ok:
            err = self.result.record.get("error") or {}
            out.append(f"the rerun failed in cell {err.get('cell_index')}: {err.get('name')}: {err.get('message')}")
        out.append(f"figures: {self.compared} compared, {len(self.figures)} differ")
        for name, old, new in self.figures:
            if old is MISSING:
                out.append(f"  new figure {name}: {new!r} (not in the record)")
            elif new is MISSING:
                out.append(f"  figure {name} is gone (recorded {old!r})")
            else:
                out.append(f"  changed {name}: {old!r} -> {new!r}")
        for what, old, new in self.provenance:
            out.append(f"{what}: recorded {old}, now {new}")
        if self.same:
            out.append("same as recorded: " + ", ".join(self.same))
        out.append("identical: every figure as recorded" if self.identical else
                   "different: see the lines above")
        return out


class _Missing:
    def __repr__(self) -> str:
        return "missing"


MISSING = _Missing()


def _equal(old: object, new: object, tolerance: float) -> bool:
    """Same figure: equal values (1 and 1.0 alike, True never equal to 1), numbers within ``tolerance``."""
    def number(x):
        return isinstance(x, (int, float)) and not isinstance(x, bool)

    if number(old) and number(new):
        return abs(old - new) <= tolerance or (old != old and new != new)  # NaN in both: the same
    return type(old) is type(new) and old == new


def read_record(path: str | Path) -> dict:
    """A results record written by :func:`run`, checked for what a rerun needs."""
    path = Path(path)
    if not path.is_file():
        raise B4BError("no such results record", where=str(path),
                       fix="Pass the <case>.results.json that 'b4b run' or a sweep wrote.")
    try:
        rec = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise B4BError(f"not a JSON results record ({exc.__class__.__name__})", where=str(path),
                       fix="Pass the <case>.results.json that 'b4b run' or a sweep wrote.") from None
    for key, kind in (("case", str), ("parameters", dict), ("figures", dict)):
        if not isinstance(rec, dict) or not isinstance(rec.get(key), kind):
            raise B4BError(f"the record has no {key!r}", where=str(path),
                           fix="Pass a results record written by 'b4b run' (it holds case, parameters and figures).")
    return rec


def rerun(record: str | Path, out: str | Path | None = None, params: dict[str, object] | None = None, *,
          timeout: int = 600, tolerance: float = 0.0) -> Rerun:
    """Run the case of a results record again with the record's parameters and compare, figure by figure.

    Parameters
    ----------
    record : str or Path
        A ``<case>.results.json`` written by :func:`run` (or a sweep).
    out : str or Path, optional
        Where the new notebook and record go; default ``rerun/`` beside the record.
    params : dict, optional
        Parameters to pass instead of the recorded ones (say, the path of a
        data file that sits elsewhere on this machine); reported as differences.
    tolerance : float
        Largest difference between two numbers that still counts as the same
        (default 0: identical).

    Returns
    -------
    Rerun
        ``identical`` is True when the run finished and every figure matches.
    """
    import hashlib
    import importlib.metadata as md

    from .. import __version__

    path = Path(record)
    rec = read_record(path)
    case = rec["case"]
    try:
        notebook = notebook_path(case)
    except B4BError:
        recorded_nb = Path(str(rec.get("notebook", "")))
        if recorded_nb.suffix != ".ipynb" or not recorded_nb.is_file():
            raise
        notebook = recorded_nb
    declared = parameters(notebook)
    override = dict(params or {})
    notes: list[tuple[str, object, object]] = []
    values = {}
    for name, value in rec["parameters"].items():
        if name in override:
            notes.append((f"parameter {name}", repr(value), f"{override[name]!r} (given)"))
        elif name not in declared:
            notes.append((f"parameter {name}", repr(value), "no longer declared by the case (not passed)"))
        else:
            values[name] = value
    for name in declared:
        if name not in rec["parameters"] and name not in override:
            notes.append((f"parameter {name}", "missing", f"{declared[name].default!r} (the case's default)"))
    values.update(override)
    sha = hashlib.sha256(notebook.read_bytes()).hexdigest()
    result = run(notebook, values, out=Path(out) if out else path.parent / "rerun", timeout=timeout)
    new = result.record

    old_figs, new_figs = rec["figures"], new.get("figures", {})
    changed = []
    for name in list(old_figs) + [n for n in new_figs if n not in old_figs]:
        a, b = old_figs.get(name, MISSING), new_figs.get(name, MISSING)
        if a is MISSING or b is MISSING or not _equal(a, b, tolerance):
            changed.append((name, a, b))

    same = []

    def compare(what: str, old: object, now: object, show=str) -> None:
        if old == now:
            same.append(what)
        else:
            notes.append((what, "missing" if old is None else show(old), "missing" if now is None else show(now)))

    compare("notebook sha256", rec.get("notebook_sha256"), sha, show=lambda s: s[:12])
    old_data, new_data = rec.get("datasets") or {}, new.get("datasets") or {}
    for name in list(old_data) + [n for n in new_data if n not in old_data]:
        compare(f"dataset {name} sha256", (old_data.get(name) or {}).get("sha256"),
                (new_data.get(name) or {}).get("sha256"), show=lambda s: s[:12])
    compare("kit version", rec.get("kit_version"), __version__)
    compare("python", rec.get("python"), new.get("python"))
    old_pk, new_pk = rec.get("packages") or {}, new.get("packages") or {}
    for name in list(old_pk) + [n for n in new_pk if n not in old_pk]:
        compare(f"package {name}", old_pk.get(name), new_pk.get(name, _version(md, name)))
    return Rerun(path, result, len(set(old_figs) | set(new_figs)), tuple(changed), tuple(notes), tuple(same))


def _version(md, name: str) -> str | None:
    try:
        return md.version(name)
    except md.PackageNotFoundError:
        return None
