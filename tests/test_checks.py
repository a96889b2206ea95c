"""The shared argument checks: one message shape for every model, naming what, where and the fix."""

import math

import numpy as np
import pytest

from b4b_kit import checks, framework
from b4b_kit.errors import B4BError


@pytest.mark.parametrize("value, kwargs, message", [
    ("abc", {}, "x: expected a number, got 'abc'. Give a number."),
    (True, {"integer": True}, "x: expected a whole number, got True. Give a whole number."),
    (2.5, {"integer": True, "low": 1, "of": "years"}, "x: expected a whole number of years of at least 1, got 2.5."),
    (math.nan, {}, "x: nan is not a finite number."),
    (1.5, {"low": 0, "high": 1, "example": 0.3}, "x: 1.5 is outside 0..1. Give a number from 0 to 1, e.g. 0.3."),
    (-2, {"low": 0}, "x: -2 is below 0. Give a number of at least 0."),
    (7, {"high": 5}, "x: 7 is above 5. Give a number of at most 5."),
    (0, {"low": 2, "high": 5_000_000, "integer": True}, "x: 0 is outside 2..5,000,000."),
    (1.0, {"low": 0, "fix": "Mine."}, None),
])
def test_number_refuses_with_one_message(value, kwargs, message):
    if message is None:
        assert checks.number(value, "x", **kwargs) == 1.0
        return
    with pytest.raises(B4BError) as caught:
        checks.number(value, "x", **kwargs)
    assert str(caught.value).startswith(message)


def test_number_accepts_numpy_numbers_and_returns_plain_python():
    assert type(checks.number(np.int64(3), "n", integer=True)) is int
    assert type(checks.number(np.float32(0.5), "x", low=0, high=1)) is float


def test_share_and_choice():
    assert checks.share(0, "tolerance") == 0.0
    with pytest.raises(B4BError, match="full_adoption: expected a share above 0 and up to 1, got 0"):
        checks.share(0, "full_adoption", above_zero=True)
    with pytest.raises(B4BError, match="engine: unknown engine 'spark'. Use one of duckdb, pandas."):
        checks.choice("spark", "engine", ("duckdb", "pandas"))


def test_framework_takes_an_object_an_id_or_a_path(tmp_path):
    fw = framework("services_portfolio")
    assert checks.framework(fw) is fw and checks.framework("services_portfolio") is fw
    assert checks.framework(fw.path).id == "services_portfolio"
    with pytest.raises(B4BError, match="expected a Framework, a framework id or a file path, got int"):
        checks.framework(3)
