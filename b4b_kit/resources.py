"""Where the kit's own files are, found through :mod:`importlib.resources`.

The package carries everything it needs: the framework files and question banks
inside it, and the lessons, case studies, exercise notebooks and datasets under
``b4b_kit/content/``. In a source checkout those are links to the repository's
top-level ``notebooks/``, ``datasets/`` and ``exercises/``; a built wheel holds
copies. Either way the kit asks :func:`importlib.resources.files` and never
reasons from its position in a checkout.

Two environment variables point the kit at other folders: ``B4B_CASES`` (case
studies) and ``B4B_DATASETS`` (datasets with their cards).

Examples
--------
>>> (notebooks() / "voila.json").is_file()
True
>>> cases().name, datasets().name
('cases', 'datasets')
"""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path


def _package_path(*parts: str) -> Path:
    # Wheels install unpacked, so the package is a folder and its resources are real files.
    return Path(str(files("b4b_kit").joinpath(*parts)))


def frameworks() -> Path:
    """The framework files shipped with the kit (``<id>.yaml``)."""
    return _package_path("frameworks", "data")


def benchmarks() -> Path:
    """The published benchmarks the case studies are set against (``evidence/benchmarks.yaml``)."""
    return _package_path("evidence", "benchmarks.yaml")


def exercise_banks() -> Path:
    """The question banks (``NN_<id>.yaml``)."""
    return _package_path("exercise_data")


def notebooks() -> Path:
    """The lessons, the case studies (``cases/``) and the Voila configuration ``voila.json``."""
    return _package_path("content", "notebooks")


def cases() -> Path:
    """The case-study notebooks, or the folder ``B4B_CASES`` names."""
    return Path(os.environ.get("B4B_CASES") or notebooks() / "cases")


def datasets() -> Path:
    """The datasets and their data cards, or the folder ``B4B_DATASETS`` names."""
    return Path(os.environ.get("B4B_DATASETS") or _package_path("content", "datasets"))


def exercises() -> Path:
    """The student versions of the exercises; their sources are in ``source/``."""
    return _package_path("content", "exercises")


def exercise_sources() -> Path | None:
    """The exercise sources (with solutions) in a source checkout; None in an installed wheel.

    A wheel carries no sources: students install the same package, so an instructor
    keeps the sources apart (the repository, or a copy made with ``b4b init --instructor``).
    """
    folder = exercises() / "source"
    return folder if folder.is_dir() and any(folder.glob("*.ipynb")) else None


def source_checkout() -> Path | None:
    """The git checkout the package runs from, if it does (for provenance); None for an installed wheel."""
    root = _package_path().resolve().parent
    return root if (root / ".git").exists() and (root / "pyproject.toml").is_file() else None
