"""What a student reads in a notebook or a check's feedback reads right, without a browser.

No text is typeset as a formula because it holds two dollar amounts, and no text
names a part of the kit that is not there.

JupyterLab and Voila hand markdown cells, HTML outputs and widget labels to
MathJax, which reads the text between two ``$`` as math: "$30M from ... $12M"
becomes one run-together italic formula. Escaping does not help everywhere: in
JupyterLab 4.6 a markdown ``\\$`` is still typeset (jupyterlab/jupyterlab#8645),
and ``\\\\$`` shows its backslash in Voila and on GitHub. So amounts are written
with a currency code (USD 30M), and a cell that means math is tagged ``math``.
This is the fast check, without a browser; tests/jupyterlab and tests/dashboards
read the same in the rendered pages.
"""

import importlib
import json
import re

import pytest

from b4b_kit.workflows import exercises
from tests.helpers import REPO, dollar_math, solutions

NOTEBOOKS = sorted(p for d in ("notebooks", "exercises") for p in (REPO / d).rglob("*.ipynb")
                   if ".ipynb_checkpoints" not in p.parts)
BANKS = sorted(p.stem for p in exercises.DATA_DIR.glob("*.yaml"))


@pytest.mark.parametrize("text, found", [
    ("Revenue was $30M, then $12M.", ["$30M, then $"]),
    ("Escaped \\$30M and \\$12M are typeset all the same.", ["$30M and \\$"]),
    ("One amount, $30M, is safe.", []),
    ("$30M here.\n\nAnd $12M in the next paragraph.", []),
    ("* a list item at $5M\n* and the next at $6M", ["$5M\n* and the next at $"]),
    ("Code is not typeset: `df$a` and `df$b`, nor\n```\nx = '$1' + '$2'\n```", []),
    ("Amounts with a currency code: USD 30M and USD 12M.", []),
])
def test_dollar_math_finds_what_mathjax_would_typeset(text, found):
    assert dollar_math(text) == found


def _markdown_cells(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    for index, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "markdown" and "math" not in cell.get("metadata", {}).get("tags", []):
            yield index, "".join(cell["source"])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.relative_to(REPO).as_posix())
def test_no_markdown_cell_is_typeset_as_math(path):
    found = [f"cell {index}: {math!r}" for index, text in _markdown_cells(path) for math in dollar_math(text)]
    assert not found, "write amounts as USD 30M, or tag a cell that means math 'math':\n" + "\n".join(found)


def _bank_texts(bank: str):
    """Every text of a bank a student reads: prompts (markdown), hints, and the feedback (HTML) of checks."""
    ex = exercises.load(bank)
    right = solutions(bank)
    for qid, q in ex.questions.items():
        yield f"{qid} prompt", q["prompt"]
        for n, hint in enumerate(q.get("hints", []), start=1):
            yield f"{qid} hint {n}", hint
        for option, why in q.get("why_not", {}).items():
            yield f"{qid} why not {option!r}", why
        for mistake in q.get("mistakes", []):
            yield f"{qid} mistake {mistake['value']}", mistake["why"]
        yield f"{qid} explanation", ex.check(qid, right[qid]).message


@pytest.mark.parametrize("bank", BANKS)
def test_no_question_hint_or_feedback_is_typeset_as_math(bank):
    texts = list(_bank_texts(bank))
    assert len(texts) >= 3 * len(exercises.load(bank).questions)  # prompt, hint, explanation at least
    found = [f"{where}: {math!r}" for where, text in texts for math in dollar_math(text)]
    assert not found, "write amounts as USD 30M:\n" + "\n".join(found)


def test_feedback_html_never_pairs_dollars_even_when_a_bank_does():
    # An instructor's own bank may still write "$5M ... $8M": the HTML a check shows keeps each dollar in
    # its own element, and MathJax reads no formula across elements (seen in JupyterLab and Voila).
    html = exercises.Feedback("q1", False, "Not $5M but $8M.", bank="b")._repr_html_()
    assert "Not <span>$</span>5M but <span>$</span>8M." in html
    assert not re.search(r"\$[^<]*\$", html)


@pytest.mark.parametrize("bank", BANKS)
def test_every_part_of_the_kit_a_bank_names_exists(bank):
    # an explanation that says "check it with b4b_kit.x.y" sends the student to that function
    named = {ref for _, text in _bank_texts(bank) for ref in re.findall(r"b4b_kit(?:\.\w+)+", text)}
    missing = []
    for ref in sorted(named):
        module, _, attribute = ref.rpartition(".")
        try:
            importlib.import_module(ref)
        except ImportError:
            try:
                if not hasattr(importlib.import_module(module), attribute):
                    missing.append(ref)
            except ImportError:
                missing.append(ref)
    assert not missing, f"{bank} names parts of the kit that do not exist: {missing}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.relative_to(REPO).as_posix())
def test_every_notebook_a_notebook_names_exists(path):
    # "Lesson: notebooks/02_outcome_offers.ipynb" sent students to a file renamed long ago
    pattern = r"(?:notebooks|exercises)/[\w./-]+\.ipynb"
    named = {ref for _, text in _markdown_cells(path) for ref in re.findall(pattern, text)}
    missing = sorted(ref for ref in named if not (REPO / ref).is_file())
    assert not missing, f"{path.name} names notebooks that do not exist: {missing}"


def _strings(data, where=""):
    if isinstance(data, str):
        yield where, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(value, f"{where}.{key}")
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _strings(value, f"{where}[{index}]")


FRAMEWORK_FILES = sorted((REPO / "b4b_kit" / "frameworks" / "data").glob("*.yaml"))


@pytest.mark.parametrize("path", FRAMEWORK_FILES, ids=lambda p: p.stem)
def test_no_framework_text_is_typeset_as_math(path):
    # lessons show facts, elements and lists as tables: "About $10 ... for every $1" became a formula in lesson 01
    import yaml

    texts = list(_strings(yaml.safe_load(path.read_text(encoding="utf-8"))))
    found = [f"{where}: {math!r}" for where, text in texts for math in dollar_math(text)]
    assert not found, "write amounts as USD 30M:\n" + "\n".join(found)
