"""What a land seller is paid, and when, under four pay plans for the same consumption deals.

A consumption deal (Pivot 1) is shown in the pipeline at a *pro forma* value —
full use over the whole term — but the customer commits to far less, starts
small and grows as it adopts. Each plan credits the seller with an amount per
deal and year and pays ``rate`` times that credit:

* ``bookings`` — committed bookings only: the binding commitment, in the year it is signed (year 0);
* ``revenue`` — revenue-timed: what the customer actually pays, in the year it pays it;
* ``hybrid`` — ``bookings_weight`` × the committed bookings, plus (1 − ``bookings_weight``) ×
  the *breadth* of the relationship as it is reached (the split Pivot 1 suggests is 50:50);
* ``pro_forma`` — the pipeline value as if booked, all in year 0 (the option Pivot 1 rejects).

**Breadth** is the kit's measure of how widely the customer uses the offer: its
yearly spend as a share of the planned run-rate (``pro_forma / term``), capped at
1. The breadth credit of a year is ``pro_forma`` × the rise of that share above
the highest share reached before, so a customer that reaches full planned use
credits the whole pro forma value once, as it gets there, and a customer that
stays small credits little.

Examples
--------
A $25M deal over 5 years (planned run-rate 5 a year) with $2M committed; the
customer pays 1, 2.5, 5, 5, 5. Breadth reaches 0.2, 0.5, 1, so it credits
25 × (0.2, 0.3, 0.5) = 5, 7.5, 12.5:

>>> deal = Deal("region A", pro_forma=25, committed=2, revenue=(1, 2.5, 5, 5, 5))
>>> credits(deal, bookings_weight=0.5)["hybrid"]
[3.5, 3.75, 6.25, 0.0, 0.0]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import checks
from ..errors import B4BError
from .motions import Cohort

PLANS = ("bookings", "revenue", "hybrid", "pro_forma")
PLAN_NAMES = {
    "bookings": "Committed bookings only",
    "revenue": "Revenue-timed",
    "hybrid": "Hybrid: bookings + breadth",
    "pro_forma": "Pro forma bookings (rejected)",
}


@dataclass(frozen=True)
class Deal:
    """One consumption deal as the seller's plan sees it.

    Parameters
    ----------
    name : str
    pro_forma : float
        Value shown in the pipeline: full use over the whole term, $M (more than 0).
    committed : float
        What the customer binds itself to at signing (year 0), $M.
    revenue : sequence of float
        What the customer actually pays, year 0 first, $M.
    term : int
        Years the pro forma value assumes; 0 (default) means ``len(revenue)``.
    """

    name: str
    pro_forma: float
    committed: float
    revenue: tuple[float, ...]
    term: int = 0

    def __post_init__(self):
        where = f"deal {self.name!r}"
        checks.number(self.pro_forma, f"{where}, pro_forma", low=0.0, example=25.0)
        if self.pro_forma == 0:
            raise B4BError("the pro forma value is 0", where=f"{where}, pro_forma",
                           fix="Give the value the deal is shown at in the pipeline, e.g. 25.")
        checks.number(self.committed, f"{where}, committed", low=0.0, example=2.0)
        if isinstance(self.revenue, (str, bytes)) or not hasattr(self.revenue, "__len__") or not len(self.revenue):
            raise B4BError(f"expected one revenue figure per year, got {self.revenue!r}", where=f"{where}, revenue",
                           fix="Give a list such as [1, 2.5, 5].")
        revenue = tuple(checks.number(r, f"{where}, revenue[{i}]", low=0.0, example=1.0)
                        for i, r in enumerate(self.revenue))
        object.__setattr__(self, "revenue", revenue)
        checks.number(self.term, f"{where}, term", low=0.0, integer=True, example=5)
        if self.term == 0:
            object.__setattr__(self, "term", len(revenue))

    @property
    def run_rate(self) -> float:
        """The yearly spend the pro forma value assumes."""
        return self.pro_forma / self.term

    def breadth(self) -> list[float]:
        """Highest share of the planned run-rate reached by each year (0-1).

        Examples
        --------
        >>> Deal("d", pro_forma=10, committed=0, revenue=(1, 4, 2, 2)).breadth()
        [0.4, 1.0, 1.0, 1.0]
        """
        share = np.minimum(np.asarray(self.revenue) / self.run_rate, 1.0)
        return np.maximum.accumulate(share).tolist()


@dataclass(frozen=True)
class PayPlan:
    """The commission ``rate`` on credited value and the hybrid's share on committed bookings.

    Examples
    --------
    >>> PayPlan(bookings_weight=1.2)
    Traceback (most recent call last):
    ...
    b4b_kit.errors.B4BError: PayPlan.bookings_weight: 1.2 is outside 0..1. Give a number from 0 to 1, e.g. 0.5.
    """

    rate: float = 0.05
    bookings_weight: float = 0.5

    def __post_init__(self):
        checks.number(self.rate, "PayPlan.rate", low=0.0, high=1.0, example=0.05)
        checks.number(self.bookings_weight, "PayPlan.bookings_weight", low=0.0, high=1.0, example=0.5)


def credits(deal: Deal, bookings_weight: float = 0.5) -> dict[str, list[float]]:
    """The credit of one deal under each plan, one figure per year.

    Examples
    --------
    >>> c = credits(Deal("d", pro_forma=25, committed=2, revenue=(1, 2.5, 5, 5, 5)))
    >>> c["bookings"], c["pro_forma"], c["revenue"][:2]
    ([2.0, 0.0, 0.0, 0.0, 0.0], [25.0, 0.0, 0.0, 0.0, 0.0], [1.0, 2.5])
    """
    w = checks.number(bookings_weight, "bookings_weight", low=0.0, high=1.0, example=0.5)
    years = len(deal.revenue)
    signing = [0.0] * years
    signing[0] = 1.0
    breadth = np.diff(np.concatenate([[0.0], deal.breadth()])) * deal.pro_forma
    booked = [deal.committed * s for s in signing]
    return {
        "bookings": booked,
        "revenue": list(deal.revenue),
        "hybrid": [w * b + (1 - w) * float(x) for b, x in zip(booked, breadth)],
        "pro_forma": [deal.pro_forma * s for s in signing],
    }


def pay_schedule(deals: list[Deal], plan: PayPlan | None = None):
    """Credit and pay per deal, year and plan (a long table).

    Returns
    -------
    pandas.DataFrame
        ``deal``, ``year``, ``plan``, ``plan_name``, ``credit`` and ``pay`` ($M).
    """
    import pandas as pd

    plan = plan or PayPlan()
    if isinstance(deals, Deal):
        deals = [deals]
    if not deals or not all(isinstance(d, Deal) for d in deals):
        raise B4BError("expected a non-empty list of Deal objects", where="deals",
                       fix="Make them with Deal(name, pro_forma, committed, revenue) or deals_from_cohort(...).")
    rows = []
    for deal in deals:
        for key, values in credits(deal, plan.bookings_weight).items():
            for year, credit in enumerate(values):
                rows.append({"deal": deal.name, "year": year, "plan": key, "plan_name": PLAN_NAMES[key],
                             "credit": float(credit), "pay": plan.rate * float(credit)})
    return pd.DataFrame(rows)


def pay_by_year(schedule):
    """Who is paid when: the seller's pay per plan and year, summed over deals.

    Returns
    -------
    pandas.DataFrame
        ``year``, ``plan``, ``plan_name``, ``pay``, ``cumulative_pay`` and
        ``paid_share`` (share of the plan's total paid by the end of that year).

    Examples
    --------
    >>> d = Deal("d", pro_forma=25, committed=2, revenue=(1, 2.5, 5, 5, 5))
    >>> t = pay_by_year(pay_schedule([d], PayPlan(rate=0.1)))
    >>> t[t.plan == "hybrid"]["pay"].round(4).tolist()
    [0.35, 0.375, 0.625, 0.0, 0.0]
    """
    table = (schedule.groupby(["plan", "plan_name", "year"], sort=False, as_index=False)["pay"].sum())
    table["cumulative_pay"] = table.groupby("plan", sort=False)["pay"].cumsum()
    total = table.groupby("plan", sort=False)["pay"].transform("sum")
    table["paid_share"] = np.where(total > 0, table["cumulative_pay"] / total.where(total > 0, 1.0), np.nan)
    return table[["year", "plan", "plan_name", "pay", "cumulative_pay", "paid_share"]]


def pay_wide(by_year):
    """The per-year pay table with one column per plan (for reading, not for charts)."""
    wide = by_year.pivot(index="year", columns="plan_name", values="pay")
    return wide[[PLAN_NAMES[p] for p in PLANS if PLAN_NAMES[p] in wide.columns]]


def pay_figures(by_year) -> dict[str, float]:
    """Total pay and the share paid in year 0, per plan.

    Examples
    --------
    >>> d = Deal("d", pro_forma=25, committed=2, revenue=(1, 2.5, 5, 5, 5))
    >>> f = pay_figures(pay_by_year(pay_schedule([d], PayPlan(rate=0.1))))
    >>> f["pay_total_revenue"], f["pay_year0_share_revenue"]
    (1.85, 0.0541)
    """
    out = {}
    for key in PLANS:
        rows = by_year[by_year["plan"] == key]
        total = float(rows["pay"].sum())
        first = float(rows.loc[rows["year"] == 0, "pay"].sum())
        out[f"pay_total_{key}"] = round(total, 4)
        out[f"pay_year0_share_{key}"] = round(first / total, 4) if total else 0.0
    return out


def deals_from_cohort(cohort: Cohort, pro_forma: float, committed: float | None = None,
                      term: int = 0) -> list[Deal]:
    """One deal per simulated customer, its revenue the customer's row of the cohort.

    ``committed`` defaults to each customer's year-0 spend: it commits to what it
    starts with, not to full use.
    """
    if not isinstance(cohort, Cohort):
        raise B4BError(f"expected a Cohort, got {type(cohort).__name__}", where="cohort",
                       fix="Make one with motions.simulate_cohort(...) or motions.consumption_pipeline(...).")
    return [Deal(f"deal {i + 1}", pro_forma, float(row[0]) if committed is None else committed,
                 tuple(float(x) for x in row), term) for i, row in enumerate(cohort.revenue)]


def pipeline_figures(cohort: Cohort, deal_value: float, plan: PayPlan | None = None) -> dict:
    """Key figures of a pipeline of consumption deals: what was shown, what came in, what the seller earned.

    Parameters
    ----------
    cohort : Cohort
        From :func:`~b4b_kit.sales_motions.motions.consumption_pipeline`.
    deal_value : float
        The value each deal was shown at.
    plan : PayPlan, optional
    """
    shown = deal_value * cohort.customers
    revenue = cohort.revenue.sum(axis=0)
    realised = float(revenue.sum())
    at_end = cohort.revenue[:, -1]
    potential = deal_value / cohort.years
    figures = {
        "deals": cohort.customers,
        "pipeline_shown_musd": round(shown, 4),
        "first_year_revenue_musd": round(float(revenue[0]), 4),
        "realised_revenue_musd": round(realised, 4),
        "realised_share": round(realised / shown, 4) if shown else 0.0,
        "customers_lost": int((~cohort.active[:, -1]).sum()),
        "customers_at_full_use": int(np.isclose(at_end, potential).sum()),
    }
    schedule = pay_schedule(deals_from_cohort(cohort, deal_value, term=cohort.years), plan)
    return {**figures, **pay_figures(pay_by_year(schedule))}
