"""The package finds its own files through importlib.resources, never from its place in a checkout."""

import ast

from b4b_kit import datasets, evidence, frameworks, resources
from b4b_kit.workflows import cases, exercises, serve
from tests.helpers import REPO


def test_every_kind_of_file_is_found_through_the_package():
    assert (resources.notebooks() / "01_supplier_levels.ipynb").is_file()
    assert (resources.notebooks() / "voila.json").is_file()
    assert (resources.cases() / "goldilocks_portfolio.ipynb").is_file()
    assert (resources.datasets() / "supplier_portfolio.card.yaml").is_file()
    assert (resources.exercises() / "source" / "01_supplier_levels.ipynb").is_file()
    assert (resources.exercise_banks() / "01_supplier_levels.yaml").is_file()
    assert (resources.frameworks() / "supplier_levels.yaml").is_file()
    assert resources.benchmarks().is_file()


def test_the_workflows_use_those_folders():
    assert cases.CASES_DIR == resources.cases() and datasets.DATA_DIR == resources.datasets()
    assert serve.ROOT == resources.notebooks() and exercises.DATA_DIR == resources.exercise_banks()
    assert frameworks.DATA_DIR == resources.frameworks()
    assert evidence.FILE == resources.benchmarks()


def test_in_a_checkout_the_content_links_to_the_top_level_folders():
    for name in ("notebooks", "datasets", "exercises"):
        link = REPO / "b4b_kit" / "content" / name
        assert link.is_symlink() and link.resolve() == (REPO / name).resolve()
    assert resources.source_checkout() == REPO.resolve()


def test_environment_variables_point_the_kit_elsewhere(monkeypatch, tmp_path):
    monkeypatch.setenv("B4B_CASES", str(tmp_path / "cases"))
    monkeypatch.setenv("B4B_DATASETS", str(tmp_path / "data"))
    assert resources.cases() == tmp_path / "cases" and resources.datasets() == tmp_path / "data"


def test_no_module_finds_files_from_its_own_location():
    for path in (REPO / "b4b_kit").rglob("*.py"):
        if "content" in path.relative_to(REPO / "b4b_kit").parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Name) and node.id == "__file__":
                raise AssertionError(f"{path.relative_to(REPO)} reasons from __file__; use b4b_kit.resources")
