"""Score a maturity or capability questionnaire against any framework file: levels, gaps, many respondents.

Every element of a framework file is a *criterion* of the questionnaire. A
respondent gives each criterion a score on a stated :class:`Scale` (0-4, 1-5,
...), and the organisation may give each criterion an importance weight. The
engine turns the answers into a level per *dimension* and overall:

* a ``levels`` framework (an ordered ladder, e.g. the value maturity model)
  reports one level per dimension the file declares (e.g. proposition,
  strategy, agreements, relationship), or only overall when it declares none.
  Its levels run ``0..n``;
* an ``areas`` framework (e.g. the six areas of the channel capability
  model) reports one level per area. It has no ladder of its own, so the
  answer scale is the ladder: levels run ``low..high``.

Two scoring rules, picked by the user:

``staged``
    A level counts only when every criterion of that level and of every level
    below it is *met* (score >= the scale's ``pass_mark``). A level with no
    criterion in a dimension is passed through. For an ``areas`` framework each
    point of the answer scale is a stage: an area reaches point ``k`` when every
    capability in it scores at least ``k``, so its staged level is its weakest
    capability (rounded down).
``continuous``
    A weighted average mapped onto the level scale. For ``levels``: the
    attainment of each level is the importance-weighted mean of its criteria's
    scores, rescaled to 0-1 (``(score - low) / (high - low)``); the level is the
    sum of the attainments, i.e. their mean mapped onto ``0..n``. For
    ``areas``: the importance-weighted mean score.

A *gap* is what a criterion lacks to reach a target level: for ``levels``
every criterion of the target level and below needs the pass mark; for
``areas`` every criterion needs the target score. Gaps are ranked by
``importance x gap``.

The rules are the kit's reading: the sources describe the levels, not a
scoring method.

Examples
--------
>>> r = assess_one("value_maturity_model", dict.fromkeys(criterion_ids("value_maturity_model"), 4))
>>> r.overall, r.levels["agreements"]
(5.0, 5.0)
>>> scale = Scale(0, 4, pass_mark=3)
>>> answers = {c: (4 if lv <= 3 else 0) for c, lv in
...            zip(criterion_ids("value_maturity_model"), questionnaire("value_maturity_model")["group_number"])}
>>> assess_one("value_maturity_model", answers, scale=scale, rule="continuous").overall
3.0
"""

from __future__ import annotations

import math
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np

from .. import checks
from ..errors import B4BError
from ..frameworks import Framework

RULES = ("staged", "continuous")
OVERALL = "overall"
# More cells than a reader can compare in one heatmap (and than altair draws without aggregating).
MAX_HEATMAP_CELLS = 5000
RESPONDENT = "respondent"

# Tolerance so that a score typed as 2.9999999 (e.g. a mean of thirds) meets a pass mark of 3.
_EPS = 1e-9


@dataclass(frozen=True)
class Scale:
    """The answer scale of a questionnaire and the score that counts as *met*.

    Parameters
    ----------
    low, high : int
        The ends of the scale (whole numbers, ``low < high``), e.g. 0-4 or 1-5.
    pass_mark : float
        A criterion is met when its score is at least this (``low..high``).

    Examples
    --------
    >>> Scale(1, 5, pass_mark=4).normalise(3)
    0.5
    >>> Scale(0, 4, pass_mark=5)
    Traceback (most recent call last):
    ...
    b4b_kit.errors.B4BError: pass_mark: 5 is outside the scale 0..4. Pick a pass mark between low and high, e.g. 3.
    """

    low: int = 0
    high: int = 4
    pass_mark: float = 3

    def __post_init__(self):
        for name in ("low", "high"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, np.integer, float, np.floating)) \
                    or not float(value).is_integer():
                raise B4BError(f"expected a whole number, got {value!r}", where=f"scale {name}",
                               fix="Use a scale with whole-number ends, e.g. 0-4 or 1-5.")
        if not self.low < self.high:
            raise B4BError(f"low ({self.low}) must be below high ({self.high})", where="scale",
                           fix="Give the scale as Scale(low, high, pass_mark), e.g. Scale(0, 4, 3).")
        p = self.pass_mark
        if isinstance(p, bool) or not isinstance(p, (int, np.integer, float, np.floating)) or math.isnan(p):
            raise B4BError(f"expected a number, got {p!r}", where="pass_mark",
                           fix=f"Pick a pass mark between {self.low} and {self.high}.")
        if not self.low <= p <= self.high:
            raise B4BError(f"{p} is outside the scale {self.low}..{self.high}", where="pass_mark",
                           fix=f"Pick a pass mark between low and high, e.g. {_default_pass(self.low, self.high)}.")

    @property
    def points(self) -> tuple[int, ...]:
        """The whole-number points of the scale."""
        return tuple(range(int(self.low), int(self.high) + 1))

    def normalise(self, score: float) -> float:
        """A score rescaled to 0-1."""
        return (float(score) - self.low) / (self.high - self.low)


def _default_pass(low: float, high: float) -> int:
    return int(low + math.ceil(0.75 * (high - low)))


# ---------------------------------------------------------------------------
# The questionnaire a framework file defines


def dimensions(framework: Framework | str) -> tuple[tuple[str, str], ...]:
    """The dimensions a framework is reported on, as ``(id, name)`` pairs; ``overall`` comes on top.

    Areas for an ``areas`` framework; the declared dimensions for a ``levels``
    framework (none if it declares none).

    Examples
    --------
    >>> [d for d, _ in dimensions("value_maturity_model")]
    ['proposition', 'strategy', 'agreements', 'relationship']
    >>> len(dimensions("channel_capability_model"))
    6
    """
    fw = checks.framework(framework)
    if fw.kind == "areas":
        dims = tuple((a.id, a.name) for a in fw.areas)
    else:
        dims = tuple((d.id, d.name) for d in fw.dimensions)
    for ident, _ in dims:
        if ident in (OVERALL, RESPONDENT):
            raise B4BError(f"a dimension or area is called {ident!r}, a name the results table uses itself",
                           where=f"{fw.path or fw.id}", fix="Rename that dimension or area.")
    return dims


def level_range(framework: Framework | str, scale: Scale | None = None) -> tuple[int, int]:
    """Lowest and highest level a result can take: ``(0, n)`` for levels, the answer scale for areas.

    Examples
    --------
    >>> level_range("value_maturity_model"), level_range("channel_capability_model", Scale(1, 5, 4))
    ((0, 5), (1, 5))
    """
    fw = checks.framework(framework)
    if fw.kind == "levels":
        return 0, len(fw.levels)
    scale = scale or Scale()
    return int(scale.low), int(scale.high)


def questionnaire(framework: Framework | str):
    """One row per criterion: the questions a framework file asks, in file order.

    Columns: ``criterion``, ``name``, ``description``, ``group`` (level or area
    id), ``group_name``, ``group_number`` (level number, or the area's position),
    ``dimension`` (the reporting dimension, empty if none), ``dimension_name`` and
    ``own_reading`` (the element or its level is the kit's interpretation).

    Examples
    --------
    >>> q = questionnaire("channel_capability_model")
    >>> len(q), q["group"].nunique(), q.loc[0, "name"]
    (43, 6, 'Ideal channel partner personae')
    """
    import pandas as pd

    fw = checks.framework(framework)
    names = dict(dimensions(fw))
    rows = []
    for number, group in enumerate(fw.groups, start=1):
        for el in group.elements:
            dim = group.id if fw.kind == "areas" else (el.dimension or "")
            rows.append({
                "criterion": el.id, "name": el.name, "description": el.description,
                "group": group.id, "group_name": group.name, "group_number": number,
                "dimension": dim, "dimension_name": names.get(dim, ""),
                "own_reading": bool(el.own_reading or group.own_reading),
            })
    return pd.DataFrame(rows)


def criterion_ids(framework: Framework | str) -> tuple[str, ...]:
    """The criterion ids of a framework, in file order."""
    return tuple(el.id for el in checks.framework(framework).elements)


@dataclass(frozen=True)
class _Plan:
    """Index arrays that the vectorized scoring reuses for every call on one framework."""

    kind: str
    criteria: tuple[str, ...]
    group_number: np.ndarray  # 1-based level number / area position per criterion
    dims: tuple[tuple[str, str], ...]
    dim_index: np.ndarray  # position in dims per criterion, -1 when none
    n_groups: int


@cache
def _plan(fw: Framework) -> _Plan:
    dims = dimensions(fw)
    position = {d: i for i, (d, _) in enumerate(dims)}
    numbers, dim_index = [], []
    for number, group in enumerate(fw.groups, start=1):
        for el in group.elements:
            numbers.append(number)
            dim = group.id if fw.kind == "areas" else el.dimension
            dim_index.append(position.get(dim, -1))
    return _Plan(fw.kind, criterion_ids(fw), np.asarray(numbers), dims, np.asarray(dim_index, dtype=int),
                 len(fw.groups))


# ---------------------------------------------------------------------------
# Checking answers


def _close(name: str, known) -> str:
    import difflib

    close = difflib.get_close_matches(str(name), list(known), n=1)
    return f"Did you mean {close[0]!r}? " if close else ""


def _weights(fw: Framework, importance) -> np.ndarray:
    """Importance per criterion, in file order (1 where not given)."""
    ids = criterion_ids(fw)
    if importance is None:
        return np.ones(len(ids))
    if not isinstance(importance, Mapping) and not hasattr(importance, "items"):
        raise B4BError(f"expected a mapping of criterion id to weight, got {type(importance).__name__}",
                       where="importance", fix="Pass e.g. importance={'co_creation': 3}.")
    known = set(ids)
    weights = dict.fromkeys(ids, 1.0)
    for key, value in importance.items():
        if key not in known:
            raise B4BError(f"unknown criterion {key!r}", where="importance",
                           fix=f"{_close(key, ids)}Criteria of {fw.id}: {', '.join(ids)}.")
        if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) \
                or not math.isfinite(value) or value <= 0:
            raise B4BError(f"importance {value!r} for criterion {key!r} is not a positive number",
                           where="importance", fix="Give every weight as a number above 0, e.g. 1, 2 or 3.")
        weights[key] = float(value)
    return np.array([weights[c] for c in ids])


def _score(value, criterion: str, respondent: str, scale: Scale) -> float:
    where = f"respondent {respondent!r}, criterion {criterion!r}"
    if value is None or (isinstance(value, (float, np.floating)) and math.isnan(value)):
        raise B4BError("no answer", where=where, fix="Answer every criterion of the questionnaire.")
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise B4BError(f"expected a score from {scale.low} to {scale.high}, got {value!r}", where=where,
                       fix="Give each answer as a number on the scale.")
    if not scale.low <= value <= scale.high:
        raise B4BError(f"score {value} is outside the scale {scale.low}..{scale.high}", where=where,
                       fix=f"Give a score from {scale.low} to {scale.high}.")
    return float(value)


def _answer_vector(fw: Framework, answers, scale: Scale, respondent: str) -> list[float]:
    if not hasattr(answers, "items"):
        raise B4BError(f"expected a mapping of criterion id to score, got {type(answers).__name__}",
                       where=f"answers of respondent {respondent!r}", fix="Pass e.g. {'co_creation': 3, ...}.")
    ids = criterion_ids(fw)
    known = set(ids)
    for key in answers.keys():
        if key not in known:
            raise B4BError(f"unknown criterion {key!r}", where=f"answers of respondent {respondent!r}",
                           fix=f"{_close(key, ids)}{fw.id} asks about: {', '.join(ids)}.")
    missing = [c for c in ids if c not in answers]
    if missing:
        raise B4BError(f"no answer for criterion {missing[0]!r} ({fw.element(missing[0]).name})"
                       + (f" and {len(missing) - 1} more" if len(missing) > 1 else ""),
                       where=f"respondent {respondent!r}", fix="Answer every criterion of the questionnaire.")
    return [_score(answers[c], c, respondent, scale) for c in ids]


# ---------------------------------------------------------------------------
# One respondent: the teaching version, written out criterion by criterion


@dataclass(frozen=True)
class Maturity:
    """The result for one respondent: a level per dimension and overall.

    ``levels`` maps each dimension id (and ``"overall"``, last) to its level;
    ``met`` counts the criteria at or above the pass mark.
    """

    framework: str
    respondent: str
    rule: str
    scale: Scale
    levels: dict[str, float] = field(hash=False)
    names: dict[str, str] = field(hash=False, repr=False)
    met: int
    criteria: int

    @property
    def overall(self) -> float:
        """The overall level."""
        return self.levels[OVERALL]

    def to_frame(self):
        """One row per dimension and one for overall: ``dimension``, ``dimension_name``, ``level``."""
        import pandas as pd

        return pd.DataFrame({
            "dimension": list(self.levels),
            "dimension_name": [self.names[d] for d in self.levels],
            "level": [float(v) for v in self.levels.values()],
        })

    @property
    def summary(self) -> str:
        """One sentence a student can read."""
        fmt = (lambda v: f"{v:g}") if self.rule == "staged" else (lambda v: f"{v:.2f}")
        parts = ", ".join(f"{self.names[d].lower()} {fmt(v)}" for d, v in self.levels.items() if d != OVERALL)
        by = f" (by dimension: {parts})" if parts else ""
        return (f"Overall level {fmt(self.overall)} under the {self.rule} rule{by}; "
                f"{self.met} of {self.criteria} criteria met (score >= {self.scale.pass_mark:g}).")


def _staged_levels(per_level_met: list[bool | None]) -> int:
    """Count levels from the bottom until one has an unmet criterion (None: nothing to meet)."""
    reached = 0
    for ok in per_level_met:
        if ok is False:
            break
        reached += 1
    return reached


def _one_level(fw: Framework, scores: dict, weights: dict, subset: set, scale: Scale, rule: str) -> float:
    """The level of one dimension (criteria in ``subset``), criterion by criterion."""
    if fw.kind == "levels":
        if rule == "staged":
            per_level = []
            for level in fw.levels:
                mine = [el.id for el in level.elements if el.id in subset]
                per_level.append(all(scores[c] >= scale.pass_mark - _EPS for c in mine) if mine else None)
            return float(_staged_levels(per_level))
        total = 0.0
        for level in fw.levels:
            mine = [el.id for el in level.elements if el.id in subset]
            if not mine:
                total += 1.0  # nothing to attain at this level in this dimension
                continue
            total += sum(weights[c] * scale.normalise(scores[c]) for c in mine) / sum(weights[c] for c in mine)
        return total
    mine = [el.id for el in fw.elements if el.id in subset]
    if rule == "staged":
        return float(math.floor(min(scores[c] for c in mine) + _EPS))
    return sum(weights[c] * scores[c] for c in mine) / sum(weights[c] for c in mine)


def assess_one(framework: Framework | str, answers, *, scale: Scale | None = None, rule: str = "staged",
               importance=None, respondent: str = "respondent") -> Maturity:
    """Score one respondent's answers: a level per dimension and overall.

    Parameters
    ----------
    framework : Framework or str
        A framework id (``"value_maturity_model"``), a path to a framework file, or a loaded one.
    answers : mapping
        Criterion id -> score on ``scale``; every criterion must be answered.
    scale : Scale, optional
        The answer scale and pass mark; default 0-4, pass mark 3.
    rule : {"staged", "continuous"}
    importance : mapping, optional
        Criterion id -> weight above 0 (default 1); used by the continuous rule.
    respondent : str
        A name used in error messages and results.

    Raises
    ------
    B4BError
        An unknown criterion, a missing answer or a score outside the scale,
        naming the criterion and the respondent.

    Examples
    --------
    >>> a = dict.fromkeys(criterion_ids("channel_capability_model"), 3)
    >>> a["partner_database"] = 1
    >>> r = assess_one("channel_capability_model", a)
    >>> r.levels["lifecycle_management"], r.levels["collaborative_selling"], r.overall
    (1.0, 3.0, 1.0)
    """
    fw = checks.framework(framework)
    scale = scale or Scale()
    checks.choice(rule, "rule", RULES, what="scoring rule")
    respondent = str(respondent)
    ids = criterion_ids(fw)
    scores = dict(zip(ids, _answer_vector(fw, answers, scale, respondent)))
    weights = dict(zip(ids, _weights(fw, importance)))
    plan = _plan(fw)
    levels, names = {}, {}
    for i, (dim, name) in enumerate(plan.dims):
        subset = {c for c, d in zip(plan.criteria, plan.dim_index) if d == i}
        levels[dim] = float(_one_level(fw, scores, weights, subset, scale, rule))
        names[dim] = name
    levels[OVERALL] = float(_one_level(fw, scores, weights, set(ids), scale, rule))
    names[OVERALL] = "Overall"
    met = sum(s >= scale.pass_mark - _EPS for s in scores.values())
    return Maturity(fw.id, respondent, rule, scale, levels, names, int(met), len(ids))


# ---------------------------------------------------------------------------
# Many respondents: vectorized


def _answer_matrix(fw: Framework, frame, scale: Scale):
    """Respondent ids and the respondents x criteria score matrix, checked."""
    import pandas as pd

    if not isinstance(frame, pd.DataFrame):
        raise B4BError(f"expected a DataFrame of respondents x criteria, got {type(frame).__name__}",
                       where="answers table", fix="One row per respondent, one column per criterion id.")
    ids = criterion_ids(fw)
    if RESPONDENT in frame.columns:
        respondents = [str(v) for v in frame[RESPONDENT]]
        table = frame.drop(columns=RESPONDENT)
    else:
        respondents = [str(i) for i in frame.index]
        table = frame
    unknown = [c for c in table.columns if c not in set(ids)]
    if unknown:
        raise B4BError(f"unknown criterion {unknown[0]!r} (a column of the answers table)",
                       where=f"answers of every respondent ({len(respondents)})",
                       fix=f"{_close(unknown[0], ids)}Columns must be criterion ids of {fw.id} "
                           f"(and optionally '{RESPONDENT}').")
    missing = [c for c in ids if c not in table.columns]
    if missing:
        raise B4BError(f"no answers for criterion {missing[0]!r} ({fw.element(missing[0]).name})"
                       + (f" and {len(missing) - 1} more" if len(missing) > 1 else ""),
                       where=f"answers of every respondent ({len(respondents)})",
                       fix="Add one column per criterion; run maturity.criterion_ids(...) for the list.")
    dupes = pd.Index(respondents)[pd.Index(respondents).duplicated()]
    if len(dupes):
        raise B4BError(f"respondent {dupes[0]!r} appears more than once", where="answers table",
                       fix="Give each respondent one row and a unique id.")
    columns = []
    for c in ids:
        col = table[c]
        if pd.api.types.is_bool_dtype(col):
            raise B4BError("expected scores, found true/false", where=f"criterion {c!r} (every respondent)",
                           fix=f"Give scores from {scale.low} to {scale.high}.")
        numeric = pd.to_numeric(col, errors="coerce").to_numpy(dtype=float)
        bad_type = np.isnan(numeric) & col.notna().to_numpy()
        if bad_type.any():
            i = int(np.argmax(bad_type))
            raise B4BError(f"expected a score from {scale.low} to {scale.high}, got {col.iloc[i]!r}",
                           where=f"respondent {respondents[i]!r}, criterion {c!r}",
                           fix="Give each answer as a number on the scale.")
        columns.append(numeric)
    matrix = np.column_stack(columns) if columns else np.empty((len(respondents), 0))
    blank = np.isnan(matrix)
    if blank.any():
        i, j = np.argwhere(blank)[0]
        raise B4BError("no answer", where=f"respondent {respondents[i]!r}, criterion {ids[j]!r}",
                       fix="Answer every criterion of the questionnaire.")
    outside = (matrix < scale.low) | (matrix > scale.high)
    if outside.any():
        i, j = np.argwhere(outside)[0]
        raise B4BError(f"score {matrix[i, j]:g} is outside the scale {scale.low}..{scale.high}",
                       where=f"respondent {respondents[i]!r}, criterion {ids[j]!r}",
                       fix=f"Give a score from {scale.low} to {scale.high}.")
    return respondents, matrix


def _levels_matrix(plan: _Plan, x: np.ndarray, w: np.ndarray, cols: np.ndarray, scale: Scale, rule: str):
    """Levels of all respondents on the criteria in ``cols`` (a boolean mask)."""
    n = x.shape[0]
    if plan.kind == "areas":
        sub = x[:, cols]
        if rule == "staged":
            return np.floor(sub.min(axis=1) + _EPS)
        ws = w[cols]
        return sub @ ws / ws.sum()
    normal = (x - scale.low) / (scale.high - scale.low)
    met = x >= scale.pass_mark - _EPS
    if rule == "staged":
        ok = np.ones((n, plan.n_groups), dtype=bool)
        for k in range(plan.n_groups):
            mask = cols & (plan.group_number == k + 1)
            if mask.any():
                ok[:, k] = met[:, mask].all(axis=1)
        return np.cumprod(ok, axis=1).sum(axis=1).astype(float)
    total = np.zeros(n)
    for k in range(plan.n_groups):
        mask = cols & (plan.group_number == k + 1)
        total += (normal[:, mask] @ w[mask]) / w[mask].sum() if mask.any() else 1.0
    return total


def assess_frame(framework: Framework | str, frame, *, scale: Scale | None = None, rule: str = "staged",
                 importance=None):
    """Score many respondents at once (vectorized).

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per respondent, one column per criterion id. Respondent ids come
        from a ``respondent`` column if there is one, else from the index.

    Returns
    -------
    pandas.DataFrame
        ``respondent``, one column per dimension id, and ``overall`` (floats).

    Examples
    --------
    >>> import pandas as pd
    >>> ids = criterion_ids("value_maturity_model")
    >>> df = pd.DataFrame([dict.fromkeys(ids, 4), dict.fromkeys(ids, 0)], index=["ann", "bob"])
    >>> assess_frame("value_maturity_model", df)["overall"].tolist()
    [5.0, 0.0]
    """
    import pandas as pd

    fw = checks.framework(framework)
    scale = scale or Scale()
    checks.choice(rule, "rule", RULES, what="scoring rule")
    plan = _plan(fw)
    respondents, x = _answer_matrix(fw, frame, scale)
    w = _weights(fw, importance)
    out = {RESPONDENT: respondents}
    for i, (dim, _) in enumerate(plan.dims):
        out[dim] = _levels_matrix(plan, x, w, plan.dim_index == i, scale, rule)
    out[OVERALL] = _levels_matrix(plan, x, w, np.ones(len(plan.criteria), dtype=bool), scale, rule)
    return pd.DataFrame(out)


# ---------------------------------------------------------------------------
# Gaps to a target level


def _check_target(fw: Framework, target, scale: Scale) -> float:
    lo, hi = (1, len(fw.levels)) if fw.kind == "levels" else (scale.low, scale.high)
    whole = fw.kind == "levels"
    ok = not isinstance(target, bool) and isinstance(target, (int, float, np.integer, np.floating)) \
        and lo <= target <= hi and (not whole or float(target).is_integer())
    if not ok:
        what = f"a level number from {lo} to {hi}" if whole else f"a score from {lo} to {hi}"
        raise B4BError(f"expected {what}, got {target!r}", where="target",
                       fix=f"Pass e.g. target={hi if whole else _default_pass(lo, hi)}.")
    return float(target)


def gaps(framework: Framework | str, answers, target, *, scale: Scale | None = None, importance=None,
         respondent: str = "respondent"):
    """What each criterion lacks to reach ``target``, ranked by importance x gap.

    Parameters
    ----------
    answers : mapping or pandas.DataFrame
        One respondent's answers, or a respondents x criteria table (then the
        gap is the mean over respondents).
    target : int or float
        A level number (``levels`` frameworks) or a score (``areas`` frameworks).

    Returns
    -------
    pandas.DataFrame
        One row per criterion that falls short, best first: ``rank``,
        ``criterion``, ``name``, ``group_name``, ``dimension_name``, ``score``
        (mean), ``required``, ``gap`` (mean shortfall), ``below`` (share of
        respondents short of it), ``importance`` and ``priority`` (importance x gap).

    Examples
    --------
    >>> a = dict.fromkeys(criterion_ids("value_maturity_model"), 4)
    >>> a.update(co_creation=1, long_relationships=2)
    >>> g = gaps("value_maturity_model", a, target=4, importance={"long_relationships": 3})
    >>> g[["criterion", "gap", "priority"]].values.tolist()
    [['long_relationships', 1.0, 3.0], ['co_creation', 2.0, 2.0]]
    """
    import pandas as pd

    fw = checks.framework(framework)
    scale = scale or Scale()
    goal = _check_target(fw, target, scale)
    if isinstance(answers, pd.DataFrame):
        _, x = _answer_matrix(fw, answers, scale)
    else:
        x = np.asarray([_answer_vector(fw, answers, scale, str(respondent))])
    w = _weights(fw, importance)
    q = questionnaire(fw)
    if fw.kind == "levels":
        needed = q["group_number"].to_numpy() <= goal
        required = np.where(needed, float(scale.pass_mark), np.nan)
    else:
        needed = np.ones(len(q), dtype=bool)
        required = np.full(len(q), goal)
    short = np.where(needed, np.clip(required - x, 0, None), 0.0)
    short[short < _EPS] = 0.0
    table = q[["criterion", "name", "group_name", "group_number", "dimension_name"]].assign(
        score=x.mean(axis=0), required=required, gap=short.mean(axis=0), below=(short > 0).mean(axis=0),
        importance=w)
    table["priority"] = table["importance"] * table["gap"]
    table = table[table["gap"] > 0].sort_values(["priority", "gap", "group_number"],
                                                ascending=[False, False, True], kind="stable")
    table.insert(0, "rank", np.arange(1, len(table) + 1))
    return table.drop(columns="group_number").reset_index(drop=True)


# ---------------------------------------------------------------------------
# Aggregates over respondents, for heatmaps and distributions


def _dimension_columns(framework: Framework | str):
    return [*dimensions(framework), (OVERALL, "Overall")]


def heatmap_table(framework: Framework | str, assessed, by=None):
    """Levels in long form for a heatmap: one row per respondent (or group) and dimension.

    Parameters
    ----------
    assessed : pandas.DataFrame
        From :func:`assess_frame`.
    by : str or array-like, optional
        A column of ``assessed`` or one label per respondent (e.g. a team); rows
        are then the mean level per group, with ``respondents`` counted.

    Raises
    ------
    B4BError
        When the table would exceed 5,000 cells (pass ``by`` to aggregate).
    """
    import pandas as pd

    dims = _dimension_columns(framework)
    ids = [d for d, _ in dims]
    missing = [d for d in ids if d not in assessed.columns]
    if missing:
        raise B4BError(f"missing column {missing[0]!r}", where="assessed table",
                       fix="Pass the output of maturity.assess_frame for the same framework.")
    if by is None:
        rows = assessed[[RESPONDENT, *ids]].rename(columns={RESPONDENT: "row"}).assign(respondents=1)
    else:
        labels = assessed[by] if isinstance(by, str) else pd.Series(list(by), index=assessed.index)
        if len(labels) != len(assessed):
            raise B4BError(f"{len(labels)} labels for {len(assessed)} respondents", where="by",
                           fix="Give one group label per respondent.")
        rows = (assessed[ids].assign(row=labels.astype(str).to_numpy()).groupby("row", sort=True)
                .agg(**{d: (d, "mean") for d in ids}, respondents=(ids[0], "size")).reset_index())
    if len(rows) * len(ids) > MAX_HEATMAP_CELLS:
        raise B4BError(f"{len(rows) * len(ids)} cells are too many for one heatmap", where="heatmap_table",
                       fix="Group respondents with by=... (e.g. a team column), or show maturity.distribution.")
    long = rows.melt(id_vars=["row", "respondents"], value_vars=ids, var_name="dimension", value_name="level")
    long["dimension_name"] = long["dimension"].map(dict(dims))
    long["order"] = long["dimension"].map({d: i for i, d in enumerate(ids)})
    return long[["row", "respondents", "dimension", "dimension_name", "order", "level"]]


def distribution(framework: Framework | str, assessed, scale: Scale | None = None):
    """How many respondents sit at each level, per dimension (continuous levels rounded down).

    Returns
    -------
    pandas.DataFrame
        ``dimension``, ``dimension_name``, ``order``, ``level`` (whole number),
        ``respondents`` and ``share``, with a row for every level, also empty ones.

    Examples
    --------
    >>> import pandas as pd
    >>> assessed = pd.DataFrame({"respondent": ["a", "b", "c"], "overall": [0.5, 1.0, 1.0]})
    >>> from b4b_kit.frameworks import get
    >>> fw = get("value_maturity_model")
    >>> d = distribution("value_maturity_model", assessed.assign(**{k: 0.0 for k, _ in dimensions(fw)}))
    >>> d[d.dimension == "overall"][["level", "respondents"]].values.tolist()[:3]
    [[0, 1], [1, 2], [2, 0]]
    """
    import pandas as pd

    lo, hi = level_range(framework, scale)
    dims = _dimension_columns(framework)
    rows = []
    for order, (dim, name) in enumerate(dims):
        bands = np.clip(np.floor(assessed[dim].to_numpy(dtype=float) + _EPS), lo, hi).astype(int)
        counts = np.bincount(bands - lo, minlength=hi - lo + 1)
        total = max(len(bands), 1)
        for k, count in enumerate(counts):
            rows.append({"dimension": dim, "dimension_name": name, "order": order, "level": lo + k,
                         "respondents": int(count), "share": count / total})
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------
# Results as tables and CSV


def answers_table(framework: Framework | str, answers, *, scale: Scale | None = None, rule: str = "staged",
                  importance=None, respondent: str = "respondent"):
    """One respondent's answers and results, one row per criterion, ready for CSV.

    Columns: ``respondent``, ``framework``, ``criterion``, ``name``, ``group``,
    ``dimension``, ``score``, ``importance``, ``met``, ``rule``, ``pass_mark``,
    ``dimension_level`` (the level of the criterion's dimension) and
    ``overall_level``. :func:`wide_answers` turns many such tables back into a
    respondents x criteria table for :func:`assess_frame`.
    """
    fw = checks.framework(framework)
    scale = scale or Scale()
    result = assess_one(fw, answers, scale=scale, rule=rule, importance=importance, respondent=respondent)
    q = questionnaire(fw)
    ids = criterion_ids(fw)
    scores = _answer_vector(fw, answers, scale, str(respondent))
    table = q[["criterion", "name", "group", "dimension"]].assign(
        score=scores, importance=_weights(fw, importance),
        met=[s >= scale.pass_mark - _EPS for s in scores], rule=rule, pass_mark=float(scale.pass_mark),
        dimension_level=[result.levels.get(d, np.nan) for d in q["dimension"]],
        overall_level=result.overall)
    table.insert(0, "framework", fw.id)
    table.insert(0, RESPONDENT, str(respondent))
    assert list(table["criterion"]) == list(ids)
    return table


def wide_answers(long):
    """Respondents x criteria scores from stacked :func:`answers_table` rows (e.g. collected CSV files).

    Examples
    --------
    >>> import pandas as pd
    >>> long = pd.DataFrame({"respondent": ["a", "a", "b", "b"], "criterion": ["x", "y", "x", "y"],
    ...                      "score": [1, 2, 3, 4]})
    >>> wide_answers(long).values.tolist()
    [['a', 1, 2], ['b', 3, 4]]
    """
    for col in (RESPONDENT, "criterion", "score"):
        if col not in long.columns:
            raise B4BError(f"missing column {col!r}", where="answers table",
                           fix="Use tables written by maturity.answers_table (or the questionnaire's export).")
    dup = long.duplicated([RESPONDENT, "criterion"])
    if dup.any():
        row = long[dup].iloc[0]
        raise B4BError(f"criterion {row['criterion']!r} is answered twice", where=f"respondent {row[RESPONDENT]!r}",
                       fix="Keep one answer per respondent and criterion.")
    order = list(dict.fromkeys(long["criterion"]))
    wide = long.pivot(index=RESPONDENT, columns="criterion", values="score")[order]
    wide.columns.name = None
    return wide.reset_index()


def to_csv(table, path: str | Path) -> Path:
    """Write a results table to CSV atomically (a reader never sees half a file); returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            table.to_csv(fh, index=False, lineterminator="\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def figures(result: Maturity, gap_table=None) -> dict:
    """Key figures of one assessment, for reports and results records.

    Examples
    --------
    >>> r = assess_one("value_maturity_model", dict.fromkeys(criterion_ids("value_maturity_model"), 4))
    >>> figures(r)["overall_level"], figures(r)["criteria_met"]
    (5.0, 27)
    """
    out = {"rule": result.rule, "pass_mark": float(result.scale.pass_mark),
           "overall_level": round(float(result.overall), 4)}
    out.update({f"level_{d}": round(float(v), 4) for d, v in result.levels.items() if d != OVERALL})
    out["criteria_met"] = result.met
    out["criteria"] = result.criteria
    if gap_table is not None:
        out["gaps"] = int(len(gap_table))
        out["top_gap"] = str(gap_table["criterion"].iloc[0]) if len(gap_table) else ""
    return out
