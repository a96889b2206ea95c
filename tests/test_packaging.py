"""The files a new user meets first: README, Makefile, environment.yml, CI."""

import re
import tomllib

import yaml

from tests.helpers import REPO


def names(requirements):
    return {re.split(r"[<>=!~ \[]", r.strip(), maxsplit=1)[0].lower().replace("_", "-") for r in requirements}


def test_environment_yml_and_pyproject_name_the_same_dependencies():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    wanted = names(project["dependencies"]) | names(project["optional-dependencies"]["dev"])
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    assert env["name"] == "b4b-kit"
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    assert "python=3.11" in conda and "pip" in conda
    assert names(d for d in conda if not d.startswith(("python=", "pip"))) == wanted


def test_environment_yml_pins_the_same_versions_as_pyproject():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    # conda's dask package is pip's dask[distributed]: compare without extras
    wanted = {re.sub(r"\[.*?\]", "", r.replace(" ", "").lower())
              for r in project["dependencies"] + project["optional-dependencies"]["dev"]}
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    conda = {d.replace(" ", "").lower() for d in env["dependencies"]
             if isinstance(d, str) and not d.startswith(("python=", "pip"))}
    assert conda == wanted


def test_readme_quickstart_shows_make_demo_and_make_test_first():
    readme = (REPO / "README.md").read_text()
    quick = readme.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    commands = [line.strip() for line in quick.splitlines() if line.strip().startswith("make ")]
    assert commands[:2] == ["make demo", "make test"]


def test_ci_runs_exactly_make_test():
    ci = (REPO / ".ci" / "run").read_text()
    assert re.search(r"^make test$", ci, re.M)
    assert "pytest" not in ci  # nothing README does not tell a user to do


def test_make_demo_runs_cases_then_serves_on_8866():
    makefile = (REPO / "Makefile").read_text()
    assert "PORT   ?= 8866" in makefile and "b4b serve --port=$(PORT)" in makefile
    assert re.search(r"^demo: cases$", makefile, re.M)


def test_the_version_is_written_once_in_the_package():
    import importlib.metadata

    import b4b_kit

    project = tomllib.loads((REPO / "pyproject.toml").read_text())
    assert "version" not in project["project"] and project["project"]["dynamic"] == ["version"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "b4b_kit.__version__"}
    assert importlib.metadata.version("b4b-kit") == b4b_kit.__version__


def test_make_test_runs_the_pre_commit_hooks_and_the_docstring_examples():
    makefile = (REPO / "Makefile").read_text()
    assert re.search(r"^test: lint$", makefile, re.M) and "pre-commit run --all-files" in makefile
    assert "pytest b4b_kit tests notebooks" in makefile
    options = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
    assert "--doctest-modules" in options["addopts"]
    hooks = {h["id"]: h for h in yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text())["repos"][0]["hooks"]}
    assert hooks["ruff"]["entry"].startswith("ruff check") and hooks["nbstripout"]["files"] == r"\.ipynb$"


def test_changelog_starts_with_the_unreleased_changes():
    changelog = (REPO / "CHANGELOG.md").read_text()
    assert changelog.startswith("# Changelog") and "## Unreleased" in changelog
