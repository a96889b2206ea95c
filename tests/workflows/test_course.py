"""`b4b init DIR`: a course folder from the installed kit, completed again without losing anyone's work."""

import json
import subprocess
import sys

import pytest

from b4b_kit import resources
from b4b_kit.errors import B4BError
from b4b_kit.workflows import course, lab_settings
from tests.helpers import B4B, REPO, free_port, stop_server, wait_until_answers

LESSONS = sorted(p.name for p in (REPO / "notebooks").glob("*.ipynb"))
CASES = sorted(p.name for p in (REPO / "notebooks" / "cases").glob("*.ipynb"))
EXERCISES = sorted(p.name for p in (REPO / "exercises").glob("*.ipynb"))


def names(folder):
    return sorted(p.name for p in folder.glob("*.ipynb"))


def test_a_students_folder_has_lessons_exercises_cases_datasets_readme_and_settings(tmp_path):
    folder = tmp_path / "course"
    report = course.init(folder)
    assert names(folder / "lessons") == LESSONS and names(folder / "cases") == CASES
    assert names(folder / "exercises") == EXERCISES
    assert (folder / "lessons" / LESSONS[0]).read_bytes() == (REPO / "notebooks" / LESSONS[0]).read_bytes()
    shipped = sorted(p.name for p in resources.datasets().iterdir())
    assert sorted(p.name for p in (folder / "datasets").iterdir()) == shipped
    assert not (folder / "instructor").exists()
    for path in (folder / "exercises").glob("*.ipynb"):  # student versions: no solution reaches them
        assert "BEGIN SOLUTION" not in path.read_text(), path
    readme = (folder / "README.md").read_text()
    assert "b4b lab ." in readme
    assert all(f"`{name}/`" in readme for name in ("lessons", "exercises", "cases", "datasets"))
    assert "instructor/" not in readme
    settings = json.loads((folder / ".jupyter" / "labconfig" / "default_setting_overrides.json").read_text())
    assert settings["@jupyterlab/apputils-extension:notification"] == {"fetchNews": "false", "checkForUpdates": False}
    assert report.skipped == [] and report.updated == [] and len(report.added) == len(course._plan(False))


def test_the_instructor_folder_adds_the_sources_and_the_grading_how_to(tmp_path):
    folder = tmp_path / "course"
    course.init(folder, instructor=True)
    sources = folder / "instructor" / "exercises-source"
    assert names(sources) == names(REPO / "exercises" / "source")
    assert "BEGIN SOLUTION" in (sources / "01_supplier_levels.ipynb").read_text()
    grading = (folder / "instructor" / "GRADING.md").read_text()
    assert "b4b exercises release instructor/exercises-source exercises" in grading
    assert "b4b exercises grade submissions --out gradebook.csv" in grading
    assert "never hand it" in (folder / "README.md").read_text()


def test_running_again_adds_what_is_missing_and_keeps_what_a_student_changed(tmp_path):
    folder = tmp_path / "course"
    course.init(folder)
    answered = folder / "exercises" / "01_supplier_levels.ipynb"
    answered.write_text(answered.read_text().replace("= None", "= 3", 1))  # a student's first answer
    (folder / "lessons" / "02_outcome_offer_types.ipynb").unlink()
    again = course.init(folder)
    assert again.added == ["lessons/02_outcome_offer_types.ipynb"]
    assert again.skipped == ["exercises/01_supplier_levels.ipynb"]
    assert "= 3" in answered.read_text()
    assert "lessons/01_supplier_levels.ipynb" in again.unchanged and again.updated == []
    text = course.summary(again)
    assert "skipped     1 file changed in the folder, kept as they are:" in text
    assert "exercises/01_supplier_levels.ipynb" in text and text.endswith(f"b4b lab {folder}")


def test_a_copy_nobody_touched_is_replaced_by_a_newer_kit_but_a_changed_one_is_not(tmp_path, monkeypatch):
    folder = tmp_path / "course"
    course.init(folder)
    lesson, exercise = "lessons/01_supplier_levels.ipynb", "exercises/01_supplier_levels.ipynb"
    (folder / exercise).write_text("my answers")
    plan = course._plan
    newer = lambda *args: {**plan(*args), lesson: b"new lesson", exercise: b"new exercise"}  # noqa: E731
    monkeypatch.setattr(course, "_plan", newer)
    report = course.init(folder)
    assert report.updated == [lesson] and report.skipped == [exercise]
    assert (folder / lesson).read_bytes() == b"new lesson" and (folder / exercise).read_text() == "my answers"


def test_without_a_manifest_every_existing_file_counts_as_the_users(tmp_path):
    folder = tmp_path / "course"
    (folder / "lessons").mkdir(parents=True)
    (folder / "lessons" / "01_supplier_levels.ipynb").write_text("my own notes")
    report = course.init(folder)
    assert report.skipped == ["lessons/01_supplier_levels.ipynb"]
    assert (folder / "lessons" / "01_supplier_levels.ipynb").read_text() == "my own notes"


def test_an_instructors_folder_stays_one_when_completed_without_the_flag(tmp_path):
    folder = tmp_path / "course"
    course.init(folder, instructor=True)
    (folder / "instructor" / "GRADING.md").unlink()
    report = course.init(folder)
    assert report.added == ["instructor/GRADING.md"] and report.updated == []


def test_a_file_in_the_way_is_a_clear_error(tmp_path):
    (tmp_path / "course").write_text("")
    with pytest.raises(B4BError, match="is a file, not a folder"):
        course.init(tmp_path / "course")


def test_b4b_init_prints_what_it_did_and_the_one_command_to_start(b4b, tmp_path):
    res = b4b("init", tmp_path / "my course", "--instructor")
    assert res.returncode == 0, res.stderr
    assert res.stdout.splitlines()[-2:] == ["Start the course with:", f"  b4b lab '{tmp_path / 'my course'}'"]
    assert "added" in res.stdout and "instructor 8" in res.stdout
    again = b4b("init", tmp_path / "my course")
    assert "unchanged" in again.stdout and "added" not in again.stdout
    bad = b4b("init", REPO / "README.md")
    assert bad.returncode == 2 and bad.stderr.startswith("error: ") and "Traceback" not in bad.stderr


def test_b4b_lab_on_a_missing_folder_is_a_clear_error(b4b, tmp_path):
    res = b4b("lab", tmp_path / "nowhere")
    assert res.returncode == 2 and "is not a folder" in res.stderr and "Traceback" not in res.stderr


# ---- the settings, as JupyterLab itself reads them -------------------------------------------------

def _api(base: str, path: str, token: str):
    import urllib.request

    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    request = urllib.request.Request(f"{base}{path}", headers={"Authorization": f"token {token}"})
    with opener.open(request, timeout=30) as reply:
        return json.loads(reply.read())


def _notification_settings(base: str, token: str) -> dict:
    """The effective notification settings: the user's own values over the defaults (with overrides) of the schema."""
    data = _api(base, f"/lab/api/settings/{lab_settings.NOTIFICATION_PLUGIN}", token)
    defaults = {key: spec.get("default") for key, spec in data["schema"]["properties"].items()}
    return {**defaults, **data["settings"]}


def _jupyter_lab(argv, folder, tmp_path, name):
    """Start JupyterLab as ``argv`` does, in a home of its own (no settings of this machine's user leak in)."""
    port, token = free_port(), "course-test"
    home = tmp_path / f"home-{name}"
    env = {"PATH": f"{sys.prefix}/bin:/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8",
           "JUPYTERLAB_SETTINGS_DIR": str(home / "user-settings"),
           "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces")}
    log = tmp_path / f"{name}.log"
    args = [*argv, str(folder), "--no-browser", f"--port={port}", f"--IdentityProvider.token={token}",
            "--ServerApp.ip=127.0.0.1", "--allow-root"]
    with log.open("w") as out:
        proc = subprocess.Popen(args, env=env, cwd=tmp_path, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
    return proc, f"http://127.0.0.1:{port}", token, log, home


@pytest.mark.parametrize("how", ["b4b lab", "jupyter lab (no course settings)"])
def test_jupyterlab_started_on_the_course_reads_no_news_and_no_update_check(how, tmp_path):
    folder = tmp_path / "course"
    course.init(folder)
    argv = [str(B4B), "lab"] if how == "b4b lab" else [sys.executable, "-m", "jupyterlab"]
    proc, base, token, log, home = _jupyter_lab(argv, folder, tmp_path, how.split()[0])
    try:
        wait_until_answers(f"{base}/api/status", proc, timeout=120, log=log)
        settings = _notification_settings(base, token)
        if how == "b4b lab":
            assert settings["fetchNews"] == "false" and settings["checkForUpdates"] is False
            assert _api(base, "/lab/api/news", token) == {"news": []}  # the server fetches none either
            assert _api(base, "/lab/api/update", token) == {"notification": None}
        else:  # the control: the very same JupyterLab, started plainly, would ask about news
            assert settings["fetchNews"] == "none" and settings["checkForUpdates"] is True
    finally:
        stop_server(proc)
    assert not (home / "user-settings").exists() or not any((home / "user-settings").rglob("*.jupyterlab-settings"))
