"""Cohort model of two sales motions: New + Renew against Land + Expand (B4B, Pivot 1).

One cohort of customers is won in year 0 and followed year by year.

**New + Renew** (levels 1-2). Each customer pays a big ``deal`` up front plus
the first year of a service contract worth ``maintenance`` × deal a year.
Every later year it renews that contract with probability ``renewal``; a
customer that does not renew is gone. With ``refresh_every`` = k > 0, every
k-th year each customer still on contract buys the deployment again (the
"refresh it for me" discussion).

**Land + Expand** (levels 3-4). Each customer lands small, paying ``land`` a
year, and can grow to ``potential`` a year. Every later year it either
*realises value* — with probability ``adoption_speed``, or always once it uses
the full potential — and then expands its spend by ``expansion`` (capped at the
potential), or it does not, and then it leaves with probability ``churn``
("voting with its feet"). Once gone, it pays nothing.

Sales expense: ``new_cost`` per new or refresh deal and ``renew_cost`` per
renewal (New + Renew); ``land_cost`` per landed customer and ``expand_cost``
per active customer and year for the cheap expand touches (Land + Expand).
Money is in $M.

Per year the model reports (see :func:`yearly`):

* ``revenue`` and ``cumulative_revenue`` of the cohort;
* ``nrr``, net revenue retention: this year's *recurring* revenue from the
  customers who paid recurring revenue last year, over what they paid last
  year. A cohort gains no new customers, so it is the ratio of the cohort's
  recurring revenue in the two years. One-off deals (the up-front deployment,
  a refresh) are not recurring;
* ``expense_to_bookings``, sales expense over bookings. Every contract here is
  booked and paid in the same year (the deal, a year of maintenance, a year of
  consumption), so bookings equal revenue;
* ``clv``, customer lifetime value so far: revenue minus sales expense per
  customer won, summed up to that year and discounted at ``discount_rate``.

The model is the kit's reading of Pivot 1, which describes the motions and the
"voting with their feet" behaviour but gives no formula; every probability and
amount is a parameter.

Examples
--------
Every customer realises value every year and doubles its spend up to four
times the landing size (probabilities 0 and 1 make the model deterministic):

>>> le = LandExpand(land=1, potential=4, adoption_speed=1, expansion=1, churn=0,
...                 land_cost=0, expand_cost=0)
>>> t = yearly(simulate_cohort(le, customers=2, years=4))
>>> t["revenue"].tolist(), t["nrr"].tolist()[1:]
([2.0, 4.0, 8.0, 8.0], [2.0, 2.0, 1.0])
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import ClassVar

import numpy as np

from .. import checks
from ..errors import B4BError

MOTIONS = ("New + Renew", "Land + Expand")
MAX_CELLS = 50_000_000  # customers x years; about 400 MB per array beyond this


def _check_fields(obj, probabilities: tuple[str, ...], integers: tuple[str, ...] = ()) -> None:
    name = type(obj).__name__
    for f in fields(obj):
        value = getattr(obj, f.name)
        where = f"{name}.{f.name}"
        if f.name in probabilities:
            checks.number(value, where, low=0.0, high=1.0, example=f.default)
        elif f.name in integers:
            checks.number(value, where, low=0.0, integer=True, example=f.default)
        else:
            checks.number(value, where, low=0.0, example=f.default)


@dataclass(frozen=True)
class NewRenew:
    """The legacy motion: a big up-front deal, then yearly maintenance renewals.

    Parameters
    ----------
    deal : float
        Up-front price of the deployment, $M.
    maintenance : float
        Yearly service contract as a share of the deal (0.2 = 20 % a year).
    renewal : float
        Yearly probability that a customer renews its service contract (0-1).
    refresh_every : int
        Every this many years, customers still on contract buy the deployment
        again; 0 means never.
    new_cost, renew_cost : float
        Sales expense of one new (or refresh) deal and of one renewal, $M.
    """

    deal: float = 5.0
    maintenance: float = 0.2
    renewal: float = 0.9
    refresh_every: int = 0
    new_cost: float = 1.0
    renew_cost: float = 0.05

    name: ClassVar[str] = "New + Renew"

    def __post_init__(self):
        _check_fields(self, probabilities=("renewal",), integers=("refresh_every",))


@dataclass(frozen=True)
class LandExpand:
    """The consumption motion: land small, expand with adoption, lose customers who see no value.

    Parameters
    ----------
    land : float
        Yearly spend of a customer when landed, $M (more than 0).
    potential : float
        Yearly spend at full adoption, $M (at least ``land``).
    adoption_speed : float
        Yearly probability that a customer realises value (0-1).
    expansion : float
        Growth of a customer's spend in a year it realises value (0.5 = +50 %).
    churn : float
        Probability that a customer who did not realise value that year leaves (0-1).
    land_cost, expand_cost : float
        Sales expense to land one customer, and per active customer and later year, $M.
    """

    land: float = 0.5
    potential: float = 5.0
    adoption_speed: float = 0.6
    expansion: float = 0.5
    churn: float = 0.3
    land_cost: float = 0.25
    expand_cost: float = 0.05

    name: ClassVar[str] = "Land + Expand"

    def __post_init__(self):
        _check_fields(self, probabilities=("adoption_speed", "churn"))
        if self.land <= 0:
            raise B4BError("a landed customer must pay something, got 0", where="LandExpand.land",
                           fix="Give the starting yearly spend as a positive number, e.g. 0.5.")
        if self.potential < self.land:
            raise B4BError(f"potential ({self.potential:g}) is below land ({self.land:g})",
                           where="LandExpand.potential",
                           fix="Full adoption cannot be worth less than the landing: set potential >= land.")


@dataclass(frozen=True, eq=False)
class Cohort:
    """One simulated cohort: customers x years arrays (year 0 = the year the deal is won).

    ``revenue`` includes one-off deals, ``recurring`` only contract renewals or
    consumption; ``active`` is True while the customer pays.
    """

    motion: str
    revenue: np.ndarray
    recurring: np.ndarray
    expense: np.ndarray
    active: np.ndarray

    @property
    def customers(self) -> int:
        """The number of customers won in year 0."""
        return self.revenue.shape[0]

    @property
    def years(self) -> int:
        """The number of years followed (year 0 included)."""
        return self.revenue.shape[1]


def _check_size(customers, years) -> tuple[int, int]:
    n = checks.number(customers, "customers", low=1, integer=True, example=1000)
    t = checks.number(years, "years", low=1, integer=True, example=10)
    if n * t > MAX_CELLS:
        raise B4BError(f"{n:,} customers x {t} years is too large to hold in memory", where="customers",
                       fix=f"Keep customers x years at or below {MAX_CELLS:,}.")
    return n, t


def draws(motion: NewRenew | LandExpand, customers: int, years: int, seed: int = 0) -> tuple[np.ndarray, ...]:
    """The uniform random numbers a simulation uses, customers x years each.

    Land + Expand draws two arrays (realise value?, leave?), New + Renew one
    (renew?). Column 0 is unused: year 0 is the year the deal is won.
    """
    n, t = _check_size(customers, years)
    checks.number(seed, "seed", low=0.0, integer=True, example=0)
    rng = np.random.default_rng(seed)
    if isinstance(motion, LandExpand):
        return rng.random((n, t)), rng.random((n, t))
    if isinstance(motion, NewRenew):
        return (rng.random((n, t)),)
    raise B4BError(f"unknown motion {motion!r}", where="motion",
                   fix="Pass a NewRenew(...) or a LandExpand(...).")


def simulate_cohort(motion: NewRenew | LandExpand, customers: int = 1000, years: int = 10, seed: int = 0) -> Cohort:
    """Simulate one cohort, vectorized over customers (one step per year).

    Examples
    --------
    Nobody renews: the cohort pays the deal and one year of maintenance, then nothing.

    >>> c = simulate_cohort(NewRenew(deal=10, maintenance=0.2, renewal=0), customers=3, years=3)
    >>> c.revenue.sum(axis=0).tolist()
    [36.0, 0.0, 0.0]
    """
    return cohort_from_draws(motion, *draws(motion, customers, years, seed))


def cohort_from_draws(motion: NewRenew | LandExpand, *u: np.ndarray) -> Cohort:
    """The cohort that given draws produce (customers x years arrays, as from :func:`draws`).

    Useful to follow chosen customers: a draw below the probability means "yes".

    Examples
    --------
    Two customers: the first realises value in year 1 and grows by half, the
    second does not and leaves. NRR in year 1 is 1.5 / 2:

    >>> le = LandExpand(land=1, potential=10, adoption_speed=0.5, expansion=0.5, churn=0.5)
    >>> c = cohort_from_draws(le, np.array([[0, 0.1], [0, 0.9]]), np.array([[0, 0.9], [0, 0.1]]))
    >>> yearly(c)["nrr"].tolist()[1]
    0.75
    """
    arrays = [np.asarray(a, dtype=float) for a in u]
    wanted = 2 if isinstance(motion, LandExpand) else 1
    if not isinstance(motion, (LandExpand, NewRenew)):
        raise B4BError(f"unknown motion {motion!r}", where="motion", fix="Pass a NewRenew(...) or a LandExpand(...).")
    if len(arrays) != wanted or arrays[0].ndim != 2 or any(a.shape != arrays[0].shape for a in arrays):
        raise B4BError(f"{motion.name} needs {wanted} customers x years array(s) of the same shape",
                       where="draws", fix="Make them with draws(motion, customers, years, seed).")
    if isinstance(motion, LandExpand):
        return _land_expand(motion, *arrays)
    return _new_renew(motion, *arrays)


def _land_expand(m: LandExpand, realise_u: np.ndarray, leave_u: np.ndarray) -> Cohort:
    n, years = realise_u.shape
    revenue = np.zeros((n, years))
    expense = np.zeros((n, years))
    active = np.zeros((n, years), dtype=bool)
    spend = np.full(n, m.land)
    alive = np.ones(n, dtype=bool)
    revenue[:, 0], expense[:, 0], active[:, 0] = spend, m.land_cost, True
    for t in range(1, years):
        # a customer already at full potential has nothing left to adopt: it counts as realising value
        realised = (spend >= m.potential) | (realise_u[:, t] < m.adoption_speed)
        alive &= realised | ~(leave_u[:, t] < m.churn)
        spend = np.where(realised, np.minimum(spend * (1 + m.expansion), m.potential), spend)
        revenue[:, t] = np.where(alive, spend, 0.0)
        expense[:, t] = np.where(alive, m.expand_cost, 0.0)
        active[:, t] = alive
    return Cohort(m.name, revenue, revenue.copy(), expense, active)


def _new_renew(m: NewRenew, renew_u: np.ndarray) -> Cohort:
    n, years = renew_u.shape
    fee = m.deal * m.maintenance
    recurring = np.zeros((n, years))
    revenue = np.zeros((n, years))
    expense = np.zeros((n, years))
    active = np.zeros((n, years), dtype=bool)
    alive = np.ones(n, dtype=bool)
    recurring[:, 0], revenue[:, 0], expense[:, 0], active[:, 0] = fee, m.deal + fee, m.new_cost, True
    for t in range(1, years):
        alive &= renew_u[:, t] < m.renewal
        refresh = alive & bool(m.refresh_every and t % m.refresh_every == 0)
        recurring[:, t] = np.where(alive, fee, 0.0)
        revenue[:, t] = recurring[:, t] + np.where(refresh, m.deal, 0.0)
        expense[:, t] = np.where(alive, m.renew_cost, 0.0) + np.where(refresh, m.new_cost, 0.0)
        active[:, t] = alive
    return Cohort(m.name, revenue, recurring, expense, active)


def customer_path(motion: NewRenew | LandExpand, *u) -> dict[str, list]:
    """One customer, year by year, in plain Python: the teaching version of :func:`simulate_cohort`.

    Parameters
    ----------
    motion : NewRenew or LandExpand
    *u : sequences of float
        This customer's uniform draws per year (see :func:`draws`): for Land +
        Expand the realise-value draws and the leave draws, for New + Renew the
        renew draws. A draw below the probability means "yes".

    Returns
    -------
    dict
        Lists ``revenue``, ``recurring``, ``expense`` and ``active``, one entry per year.

    Examples
    --------
    Realises value in year 1, not in year 2 (and stays), then leaves in year 3:

    >>> le = LandExpand(land=1, potential=10, adoption_speed=0.5, expansion=1, churn=0.5,
    ...                 land_cost=0, expand_cost=0)
    >>> customer_path(le, [0, 0.1, 0.9, 0.9], [0, 0, 0.9, 0.1])["revenue"]
    [1.0, 2.0, 2.0, 0.0]
    """
    years = len(u[0])
    out = {"revenue": [], "recurring": [], "expense": [], "active": []}
    if isinstance(motion, LandExpand):
        realise_u, leave_u = u
        spend, alive = float(motion.land), True
        for t in range(years):
            cost = motion.land_cost
            if t > 0:
                realised = spend >= motion.potential or realise_u[t] < motion.adoption_speed
                if not realised and leave_u[t] < motion.churn:
                    alive = False
                if realised:
                    spend = min(spend * (1 + motion.expansion), motion.potential)
                cost = motion.expand_cost if alive else 0.0
            paid = spend if alive else 0.0
            out["revenue"].append(paid)
            out["recurring"].append(paid)
            out["expense"].append(cost)
            out["active"].append(alive)
        return out
    (renew_u,) = u
    fee = motion.deal * motion.maintenance
    alive = True
    for t in range(years):
        if t == 0:
            recurring, one_off, cost = fee, motion.deal, motion.new_cost
        else:
            alive = alive and renew_u[t] < motion.renewal
            refresh = alive and motion.refresh_every > 0 and t % motion.refresh_every == 0
            recurring = fee if alive else 0.0
            one_off = motion.deal if refresh else 0.0
            cost = (motion.renew_cost if alive else 0.0) + (motion.new_cost if refresh else 0.0)
        out["revenue"].append(recurring + one_off)
        out["recurring"].append(recurring)
        out["expense"].append(cost)
        out["active"].append(alive)
    return out


def simulate_cohort_loop(motion: NewRenew | LandExpand, customers: int = 1000, years: int = 10,
                         seed: int = 0) -> Cohort:
    """The same cohort as :func:`simulate_cohort`, one customer at a time with :func:`customer_path`.

    The reference that the vectorized version is checked against (same seed,
    same draws, same numbers); slow on purpose.
    """
    u = draws(motion, customers, years, seed)
    paths = [customer_path(motion, *(arr[i].tolist() for arr in u)) for i in range(u[0].shape[0])]
    arrays = {k: np.array([p[k] for p in paths], dtype=bool if k == "active" else float) for k in paths[0]}
    return Cohort(motion.name, arrays["revenue"], arrays["recurring"], arrays["expense"], arrays["active"])


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    out = np.full(num.shape, np.nan)
    np.divide(num, den, out=out, where=den != 0)
    return out


def yearly(cohort: Cohort, discount_rate: float = 0.0):
    """The cohort's figures per year, one row per year (year 0 = the deal year).

    Parameters
    ----------
    cohort : Cohort
        From :func:`simulate_cohort` or :func:`simulate_cohort_loop`.
    discount_rate : float
        Yearly rate at which later money counts less in ``clv`` (0.1 = 10 %).

    Returns
    -------
    pandas.DataFrame
        ``motion``, ``year``, ``customers`` (still paying), ``revenue``,
        ``recurring_revenue``, ``cumulative_revenue``, ``revenue_per_customer``
        (per customer won), ``nrr`` (NaN in year 0),
        ``expense``, ``bookings``, ``expense_to_bookings`` and ``clv`` (per
        customer won). Money in $M.
    """
    import pandas as pd

    d = checks.number(discount_rate, "discount_rate", low=0.0, high=1.0, example=0.1)
    revenue = cohort.revenue.sum(axis=0)
    recurring = cohort.recurring.sum(axis=0)
    expense = cohort.expense.sum(axis=0)
    years = np.arange(cohort.years)
    nrr = np.full(cohort.years, np.nan)
    nrr[1:] = _ratio(recurring[1:], recurring[:-1])
    discount = (1 + d) ** -years.astype(float)
    return pd.DataFrame({
        "motion": cohort.motion,
        "year": years,
        "customers": cohort.active.sum(axis=0),
        "revenue": revenue,
        "recurring_revenue": recurring,
        "cumulative_revenue": np.cumsum(revenue),
        "revenue_per_customer": revenue / cohort.customers,
        "nrr": nrr,
        "expense": expense,
        "bookings": revenue,
        "expense_to_bookings": _ratio(expense, revenue),
        "clv": np.cumsum((revenue - expense) * discount) / cohort.customers,
    })


def compare_motions(land_expand: LandExpand | None = None, new_renew: NewRenew | None = None, *,
            customers: int = 1000, years: int = 10, seed: int = 0, discount_rate: float = 0.0):
    """Both motions for a cohort of the same size, stacked (New + Renew first), for charts.

    Examples
    --------
    >>> t = compare_motions(customers=100, years=5)
    >>> t.groupby("motion", sort=False).size().to_dict()
    {'New + Renew': 5, 'Land + Expand': 5}
    """
    import pandas as pd

    land_expand = land_expand or LandExpand()
    new_renew = new_renew or NewRenew()
    tables = [yearly(simulate_cohort(m, customers, years, seed), discount_rate) for m in (new_renew, land_expand)]
    return pd.concat(tables, ignore_index=True)


def motion_figures(table) -> dict[str, dict[str, float]]:
    """Key figures per motion from a :func:`yearly` or :func:`compare_motions` table.

    For each motion: ``cumulative_revenue`` and ``clv`` at the last year,
    ``nrr_last`` (NRR of the last year), ``expense_to_bookings`` over all years
    (total expense / total bookings) and ``customers_left`` at the end.

    Examples
    --------
    >>> le = LandExpand(land=1, potential=4, adoption_speed=1, expansion=1, churn=0,
    ...                 land_cost=1, expand_cost=0)
    >>> motion_figures(yearly(simulate_cohort(le, customers=2, years=3)))["Land + Expand"]["expense_to_bookings"]
    0.1429
    """
    out = {}
    for motion, rows in table.groupby("motion", sort=False):
        last = rows.iloc[-1]
        bookings = float(rows["bookings"].sum())
        out[str(motion)] = {
            "cumulative_revenue": round(float(last["cumulative_revenue"]), 4),
            "clv": round(float(last["clv"]), 4),
            "nrr_last": round(float(last["nrr"]), 4) if len(rows) > 1 else float("nan"),
            "expense_to_bookings": round(float(rows["expense"].sum()) / bookings, 4) if bookings else float("nan"),
            "customers_left": int(last["customers"]),
        }
    return out


def consumption_pipeline(deals: int = 10, deal_value: float = 25.0, term: int = 5, land_share: float = 0.2,
                         adoption_speed: float = 0.6, expansion: float = 1.0, churn: float = 0.25,
                         seed: int = 0) -> Cohort:
    """Consumption deals shown in the pipeline at ``deal_value`` over ``term`` years, landed small.

    The pipeline value assumes full use from day one: ``deal_value / term`` a
    year. The customers commit to less: they start at ``land_share`` of that
    run-rate and grow as Land + Expand customers (sales expense is left out).

    Examples
    --------
    Everyone adopts every year and doubles: 2.5, 5, 5, 5, 5 → 22.5 of 25 per deal.

    >>> c = consumption_pipeline(deals=2, deal_value=25, term=5, land_share=0.5,
    ...                          adoption_speed=1, expansion=1, churn=0)
    >>> c.revenue.sum(axis=0).tolist()
    [5.0, 10.0, 10.0, 10.0, 10.0]
    """
    value = checks.number(deal_value, "deal_value", low=0.0, example=25.0)
    years = checks.number(term, "term", low=1, integer=True, example=5)
    share = checks.number(land_share, "land_share", low=0.0, high=1.0, example=0.1)
    if share == 0 or value == 0:
        raise B4BError("a landed deal must start above zero", where="land_share" if share == 0 else "deal_value",
                       fix="Give a positive deal value and a starting share above 0, e.g. 0.1.")
    run_rate = value / years
    motion = LandExpand(land=share * run_rate, potential=run_rate, adoption_speed=adoption_speed,
                        expansion=expansion, churn=churn, land_cost=0.0, expand_cost=0.0)
    return simulate_cohort(motion, customers=deals, years=years, seed=seed)


_ASSUMPTION_UNITS = {
    "deal": ("usd_m", "up-front price of the deployment"),
    "maintenance": ("percent", "yearly service contract, share of the deal"),
    "renewal": ("percent", "chance a customer renews its contract each year"),
    "refresh_every": ("int", "years between refresh deals (0: never)"),
    "new_cost": ("usd_m", "sales expense of one new deal"),
    "renew_cost": ("usd_m", "sales expense of one renewal"),
    "land": ("usd_m", "yearly spend when landed"),
    "potential": ("usd_m", "yearly spend at full adoption"),
    "adoption_speed": ("percent", "chance a customer realises value in a year"),
    "expansion": ("percent", "growth of spend in a year with value"),
    "churn": ("percent", "chance a customer without value that year leaves"),
    "land_cost": ("usd_m", "sales expense to land one customer"),
    "expand_cost": ("usd_m", "sales expense per active customer and later year"),
}


def assumptions(new_renew: NewRenew | None = None, land_expand: LandExpand | None = None):
    """The cohort model's figures, one row each: the kit's assumptions, not the source's.

    Returns
    -------
    pandas.DataFrame
        ``motion``, ``parameter``, ``value``, ``format`` (a :mod:`b4b_kit.ui.tables`
        format for the value) and ``meaning``.

    Examples
    --------
    >>> t = assumptions()
    >>> t.loc[t.parameter == "deal", ["motion", "value", "format"]].values.tolist()
    [['New + Renew', 5.0, 'usd_m']]
    """
    import dataclasses

    import pandas as pd

    rows = []
    for motion in (new_renew or NewRenew(), land_expand or LandExpand()):
        for field in dataclasses.fields(motion):
            unit, meaning = _ASSUMPTION_UNITS[field.name]
            rows.append({"motion": motion.name, "parameter": field.name, "value": getattr(motion, field.name),
                         "format": unit, "meaning": meaning})
    return pd.DataFrame(rows)


def spectrum():
    """The spectrum of sales discussions, from buying the product alone to contracting for the outcome.

    Returns
    -------
    pandas.DataFrame
        ``step`` (1-8), ``id``, ``discussion``, ``levels`` and ``motions`` (the
        pair of motions that serves it), ``description``; from the framework file.

    Examples
    --------
    >>> spectrum()[["id", "levels", "motions"]].iloc[[0, 4]].values.tolist()
    [['sell_it_to_me', '1', 'New + Renew'], ['let_me_try_it', '3-4', 'Land + Expand']]
    """
    import pandas as pd

    from ..frameworks import get

    rows = []
    for step, item in enumerate(get("sales_motions").lists["discussion_spectrum"], start=1):
        if item.id not in _SPECTRUM_LEVELS:
            raise B4BError(f"discussion {item.id!r} has no level in the kit", where="sales_motions.yaml",
                           fix="Add it to b4b_kit.sales_motions.motions._SPECTRUM_LEVELS.")
        levels = _SPECTRUM_LEVELS[item.id]
        rows.append({"step": step, "id": item.id, "discussion": item.name.split(" (")[0].strip('"'),
                     "levels": levels, "motions": MOTIONS[0] if levels in ("1", "2") else MOTIONS[1],
                     "description": item.description})
    return pd.DataFrame(rows)


# The level each discussion belongs to, as the spectrum figure of Pivot 1 groups them.
_SPECTRUM_LEVELS = {"sell_it_to_me": "1", "install_it": "2", "fix_it": "2", "refresh_it": "2",
                    "let_me_try_it": "3-4", "manage_it_for_me": "3", "drive_my_full_adoption": "3",
                    "deliver_the_outcome": "4"}


def pipeline_retention(cohort: Cohort, year: int = 1) -> dict[str, float | None]:
    """NRR and GRR of a cohort from year ``year - 1`` to ``year``, and its ACV, for comparison with surveys.

    The definitions are SaaS Capital's (see
    :mod:`b4b_kit.consumption_analytics.retention`), applied to yearly revenue.
    ``acv_usd`` is the mean yearly revenue per paying customer in the base
    year, in USD (the cohort's money is in $M): the figure that picks a
    survey's contract-size band.

    Examples
    --------
    Two customers land at $1M a year; one doubles, the other leaves:

    >>> le = LandExpand(land=1, potential=4, adoption_speed=0.5, expansion=1, churn=1)
    >>> c = cohort_from_draws(le, np.array([[0, 0.1], [0, 0.9]]), np.array([[0, 0.9], [0, 0.1]]))
    >>> pipeline_retention(c)
    {'nrr_year1': 1.0, 'grr_year1': 0.5, 'acv_usd': 1000000.0}
    """
    from ..consumption_analytics.retention import cohort_retention

    t = checks.number(year, "year", low=1, high=cohort.years - 1, integer=True, example=1)
    row = cohort_retention(cohort.revenue[:, t - 1:t + 1]).iloc[0]
    base = cohort.revenue[:, t - 1]
    paying = base[base > 0]

    def r(x):
        return None if x is None or not np.isfinite(x) else round(float(x), 4)

    return {f"nrr_year{t}": r(row["nrr"]), f"grr_year{t}": r(row["grr"]),
            "acv_usd": round(float(paying.mean()) * 1e6, 2) if paying.size else None}
