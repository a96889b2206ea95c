"""``b4b init DIR``: a course folder to hand out, made from the installed kit.

What goes in it (every file a copy from the kit, found through :mod:`b4b_kit.resources`):

========================  ==============================================================
``README.md``             what is where, and how to start
``lessons/``              the lessons (``NN_<framework id>.ipynb``)
``exercises/``            the student versions of the exercises (no solutions)
``cases/``                the case studies, with their ``parameters`` cell
``datasets/``             the datasets and their data cards, to read (the notebooks load the kit's own)
``.jupyter/``             JupyterLab settings for this folder only (:mod:`b4b_kit.workflows.lab_settings`)
``instructor/``           with ``--instructor``: the exercise sources with solutions, and ``GRADING.md``
========================  ==============================================================

Run again on the same folder, it adds what is missing and leaves every file a
user changed as it is. To tell a changed file from an old copy, the folder keeps
a manifest, ``.b4b-course.json``, with the SHA-256 of every file as the kit
wrote it: a file that still has that digest was not touched, so a newer kit may
replace it; any other file is kept and listed as skipped.

Examples
--------
>>> import tempfile
>>> folder = Path(tempfile.mkdtemp()) / "course"
>>> report = init(folder)
>>> (folder / "lessons" / "01_supplier_levels.ipynb").is_file(), report.skipped
(True, [])
>>> init(folder).added
[]
"""

from __future__ import annotations

import hashlib
import json
import shlex
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__, resources
from ..errors import B4BError
from . import lab_settings

MANIFEST = ".b4b-course.json"


@dataclass(frozen=True)
class CourseReport:
    """What :func:`init` did, file by file (paths relative to the course folder, in POSIX form)."""

    folder: Path
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)  # untouched copies replaced by the kit's newer version
    unchanged: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # changed in the folder: kept as they are

    def start_command(self) -> str:
        """The one command that starts the course."""
        return f"b4b lab {shlex.quote(str(self.folder))}"


def _readme(instructor: bool) -> str:
    lessons = sorted(p.name for p in resources.notebooks().glob("*.ipynb"))
    cases = sorted(p.name for p in resources.cases().glob("*.ipynb"))
    teacher = """
## For the instructor

`instructor/` holds the exercise sources, with the solutions: never hand it
out. To make a students' copy of the course, run `b4b init FOLDER` without
`--instructor`. `instructor/GRADING.md` says how to release and grade.
""" if instructor else ""
    return f"""# b4b-kit course

Made by `b4b init` (b4b-kit {__version__}).

Start it with

    b4b lab .

from this folder (or `b4b lab PATH/TO/THIS/FOLDER` from anywhere). That is
`jupyter lab` with this folder's own settings (in `.jupyter/`): JupyterLab
neither asks about news nor checks the internet for updates. Plain
`jupyter lab` works too; it only asks that question once.

## What is where

- `lessons/`: {len(lessons)} lessons, one per framework ({", ".join(lessons)}). Read them, run
  the cells, move the sliders.
- `exercises/`: one exercise set per lesson. Replace each `None` with your answer and
  run the cell: it tells you at once whether the answer is right, and why not.
- `cases/`: {len(cases)} case studies. Change the values in the `parameters` cell and run
  all cells, or run one from a terminal: `b4b run cases/NAME.ipynb -p NAME VALUE`.
- `datasets/`: the data the lessons and case studies use, each file with its data card
  (`NAME.card.yaml`: source, licence, columns). To read: the notebooks load the kit's own copy.
{teacher}
## Getting a newer version

Run `b4b init` on this folder again: it adds what is missing and replaces only
files nobody changed. Your own work stays as it is; the files it kept are listed.
"""


def _grading() -> str:
    return """# Releasing and grading the exercises

`instructor/exercises-source/` holds the sources: solutions sit between
`# BEGIN SOLUTION` and `# END SOLUTION`; cells tagged `hidden` and
`# BEGIN HIDDEN` blocks never reach students.

1. Edit a source, then write the student versions (solutions stripped):

       b4b exercises release instructor/exercises-source exercises

2. Hand out `exercises/` (or a whole course folder made with `b4b init FOLDER`,
   without `--instructor`).

3. Collect the students' notebooks as `submissions/STUDENT/NN_<id>.ipynb` and grade them:

       b4b exercises grade submissions --out gradebook.csv

   Each submission runs in its own fresh kernel with a time limit per cell;
   the gradebook is judged from the answers, never from what a notebook
   prints. A submission that crashes, loops or is not a notebook gets a row
   that says so.

4. Check your sources first: every source must get full marks, every student
   version zero (`b4b exercises grade` on a folder holding the sources).
"""


def _sources(sources: str | Path | None) -> Path:
    folder = Path(sources) if sources else resources.exercise_sources()
    if folder is None or not any(Path(folder).glob("*.ipynb")):
        where = str(sources) if sources else "the installed kit"
        raise B4BError("no exercise sources to copy", where=where,
                       fix="The installed kit carries no solutions (students install the same package): pass "
                           "--sources with the exercises/source folder of a clone of the repository.")
    return Path(folder)


def _plan(instructor: bool, sources: str | Path | None = None) -> dict[str, bytes]:
    """Every file of the course: path relative to the folder -> content."""
    plan: dict[str, bytes] = {"README.md": _readme(instructor).encode()}
    for folder, source, pattern in [("lessons", resources.notebooks(), "*.ipynb"),
                                    ("exercises", resources.exercises(), "*.ipynb"),
                                    ("cases", resources.cases(), "*.ipynb"),
                                    ("datasets", resources.datasets(), "*")]:
        for path in sorted(source.glob(pattern)):
            if path.is_file():
                plan[f"{folder}/{path.name}"] = path.read_bytes()
    plan.update({name: text.encode() for name, text in lab_settings.files().items()})
    if instructor:
        for path in sorted(_sources(sources).glob("*.ipynb")):
            plan[f"instructor/exercises-source/{path.name}"] = path.read_bytes()
        plan["instructor/GRADING.md"] = _grading().encode()
    return plan


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _read_manifest(folder: Path) -> dict[str, str]:
    try:
        return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return {}  # no manifest (or a broken one): every existing file counts as the user's


def init(folder: str | Path, instructor: bool = False, sources: str | Path | None = None) -> CourseReport:
    """Write a course folder, or add to one what is missing; never overwrite what a user changed.

    Parameters
    ----------
    folder : str or Path
        The course folder; made if it does not exist.
    instructor : bool
        Also write the exercise sources (with solutions) and a grading how-to. A folder
        made with it stays an instructor's folder when completed again without it.
    sources : str or Path, optional
        Where the exercise sources are; default: the source checkout the kit runs from (an
        installed wheel has none, since students install the same package).

    Returns
    -------
    CourseReport
        Which files were added, updated, left unchanged and skipped.
    """
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise B4BError(f"{folder} is a file, not a folder", where="b4b init",
                       fix="Name a new folder, or an existing course folder to complete.")
    folder.mkdir(parents=True, exist_ok=True)
    written = _read_manifest(folder)
    instructor = instructor or any(name.startswith("instructor/") for name in written)  # stays an instructor's copy
    report = CourseReport(folder=folder)
    for relative, data in _plan(instructor, sources).items():
        target = folder / relative
        digest = _digest(data)
        if not target.exists():
            kind = report.added
        else:
            current = _digest(target.read_bytes()) if target.is_file() else None
            if current == digest:
                kind = report.unchanged
            elif current is not None and written.get(relative) == current:
                kind = report.updated  # still the copy the kit wrote: nobody's work is lost
            else:
                report.skipped.append(relative)
                continue
        if kind is not report.unchanged:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        kind.append(relative)
        written[relative] = digest
    manifest = {"kit_version": __version__, "files": dict(sorted(written.items()))}
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return report


def _files(n: int) -> str:
    return f"{n:>3} file" + ("" if n == 1 else "s")


def summary(report: CourseReport) -> str:
    """What ``b4b init`` prints: counts, every file it kept as the user left it, and the command to start."""
    def counted(paths: list[str]) -> str:
        groups: dict[str, int] = {}
        for p in paths:
            top = p.split("/", 1)[0]
            groups[top] = groups.get(top, 0) + 1
        return ", ".join(f"{top} {n}" for top, n in groups.items())

    lines = [f"Course folder: {report.folder}"]
    for label, paths in [("added", report.added), ("updated", report.updated), ("unchanged", report.unchanged)]:
        if paths:
            lines.append(f"  {label:<9} {_files(len(paths))} ({counted(paths)})")
    if report.skipped:
        lines.append(f"  skipped   {_files(len(report.skipped))} changed in the folder, kept as they are:")
        lines += [f"              {p}" for p in report.skipped]
    lines += ["", "Start the course with:", f"  {report.start_command()}"]
    return "\n".join(lines)
