from b4b_kit import frameworks


def test_frameworks_list_prints_all_seven_with_counts(b4b):
    res = b4b("frameworks", "list")
    assert res.returncode == 0
    lines = res.stdout.splitlines()
    assert lines[0].split()[:4] == ["id", "kind", "levels/areas", "elements"]
    body = {line.split()[0]: line.split() for line in lines[2:]}
    assert list(body) == frameworks.names()
    assert body["supplier_levels"][1:4] == ["levels", "4", "13"]
    for name in body:
        fw = frameworks.get(name)
        assert body[name][2:4] == [str(len(fw.groups)), str(len(fw.elements))]


def test_frameworks_show_prints_the_levels_as_a_table(b4b):
    res = b4b("frameworks", "show", "supplier_levels")
    assert res.returncode == 0
    rows = [line for line in res.stdout.splitlines() if line[:1].isdigit()]
    assert [r.split("  ")[0].strip() for r in rows] == ["1", "2", "3", "4"]
    assert "Outcome Offer" in rows[3] and "Automated standard platform" in rows[3]


def test_frameworks_show_marks_the_kits_own_reading(b4b):
    res = b4b("frameworks", "show", "value_maturity_model")
    assert "* the kit's own reading" in res.stdout


def test_frameworks_show_a_file_an_instructor_wrote(b4b, tmp_path):
    from tests.test_frameworks import VALID

    path = tmp_path / "mine.yaml"
    path.write_text(VALID)
    res = b4b("frameworks", "show", path)
    assert res.returncode == 0
    assert "Starter" in res.stdout and "Grown" in res.stdout


def test_a_malformed_file_gives_one_message_and_exit_2(b4b, tmp_path):
    from tests.test_frameworks import VALID

    path = tmp_path / "mine.yaml"
    path.write_text(VALID.replace("id: has_service", "id: has_product"))
    res = b4b("frameworks", "show", path)
    assert res.returncode == 2
    assert res.stdout == ""
    assert "Traceback" not in res.stderr
    assert res.stderr.startswith(f"error: {path}, field levels[1].elements[0].id: duplicate element id 'has_product'")


def test_unknown_framework_and_missing_file(b4b, tmp_path):
    res = b4b("frameworks", "show", "supplier_level")
    assert res.returncode == 2 and "Known frameworks:" in res.stderr
    res = b4b("frameworks", "show", tmp_path / "gone.yaml")
    assert res.returncode == 2 and "no such framework file" in res.stderr


def test_cases_show_lists_parameters_with_types_and_ranges(b4b):
    res = b4b("cases", "show", "goldilocks_portfolio")
    assert res.returncode == 0
    threshold = next(line for line in res.stdout.splitlines() if line.startswith("threshold "))
    assert "float" in threshold and "float from 0 to 1" in threshold


def test_datasets_check(b4b):
    res = b4b("datasets", "check")
    assert res.returncode == 0
    assert "supplier_portfolio: ok (24 rows" in res.stdout


def test_an_unwritable_output_folder_is_a_message_not_a_traceback(b4b, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    res = b4b("run", "goldilocks_portfolio", "--out", blocker / "sub")
    assert res.returncode == 2
    assert "Traceback" not in res.stderr
    assert f"error: {blocker / 'sub'}: Not a directory" in res.stderr


def test_frameworks_show_stars_own_readings_in_lists_and_lists_every_source(b4b):
    res = b4b("frameworks", "show", "supplier_levels")
    mismatches = next(line for line in res.stdout.splitlines() if line.startswith("mismatches:"))
    assert "Over-promised *" in mismatches and "Under-served (trouble in paradise);" in mismatches
    assert "'--sources' gives each reason" in res.stdout
    res = b4b("frameworks", "show", "supplier_levels", "--sources")
    assert res.returncode == 0
    lines = res.stdout.splitlines()
    at = lines.index("  lists.level4_variants[1]  All-in bundle (the dangerous variant)")
    assert lines[at + 1].strip() == 'B4B ch. 4, "The Level 4 Supplier" (seed 000, l. 696-700, 813-819)'
    at = next(i for i, line in enumerate(lines) if line.startswith("  lists.mismatches[1]"))
    assert lines[at + 1].strip().startswith("the kit's reading: the source warns customers against such claims")
