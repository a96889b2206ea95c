"""The shared table style: what a dashboard table shows, cell by cell."""

import re

import pandas as pd
import pytest

from b4b_kit.errors import B4BError
from b4b_kit.ui.tables import format_value, table

FRAME = pd.DataFrame({"offer": ["full automation", "all-in bundle"], "fee_k": [150.0, 150.0],
                      "margin_share": [0.4667, 0.1333], "units": [1000.0, 12500.0], "pays": [True, False]},
                     index=[7, 8])


@pytest.mark.parametrize("value, spec, expected", [
    (200, "usd_k", "$200k"), (1500, "usd_k", "$1.5M"), (25_000_000, "usd", "$25M"), (0.5, "usd_m", "$500k"),
    (1.2e9, "usd", "$1.2B"), (-100, "usd_k", "−$100k"), (950, "usd", "$950"), (15.3, "usd_m", "$15.3M"),
    (250.4, "usd_k", "$250k"), (4.96, "usd_m", "$5M"),
    (0.27, "percent", "27 %"), (0.2704, "percent:1", "27.0 %"),
    (1000, "unit:units/yr", "1,000 units/yr"), (2.5, "unit:years:1", "2.5 years"),
    (1234.5678, "number:1", "1,234.6"), (1234.5678, "int", "1,235"),
    (1000.0, "", "1,000"), (0.123456, "", "0.123"), (12.3456, "", "12.35"), (123.456, "", "123"),
    (True, "", "yes"), (None, "usd", "–"), (float("nan"), "", "–"), ("Level 4", "", "Level 4"),
])
def test_cells_are_written_in_their_units_with_sensible_precision(value, spec, expected):
    assert format_value(value, spec) == expected


def test_the_html_has_no_index_column_and_aligns_text_left_and_numbers_right():
    t = table(FRAME, {"fee_k": "usd_k", "margin_share": "percent", "units": "unit:units/yr"},
              headers={"fee_k": "fee"})
    out = t.to_html()
    assert "<th" in out and ">7<" not in out and ">8<" not in out  # the index is not shown
    headers = re.findall(r"<th[^>]*>([^<]*)</th>", out)
    assert headers == ["offer", "fee", "margin_share", "units", "pays"]
    first_row = re.findall(r"<td style='[^']*text-align:(\w+)'>([^<]*)</td>", out)[:5]
    assert first_row == [("left", "full automation"), ("right", "$150k"), ("right", "47 %"),
                         ("right", "1,000 units/yr"), ("left", "yes")]


def test_dollar_amounts_are_not_typeset_as_math_in_jupyterlab_or_voila():
    out = table(FRAME, {"fee_k": "usd_k"}).to_html()
    assert out.count("$150k") == 2
    assert "tex2jax_ignore" in out and "mathjax_ignore" in out


def test_text_output_is_aligned_for_papermill_and_terminals():
    text = repr(table(FRAME[["offer", "units"]], {"units": "unit:units/yr"}, caption="Offers"))
    assert text.splitlines() == [
        "Offers",
        "offer                      units",
        "---------------  ---------------",
        "full automation   1,000 units/yr",
        "all-in bundle    12,500 units/yr",
    ]


def test_html_escapes_text_cells():
    assert "&lt;b&gt;" in table(pd.DataFrame({"x": ["<b>"]})).to_html()


@pytest.mark.parametrize("formats, match", [
    ({"ghost": "usd"}, "no column 'ghost'"),
    ({"fee_k": "dollars"}, "unknown format 'dollars'"),
    ({"units": "unit"}, "unit needs a name"),
])
def test_a_bad_format_is_one_clear_error(formats, match):
    with pytest.raises(B4BError, match=match):
        table(FRAME, formats)
