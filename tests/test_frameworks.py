import dataclasses
import textwrap

import pytest

from b4b_kit import frameworks
from b4b_kit.errors import FrameworkError

CATALOG = ["supplier_levels", "outcome_offer_types", "services_portfolio", "value_maturity_model",
           "channel_capability_model", "sales_motions", "consumption_analytics"]

VALID = """\
id: my_model
name: My model
kind: levels
summary: A two-level model an instructor wrote.
source: class notes
levels:
  - number: 1
    id: starter
    name: Starter
    elements:
      - {id: has_product, name: Has a product}
  - number: 2
    id: grown
    name: Grown
    elements:
      - {id: has_service, name: Has a service}
"""


def write(tmp_path, text, name="mine.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_all_seven_catalog_frameworks_ship_in_catalog_order():
    assert frameworks.names() == CATALOG


@pytest.mark.parametrize("name", CATALOG)
def test_every_shipped_framework_loads_with_content(name):
    fw = frameworks.get(name)
    assert fw.id == name
    assert len(fw.groups) >= 3
    assert all(g.elements for g in fw.groups), "every level/area has elements"
    assert all(el.description or el.name for el in fw.elements)


def test_supplier_levels_has_the_four_levels_and_both_power_lines():
    fw = frameworks.get("supplier_levels")
    assert [lv.name for lv in fw.levels] == ["Basic Offer", "Complex Offer", "Optimize Offer", "Outcome Offer"]
    assert {d.id for d in fw.dimensions} == {"customer_value_power", "supplier_offer_power"}
    assert [len([e for e in lv.elements if e.dimension == "supplier_offer_power"]) for lv in fw.levels] == [1, 2, 3, 2]
    assert fw.fact("deployment_services_multiple").low == 5
    assert fw.fact("deployment_services_multiple").high == 10


def test_catalog_sizes_match_the_seeds():
    assert len(frameworks.get("value_maturity_model").levels) == 5
    channel = frameworks.get("channel_capability_model")
    assert len(channel.areas) == 6
    assert 38 <= len(channel.elements) <= 45  # "about 40" capability elements
    assert len(channel.lists["symptoms"]) == 6
    assert len(channel.lists["consumer_back_steps"]) == 7
    assert len(frameworks.get("outcome_offer_types").levels) == 3
    assert [a.id for a in frameworks.get("sales_motions").areas] == ["new", "renew", "land", "expand"]
    assert len(frameworks.get("consumption_analytics").areas) == 4


def test_value_maturity_levels_not_in_the_seeds_are_marked_as_the_kits_reading():
    fw = frameworks.get("value_maturity_model")
    assert [lv.own_reading for lv in fw.levels] == [True, True, True, False, True]


def test_framework_objects_are_immutable():
    fw = frameworks.get("supplier_levels")
    with pytest.raises(dataclasses.FrozenInstanceError):
        fw.name = "changed"
    assert isinstance(fw.levels, tuple)


def test_an_instructors_file_loads_like_a_shipped_one(tmp_path):
    fw = frameworks.load(write(tmp_path, VALID))
    assert [lv.name for lv in fw.levels] == ["Starter", "Grown"]
    assert fw.element("has_service").name == "Has a service"
    assert frameworks.get(str(tmp_path / "mine.yaml")).id == "my_model"


@pytest.mark.parametrize("broken, where, expected", [
    (VALID.replace("    name: Starter\n", ""), "levels[0].name", "missing 'name'"),
    (VALID.replace("id: has_service", "id: has_product"), "levels[1].elements[0].id",
     "duplicate element id 'has_product'"),
    (VALID.replace("number: 2", "number: 3"), "levels[1].number", "must run 1..n"),
    (VALID.replace("source: class notes", "source: class notes\ncolour: blue"), "field colour", "unknown key 'colour'"),
    (VALID.replace("kind: levels", "kind: ladder"), "field kind", "'levels' or 'areas'"),
    (VALID.replace("{id: has_product, name: Has a product}", "{id: has_product, name: Has a product, dimension: nope}"),
     "levels[0].elements[0].dimension", "unknown dimension 'nope'"),
    (VALID.replace("id: starter", "id: Starter Level"), "levels[0].id", "snake_case"),
    (VALID + "lists:\n  symptoms:\n    - {id: s1, name: S, related: [ghost]}\n", "lists.symptoms[0].related",
     "unknown element 'ghost'"),
    (VALID + "facts:\n  - {id: f, statement: x}\n", "facts[0]", "needs 'value'"),
])
def test_a_malformed_file_names_the_file_the_field_and_what_was_expected(tmp_path, broken, where, expected):
    path = write(tmp_path, broken)
    with pytest.raises(FrameworkError) as info:
        frameworks.load(path)
    message = str(info.value)
    assert str(path) in message
    assert where in message
    assert expected in message


def test_invalid_yaml_names_the_line(tmp_path):
    path = write(tmp_path, VALID.replace("  - number: 2", "  - number: 2\n   bad: [unclosed"))
    with pytest.raises(FrameworkError, match=r"line \d+.*not valid YAML"):
        frameworks.load(path)


def test_unknown_framework_lists_the_known_ones():
    with pytest.raises(FrameworkError, match="Known frameworks: supplier_levels"):
        frameworks.get("supplier_level")


def test_to_frame_has_one_row_per_element():
    fw = frameworks.get("supplier_levels")
    table = fw.to_frame()
    assert len(table) == len(fw.elements) == 12
    assert table.loc[table["element"] == "automated_platform", "level"].item() == 4


def test_elements_may_carry_classifier_signals(tmp_path):
    text = VALID.replace("{id: has_service, name: Has a service}",
                         "{id: has_service, name: Has a service, signals: {acts_on: [operations, users]}}")
    fw = frameworks.load(write(tmp_path, text))
    assert fw.element("has_service").signals == {"acts_on": ("operations", "users")}
    with pytest.raises(FrameworkError, match="signals.*mapping of attribute names"):
        frameworks.load(write(tmp_path, text.replace("[operations, users]", "operations")))
