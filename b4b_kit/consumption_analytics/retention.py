"""Net and gross revenue retention, with the definitions of SaaS Capital's retention surveys.

The kit's benchmark for both is SaaS Capital's survey of private B2B SaaS
companies (``b4b benchmarks``: ``saas_capital_2023_nrr`` and ``_grr``), so the
kit computes them the way that survey defines them:

* **Net revenue retention (NRR)** — the recurring revenue (MRR) in month M from
  the customers who were customers in month M a year earlier, over the total
  MRR of that earlier month. Up-sells, cross-sells and price rises count; new
  customers won during the year do not.
* **Gross revenue retention (GRR)** — the same, with each customer's MRR in
  month M capped at what it paid in the earlier month, so only losses count:
  churn and contraction. GRR is never above 100 %; 1 - GRR is the revenue churn.

A customer "was a customer" in the base month when it paid MRR then (above 0).
A customer gone by month M counts with 0.

From the kit's telemetry (:mod:`b4b_kit.consumption_analytics.telemetry`): the
``contracts`` table gives, per customer and month under contract, the yearly
value of the seats licensed (``contract_value_usd``); MRR is a twelfth of it.
A customer's *ACV*, the figure that picks the survey's band, is its yearly
contract value; the cohort's ACV is the mean over the customers in the base
month (the customers whose retention is measured) — the kit's choice, since the
survey asks each company for its average.

Examples
--------
The survey's definitions on four customers paying 100 each: one grows to 120,
one shrinks to 80, one leaves, one stays. NRR is 300/400, GRR (capped) 280/400:

>>> previous = {"a": 100, "b": 100, "c": 100, "d": 100}
>>> current = {"a": 120, "b": 80, "c": 0, "d": 100}
>>> net_revenue_retention(previous, current), gross_revenue_retention(previous, current)
(0.75, 0.7)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import B4BError

YEAR = 12  # months between the base month and the month measured


def _aligned(previous, current) -> tuple[np.ndarray, np.ndarray]:
    """Previous and current revenue per customer as two float arrays, customers of the base only."""
    if isinstance(previous, dict):
        previous = pd.Series(previous, dtype=float)
    if isinstance(current, dict):
        current = pd.Series(current, dtype=float)
    if isinstance(previous, pd.Series) or isinstance(current, pd.Series):
        if not (isinstance(previous, pd.Series) and isinstance(current, pd.Series)):
            raise B4BError("pass both revenues keyed by customer (dicts or Series), or both as arrays",
                           where="previous, current", fix="Give both in the same form.")
        if not previous.index.is_unique or not current.index.is_unique:
            raise B4BError("a customer appears twice", where="previous, current",
                           fix="Sum each customer's revenue into one value first.")
        current = current.reindex(previous.index, fill_value=0.0)  # gone by now: pays 0
        prev, curr = previous.to_numpy(dtype=float), current.to_numpy(dtype=float)
    else:
        prev, curr = np.asarray(previous, dtype=float), np.asarray(current, dtype=float)
        if prev.shape != curr.shape or prev.ndim != 1:
            raise B4BError(f"expected two revenue arrays of the same length, got shapes {prev.shape} and "
                           f"{curr.shape}", where="previous, current", fix="One value per customer in each.")
    bad = ~np.isfinite(prev) | ~np.isfinite(curr) | (prev < 0) | (curr < 0)
    if bad.any():
        i = int(np.argmax(bad))
        raise B4BError(f"revenue must be a number of 0 or more; customer {i + 1} has {float(prev[i])} then "
                       f"{float(curr[i])}", where="previous, current",
                       fix="Fill missing revenue with 0; remove refunds or credits.")
    base = prev > 0
    return prev[base], curr[base]


def net_revenue_retention(previous, current) -> float | None:
    """NRR: revenue now from last period's customers, over what they paid then (None with no base).

    Parameters
    ----------
    previous, current : dict, pandas.Series or array-like
        Revenue per customer in the base period and now. Keyed forms (dict,
        Series) are matched by customer; a customer missing from ``current``
        pays 0. Customers who paid nothing in the base period are not counted.

    Examples
    --------
    >>> net_revenue_retention([100, 50, 0], [150, 0, 500])  # the new customer's 500 does not count
    1.0
    >>> net_revenue_retention([0, 0], [10, 10]) is None
    True
    """
    prev, curr = _aligned(previous, current)
    return float(curr.sum() / prev.sum()) if prev.size else None


def gross_revenue_retention(previous, current) -> float | None:
    """GRR: as NRR, with each customer's revenue now capped at what it paid then (None with no base).

    Examples
    --------
    >>> gross_revenue_retention([100, 50], [150, 25])  # (100 + 25) / 150
    0.8333333333333334
    """
    prev, curr = _aligned(previous, current)
    return float(np.minimum(curr, prev).sum() / prev.sum()) if prev.size else None


def mrr_by_month(contracts: pd.DataFrame) -> pd.DataFrame:
    """MRR per customer (rows) and calendar month (columns, ``Period[M]``), 0 where not under contract.

    Parameters
    ----------
    contracts : pandas.DataFrame
        The telemetry's ``contracts`` table: ``customer_id``, ``month`` and
        ``contract_value_usd`` (the yearly value of the seats licensed that month).
    """
    missing = [c for c in ("customer_id", "month", "contract_value_usd") if c not in contracts.columns]
    if missing:
        raise B4BError(f"missing column(s) {', '.join(missing)}", where="contracts",
                       fix="Pass the telemetry's contracts table (customer_id, month, contract_value_usd).")
    months = pd.to_datetime(contracts["month"]).dt.to_period("M")
    mrr = contracts["contract_value_usd"].astype(float) / 12
    table = mrr.groupby([contracts["customer_id"], months]).sum().unstack(fill_value=0.0)
    if len(table.columns):
        full = pd.period_range(table.columns.min(), table.columns.max(), freq="M")
        table = table.reindex(columns=full, fill_value=0.0)
    table.columns.name = "month"
    return table


@dataclass(frozen=True)
class Retention:
    """Yearly retention of one month: NRR and GRR with the base they rest on.

    ``nrr`` and ``grr`` are None when the data does not reach back a year
    before ``month`` (``note`` says why).
    """

    month: str
    base_month: str
    nrr: float | None
    grr: float | None
    base_customers: int
    churned_customers: int
    base_mrr_usd: float
    mrr_now_usd: float
    acv_usd: float | None
    note: str = ""

    @property
    def summary(self) -> str:
        """One sentence: the base, the churned customers and the ACV (or why there is no yearly rate)."""
        if self.nrr is None:
            return f"No yearly retention: {self.note}."
        return (f"{self.base_customers} customers paid in {self.base_month}; {self.churned_customers} of them pay "
                f"nothing in {self.month}. NRR {self.nrr:.1%}, GRR {self.grr:.1%}; average contract value (ACV) "
                f"in {self.base_month}: USD {self.acv_usd:,.0f} a year.")

    def figures(self, decimals: int = 4) -> dict:
        """The figures for a results record: ``nrr``, ``grr``, ``acv_usd`` and the months they compare."""
        def r(x):
            return None if x is None else round(x, decimals)

        return {"nrr": r(self.nrr), "grr": r(self.grr), "acv_usd": None if self.acv_usd is None
                else round(self.acv_usd, 2), "retention_month": self.month, "retention_base_month": self.base_month,
                "retention_base_customers": self.base_customers}


def yearly_retention(contracts: pd.DataFrame, month=None) -> Retention:
    """NRR and GRR of ``month`` against the same month a year earlier, from a telemetry ``contracts`` table.

    Parameters
    ----------
    contracts : pandas.DataFrame
        ``customer_id``, ``month``, ``contract_value_usd`` (see :func:`mrr_by_month`).
    month : str, Timestamp or Period, optional
        The month measured; default the last month in the table.

    Examples
    --------
    >>> c = pd.DataFrame({"customer_id": [1, 1, 2, 2, 3], "month": ["2024-01", "2025-01", "2024-01", "2025-01",
    ...                   "2025-01"], "contract_value_usd": [1200, 2400, 1200, 600, 9000]})
    >>> r = yearly_retention(c)
    >>> r.nrr, r.grr, r.base_customers, r.acv_usd   # (200 + 50) / 200, (100 + 50) / 200; customer 3 is new
    (1.25, 0.75, 2, 1200.0)
    >>> print(r.summary)
    2 customers paid in 2024-01; 0 of them pay nothing in 2025-01. NRR 125.0%, GRR 75.0%;
    average contract value (ACV) in 2024-01: USD 1,200 a year.
    >>> yearly_retention(c, month="2024-06").summary
    'No yearly retention: the contracts start in 2024-01; a yearly rate for 2024-06 needs 2023-06.'
    """
    table = mrr_by_month(contracts)
    if table.empty:
        raise B4BError("no contracts", where="contracts", fix="Pass a contracts table with at least one row.")
    try:
        now = table.columns.max() if month is None else pd.Period(month, freq="M")
    except (ValueError, TypeError):
        raise B4BError(f"{month!r} is not a month", where="month", fix="Write it as 'YYYY-MM'.") from None
    base = now - YEAR
    if base < table.columns.min() or now > table.columns.max():
        first, last = table.columns.min(), table.columns.max()
        need = base if base < first else now
        return Retention(str(now), str(base), None, None, 0, 0, 0.0, 0.0, None,
                         note=f"the contracts {'start' if base < first else 'end'} in "
                              f"{first if base < first else last}; a yearly rate for {now} needs {need}")
    previous, current = table[base], table[now]
    in_base = previous > 0
    n = int(in_base.sum())
    return Retention(
        month=str(now), base_month=str(base),
        nrr=net_revenue_retention(previous, current), grr=gross_revenue_retention(previous, current),
        base_customers=n, churned_customers=int((in_base & (current <= 0)).sum()),
        base_mrr_usd=float(previous[in_base].sum()), mrr_now_usd=float(current[in_base].sum()),
        acv_usd=float(12 * previous[in_base].sum() / n) if n else None)


def retention_by_month(contracts: pd.DataFrame) -> pd.DataFrame:
    """Yearly NRR and GRR for every month that has a base a year earlier (for a chart or a table).

    Examples
    --------
    >>> c = pd.DataFrame({"customer_id": [1] * 14, "month": pd.period_range("2024-01", periods=14, freq="M")
    ...                   .to_timestamp(), "contract_value_usd": [1200.0] * 13 + [0.0]})
    >>> retention_by_month(c)[["month", "nrr", "grr"]].values.tolist()
    [['2025-01', 1.0, 1.0], ['2025-02', 0.0, 0.0]]
    """
    table = mrr_by_month(contracts)
    rows = [_from_table(table, now) for now in table.columns[YEAR:]]
    return pd.DataFrame(rows, columns=["month", "base_month", "nrr", "grr", "base_customers", "acv_usd"])


def _from_table(table: pd.DataFrame, now) -> dict:
    previous, current = table[now - YEAR], table[now]
    n = int((previous > 0).sum())
    return {"month": str(now), "base_month": str(now - YEAR),
            "nrr": net_revenue_retention(previous, current), "grr": gross_revenue_retention(previous, current),
            "base_customers": n, "acv_usd": float(12 * previous[previous > 0].sum() / n) if n else math.nan}


def cohort_retention(revenue) -> pd.DataFrame:
    """Year-on-year NRR and GRR of a cohort followed year by year (rows: customers; columns: years).

    For a cohort that gains no new customers (such as
    :func:`b4b_kit.sales_motions.motions.consumption_pipeline`), year t
    against year t-1 is the survey's definition applied to yearly revenue.
    Year 0 has no base and is left out.

    Examples
    --------
    >>> cohort_retention([[1.0, 2.0, 2.0], [1.0, 0.5, 0.0]]).values.tolist()
    [[1.0, 1.25, 0.75], [2.0, 0.8, 0.8]]
    """
    r = np.asarray(revenue, dtype=float)
    if r.ndim != 2 or r.shape[1] < 2:
        raise B4BError(f"expected customers x years with at least 2 years, got shape {r.shape}", where="revenue",
                       fix="Pass one row per customer and one column per year.")
    rows = [{"year": t, "nrr": net_revenue_retention(r[:, t - 1], r[:, t]),
             "grr": gross_revenue_retention(r[:, t - 1], r[:, t])} for t in range(1, r.shape[1])]
    return pd.DataFrame(rows, columns=["year", "nrr", "grr"])
