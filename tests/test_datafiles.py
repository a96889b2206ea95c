"""Reading hand-written YAML files and checking their records: one kind of message for every file."""

import pytest

from b4b_kit.datafiles import RecordChecker, read_yaml
from b4b_kit.errors import B4BError, FrameworkError

SPEC = {"id": (True, "id"), "weight": (False, "number")}
EXPECTED = {"id": "an id in snake_case", "number": "a number"}


def accepts(kind, value):
    return isinstance(value, str) if kind == "id" else isinstance(value, (int, float))


def checker():
    return RecordChecker("mine.yaml", expected=EXPECTED, accepts=accepts, error=FrameworkError)


def test_a_file_that_is_not_utf8_gets_the_files_own_error_type(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("name: caf\xe9\n".encode("latin-1"))
    with pytest.raises(FrameworkError, match="latin1.yaml: not a UTF-8 text file. Save the file as UTF-8 text."):
        read_yaml(path, error=FrameworkError)


def test_bad_yaml_names_the_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("a: 1\nb: [1, 2\nc: 3\n", encoding="utf-8")
    with pytest.raises(B4BError, match=r"bad.yaml, line [34]: not valid YAML"):
        read_yaml(path)


def test_a_good_file_is_read_as_plain_data(tmp_path):
    path = tmp_path / "good.yaml"
    path.write_text("levels:\n  - {number: 1, name: Basic}\n", encoding="utf-8")
    assert read_yaml(path) == {"levels": [{"number": 1, "name": "Basic"}]}


def test_a_missing_required_field_says_what_to_add():
    with pytest.raises(FrameworkError, match=r"mine.yaml, field levels\[2\].id: missing 'id'. "
                                             "Add 'id:' with an id in snake_case."):
        checker().record({"weight": 2}, SPEC, "levels[2]")


def test_a_wrong_value_says_what_was_found_and_what_is_expected():
    with pytest.raises(FrameworkError, match="field weight: expected a number, found 'heavy'"):
        checker().record({"id": "x", "weight": "heavy"}, SPEC, "")


def test_a_top_level_unknown_key_is_named_without_a_leading_dot():
    with pytest.raises(FrameworkError, match="mine.yaml, field colour: unknown key 'colour'"):
        checker().record({"id": "x", "colour": "red"}, SPEC, "")


def test_an_empty_optional_field_is_allowed():
    assert checker().record({"id": "x", "weight": None}, SPEC, "top") == {"id": "x", "weight": None}
