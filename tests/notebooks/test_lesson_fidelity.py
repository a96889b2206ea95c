"""The corrections of the seed-fidelity audit stay in the lessons' text (issue 10).

Each case names a lesson, a phrase its markdown must contain (what the source
says) or must not contain (the misstatement the audit found), and the seed
passage that decides it.
"""

import json

import pytest

from tests.helpers import REPO


def markdown(lesson: str) -> str:
    nb = json.loads((REPO / "notebooks" / f"{lesson}.ipynb").read_text(encoding="utf-8"))
    return " ".join(" ".join("".join(c["source"]).split()) for c in nb["cells"] if c["cell_type"] == "markdown")


@pytest.mark.parametrize("lesson, phrase", [
    # seed 000, l. 803-821: both variants are Level 4; the bundle is the dangerous one
    ("01_supplier_levels", "**Two variants, both Level 4.**"),
    ("01_supplier_levels", "The all-in bundle**, the dangerous variant"),
    ("02_outcome_offer_types", "both are Level 4"),
    # seed 000, l. 828-848 and 850-864: both cautions
    ("01_supplier_levels", "**Two cautions.**"),
    # seed 000, l. 399-403: the reseller channel and service quality
    ("01_supplier_levels", "lose control over how good those services are"),
    # seed 000, l. 633-648: hosting plus subscription is not enough
    ("01_supplier_levels", "belong to Level 3 but are not enough"),
    # seed 000, l. 894-897 and 947-950
    ("01_supplier_levels", "*stairway to value*"),
    ("01_supplier_levels", "*for many suppliers* (Level 1 stays right for simple products)"),
    # managed services reconciled (seed 000, l. 609-611; seed 001, l. 142)
    ("01_supplier_levels", "**Managed services in two lessons.**"),
    ("03_services_portfolio", "**Managed services, here and in lesson 1.**"),
    # seed 001, l. 142: "four categories"
    ("03_services_portfolio", "these four categories"),
    # seed 001, l. 79 and l. 92-100
    ("02_outcome_offer_types", "offering them gets harder from Type 1 to Type 2 to Type 3"),
    ("02_outcome_offer_types", "## Why outcome offers now"),
    # seed 003, l. 58-62, 90, 173-176, 279
    ("05_channel_capability_model", "show up very differently"),
    ("05_channel_capability_model", "significant step beyond"),
    ("05_channel_capability_model", '"transmission rate"'),
    # seed 004, l. 56-68, 162-164, 212
    ("06_sales_motions", 'speaks of "these three new sales mandates"'),
    ("06_sales_motions", "App Store"),
    ("06_sales_motions", "one year too early rather than one year too late"),
    ("06_sales_motions", "Every figure below is **the kit's assumption**"),
    # seed 001, l. 16
    ("07_consumption_analytics", "installation"),
])
def test_the_lesson_says_what_the_source_says(lesson, phrase):
    assert phrase in markdown(lesson)


@pytest.mark.parametrize("lesson, phrase", [
    ("01_supplier_levels", "Level 4 promise without automation as worse"),  # A1: the bundle as an over-promise
    ("01_supplier_levels", "A long top line with a short bottom line"),  # C12
    ("01_supplier_levels", "platform firms"),  # C4: product companies have the Level 4 advantage
    ("02_outcome_offer_types", "A large share of the ERP and CRM projects"),  # A3
    ("03_services_portfolio", "the three new categories"),  # A4
    ("05_channel_capability_model", "needs more of them, and more deeply"),  # A2
    ("06_sales_motions", '"deliver the outcome"'),  # C6: no such quote in the source
    ("06_sales_motions", "threat to its quota"),  # C11
    ("06_sales_motions", "Levels 1 and 2 empty out"),  # C5
])
def test_the_lesson_no_longer_says_what_the_source_does_not(lesson, phrase):
    assert phrase.lower() not in markdown(lesson).lower()
