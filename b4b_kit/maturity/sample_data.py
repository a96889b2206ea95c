"""Synthetic respondents for any questionnaire framework, for teaching and benchmarks (seeded).

Examples
--------
>>> simulate_answers("value_maturity_model", 2, seed=1).shape
(2, 28)
"""

from __future__ import annotations

import numpy as np

from .. import checks
from ..errors import B4BError
from ..frameworks import Framework
from .model import RESPONDENT, Scale, _plan, level_range


def simulate_answers(framework: Framework | str, n: int, *, scale: Scale | None = None, level: float = 2.5,
                     spread: float = 0.8, noise: float = 0.6, seed: int = 0):
    """Synthetic respondents x criteria scores around a typical level (seeded).

    Each respondent gets a true level drawn from a normal distribution
    (``level``, ``spread``). For a ``levels`` framework a criterion at level
    ``k`` is attained in proportion to how far the true level passes ``k - 1``
    (fully below it, not at all above); for ``areas`` the true level is the
    mean score. Scores add normal ``noise`` (in scale points) and are rounded
    to whole points of the scale.

    Examples
    --------
    >>> a = simulate_answers("value_maturity_model", 3, seed=1)
    >>> a.shape, a.equals(simulate_answers("value_maturity_model", 3, seed=1))
    ((3, 28), True)
    """
    import pandas as pd

    fw = checks.framework(framework)
    scale = scale or Scale()
    n = checks.number(n, "n", low=1, integer=True, of="respondents", fix="Pass e.g. n=30.")
    for name, value in (("spread", spread), ("noise", noise)):
        if not isinstance(value, (int, float)) or value < 0:
            raise B4BError(f"expected a number of 0 or more, got {value!r}", where=name, fix=f"Pass e.g. {name}=0.5.")
    lo, hi = level_range(fw, scale)
    rng = np.random.default_rng(seed)
    plan = _plan(fw)
    true = np.clip(rng.normal(level, spread, n), lo, hi)
    span = scale.high - scale.low
    if fw.kind == "levels":
        attained = np.clip(true[:, None] - (plan.group_number[None, :] - 1), 0, 1)
        expected = scale.low + attained * span
    else:
        expected = np.repeat(true[:, None], len(plan.criteria), axis=1)
    scores = np.clip(np.rint(expected + rng.normal(0, noise, expected.shape)), scale.low, scale.high)
    frame = pd.DataFrame(scores.astype(int), columns=list(plan.criteria))
    frame.insert(0, RESPONDENT, [f"r{i + 1:03d}" for i in range(n)])
    return frame
