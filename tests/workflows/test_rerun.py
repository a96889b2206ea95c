"""`b4b rerun RECORD`: the case of a results record, run again with its parameters, compared line by line."""

import hashlib
import json
import shutil

import pytest

from b4b_kit import __version__, datasets
from b4b_kit.errors import B4BError
from b4b_kit.workflows import cases

CASE = "goldilocks_portfolio"


@pytest.fixture(scope="module")
def own_run(tmp_path_factory):
    """A record made from a researcher's own copy of the data file."""
    root = tmp_path_factory.mktemp("rerun")
    data = root / "portfolio.csv"
    shutil.copy(datasets.path("supplier_portfolio"), data)
    result = cases.run(CASE, {"dataset": str(data), "threshold": 0.6}, out=root / "first")
    assert result.ok, result.record.get("error")
    return root, data, result.results


def test_an_unchanged_rerun_is_identical_and_exits_0(b4b, own_run, tmp_path):
    root, _, record = own_run
    res = b4b("rerun", record, "--out", tmp_path / "again")
    assert res.returncode == 0, res.stdout + res.stderr
    lines = res.stdout.splitlines()
    assert lines[1] == f"figures: {len(json.loads(record.read_text())['figures'])} compared, 0 differ"
    assert lines[-1] == "identical: every figure as recorded"
    assert "same as recorded: notebook sha256, dataset product_markets sha256, kit version, python" in res.stdout
    rerun_record = json.loads((tmp_path / "again" / f"{CASE}.results.json").read_text())
    assert rerun_record["parameters"]["threshold"] == 0.6  # the record's parameters, not the defaults


def test_a_changed_data_file_and_an_older_kit_are_reported_line_by_line_and_exit_1(b4b, own_run, tmp_path):
    root, data, record = own_run
    colleague = tmp_path / "colleague.results.json"
    rec = json.loads(record.read_text())
    rec["kit_version"] = "0.0.1"
    rec["packages"]["pandas"] = "2.2.0"
    colleague.write_text(json.dumps(rec))
    edited = tmp_path / "portfolio.csv"
    edited.write_text(data.read_text().replace("15.3", "25.3", 1))  # one product-market's revenue +10
    res = b4b("rerun", colleague, "--out", tmp_path / "again", "-p", "dataset", edited)
    assert res.returncode == 1, res.stdout + res.stderr
    out = res.stdout.splitlines()
    # the edited row is a fully automated uptime service: revenue, the at-risk share and the
    # revenue in full automation move
    assert out[1] == f"figures: {len(rec['figures'])} compared, 3 differ"
    before = rec["figures"]["revenue_musd"]
    assert f"  changed revenue_musd: {before!r} -> {round(before + 10, 2)!r}" in out
    assert any(line.startswith("  changed revenue_at_risk_share: ") for line in out)
    automated = rec["figures"]["revenue_full_automation_musd"]
    assert f"  changed revenue_full_automation_musd: {automated!r} -> {round(automated + 10, 2)!r}" in out
    assert (f"dataset product_markets sha256: recorded {datasets.checksum(data)[:12]}, now "
            f"{datasets.checksum(edited)[:12]}") in out
    assert f"kit version: recorded 0.0.1, now {__version__}" in out
    assert any(line.startswith("package pandas: recorded 2.2.0, now ") for line in out)
    assert f"parameter dataset: recorded {str(data)!r}, now {str(edited)!r} (given)" in out
    assert out[-1] == "different: see the lines above"


def test_figures_that_appear_or_vanish_an_edited_notebook_and_a_tolerance(own_run, tmp_path):
    _, _, record = own_run
    rec = json.loads(record.read_text())
    rec["figures"]["old_figure"] = 3
    del rec["figures"]["product_markets"]
    rec["figures"]["revenue_musd"] += 0.001
    rec["notebook_sha256"] = "0" * 64  # as if the record came from another version of the notebook
    path = tmp_path / "r.results.json"
    path.write_text(json.dumps(rec))
    strict = cases.rerun(path, out=tmp_path / "a")
    assert {name for name, _, _ in strict.figures} == {"old_figure", "product_markets", "revenue_musd"}
    assert "  figure old_figure is gone (recorded 3)" in strict.lines()
    assert any(line.startswith("  new figure product_markets: ") for line in strict.lines())
    now = hashlib.sha256(cases.notebook_path(CASE).read_bytes()).hexdigest()[:12]
    assert ("notebook sha256", "000000000000", now) in strict.provenance
    loose = cases.rerun(path, out=tmp_path / "b", tolerance=0.01)
    assert {name for name, _, _ in loose.figures} == {"old_figure", "product_markets"}
    assert not loose.identical


@pytest.mark.parametrize("content, match", [
    (None, "no such results record"),
    ("{not json", "not a JSON results record"),
    ('{"case": "goldilocks_portfolio"}', "the record has no 'parameters'"),
])
def test_a_bad_record_gets_one_message(tmp_path, content, match):
    path = tmp_path / "x.results.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(B4BError, match=match):
        cases.rerun(path)


def test_cli_bad_record_exits_2_without_a_traceback(b4b, tmp_path):
    res = b4b("rerun", tmp_path / "none.results.json")
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert "no such results record" in res.stderr
