"""What many tests share: the repository's paths, and the rows a chart was given."""

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
