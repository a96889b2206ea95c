"""What many tests share: the repository's paths, the rows a chart was given, the answers in exercise sources."""

import ast
import json
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
B4B = Path(sys.executable).with_name("b4b")
DATA = Path(__file__).parent / "data"


def chart_rows(chart, *, every: bool = False) -> list[dict]:
    """The rows of a chart's first inline dataset (of all its datasets with ``every=True``).

    ``chart`` may be an altair chart, its ``to_dict()`` spec, a ``ChartView``, or
    an explorer whose ``chart`` attribute is one: tests read what the chart was
    given, so that a chart that computed something itself would be caught.
    """
    while not isinstance(chart, dict) and not hasattr(chart, "to_dict"):
        chart = chart.chart
    spec = chart if isinstance(chart, dict) else chart.to_dict()
    datasets = list(spec["datasets"].values())
    return [row for data in datasets for row in data] if every else datasets[0]


_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,}).*?^ {0,3}\1[^\S\n]*$", re.M | re.S)
_CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)", re.S)


def dollar_math(markdown: str) -> list[str]:
    """The pieces of a markdown text that JupyterLab, Voila and MathJax would typeset as inline math.

    Two ``$`` in one block (paragraph, or list running on without a blank line) open and
    close math, escaped or not: JupyterLab 4.6 pairs them in the source before markdown
    runs, and MathJax pairs what markdown left. Code spans and fenced code are left alone.
    """
    text = _CODE_SPAN.sub("", _FENCE.sub("", markdown))
    found = []
    for block in re.split(r"\n[^\S\n]*\n", text):
        dollars = [m.start() for m in re.finditer(r"\$", block)]
        found += [block[a:b + 1] for a, b in zip(dollars[::2], dollars[1::2])]
    return found


def solutions(bank: str) -> dict[str, object]:
    """The right answers written in ``exercises/source/<bank>.ipynb``, by question id (``answer_q1`` -> q1)."""
    nb = json.loads((REPO / "exercises" / "source" / f"{bank}.ipynb").read_text(encoding="utf-8"))
    found = {}
    for cell in nb["cells"]:
        source = "".join(cell["source"])
        for block in re.findall(r"# BEGIN SOLUTION\n(.*?)# END SOLUTION", source, re.S):
            for node in ast.parse(block).body:
                if isinstance(node, ast.Assign) and len(node.targets) == 1:
                    name = node.targets[0].id
                    if name.startswith("answer_"):
                        found[name.removeprefix("answer_")] = ast.literal_eval(node.value)
    return found
