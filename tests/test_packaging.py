"""The files a new user meets first: README, Makefile, environment.yml, CI."""

import re
import tomllib

import yaml

from kitpaths import REPO


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
