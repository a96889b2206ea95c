"""Every notebook is stored the way the kit promises: python3 kernel, no outputs, runnable by papermill."""

import json

import pytest

from b4b_kit import frameworks
from b4b_kit.workflows import cases
from tests.helpers import REPO

NOTEBOOKS = sorted(p for d in ("notebooks", "exercises") for p in (REPO / d).rglob("*.ipynb")
                   if ".ipynb_checkpoints" not in p.parts)


LESSONS = [frameworks.lesson_name(f) for f in frameworks.CATALOG]


def test_every_framework_has_a_lesson_an_exercise_set_its_source_and_its_bank_under_one_name():
    present = {p.relative_to(REPO).as_posix() for p in NOTEBOOKS}
    for lesson in LESSONS:
        assert f"notebooks/{lesson}.ipynb" in present
        assert f"exercises/{lesson}.ipynb" in present
        assert f"exercises/source/{lesson}.ipynb" in present
        assert (REPO / "b4b_kit" / "exercise_data" / f"{lesson}.yaml").is_file()
    assert LESSONS[5] == "06_sales_motions"
    lessons = {p.stem for p in (REPO / "notebooks").glob("*.ipynb")}
    assert lessons == set(LESSONS), "a lesson is named after no framework id"
    assert len(list((REPO / "notebooks" / "cases").glob("*.ipynb"))) >= 9


def test_every_framework_has_its_own_subpackage():
    for framework_id in frameworks.CATALOG:
        assert (REPO / "b4b_kit" / framework_id / "__init__.py").is_file(), framework_id


def test_every_case_study_names_its_framework():
    owners = {case: cases.framework_of(case) for case in cases.names()}
    assert set(owners.values()) == set(frameworks.CATALOG)  # every framework has a case, every case a framework
    assert owners["goldilocks_portfolio"] == "supplier_levels" and owners["customer_health"] == "consumption_analytics"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.relative_to(REPO).as_posix())
def test_kernelspec_python3_language_info_and_no_outputs(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    assert nb["metadata"]["language_info"]["name"] == "python"
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [], f"cell {cell.get('id')} has stored outputs"
            assert cell["execution_count"] is None


@pytest.mark.parametrize("path", sorted((REPO / "notebooks" / "cases").glob("*.ipynb")), ids=lambda p: p.stem)
def test_case_studies_have_one_parameters_cell(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    tagged = [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.relative_to(REPO).as_posix())
def test_notebooks_are_thin(path):
    """Notebooks narrate and show; logic lives in the package (no function or class definitions)."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    assert "def " not in code and "class " not in code
