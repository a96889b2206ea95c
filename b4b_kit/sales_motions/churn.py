"""Churn by contract length: who leaves, how soon, and how much monthly revenue that puts at risk.

Pivot 1 of B4B argues that consumption and month-to-month offers must earn
their renewal over and over: a customer who is not bound can leave whenever it
stops getting value. The kit's one real public dataset, IBM's telco customer
churn sample (``datasets/telco_customer_churn.csv``, one row per customer), lets
a student see how much contract length goes with churn. The functions work on
any file with its columns (``datasets.load("telco_customer_churn", file=...)``
checks them); they use ``Contract``, ``tenure`` (months), ``MonthlyCharges`` and
``Churn`` (``Yes``/``No``).

* :func:`churn_by_contract` and :func:`churn_by_tenure` — the share of
  customers who left, per contract type and per tenure band.
* :func:`kaplan_meier` — the survival curve: the chance a customer is still a
  customer after ``t`` months. Each row's tenure is read as the time to leaving
  (``Churn`` = Yes) or the time so far (``Churn`` = No, *censored*: it may
  leave later). The estimate multiplies, month by month, the share of the
  customers still at risk who did not leave then. Greenwood's variance gives a
  95 % band on the log(-log) scale (so it stays within 0..1).
* :func:`revenue_at_risk` — for each customer still paying, the chance its
  contract type's curve gives of leaving within ``horizon`` more months, given
  how long it has stayed: 1 - S(tenure + horizon) / S(tenure); times its monthly
  charge, summed.

**What the reading assumes.** The file is one snapshot, with no date of
leaving, and ``Contract`` is the contract at that moment: a customer of five
years on a two-year contract may have started month to month. A survival
curve from it treats every customer as followed from its first month; if
customers who left before the snapshot are missing from the file, the curve
overstates survival. Beyond the longest tenure observed for a
contract type the curve says nothing, and :func:`revenue_at_risk` assumes no
further churn there. Read the curves to compare contract types with each
other, not as exact lifetimes. These readings are the kit's, not IBM's.

Examples
--------
>>> import pandas as pd
>>> df = pd.DataFrame({"Contract": ["Month-to-month"] * 3 + ["Two year"] * 2, "tenure": [1, 2, 5, 10, 30],
...                    "MonthlyCharges": [50.0, 60.0, 70.0, 80.0, 90.0], "Churn": ["Yes", "Yes", "No", "No", "No"]})
>>> churn_by_contract(df)[["contract", "customers", "churned", "churn_rate"]].values.tolist()
[['Month-to-month', 3, 2, 0.6667], ['Two year', 2, 0, 0.0]]
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..errors import B4BError

CONTRACTS = ("Month-to-month", "One year", "Two year")
COLUMNS = ("Contract", "tenure", "MonthlyCharges", "Churn")
TENURE_BANDS = (6, 12, 24, 48)  # upper ends in months; the last band is open
Z95 = 1.959963984540054


def _slug(contract: str) -> str:
    return str(contract).lower().replace("-", "_").replace(" ", "_")


def _check(frame: pd.DataFrame) -> pd.DataFrame:
    if not isinstance(frame, pd.DataFrame):
        raise B4BError(f"expected a table of customers, got {type(frame).__name__}", where="customers",
                       fix='Load one with datasets.load("telco_customer_churn", file=...).')
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise B4BError(f"missing column(s) {', '.join(missing)}", where="customers",
                       fix=f"The churn model needs the columns {', '.join(COLUMNS)}.")
    bad = ~frame["Churn"].isin(["Yes", "No"])
    if bad.any():
        raise B4BError(f"Churn must be Yes or No; row {int(bad.to_numpy().argmax()) + 1} has "
                       f"{frame['Churn'][bad].iloc[0]!r}", where="customers, column 'Churn'", fix="Write Yes or No.")
    tenure = pd.to_numeric(frame["tenure"], errors="coerce")
    if tenure.isna().any() or (tenure < 0).any():
        row = int((tenure.isna() | (tenure < 0)).to_numpy().argmax())
        raise B4BError(f"tenure must be months of 0 or more; row {row + 1} has {frame['tenure'].iloc[row]!r}",
                       where="customers, column 'tenure'", fix="Write whole months, e.g. 12.")
    return frame


def _contracts(frame: pd.DataFrame) -> list[str]:
    """Contract types in the kit's order (shortest first), then any others alphabetically."""
    found = set(frame["Contract"].astype(str))
    return [c for c in CONTRACTS if c in found] + sorted(found - set(CONTRACTS))


def churn_by_contract(frame: pd.DataFrame) -> pd.DataFrame:
    """Per contract type: customers, how many left, the churn rate, and the monthly revenue they took.

    Returns
    -------
    pandas.DataFrame
        ``contract``, ``customers``, ``churned``, ``churn_rate`` (share who
        left, 4 decimals), ``mean_tenure`` (months), ``monthly_revenue`` (all
        customers' monthly charges), ``lost_monthly_revenue`` (those who left)
        and ``lost_share``.
    """
    _check(frame)
    left = frame["Churn"].eq("Yes")
    rows = []
    for contract in _contracts(frame):
        mine = frame["Contract"].astype(str).eq(contract)
        revenue = float(frame.loc[mine, "MonthlyCharges"].sum())
        lost = float(frame.loc[mine & left, "MonthlyCharges"].sum())
        rows.append({"contract": contract, "customers": int(mine.sum()), "churned": int((mine & left).sum()),
                     "churn_rate": round(float((mine & left).sum()) / int(mine.sum()), 4),
                     "mean_tenure": round(float(frame.loc[mine, "tenure"].mean()), 2),
                     "monthly_revenue": round(revenue, 2), "lost_monthly_revenue": round(lost, 2),
                     "lost_share": round(lost / revenue, 4) if revenue else 0.0})
    return pd.DataFrame(rows)


def tenure_band_labels(bands: tuple[int, ...] = TENURE_BANDS) -> list[str]:
    """Labels of the tenure bands, e.g. ``['0-6', '7-12', '13-24', '25-48', '49+']``.

    Examples
    --------
    >>> tenure_band_labels((12, 24))
    ['0-12', '13-24', '25+']
    """
    if not bands or list(bands) != sorted(set(bands)) or bands[0] < 0:
        raise B4BError(f"expected increasing month limits, got {bands!r}", where="bands",
                       fix="Pass upper ends in months, e.g. (6, 12, 24, 48).")
    lows = [0, *(b + 1 for b in bands)]
    return [f"{lo}-{hi}" for lo, hi in zip(lows, bands)] + [f"{lows[-1]}+"]


def churn_by_tenure(frame: pd.DataFrame, bands: tuple[int, ...] = TENURE_BANDS) -> pd.DataFrame:
    """Churn rate per contract type and tenure band (months; the last band is open).

    Examples
    --------
    >>> df = pd.DataFrame({"Contract": ["One year"] * 4, "tenure": [3, 5, 20, 30], "MonthlyCharges": [1.0] * 4,
    ...                    "Churn": ["Yes", "No", "Yes", "Yes"]})
    >>> churn_by_tenure(df, bands=(12,))[["band", "customers", "churn_rate"]].values.tolist()
    [['0-12', 2, 0.5], ['13+', 2, 1.0]]
    """
    _check(frame)
    labels = tenure_band_labels(bands)
    edges = [-np.inf, *(b + 0.5 for b in bands), np.inf]  # whole months: 6 falls in 0-6, 7 in 7-12
    band = pd.cut(pd.to_numeric(frame["tenure"]), edges, labels=labels)
    table = (pd.DataFrame({"contract": frame["Contract"].astype(str), "band": band,
                           "left": frame["Churn"].eq("Yes")})
             .groupby(["contract", "band"], observed=True)["left"].agg(["size", "sum"]).reset_index())
    table.columns = ["contract", "band", "customers", "churned"]
    table["churn_rate"] = (table["churned"] / table["customers"]).round(4)
    order = {c: i for i, c in enumerate(_contracts(frame))}
    table["band"] = table["band"].astype(str)
    table = table.sort_values(["contract", "band"], key=lambda s: s.map(order) if s.name == "contract"
                              else s.map({b: i for i, b in enumerate(labels)}))
    return table.reset_index(drop=True)[["contract", "band", "customers", "churned", "churn_rate"]]


def kaplan_meier(durations, events) -> pd.DataFrame:
    """The Kaplan-Meier survival curve, with Greenwood's 95 % band (log(-log) scale).

    Parameters
    ----------
    durations : array-like
        Months observed per customer (to leaving, or so far).
    events : array-like of bool
        True where the customer left at that time; False where it is still a customer.

    Returns
    -------
    pandas.DataFrame
        One row per distinct time (plus time 0): ``time``, ``at_risk`` (still
        customers just before it), ``events``, ``censored``, ``survival``
        (after that time), ``ci_low`` and ``ci_high``.

    Examples
    --------
    Six customers; three leave at 1, 2 and 3 months, one at 5; two are still customers at 2 and 4 months:

    >>> km = kaplan_meier([1, 2, 2, 3, 4, 5], [True, True, False, True, False, True])
    >>> km[["time", "at_risk", "events", "survival"]].round(4).values.tolist()
    [[0.0, 6.0, 0.0, 1.0], [1.0, 6.0, 1.0, 0.8333], [2.0, 5.0, 1.0, 0.6667], [3.0, 3.0, 1.0, 0.4444], \
[4.0, 2.0, 0.0, 0.4444], [5.0, 1.0, 1.0, 0.0]]
    """
    d = np.asarray(durations, dtype=float)
    e = np.asarray(events)
    if d.ndim != 1 or e.shape != d.shape or d.size == 0:
        raise B4BError(f"expected two lists of the same length, got {d.shape} and {e.shape}",
                       where="durations, events", fix="One duration and one event flag per customer.")
    if not np.isfinite(d).all() or (d < 0).any():
        raise B4BError("durations must be numbers of 0 or more", where="durations", fix="Use months, e.g. 12.")
    e = e.astype(bool)
    times, inverse = np.unique(d, return_inverse=True)
    deaths = np.bincount(inverse, weights=e, minlength=times.size)
    leaving = np.bincount(inverse, minlength=times.size)  # everyone whose time ends here, left or not
    at_risk = d.size - np.concatenate([[0], np.cumsum(leaving)[:-1]])
    survival = np.cumprod(1 - deaths / at_risk)
    with np.errstate(divide="ignore", invalid="ignore"):
        greenwood = np.cumsum(np.where(at_risk > deaths, deaths / (at_risk * (at_risk - deaths)), np.inf))
        spread = Z95 * np.sqrt(greenwood) / np.abs(np.log(survival))
        low = np.where((survival > 0) & (survival < 1), survival ** np.exp(spread), np.nan)
        high = np.where((survival > 0) & (survival < 1), survival ** np.exp(-spread), np.nan)
    low = np.where(survival == 1, 1.0, np.where(survival == 0, 0.0, low))
    high = np.where(survival == 1, 1.0, np.where(survival == 0, 0.0, high))
    table = pd.DataFrame({"time": times, "at_risk": at_risk.astype(float), "events": deaths,
                          "censored": leaving - deaths, "survival": survival, "ci_low": low, "ci_high": high})
    if times[0] > 0:
        start = pd.DataFrame([{"time": 0.0, "at_risk": float(d.size), "events": 0.0, "censored": 0.0,
                               "survival": 1.0, "ci_low": 1.0, "ci_high": 1.0}])
        table = pd.concat([start, table], ignore_index=True)
    return table


def kaplan_meier_loop(durations, events) -> list[tuple[float, float]]:
    """The same survival curve, one customer and one time at a time: ``[(time, survival), ...]``.

    Slow on purpose; for teaching and as the test's cross-check of :func:`kaplan_meier`.

    Examples
    --------
    >>> kaplan_meier_loop([2, 1], [True, True])
    [(0.0, 1.0), (1.0, 0.5), (2.0, 0.0)]
    """
    pairs = sorted(zip((float(x) for x in durations), (bool(x) for x in events)))
    curve, survival, i = [], 1.0, 0
    if pairs and pairs[0][0] > 0:
        curve.append((0.0, 1.0))
    while i < len(pairs):
        time = pairs[i][0]
        at_risk = len(pairs) - i
        left = 0
        while i < len(pairs) and pairs[i][0] == time:
            left += pairs[i][1]
            i += 1
        survival *= 1 - left / at_risk
        curve.append((time, survival))
    return curve


def survival_by_contract(frame: pd.DataFrame) -> pd.DataFrame:
    """One Kaplan-Meier curve per contract type, stacked, with a ``contract`` column."""
    _check(frame)
    curves = []
    for contract in _contracts(frame):
        mine = frame[frame["Contract"].astype(str) == contract]
        curves.append(kaplan_meier(mine["tenure"], mine["Churn"].eq("Yes")).assign(contract=contract))
    return pd.concat(curves, ignore_index=True)[["contract", "time", "at_risk", "events", "censored", "survival",
                                                 "ci_low", "ci_high"]]


def _step(curve: pd.DataFrame, months) -> np.ndarray:
    """Survival at each of ``months``: the last value at or before it (the curve is a step function)."""
    times = curve["time"].to_numpy()
    idx = np.searchsorted(times, np.asarray(months, dtype=float), side="right") - 1
    return curve["survival"].to_numpy()[np.maximum(idx, 0)]


def survival_at(curves: pd.DataFrame, months=(12, 24)) -> pd.DataFrame:
    """Survival of each contract type at the given months (read off the step curve).

    Examples
    --------
    >>> df = pd.DataFrame({"Contract": ["One year"] * 2, "tenure": [6, 20], "MonthlyCharges": [1.0, 1.0],
    ...                    "Churn": ["Yes", "No"]})
    >>> survival_at(survival_by_contract(df), months=(3, 12)).values.tolist()
    [['One year', 1.0, 0.5]]
    """
    months = tuple(months)
    rows = []
    for contract, curve in curves.groupby("contract", sort=False):
        values = _step(curve, months)
        rows.append({"contract": contract, **{f"survival_{m}m": float(v) for m, v in zip(months, values)}})
    return pd.DataFrame(rows)


def median_survival(curve: pd.DataFrame) -> float | None:
    """The first month at which survival falls to one half or below; None if it never does in the data.

    Examples
    --------
    >>> median_survival(kaplan_meier([1, 2, 2, 3, 4, 5], [True, True, False, True, False, True]))
    3.0
    """
    below = curve.loc[curve["survival"] <= 0.5, "time"]
    return float(below.iloc[0]) if len(below) else None


def revenue_at_risk(frame: pd.DataFrame, curves: pd.DataFrame | None = None, horizon: int = 12) -> pd.DataFrame:
    """Per contract type: the monthly revenue still paying, and how much of it may leave within ``horizon`` months.

    Each paying customer (``Churn`` = No) leaves within the horizon with
    probability 1 - S(tenure + horizon) / S(tenure), from its contract type's
    curve (:func:`survival_by_contract` unless given). ``mrr_at_risk`` sums its
    monthly charge times that probability; ``expected_leavers`` sums the
    probabilities. Beyond the last month a curve covers, no further churn is
    assumed (the data says nothing there).

    Examples
    --------
    One customer in three at risk in month 2 left then; the customer now in
    month 1 faces that month next (1 - (2/3) / 1), the others have passed it:

    >>> df = pd.DataFrame({"Contract": ["Month-to-month"] * 4, "tenure": [1, 2, 2, 3],
    ...                    "MonthlyCharges": [10.0, 99.0, 20.0, 40.0], "Churn": ["No", "Yes", "No", "No"]})
    >>> revenue_at_risk(df, horizon=1)[["paying", "mrr", "expected_leavers", "mrr_at_risk"]].to_dict("records")
    [{'paying': 3, 'mrr': 70.0, 'expected_leavers': 0.33, 'mrr_at_risk': 3.33}]
    """
    _check(frame)
    if isinstance(horizon, bool) or not isinstance(horizon, int) or horizon < 1:
        raise B4BError(f"expected a whole number of months of 1 or more, got {horizon!r}", where="horizon",
                       fix="Pass e.g. horizon=12.")
    curves = survival_by_contract(frame) if curves is None else curves
    rows = []
    for contract in _contracts(frame):
        paying = frame[(frame["Contract"].astype(str) == contract) & frame["Churn"].eq("No")]
        curve = curves[curves["contract"] == contract]
        if curve.empty:
            raise B4BError(f"no survival curve for contract {contract!r}", where="curves",
                           fix="Pass curves from survival_by_contract of the same customers.")
        tenure = pd.to_numeric(paying["tenure"]).to_numpy(dtype=float)
        now, later = _step(curve, tenure), _step(curve, tenure + horizon)
        with np.errstate(divide="ignore", invalid="ignore"):
            p_leave = np.where(now > 0, 1 - later / now, 0.0)
        mrr = paying["MonthlyCharges"].to_numpy(dtype=float)
        rows.append({"contract": contract, "paying": int(len(paying)), "mrr": round(float(mrr.sum()), 2),
                     "expected_leavers": round(float(p_leave.sum()), 2),
                     "mrr_at_risk": round(float((p_leave * mrr).sum()), 2),
                     "share_at_risk": round(float((p_leave * mrr).sum() / mrr.sum()), 4) if mrr.sum() else 0.0})
    return pd.DataFrame(rows)


def churn_figures(frame: pd.DataFrame, horizon: int = 12) -> dict[str, float | int | None]:
    """Key figures for a results record: churn, survival and revenue at risk, overall and per contract type.

    Per contract type (``month_to_month``, ``one_year``, ``two_year``, ...):
    ``churn_rate_*``, ``survival_12m_*``, ``survival_24m_*`` and
    ``mrr_at_risk_share_*``; overall: ``customers``, ``churn_rate``,
    ``lost_monthly_revenue_share``, ``mrr_at_risk`` (within ``horizon``
    months) and ``mrr_at_risk_share``; and ``median_survival_month_to_month``
    (None if the curve never falls to one half).
    """
    by_contract = churn_by_contract(frame)
    curves = survival_by_contract(frame)
    at = survival_at(curves, (12, 24)).set_index("contract")
    risk = revenue_at_risk(frame, curves, horizon=horizon).set_index("contract")
    left = frame["Churn"].eq("Yes")
    figures: dict[str, float | int | None] = {
        "customers": int(len(frame)),
        "churn_rate": round(float(left.mean()), 4),
        "lost_monthly_revenue_share": round(float(frame.loc[left, "MonthlyCharges"].sum())
                                            / float(frame["MonthlyCharges"].sum()), 4),
        "mrr_at_risk": round(float(risk["mrr_at_risk"].sum()), 2),
        "mrr_at_risk_share": round(float(risk["mrr_at_risk"].sum()) / float(risk["mrr"].sum()), 4)
        if float(risk["mrr"].sum()) else 0.0,
        "horizon_months": horizon,
    }
    for row in by_contract.itertuples():
        key = _slug(row.contract)
        figures[f"churn_rate_{key}"] = row.churn_rate
        figures[f"survival_12m_{key}"] = round(float(at.loc[row.contract, "survival_12m"]), 4)
        figures[f"survival_24m_{key}"] = round(float(at.loc[row.contract, "survival_24m"]), 4)
        figures[f"mrr_at_risk_share_{key}"] = float(risk.loc[row.contract, "share_at_risk"])
    m2m = curves[curves["contract"] == "Month-to-month"]
    median = median_survival(m2m) if len(m2m) else None
    figures["median_survival_month_to_month"] = None if median is None or math.isnan(median) else median
    return figures
