"""Growth against profit in one number: the Rule of 40 and TSIA's weighted version.

Investors read a subscription or XaaS business by adding its yearly revenue
growth and its profit margin, both in percent: a sum of 40 or more is the
usual bar (the *Rule of 40*). TSIA's weighted version counts growth more than
margin, 1.33 × growth + 0.67 × EBITDA margin (weights read in TSIA's blog on
its Cloud 40 aggregate; see ``b4b benchmarks``). The Land + Expand motion of
Pivot 1 trades margin now for growth later, which is what these scores weigh.

TSIA's Cloud 40 aggregate grew revenue 22 % with an operating income of -7 %:
a "Rule of 15". With its operating income in place of EBITDA margin (the
aggregate reports no EBITDA), the weighted score is 1.33 × 22 + 0.67 × (-7) =
24.57: arithmetic on published inputs, not a TSIA figure.

Examples
--------
>>> rule_of_40(22, -7)
15.0
>>> weighted_rule_of_40(22, -7)
24.57
"""

from __future__ import annotations

import math

from ..errors import B4BError

TSIA_WEIGHTS = (1.33, 0.67)  # growth, margin


def _points(value: object, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise B4BError(f"expected a number of percentage points, got {value!r}", where=where,
                       fix="Pass percent as points, e.g. 22 for 22 % growth, -7 for a 7 % loss.")
    return float(value)


def rule_of_40(growth: float, margin: float) -> float:
    """Revenue growth plus profit margin, both in percentage points.

    Examples
    --------
    >>> rule_of_40(30, 10)
    40.0
    """
    return _points(growth, "growth") + _points(margin, "margin")


def weighted_rule_of_40(growth: float, margin: float, weights: tuple[float, float] = TSIA_WEIGHTS) -> float:
    """Weighted Rule of 40: ``weights[0]`` × growth + ``weights[1]`` × margin, in points (rounded to 1e-9).

    The default weights are TSIA's (1.33 on growth, 0.67 on EBITDA margin).

    Examples
    --------
    >>> weighted_rule_of_40(30, 10)
    46.6
    >>> weighted_rule_of_40(30, 10, weights=(1, 1)) == rule_of_40(30, 10)
    True
    """
    g, m = _points(growth, "growth"), _points(margin, "margin")
    if not (isinstance(weights, tuple) and len(weights) == 2):
        raise B4BError(f"expected two weights, got {weights!r}", where="weights",
                       fix="Pass (growth weight, margin weight), e.g. (1.33, 0.67).")
    wg, wm = (_points(w, "weights") for w in weights)
    return round(wg * g + wm * m, 9)  # 1.33 * 22 + 0.67 * -7 is 24.570000000000004 in floating point
