"""The layout's rules, read from the code itself: data flows one way, and each framework keeps to its home.

* a model module (anything in a framework's home but ``charts.py`` and
  ``widgets.py``, the maturity engine's model, the frameworks, datasets and
  errors) imports no altair, ipywidgets or ``b4b_kit.ui``;
* a framework's ``charts.py`` and ``widgets.py`` never import another framework's;
* ``charts.py`` imports no ipywidgets and no widgets.
"""

import ast

import pytest

from b4b_kit import frameworks
from tests.helpers import REPO

PACKAGE = REPO / "b4b_kit"
HOMES = [*frameworks.CATALOG, "maturity"]
UI_LIBRARIES = ("altair", "ipywidgets", "anywidget", "vl_convert", "b4b_kit.ui")


def imports(path, package: str | None = None) -> set[str]:
    """Absolute names of every module a file imports (relative imports resolved against its package)."""
    package = package or ".".join(path.relative_to(REPO).with_suffix("").parts[:-1])
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                stem = ".".join(base + ([node.module] if node.module else []))
            else:
                stem = node.module
            found.add(stem)
            found |= {f"{stem}.{alias.name}" for alias in node.names}
    return found


def model_modules():
    for home in HOMES:
        for path in sorted((PACKAGE / home).glob("*.py")):
            if path.name not in ("charts.py", "widgets.py"):
                yield path
    yield from sorted((PACKAGE / "frameworks").glob("*.py"))
    yield from sorted((PACKAGE / "evidence").glob("*.py"))
    yield PACKAGE / "datasets.py"
    yield PACKAGE / "errors.py"
    yield PACKAGE / "datafiles.py"


def is_ui(name: str) -> bool:
    return any(name == lib or name.startswith(lib + ".") for lib in UI_LIBRARIES) or name.endswith(
        (".charts", ".widgets"))


@pytest.mark.parametrize("path", list(model_modules()), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_a_model_module_imports_no_chart_or_widget_code(path):
    assert not {name for name in imports(path) if is_ui(name)}


@pytest.mark.parametrize("home", HOMES)
def test_a_framework_never_imports_another_frameworks_charts_or_widgets(home):
    others = [h for h in HOMES if h != home]
    for path in (PACKAGE / home).glob("*.py"):
        foreign = {n for n in imports(path) for other in others
                   if n.startswith((f"b4b_kit.{other}.charts", f"b4b_kit.{other}.widgets"))}
        assert not foreign, f"{path.relative_to(PACKAGE)} imports {sorted(foreign)}"


@pytest.mark.parametrize("home", HOMES)
def test_charts_import_no_widgets(home):
    path = PACKAGE / home / "charts.py"
    if path.is_file():
        assert not {n for n in imports(path) if n.startswith("ipywidgets") or n.endswith(".widgets")}


def test_the_rule_catches_a_model_that_imports_altair_or_the_ui(tmp_path):
    bad = tmp_path / "model.py"
    bad.write_text("import altair as alt\nfrom ..ui import palette\nfrom . import charts\n", encoding="utf-8")
    found = {n for n in imports(bad, package="b4b_kit.supplier_levels") if is_ui(n)}
    assert found == {"altair", "b4b_kit.ui", "b4b_kit.ui.palette", "b4b_kit.supplier_levels.charts"}


def test_every_framework_home_has_the_same_file_names_for_the_same_roles():
    for home in frameworks.CATALOG:
        names = {p.name for p in (PACKAGE / home).glob("*.py")}
        assert "__init__.py" in names
        if home != "value_maturity_model":  # scored entirely by the shared maturity engine
            assert {"charts.py", "widgets.py"} <= names, home
        assert not names - {"__init__.py", "charts.py", "widgets.py", "sample_data.py", "model.py", "pricing.py",
                            "level4.py", "motions.py", "compensation.py", "migrations.py", "telemetry.py",
                            "availability.py", "growth.py", "churn.py", "retention.py"}, home
