"""Channel 1.0 diagnosis and the consumer-back prioritisation of innovations (step 6).

**Diagnosis.** The channel capability model lists six symptoms of Channel 1.0
gaps, each ``related`` to the capabilities that usually lie behind it (the
kit's reading, in ``channel_capability_model.yaml``). :func:`diagnose` takes
the symptoms a company recognises and ranks the capabilities they point to:

* ``symptoms`` — how many of the ticked symptoms point to the capability (a
  capability behind several symptoms is the likelier root cause);
* ``evidence`` — each ticked symptom spreads its weight (1 when ticked)
  evenly over the capabilities it points to, so a symptom with few related
  capabilities is stronger evidence for each; ``likelihood`` is the evidence
  as a share of the total.

Capabilities rank by ``symptoms``, then ``evidence``, then file order. Any
framework file with a list whose items carry ``related`` links works the same.

**Prioritisation (consumer-back step 6).** Innovations are rated on business
value, implementation complexity and the supplier's credibility in delivering
them. :func:`prioritise` rescales each rating to 0-1 (complexity reversed, since
less is better) and ranks by the weighted mean; :func:`pareto_front` marks the
innovations no other beats on all three at once (at least as valuable, at
most as complex, at least as credible, and strictly better on one). The
weights are a choice; the Pareto front does not depend on them.

Examples
--------
>>> diagnose(["wrong_partners_selected", "asks_not_needs"])["capability"].iloc[0]
'partner_assessments'
>>> import pandas as pd
>>> ideas = pd.DataFrame({"innovation": ["a", "b", "c"], "business_value": [5, 3, 2],
...                       "implementation_complexity": [4, 2, 3], "delivery_credibility": [3, 4, 3]})
>>> prioritise(ideas)[["innovation", "pareto"]].values.tolist()
[['b', True], ['a', True], ['c', False]]
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from .. import checks
from ..errors import B4BError
from ..frameworks import Framework

FRAMEWORK = "channel_capability_model"
SYMPTOMS = "symptoms"
CRITERIA = ("business_value", "implementation_complexity", "delivery_credibility")
# Which way is better for each criterion: +1 more is better, -1 less is better.
DIRECTION = {"business_value": 1, "implementation_complexity": -1, "delivery_credibility": 1}
DEFAULT_WEIGHTS = {"business_value": 0.4, "implementation_complexity": 0.3, "delivery_credibility": 0.3}
RATING_SCALE = (1, 5)


def _list(fw: Framework, list_name: str):
    if list_name not in fw.lists:
        raise B4BError(f"{fw.id} has no list {list_name!r}", where="list_name",
                       fix=f"Lists in the file: {', '.join(fw.lists) or 'none'}.")
    return fw.lists[list_name]


def symptoms(framework: Framework | str = FRAMEWORK, list_name: str = SYMPTOMS):
    """The symptoms a diagnosis can tick: ``symptom``, ``name``, ``description``, ``capabilities`` (count).

    Examples
    --------
    >>> symptoms()["symptom"].tolist()[:2]
    ['wrong_partners_selected', 'selling_to_not_through']
    """
    import pandas as pd

    items = _list(checks.framework(framework), list_name)
    return pd.DataFrame([{"symptom": it.id, "name": it.name, "description": it.description,
                          "capabilities": len(it.related)} for it in items])


def _ticked(items, ticked) -> dict[str, float]:
    known = [it.id for it in items]
    if isinstance(ticked, str):
        ticked = [ticked]
    if isinstance(ticked, Mapping) or hasattr(ticked, "items"):
        pairs = list(ticked.items())
    else:
        pairs = [(s, 1.0) for s in ticked]
    out: dict[str, float] = {}
    for sid, weight in pairs:
        if sid not in known:
            import difflib

            close = difflib.get_close_matches(str(sid), known, n=1)
            raise B4BError(f"unknown symptom {sid!r}", where="symptoms",
                           fix=(f"Did you mean {close[0]!r}? " if close else "") + f"Symptoms: {', '.join(known)}.")
        if isinstance(weight, bool):
            weight = float(weight)
        if not isinstance(weight, (int, float, np.integer, np.floating)) or not math.isfinite(weight) or weight < 0:
            raise B4BError(f"weight {weight!r} of symptom {sid!r} is not a number of 0 or more", where="symptoms",
                           fix="Tick a symptom with True or give its severity as a number, e.g. 1.")
        if weight > 0:
            out[sid] = float(weight)
    return out


def diagnose(ticked, *, framework: Framework | str = FRAMEWORK, list_name: str = SYMPTOMS):
    """The capability gaps that the ticked symptoms point to, likeliest first.

    Parameters
    ----------
    ticked : iterable of str, or mapping of str to weight
        Symptom ids, or symptom id -> severity (0 or more; True counts 1).
    framework : Framework or str
        Default: the channel capability model; any file whose list items have ``related`` links.
    list_name : str
        The list holding the symptoms.

    Returns
    -------
    pandas.DataFrame
        ``rank``, ``capability``, ``name``, ``area``, ``area_name``,
        ``symptoms`` (count), ``evidence``, ``likelihood`` and ``because``
        (the symptoms' names); empty when nothing is ticked.

    Examples
    --------
    One symptom: its six capabilities share its evidence equally.

    >>> d = diagnose({"wrong_partners_selected": 1})
    >>> len(d), d["evidence"].round(4).tolist()[0], d["likelihood"].sum().round(9).item()
    (6, 0.1667, 1.0)
    """
    import pandas as pd

    fw = checks.framework(framework)
    items = _list(fw, list_name)
    weights = _ticked(items, ticked)
    order = {el.id: i for i, el in enumerate(fw.elements)}
    count: dict[str, int] = {}
    evidence: dict[str, float] = {}
    because: dict[str, list[str]] = {}
    for it in items:
        if it.id not in weights or not it.related:
            continue
        share = weights[it.id] / len(it.related)
        for cap in it.related:
            count[cap] = count.get(cap, 0) + 1
            evidence[cap] = evidence.get(cap, 0.0) + share
            because.setdefault(cap, []).append(it.name)
    columns = ["rank", "capability", "name", "area", "area_name", "symptoms", "evidence", "likelihood", "because"]
    if not count:
        return pd.DataFrame({c: pd.Series(dtype="float64" if c in ("evidence", "likelihood") else
                                          "int64" if c in ("rank", "symptoms") else "object")
                             for c in columns})
    caps = sorted(count, key=lambda c: (-count[c], -evidence[c], order[c]))
    total = sum(evidence.values())
    rows = []
    for rank, cap in enumerate(caps, start=1):
        group = fw.group_of(cap)
        rows.append({"rank": rank, "capability": cap, "name": fw.element(cap).name, "area": group.id,
                     "area_name": group.name, "symptoms": count[cap], "evidence": evidence[cap],
                     "likelihood": evidence[cap] / total, "because": "; ".join(because[cap])})
    return pd.DataFrame(rows, columns=columns)


def area_summary(diagnosis, framework: Framework | str = FRAMEWORK):
    """Evidence per area of the model (every area, also those with none), for a chart.

    Examples
    --------
    >>> s = area_summary(diagnose(["weak_lifecycle_support"]))
    >>> s.set_index("area")["capabilities"].to_dict()["performance_management"]
    6
    """
    import pandas as pd

    fw = checks.framework(framework)
    rows = []
    for order, group in enumerate(fw.groups):
        mine = diagnosis[diagnosis["area"] == group.id] if len(diagnosis) else diagnosis
        rows.append({"area": group.id, "area_name": group.name, "order": order,
                     "capabilities": int(len(mine)), "of": len(group.elements),
                     "evidence": float(mine["evidence"].sum()) if len(mine) else 0.0})
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------
# Consumer-back step 6: prioritise innovations


def check_weights(weights) -> dict[str, float]:
    """The three step-6 weights as a dict, checked; ``None`` gives :data:`DEFAULT_WEIGHTS`.

    Examples
    --------
    >>> check_weights((1, 0, 0))
    {'business_value': 1.0, 'implementation_complexity': 0.0, 'delivery_credibility': 0.0}
    """
    if weights is None:
        return dict(DEFAULT_WEIGHTS)
    if isinstance(weights, Mapping):
        unknown = [k for k in weights if k not in CRITERIA]
        if unknown:
            raise B4BError(f"unknown criterion {unknown[0]!r}", where="weights",
                           fix=f"Weigh the criteria {', '.join(CRITERIA)}.")
        out = {c: weights.get(c, 0.0) for c in CRITERIA}
    else:
        values = list(weights)
        if len(values) != 3:
            raise B4BError(f"expected three weights, got {len(values)}", where="weights",
                           fix="Give (business value, implementation complexity, credibility), e.g. (0.4, 0.3, 0.3).")
        out = dict(zip(CRITERIA, values))
    for c, w in out.items():
        if isinstance(w, bool) or not isinstance(w, (int, float, np.integer, np.floating)) \
                or not math.isfinite(w) or w < 0:
            raise B4BError(f"weight {w!r} is not a number of 0 or more", where=f"weights, {c}",
                           fix="Give each weight as a number of 0 or more.")
    if sum(out.values()) <= 0:
        raise B4BError("all weights are 0", where="weights", fix="Give at least one criterion a weight above 0.")
    return {c: float(w) for c, w in out.items()}


def _ratings(innovations, scale: tuple[float, float]) -> tuple[list[str], np.ndarray]:
    import pandas as pd

    if not isinstance(innovations, pd.DataFrame):
        raise B4BError(f"expected a DataFrame, got {type(innovations).__name__}", where="innovations",
                       fix=f"One row per innovation with the columns {', '.join(CRITERIA)}.")
    missing = [c for c in CRITERIA if c not in innovations.columns]
    if missing:
        raise B4BError(f"missing column {missing[0]!r}", where="innovations",
                       fix=f"Rate every innovation on {', '.join(CRITERIA)}.")
    lo, hi = scale
    if not lo < hi:
        raise B4BError(f"scale {scale!r} must run from low to high", where="scale", fix="Pass e.g. scale=(1, 5).")
    labels = [str(v) for v in (innovations["innovation"] if "innovation" in innovations.columns
                               else innovations.index)]
    cols = []
    for c in CRITERIA:
        col = innovations[c]
        values = pd.to_numeric(col, errors="coerce").to_numpy(dtype=float)
        bad = np.isnan(values) | (values < lo) | (values > hi) | col.map(lambda v: isinstance(v, bool)).to_numpy()
        if bad.any():
            i = int(np.argmax(bad))
            raise B4BError(f"rating {col.tolist()[i]!r} is not a number from {lo:g} to {hi:g}",
                           where=f"innovation {labels[i]!r}, {c}", fix=f"Rate it from {lo:g} to {hi:g}.")
        cols.append(values)
    return labels, np.column_stack(cols) if cols else np.empty((0, 3))


def pareto_front(ratings) -> np.ndarray:
    """True for each row that no other row dominates.

    Parameters
    ----------
    ratings : array-like, shape (n, 3)
        Business value, implementation complexity, credibility, per innovation.

    Examples
    --------
    >>> pareto_front([[5, 4, 3], [3, 2, 4], [2, 3, 3], [3, 2, 4]]).tolist()
    [True, True, False, True]
    """
    r = np.asarray(ratings, dtype=float).reshape(-1, 3) * np.array([DIRECTION[c] for c in CRITERIA])
    # All criteria now read "more is better". In descending lexicographic order, an
    # innovation can only be dominated by one listed before it, and whatever beats
    # it is beaten by (or is) a front member already found: compare with the front only.
    order = np.lexsort((-r[:, 2], -r[:, 1], -r[:, 0]))
    front = np.zeros(len(r), dtype=bool)
    kept = np.empty((0, 3))
    for i in order:
        row = r[i]
        if len(kept) and ((kept >= row).all(axis=1) & (kept > row).any(axis=1)).any():
            continue
        front[i] = True
        kept = np.vstack([kept, row])
    return front


def prioritise(innovations, weights=None, *, scale: tuple[float, float] = RATING_SCALE):
    """Rank innovations by the weighted mean of their rescaled ratings, and mark the Pareto front.

    Parameters
    ----------
    innovations : pandas.DataFrame
        One row per innovation with ``business_value``, ``implementation_complexity``
        and ``delivery_credibility`` rated on ``scale``; an ``innovation`` column
        (else the index) names them; other columns are kept.
    weights : mapping or 3 numbers, optional
        Weights of value, complexity, credibility (0 or more, not all 0); they
        are used relative to their sum. Default 0.4, 0.3, 0.3.
    scale : (low, high)
        The rating scale, default 1-5.

    Returns
    -------
    pandas.DataFrame
        The input plus ``value_part``, ``complexity_part``, ``credibility_part``
        (each criterion's weighted contribution), ``score`` (0-1), ``rank``
        (1 = best; ties share a rank), ``pareto`` and ``dominated_by`` (how many
        innovations beat it on all three), best first; equal scores are listed
        by ``dominated_by``, then in input order.

    Examples
    --------
    Value 5, complexity 2, credibility 3 on 1-5 with weights 2:1:1:
    (2 x 1 + 1 x 0.75 + 1 x 0.5) / 4 = 0.8125.

    >>> import pandas as pd
    >>> one = pd.DataFrame({"business_value": [5], "implementation_complexity": [2], "delivery_credibility": [3]})
    >>> prioritise(one, (2, 1, 1))["score"].item()
    0.8125
    """
    w = check_weights(weights)
    labels, r = _ratings(innovations, scale)
    lo, hi = scale
    normal = (r - lo) / (hi - lo)
    normal[:, 1] = 1 - normal[:, 1]  # less complex is better
    total = sum(w.values())
    parts = normal * np.array([w[c] for c in CRITERIA]) / total
    out = innovations.copy()
    if "innovation" not in out.columns:
        out.insert(0, "innovation", labels)
    for j, name in enumerate(("value_part", "complexity_part", "credibility_part")):
        out[name] = parts[:, j]
    out["score"] = parts.sum(axis=1)
    signed = r * np.array([DIRECTION[c] for c in CRITERIA])
    out["pareto"] = pareto_front(r)
    out["dominated_by"] = [int(((signed >= s).all(axis=1) & (signed > s).any(axis=1)).sum()) for s in signed]
    out["rank"] = out["score"].round(12).rank(method="min", ascending=False).astype(int)
    # equal scores: an innovation that is dominated never comes before one that is not
    out = out.iloc[np.lexsort((np.arange(len(out)), out["dominated_by"].to_numpy(),
                               -out["score"].round(12).to_numpy()))]
    return out.reset_index(drop=True)


def priority_figures(ranked) -> dict:
    """Key figures of a prioritisation, for reports and results records.

    ``pareto`` lists the front in alphabetical order, so that it reads the same whatever the weights.

    Examples
    --------
    >>> import pandas as pd
    >>> ideas = pd.DataFrame({"innovation": ["a", "b"], "business_value": [5, 1],
    ...                       "implementation_complexity": [1, 5], "delivery_credibility": [5, 1]})
    >>> priority_figures(prioritise(ideas))["top"], priority_figures(prioritise(ideas))["pareto"]
    ('a', 'a')
    """
    front = ranked[ranked["pareto"]]
    out = {"top": str(ranked["innovation"].iloc[0]), "top_score": round(float(ranked["score"].iloc[0]), 4),
           "pareto": ", ".join(sorted(map(str, front["innovation"]))), "pareto_count": int(len(front)),
           "innovations": int(len(ranked))}
    out.update({f"score_{i}": round(float(s), 4) for i, s in zip(ranked["innovation"], ranked["score"])})
    return out


def pareto_points(ranked):
    """The ranking laid out for the Pareto plot: ``label`` (rank and name), ``status`` and ``slot``.

    ``slot`` numbers innovations that share the same value and complexity (0, 1,
    ...), so that their labels can be stacked instead of printed on top of each other.

    Examples
    --------
    >>> import pandas as pd
    >>> ideas = pd.DataFrame({"innovation": ["a", "b"], "business_value": [3, 3],
    ...                       "implementation_complexity": [2, 2], "delivery_credibility": [4, 3]})
    >>> pareto_points(prioritise(ideas))[["label", "status", "slot"]].values.tolist()
    [['1 a', 'on the Pareto front', 0], ['2 b', 'dominated', 1]]
    """
    out = ranked.copy()
    names = out["name"] if "name" in out.columns else out["innovation"]
    out["label"] = [f"{r} {n}" for r, n in zip(out["rank"], names)]
    out["status"] = np.where(out["pareto"], "on the Pareto front", "dominated")
    out["slot"] = out.groupby(["business_value", "implementation_complexity"]).cumcount().astype(int)
    return out
