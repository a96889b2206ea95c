"""The kit as a wheel, installed (no -e) into a fresh virtual environment outside the source tree.

Installing every dependency again from PyPI takes minutes, so the new
environment gets the wheel alone (``--no-deps``) and borrows the dependencies
of the environment running the tests through one ``.pth`` line. That line only
appends the dependencies' folder to ``sys.path``: the ``.pth`` files inside it
(among them the finder of the editable development install) are not run, so
``b4b_kit`` can only come from the wheel. The first test checks exactly that.
``JUPYTER_PATH`` lends the dependencies' data files (Voila's templates) the same
way; the kit itself installs none.
"""

import json
import shutil
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

import pytest

from tests.helpers import REPO, free_port, http_get, stop_server, wait_until_answers

SOURCES = ["pyproject.toml", "README.md", "LICENSE", "b4b_kit", "notebooks", "datasets", "exercises"]


class Installed:
    """A virtual environment with the kit's wheel installed, and a way to run commands in it."""

    def __init__(self, root: Path):
        self.root = root
        self.venv = root / "venv"
        self.python = self.venv / "bin" / "python"
        self.b4b = self.venv / "bin" / "b4b"
        self.work = root / "work"  # the folder commands run in: outside the source tree
        self.work.mkdir()
        path = ":".join(p for p in _os_path() if not p.startswith(sys.prefix))
        self.env = {"PATH": f"{self.venv / 'bin'}:{path}", "HOME": str(root / "home"), "LANG": "C.UTF-8",
                    "PYTHONUNBUFFERED": "1",
                    # the borrowed dependencies' data files (Voila's templates): pip would put them in the venv
                    "JUPYTER_PATH": str(Path(sys.prefix) / "share" / "jupyter")}

    def run(self, *args, timeout: float = 300) -> subprocess.CompletedProcess:
        return subprocess.run([str(a) for a in args], cwd=self.work, env=self.env, capture_output=True, text=True,
                              timeout=timeout)

    def kit(self, *args, timeout: float = 300) -> subprocess.CompletedProcess:
        res = self.run(self.b4b, *args, timeout=timeout)
        assert res.returncode == 0, f"b4b {' '.join(map(str, args))} failed:\n{res.stdout}\n{res.stderr}"
        return res


def _os_path() -> list[str]:
    import os

    return os.environ.get("PATH", "").split(":")


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Installed:
    root = tmp_path_factory.mktemp("wheel")
    started = time.perf_counter()
    # Build from a copy: the build writes build/ and *.egg-info next to the sources.
    src = root / "src"
    src.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints")
    for name in SOURCES:
        path = REPO / name
        if path.is_dir():
            shutil.copytree(path, src / name, symlinks=True, ignore=ignore)  # content/ stays links, as in git
        else:
            shutil.copy2(path, src / name)
    dist = root / "dist"
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                            "-w", str(dist), str(src)], capture_output=True, text=True, timeout=300)
    assert build.returncode == 0, build.stderr
    (wheel,) = dist.glob("b4b_kit-*.whl")

    kit = Installed(root)
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(kit.venv)], check=True, timeout=120)
    install = subprocess.run([sys.executable, "-m", "pip", "--python", str(kit.python), "install", "--no-deps",
                              "--no-index", "-q", str(wheel)], capture_output=True, text=True, timeout=300)
    assert install.returncode == 0, install.stderr
    # only now borrow the dependencies (pip above must not see the development install)
    purelib = Path(subprocess.check_output([str(kit.python), "-c", "import sysconfig; print(sysconfig.get_paths()"
                                            "['purelib'])"], text=True).strip())
    (purelib / "_b4b_test_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    print(f"\nwheel built and installed in {time.perf_counter() - started:.1f} s")
    return kit


def test_the_kit_is_imported_from_the_wheel_not_from_the_checkout(installed):
    res = installed.run(installed.python, "-c", """if True:
        import json, sys
        import b4b_kit
        from b4b_kit import resources
        print(json.dumps({"file": b4b_kit.__file__, "checkout": str(resources.source_checkout()),
                          "notebooks": str(resources.notebooks()),
                          "editable": sorted(m for m in sys.modules if "editable" in m)}))""")
    assert res.returncode == 0, res.stderr
    seen = json.loads(res.stdout)
    assert Path(seen["file"]).is_relative_to(installed.venv), seen["file"]
    assert seen["checkout"] == "None" and seen["editable"] == []
    notebooks = Path(seen["notebooks"])
    assert notebooks.is_relative_to(installed.venv) and not notebooks.is_symlink()  # copies, not links
    assert not any(REPO.resolve() == p or REPO.resolve() in p.parents for p in [notebooks.resolve()])


def test_every_kind_of_content_travels_in_the_wheel(installed):
    res = installed.run(installed.python, "-c", """if True:
        from b4b_kit import resources
        for folder, pattern in [(resources.notebooks(), "*.ipynb"), (resources.cases(), "*.ipynb"),
                                (resources.exercises(), "*.ipynb"),
                                (resources.datasets(), "*.card.yaml"), (resources.exercise_banks(), "*.yaml"),
                                (resources.frameworks(), "*.yaml")]:
            print(folder.name, sorted(p.name for p in folder.glob(pattern)))
        print("voila.json", (resources.notebooks() / "voila.json").is_file())""")
    assert res.returncode == 0, res.stderr
    listed = dict(line.split(" ", 1) for line in res.stdout.splitlines())
    for name, folder, pattern in [("notebooks", "notebooks", "*.ipynb"), ("cases", "notebooks/cases", "*.ipynb"),
                                  ("exercises", "exercises", "*.ipynb"),
                                  ("datasets", "datasets", "*.card.yaml"),
                                  ("exercise_data", "b4b_kit/exercise_data", "*.yaml"),
                                  ("data", "b4b_kit/frameworks/data", "*.yaml")]:
        assert listed[name] == str(sorted(p.name for p in (REPO / folder).glob(pattern))), name
    assert listed["voila.json"] == "True"


def test_the_wheel_carries_no_solutions(installed):
    # students install the same package: the exercise sources must stay with the instructor
    res = installed.run(installed.python, "-c", "from b4b_kit import resources; print(resources.exercise_sources())")
    assert res.stdout.strip() == "None"
    package = Path(res.stdout.strip() and installed.run(
        installed.python, "-c", "import b4b_kit, pathlib; print(pathlib.Path(b4b_kit.__file__).parent)").stdout.strip())
    notebooks = list(package.rglob("*.ipynb"))
    assert len(notebooks) > 20 and not [p for p in notebooks if "BEGIN SOLUTION" in p.read_text(encoding="utf-8")]
    refused = installed.run(installed.b4b, "init", "course-x", "--instructor")
    assert refused.returncode == 2 and "no exercise sources to copy" in refused.stderr and "--sources" in refused.stderr


def test_the_wheel_carries_its_licence(installed):
    res = installed.run(installed.python, "-c", """if True:
        from importlib import metadata
        dist = metadata.distribution("b4b-kit")
        print(dist.metadata["License-Expression"])
        print([str(f) for f in dist.files if f.name == "LICENSE"])
        print(dist.read_text("licenses/LICENSE").splitlines()[0])""")
    assert res.returncode == 0, res.stderr
    expression, files, first_line = res.stdout.splitlines()
    assert expression == "BSD-3-Clause" and "LICENSE" in files and first_line == "BSD 3-Clause License"


def test_frameworks_and_cases_are_listed(installed):
    frameworks = installed.kit("frameworks", "list").stdout
    assert "supplier_levels" in frameworks and "consumption_analytics" in frameworks
    cases = installed.kit("cases", "list", "--names").stdout.split()
    assert cases == sorted(p.stem for p in (REPO / "notebooks" / "cases").glob("*.ipynb"))


def test_a_case_study_runs_and_records_no_git_commit(installed):
    installed.kit("run", "goldilocks_portfolio", "-p", "threshold", "0.6", "--out", "out")
    record = json.loads((installed.work / "out" / "goldilocks_portfolio.results.json").read_text())
    assert record["status"] == "ok" and record["parameters"]["threshold"] == 0.6
    assert record["figures"]["product_markets"] > 0
    assert record["git_commit"] is None  # an installed wheel has no commit to report
    (read,) = record["datasets"].values()
    assert Path(read["path"]).is_relative_to(installed.venv)  # the sample inside the wheel
    assert Path(read["path"]).name == "supplier_portfolio.csv"


def test_every_dataset_matches_its_card(installed):
    out = installed.kit("datasets", "check").stdout
    cards = sorted(p.name.removesuffix(".card.yaml") for p in (REPO / "datasets").glob("*.card.yaml"))
    assert [line.split(":")[0] for line in out.splitlines()] == cards
    assert all("sha256 matches its card" in line for line in out.splitlines())


def test_a_course_folder_is_made_and_an_exercise_set_released_from_it(installed):
    out = installed.kit("init", "course", "--instructor", "--sources", REPO / "exercises" / "source").stdout
    assert out.splitlines()[-1] == "  b4b lab course"
    course = installed.work / "course"
    assert (course / "lessons" / "01_supplier_levels.ipynb").is_file()
    assert (course / ".jupyter" / "labconfig" / "default_setting_overrides.json").is_file()
    installed.kit("exercises", "release", "course/instructor/exercises-source/01_supplier_levels.ipynb", "released")
    student = (installed.work / "released" / "01_supplier_levels.ipynb").read_text()
    assert "BEGIN SOLUTION" not in student and "ex.check(" in student
    assert student == (course / "exercises" / "01_supplier_levels.ipynb").read_text()  # what the kit ships


def test_b4b_serve_answers_and_renders_a_lesson(installed):
    port = free_port()
    log = installed.root / "serve.log"
    with log.open("w") as out:
        proc = subprocess.Popen([str(installed.b4b), "serve", f"--port={port}", "--no-preheat"], cwd=installed.work,
                                env=installed.env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_until_answers(f"http://127.0.0.1:{port}/", proc, timeout=120, log=log)
        status, _, page = http_get(f"http://127.0.0.1:{port}/voila/render/01_supplier_levels.ipynb", timeout=120)
        assert status == 200, page[-2000:]
        assert "Home printer: needed vs offered" in page  # a chart the lesson drew in a kernel of the wheel's kit
    finally:
        stop_server(proc)
