import dataclasses
import re
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
    source: class notes (week 1)
    elements:
      - {id: has_product, name: Has a product, source: class notes (week 1)}
  - number: 2
    id: grown
    name: Grown
    own_reading: true
    reason: the notes name the level but do not describe it
    elements:
      - {id: has_service, name: Has a service, source: class notes (week 2)}
"""
# A shipped source names its seed passage: 'B4B ch. 4, "The Level 3 Supplier" (seed 000, l. 604-631)'.
SEED_PASSAGE = re.compile(r"\(seed 00[0-4], l\. \d+(-\d+)?(, \d+(-\d+)?)*\)")


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
    assert [len([e for e in lv.elements if e.dimension == "supplier_offer_power"]) for lv in fw.levels] == [1, 2, 3, 3]
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
    (VALID.replace("source: class notes\nlevels:", "source: class notes\ncolour: blue\nlevels:"), "field colour",
     "unknown key 'colour'"),
    (VALID.replace("kind: levels", "kind: ladder"), "field kind", "'levels' or 'areas'"),
    (VALID.replace("{id: has_product, name: Has a product,", "{id: has_product, name: Has a product, dimension: nope,"),
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
    assert len(table) == len(fw.elements) == 13
    assert table.loc[table["element"] == "automated_platform", "level"].item() == 4
    row = table.set_index("element").loc["operate_services"]
    assert row["description"].startswith("The supplier runs or tunes the customer's technical operation")
    assert row["provenance"] == 'B4B ch. 4, Figure 4.6 and "The Level 3 Supplier" (seed 000, l. 609-619)'
    assert bool(table.set_index("element").loc["automated_platform", "own_reading"]) is True


def test_elements_may_carry_classifier_signals(tmp_path):
    text = VALID.replace("{id: has_service, name: Has a service,",
                         "{id: has_service, name: Has a service, signals: {acts_on: [operations, users]},")
    fw = frameworks.load(write(tmp_path, text))
    assert fw.element("has_service").signals == {"acts_on": ("operations", "users")}
    with pytest.raises(FrameworkError, match="signals.*mapping of attribute names"):
        frameworks.load(write(tmp_path, text.replace("[operations, users]", "operations")))


# ---------------------------------------------------------------------------
# Provenance: every record says where it comes from


@pytest.mark.parametrize("broken, where, expected", [
    (VALID.replace("{id: has_product, name: Has a product, source: class notes (week 1)}",
                   "{id: has_product, name: Has a product}"),
     "levels[0].elements[0]", "neither where it comes from ('source') nor that it is the kit's own reading"),
    (VALID.replace("    reason: the notes name the level but do not describe it\n", ""),
     "levels[1]", "own_reading is true but there is no 'reason'"),
    (VALID.replace("    own_reading: true\n", ""), "levels[1].reason",
     "a 'reason' is given but own_reading is not true"),
    (VALID.replace("    source: class notes (week 1)\n    elements:",
                   "    source: class notes (week 1)\n    examples: [a corner shop]\n    elements:"),
     "levels[0].examples[0]", "example 'a corner shop' is plain text"),
    (VALID.replace("    source: class notes (week 1)\n    elements:",
                   "    source: class notes (week 1)\n    examples: [{text: a corner shop}]\n    elements:"),
     "levels[0].examples[0]", "says neither where it comes from"),
    (VALID + "facts:\n  - {id: f, statement: x, value: 1}\n", "facts[0]", "says neither where it comes from"),
    (VALID + "lists:\n  symptoms:\n    - {id: s1, name: S}\n", "lists.symptoms[0]", "says neither where it comes from"),
    (VALID + "dimensions:\n  - {id: d, name: D}\n", "dimensions[0]", "says neither where it comes from"),
])
def test_a_record_without_provenance_fails_naming_the_file_and_the_record(tmp_path, broken, where, expected):
    path = write(tmp_path, broken)
    with pytest.raises(FrameworkError) as info:
        frameworks.load(path)
    message = str(info.value)
    assert f"{path}, field {where}:" in message
    assert expected in message
    assert "reason" in message  # the fix says how to mark the kit's own reading


def test_examples_carry_their_provenance(tmp_path):
    text = VALID.replace("    source: class notes (week 1)\n    elements:", """\
    source: class notes (week 1)
    examples:
      - {text: a corner shop, source: class notes (week 1)}
      - {text: a kiosk, own_reading: true, reason: my own example}
    elements:""")
    level = frameworks.load(write(tmp_path, text)).level(1)
    assert [str(e) for e in level.examples] == ["a corner shop", "a kiosk"]
    assert [frameworks.provenance(e) for e in level.examples] == [
        "class notes (week 1)", "the kit's reading: my own example"]
    assert frameworks.provenance(frameworks.load(write(tmp_path, VALID)).level(2)) == (
        "the kit's reading: the notes name the level but do not describe it")


@pytest.mark.parametrize("name", CATALOG)
def test_every_shipped_record_names_its_seed_passage_or_says_why_it_is_the_kits_reading(name):
    fw = frameworks.get(name)
    records = list(fw.records())
    assert len(records) > 20
    for path, record in records:
        if record.source:
            assert SEED_PASSAGE.search(record.source), (path, record.source)
        if record.own_reading:
            assert len(record.reason) > 15 and "\n" not in record.reason, (path, record.reason)
        else:
            assert record.source, path


def test_the_all_in_bundle_is_a_level_4_variant_in_the_framework_file():
    fw = frameworks.get("supplier_levels")
    variants = {item.id: item for item in fw.lists["level4_variants"]}
    assert set(variants) == {"full_automation", "all_in_bundle"}
    assert "(seed 000, l. 696-700, 813-819)" in variants["all_in_bundle"].source
    assert "almost all of the risk" in variants["all_in_bundle"].description
    assert "Level 4" in fw.level(4).description and "all-in bundle" in fw.level(4).description
    over = next(i for i in fw.lists["mismatches"] if i.id == "over_promised")
    assert "no automated platform" not in over.description and "industrialised" in over.description


def test_the_kits_readings_flagged_in_the_audit_are_marked():
    levels = frameworks.get("supplier_levels")
    assert {i.id for i in levels.lists["mismatches"] if i.own_reading} == {"over_promised", "over_served"}
    motions = frameworks.get("sales_motions")
    spectrum = {i.id: i.name for i in motions.lists["discussion_spectrum"]}
    assert '"' not in spectrum["sell_it_to_me"] + spectrum["deliver_the_outcome"]  # no invented quotes
    assert motions.element("solution_selling").own_reading
    assert frameworks.get("value_maturity_model").dimensions[3].own_reading  # 'relationship' is the kit's
    symptoms = frameworks.get("channel_capability_model").lists["symptoms"]
    assert all(s.own_reading and s.source for s in symptoms)
    outcome = frameworks.get("outcome_offer_types")
    assert "harder from Type 1 to Type 2 to Type 3" in outcome.summary


def test_list_and_fact_tables_carry_provenance():
    fw = frameworks.get("supplier_levels")
    cautions = fw.list_frame("cautions")
    assert list(cautions.columns) == ["id", "name", "description", "own_reading", "provenance"]
    assert cautions["provenance"].str.contains(r"seed 000, l\. 8[1-6]\d").all()
    facts = fw.facts_frame().set_index("id")
    assert facts.loc["deployment_services_multiple", "value"] == "5-10"
    assert facts.loc["features_in_one_release", "value"] == "600"
    assert facts.loc["level3_roi_uplift", "source"].startswith('B4B ch. 4, "The Level 3 Supplier"')
    with pytest.raises(FrameworkError, match="has no list 'nope'.*Its lists: traits"):
        fw.list_frame("nope")


def test_corrected_facts_and_names_read_as_the_seeds_do():
    outcome = frameworks.get("outcome_offer_types")
    assert "thousands" in outcome.fact("erp_crm_purchase_period").statement  # seed 001, l. 50: not "many"
    assert frameworks.get("consumption_analytics").areas[1].name.startswith("Installation")  # seed 001, l. 16
    whitebox = {i.id: i for i in frameworks.get("value_maturity_model").lists["whitebox_unlimited"]}
    assert "let" not in whitebox["five_year_contracts"].description.split()  # C15: no causal "let"
    levels = frameworks.get("supplier_levels")
    to4 = next(i for i in levels.lists["migrations"] if i.id == "towards_level4")
    assert "product companies" in to4.description and "platform firms" not in to4.description  # C4
    assert [e.text for e in levels.level(3).examples] == [
        "GE Healthcare's Hospital Operations Management System", "Avaya's Unified Communications Managed Services"]
    assert "X-ray machine" in levels.level(1).examples[-1].text
