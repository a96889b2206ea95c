"""What moves what in a sweep: base values, a sensitivity ranking and two-parameter tables, from the registry.

Pure functions over the registry of a sweep (:func:`b4b_kit.workflows.sweep.results`:
one row per run, ``param.<name>`` and ``figure.<name>`` columns). The report
(:mod:`b4b_kit.workflows.report`) draws what these compute; nothing here draws.

Only finished runs (status ``ok``) count. A parameter's *base value* is the
case's declared default when the sweep ran it, else the middle of the values the
sweep ran. The sensitivity of a figure to a parameter is read one parameter at a
time, the others held at their base values (one-at-a-time, the reading behind a
tornado chart): the *swing* is how far the figure moves, highest minus lowest,
as that parameter runs over its swept values.

Examples
--------
>>> import pandas as pd
>>> runs = pd.DataFrame({"status": "ok", "param.a": [1.0, 2.0, 1.0, 2.0], "param.b": [0.0, 0.0, 1.0, 1.0],
...                      "figure.y": [1.0, 3.0, 2.0, 6.0]})
>>> base = base_values(runs, ["a", "b"], defaults={"a": 1.0, "b": 0.0})
>>> ranking(runs, ["a", "b"], ["y"], base)[["figure", "parameter", "swing", "rank"]]
  figure parameter  swing  rank
0      y         a    2.0     1
1      y         b    1.0     2
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

RANKING_COLUMNS = ["figure", "parameter", "low", "high", "at_low", "at_high", "at_base", "lowest", "highest",
                   "swing", "relative_swing", "runs", "rank"]


def finished(table: pd.DataFrame) -> pd.DataFrame:
    """The runs that finished (status ``ok``): the only ones whose figures count."""
    return table[table["status"] == "ok"] if "status" in table.columns else table


def varying(table: pd.DataFrame, prefix: str) -> list[str]:
    """Names (without ``prefix``) of the columns that take more than one value, in the registry's order.

    Examples
    --------
    >>> varying(pd.DataFrame({"param.a": [1, 2], "param.b": [3, 3], "figure.y": [0, 1]}), "param.")
    ['a']
    """
    cols = [c for c in table.columns if c.startswith(prefix)]
    return [c.removeprefix(prefix) for c in cols if table[c].nunique(dropna=True) > 1]


def numeric(table: pd.DataFrame, names: list[str], prefix: str) -> list[str]:
    """The names among ``names`` whose ``prefix + name`` column holds numbers (booleans are not numbers)."""
    out = []
    for name in names:
        col = table[prefix + name]
        if pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col):
            out.append(name)
    return out


def base_values(table: pd.DataFrame, params: list[str], defaults: dict | None = None) -> dict:
    """The value each parameter is held at while another one moves.

    The case's declared default when the sweep ran it; else, for a number, the
    middle of the distinct swept values (the lower middle of an even count);
    else the value most runs used.

    Examples
    --------
    >>> runs = pd.DataFrame({"status": "ok", "param.a": [0.4, 0.5, 0.6, 0.7], "param.s": ["x", "y", "y", "z"]})
    >>> base_values(runs, ["a", "s"], defaults={"a": 0.6})
    {'a': 0.6, 's': 'y'}
    >>> base_values(runs, ["a"])
    {'a': 0.5}
    """
    defaults = defaults or {}
    out = {}
    for p in params:
        values = table[f"param.{p}"].dropna()
        if p in defaults and _contains(values, defaults[p]):
            out[p] = _plain(defaults[p])
        elif len(values) and p in numeric(table, [p], "param."):
            ran = np.sort(values.unique())
            out[p] = _plain(ran[(len(ran) - 1) // 2])
        elif len(values):
            out[p] = _plain(values.value_counts().index[0])
    return out


def base_reason(table: pd.DataFrame, params: list[str], base: dict, defaults: dict | None = None) -> dict[str, str]:
    """Why each base value was chosen, in words: ``"the case's default"`` or ``"middle of the swept values"``."""
    defaults = defaults or {}
    return {p: "the case's default" if p in defaults and _same(defaults[p], base.get(p))
            else "middle of the swept values" for p in params}


def at_base(table: pd.DataFrame, base: dict, *, free: tuple[str, ...] = ()) -> pd.DataFrame:
    """The finished runs whose parameters all sit at their base values, except those in ``free``.

    Examples
    --------
    >>> runs = pd.DataFrame({"status": "ok", "param.a": [1, 2, 1], "param.b": [0, 0, 5]})
    >>> at_base(runs, {"a": 1, "b": 0}, free=("a",))["param.a"].tolist()
    [1, 2]
    """
    rows = finished(table)
    keep = pd.Series(True, index=rows.index)
    for p, value in base.items():
        if p not in free:
            keep &= _equals(rows[f"param.{p}"], value)
    return rows[keep]


def ranking(table: pd.DataFrame, params: list[str], figures: list[str], base: dict) -> pd.DataFrame:
    """How far each figure moves over each parameter's swept range, the other parameters at their base values.

    Parameters
    ----------
    table : pandas.DataFrame
        The registry.
    params, figures : list of str
        Numeric parameters that vary, numeric figures.
    base : dict
        From :func:`base_values` (for every parameter that varies, numeric or not).

    Returns
    -------
    pandas.DataFrame
        One row per figure and parameter: ``low``/``high`` (the parameter's lowest and
        highest swept value among those runs), ``at_low``/``at_high``/``at_base`` (the
        figure there), ``lowest``/``highest`` (the figure's range), ``swing``
        (highest minus lowest), ``relative_swing`` (swing over the figure's
        absolute base value; NaN when that is 0), ``runs`` (how many runs the row
        rests on) and ``rank`` (1 = moves the figure most; NaN when fewer than two
        runs vary that parameter alone). Sorted by figure, then rank.
    """
    rows = []
    for f in figures:
        for p in params:
            sliced = at_base(table, base, free=(p,))
            points = (sliced[[f"param.{p}", f"figure.{f}"]].dropna().astype(float)
                      .groupby(f"param.{p}")[f"figure.{f}"].mean().sort_index())
            at_b = _lookup(points, base.get(p))
            row = {"figure": f, "parameter": p, "runs": int(len(sliced)), "at_base": at_b}
            if len(points) >= 2:
                row.update(low=float(points.index[0]), high=float(points.index[-1]), at_low=float(points.iloc[0]),
                           at_high=float(points.iloc[-1]), lowest=float(points.min()), highest=float(points.max()))
                row["swing"] = row["highest"] - row["lowest"]
                row["relative_swing"] = row["swing"] / abs(at_b) if at_b and not math.isnan(at_b) else math.nan
            rows.append(row)
    frame = pd.DataFrame(rows).reindex(columns=RANKING_COLUMNS)
    if frame.empty:
        return frame
    frame["swing"] = frame["swing"].astype(float)
    frame["rank"] = frame.groupby("figure")["swing"].rank(method="min", ascending=False)
    order = {f: i for i, f in enumerate(figures)}
    frame = frame.sort_values(["figure", "rank", "parameter"], key=lambda c: c.map(order) if c.name == "figure" else c,
                              na_position="last")
    frame["rank"] = frame["rank"].astype("Int64")
    return frame.reset_index(drop=True)


def ranking_matrix(ranked: pd.DataFrame) -> pd.DataFrame:
    """The ranking as a figure x parameter table of swings (rows and columns in the ranking's order).

    Examples
    --------
    >>> r = pd.DataFrame({"figure": ["y", "y"], "parameter": ["a", "b"], "swing": [2.0, 1.0], "rank": [1, 2]})
    >>> ranking_matrix(r).loc["y"].tolist()
    [2.0, 1.0]
    """
    if ranked.empty:
        return pd.DataFrame()
    matrix = ranked.pivot(index="figure", columns="parameter", values="swing")
    return matrix.reindex(index=list(dict.fromkeys(ranked["figure"])),
                          columns=list(dict.fromkeys(ranked["parameter"])))


def heatmap_table(table: pd.DataFrame, x: str, y: str, figure: str, base: dict) -> pd.DataFrame:
    """A figure over two parameters, the others at their base values: one row per (x, y) pair that ran.

    Columns ``x``, ``y``, ``value`` (the mean over the runs at that pair) and ``runs``.

    Examples
    --------
    >>> runs = pd.DataFrame({"status": "ok", "param.a": [1.0, 2.0, 1.0, 2.0], "param.b": [0.0, 0.0, 1.0, 1.0],
    ...                      "figure.y": [1.0, 3.0, 2.0, 6.0]})
    >>> heatmap_table(runs, "a", "b", "y", {"a": 1.0, "b": 0.0})["value"].tolist()
    [1.0, 2.0, 3.0, 6.0]
    """
    sliced = at_base(table, base, free=(x, y))
    data = sliced[[f"param.{x}", f"param.{y}", f"figure.{figure}"]].dropna()
    data = data.set_axis(["x", "y", "value"], axis=1).astype(float)
    return (data.groupby(["x", "y"])["value"].agg(value="mean", runs="size").reset_index())


def failures(table: pd.DataFrame) -> pd.DataFrame:
    """The runs that did not finish: id, status, where they stopped and why (empty when none failed)."""
    cols = ["run_id", "status", "error_cell", "error_source", "error"]
    bad = table[table["status"] != "ok"] if "status" in table.columns else table.iloc[0:0]
    return bad.reindex(columns=cols + [c for c in table.columns if c.startswith("param.")]).reset_index(drop=True)


def provenance(table: pd.DataFrame) -> dict[str, list[tuple[object, int]]]:
    """Each provenance field of the registry with its distinct values and how many runs had each.

    Fields: kit version, git commit (and whether the tree was dirty), Python,
    every ``package.<name>``, the notebook's SHA-256 and every dataset's. One
    value per field is the normal case; more means the runs of this sweep were
    not all made the same way (for instance resumed after an upgrade).

    Examples
    --------
    >>> provenance(pd.DataFrame({"kit_version": ["0.1", "0.1", "0.2"]}))
    {'kit_version': [('0.1', 2), ('0.2', 1)]}
    """
    fields = [c for c in ("kit_version", "git_commit", "git_dirty", "python", "notebook_sha256") if c in table]
    fields += sorted(c for c in table.columns if c.startswith("package."))
    fields += sorted(c for c in table.columns if c.startswith("dataset.") and c.endswith(".sha256"))
    out = {}
    for c in fields:
        counts = table[c].astype(object).where(table[c].notna(), None).value_counts(dropna=False)
        out[c] = [(_plain(v), int(n)) for v, n in counts.items()]
    return out


def band_position(values: pd.Series, low: float, high: float) -> dict[str, int]:
    """How many values fall below, inside and above a published range ``[low, high]``.

    Examples
    --------
    >>> band_position(pd.Series([0.1, 0.25, 0.5]), 0.2, 0.3)
    {'below': 1, 'inside': 1, 'above': 1}
    """
    v = pd.to_numeric(values, errors="coerce").dropna()
    return {"below": int((v < low).sum()), "inside": int(((v >= low) & (v <= high)).sum()),
            "above": int((v > high).sum())}


# ---- helpers ----

def _plain(value):
    """Plain Python values for numpy scalars (they print and compare as users expect)."""
    return value.item() if isinstance(value, np.generic) else value


def _equals(column: pd.Series, value) -> pd.Series:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and pd.api.types.is_numeric_dtype(column):
        return pd.Series(np.isclose(column.astype(float), float(value), rtol=1e-9, atol=1e-12), index=column.index)
    return column.astype(object) == value


def _contains(values: pd.Series, value) -> bool:
    return bool(_equals(values, value).any()) if len(values) else False


def _same(a, b) -> bool:
    return bool(_equals(pd.Series([a]), b).iloc[0]) if b is not None else False


def _lookup(points: pd.Series, value) -> float:
    if value is None or not len(points):
        return math.nan
    hit = np.isclose(points.index.to_numpy(dtype=float), float(value))
    return float(points[hit].iloc[0]) if hit.any() else math.nan


@dataclass(frozen=True, eq=False)
class Analysis:
    """A sweep's registry with its sensitivity reading, as the report shows it.

    Attributes
    ----------
    table : pandas.DataFrame
        Every run (the registry).
    params : list of str
        Numeric parameters that vary among the finished runs.
    figures : list of str
        Numeric figures that vary among the finished runs.
    base : dict
        The base value of every parameter that varies (numeric or not).
    reasons : dict
        Why each base value was chosen (:func:`base_reason`).
    ranking : pandas.DataFrame
        From :func:`ranking`.
    units : dict
        Declared units of figures and parameters (others follow their names; see ``unit``).
    """

    table: pd.DataFrame
    params: list[str]
    figures: list[str]
    base: dict
    reasons: dict
    ranking: pd.DataFrame
    units: dict = field(default_factory=dict)

    def unit(self, name: str) -> str:
        """The unit of a figure or parameter (declared, else read from its name)."""
        from .report import unit_of

        return unit_of(name, self.units)

    def swept(self, parameter: str) -> list:
        """The distinct values a parameter took among the finished runs, in order."""
        values = finished(self.table)[f"param.{parameter}"].dropna().unique().tolist()
        return sorted(values, key=lambda v: (0, v) if isinstance(v, (int, float)) else (1, str(v)))


def analyse(table: pd.DataFrame, defaults: dict | None = None, units: dict | None = None) -> Analysis:
    """The sensitivity reading of a registry: what varies, the base values and the ranking.

    Examples
    --------
    >>> runs = pd.DataFrame({"run_id": list("abcd"), "status": "ok", "param.a": [1.0, 2.0, 1.0, 2.0],
    ...                      "param.b": [0.0, 0.0, 1.0, 1.0], "figure.y": [1.0, 3.0, 2.0, 6.0]})
    >>> a = analyse(runs)
    >>> a.params, a.figures, a.base
    (['a', 'b'], ['y'], {'a': 1.0, 'b': 0.0})
    """
    ok = finished(table)
    moving = varying(ok, "param.")
    params = numeric(ok, moving, "param.")
    figures = numeric(ok, varying(ok, "figure."), "figure.")
    base = base_values(ok, moving, defaults)
    return Analysis(table=table, params=params, figures=figures, base=base,
                    reasons=base_reason(ok, moving, base, defaults), ranking=ranking(table, params, figures, base),
                    units=dict(units or {}))
