"""Consumption analytics: the four metric families per customer and month, and each customer's gap to best practice.

TSIA groups what a supplier should measure about each customer into four
families that follow the customer's path (framework ``consumption_analytics``):
what it bought (*purchase*), what it switched on (*deployment*), how much and
how broadly it uses it (*consumption*) and what that did for its business
(*outcome*). This module computes them from the telemetry tables of
:mod:`b4b_kit.consumption_analytics.telemetry`, compares each customer with a best-practice adoption
path, and turns the gaps into the work list of the expand motion.

Metrics, per customer and calendar month under contract (see :data:`METRICS`)::

    seats_licensed, contract_value_usd            from contracts          purchase
    seats_deployed   users activated by month end                          deployment
    deployment_rate  = seats_deployed / seats_licensed                     deployment
    events           feature uses in the month                             consumption
    active_users     distinct users with an event in the month             consumption
    adoption_rate    = active_users / seats_licensed                       consumption
    features_used    distinct features used in the month                   consumption
    feature_breadth  = features_used / features in the catalog             consumption
    usage_depth      = events / active_users (0 when nobody was active)    consumption
    kpi_attainment   share of the customer's KPI target reached            outcome

Events outside a customer's contract months are left out; a rate over zero
licensed seats is NaN. ``months_since_land`` counts from the customer's first
contract month (0 = the land month).

Two engines compute the same table: ``"duckdb"`` (the default; SQL over the
DataFrames, or straight over Parquet/CSV files so that events never enter
pandas) and ``"pandas"`` (plain groupby, the reference the tests compare with).
DuckDB is the default because it reads Parquet without pyarrow and, measured
by ``bench/bench_analytics.py`` on ten million events, aggregates them in about
a second with half the memory of pandas in memory, or under 200 MB straight
from the files.

Customer health: :class:`AdoptionPath` is the best-practice path (a documented
parameter; :func:`peer_path` measures one from the best customers instead),
:func:`assess_customers` gives each customer's latest month its gaps, trend,
status (:func:`health_status` is the same rule for one customer), value at risk and
next feature, :func:`services_list` ranks those who need adoption services,
and :func:`analyse` does all of it in one call.

Examples
--------
Two users of one customer with a 4-seat licence and a two-feature catalog:

>>> import pandas as pd
>>> from b4b_kit.consumption_analytics.telemetry import Telemetry
>>> day = pd.Timestamp
>>> t = Telemetry(
...     customers=pd.DataFrame({"customer_id": [1], "customer": ["Acme"]}),
...     features=pd.DataFrame({"feature": ["a", "b"], "name": ["A", "B"]}),
...     contracts=pd.DataFrame({"customer_id": [1], "month": [day("2024-01-01")], "seats_licensed": [4],
...                             "contract_value_usd": [4800.0]}),
...     users=pd.DataFrame({"customer_id": [1, 1], "user_id": [1, 2], "activated": [day("2024-01-02")] * 2}),
...     events=pd.DataFrame({"customer_id": [1, 1, 1], "user_id": [1, 1, 2], "feature": ["a", "b", "a"],
...                          "date": [day("2024-01-03"), day("2024-01-04"), day("2024-01-05")]}),
...     outcomes=pd.DataFrame({"customer_id": [1], "month": [day("2024-01-01")], "kpi_attainment": [0.1]}))
>>> m = monthly_metrics(t).iloc[0]
>>> [float(m[c]) for c in ("adoption_rate", "feature_breadth", "usage_depth", "deployment_rate")]
[0.5, 1.0, 1.5, 0.5]
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .. import checks
from ..errors import B4BError
from .telemetry import Telemetry, _first_row, check_table, checked_view, connect, table_files

ENGINES = ("duckdb", "pandas")
FAMILIES = ("purchase", "deployment", "consumption", "outcome")
STATUSES = ("expand_ready", "on_track", "behind", "at_risk", "churned")
HEALTHY = ("expand_ready", "on_track")
NEEDS_SERVICES = ("at_risk", "behind")
# a gap equal to the tolerance counts as behind, also when float rounding leaves it a hair below
_EPS = 1e-12
STATUS_NAMES = {"expand_ready": "ready to expand", "on_track": "on track", "behind": "behind the path",
                "at_risk": "at risk", "churned": "churned"}

# column, family, framework element, unit, meaning
METRICS = (
    ("seats_licensed", "purchase", "purchased_entitlements", "seats", "Seats under contract in the month"),
    ("contract_value_usd", "purchase", "committed_spend", "USD per year", "Annual value of the contract in force"),
    ("seats_deployed", "deployment", "deployed_footprint", "seats", "User seats switched on by the end of the month"),
    ("deployment_rate", "deployment", "deployment_rate", "share", "Seats deployed per seat licensed"),
    ("events", "consumption", "usage_volume", "events", "Feature uses in the month"),
    ("active_users", "consumption", "user_adoption", "users", "Users with at least one event in the month"),
    ("adoption_rate", "consumption", "user_adoption", "share", "Active users per licensed seat"),
    ("features_used", "consumption", "feature_adoption", "features", "Distinct features used in the month"),
    ("feature_breadth", "consumption", "feature_adoption", "share", "Share of the offer's features used"),
    ("usage_depth", "consumption", "usage_volume", "events per active user", "How intensely active users work"),
    ("kpi_attainment", "outcome", "kpi_attainment", "share of target", "Share of the agreed KPI target reached"),
)
COLUMNS = ("customer_id", "customer", "month", "months_since_land") + tuple(m[0] for m in METRICS)


def metric_catalog():
    """One row per metric: column, family, the framework element it measures, unit and meaning.

    Examples
    --------
    >>> metric_catalog().set_index("column").loc["adoption_rate", "element_name"]
    'User adoption'
    """
    from ..frameworks import get

    fw = get("consumption_analytics")
    return pd.DataFrame([{
        "column": col, "family": fam, "family_name": fw.group_of(el).name, "element": el,
        "element_name": fw.element(el).name, "unit": unit, "meaning": meaning,
    } for col, fam, el, unit, meaning in METRICS])


# --- monthly metrics ---------------------------------------------------------------------------------

def _connect(telemetry):
    """A DuckDB connection with one view per table, and the number of catalog features."""
    con = connect()
    if isinstance(telemetry, Telemetry):
        for name, frame in telemetry.tables().items():
            check_table(frame, name)
            con.register(name, frame)
    elif isinstance(telemetry, (str, Path)):
        for name, path in table_files(telemetry).items():
            checked_view(con, path, name)
    else:
        raise B4BError(f"expected telemetry tables or a folder, got {type(telemetry).__name__}",
                       where="telemetry", fix="Pass telemetry.generate(...) or the folder of the files.")
    n_features = _first_row(con, "SELECT count(DISTINCT feature) FROM features")[0]
    if not n_features:
        raise B4BError("the feature catalog is empty", where="features table",
                       fix="List every feature of the offer, one per row.")
    dupes = _first_row(con, "SELECT customer_id, date_trunc('month', month) AS m, count(*) AS n FROM contracts "
                            "GROUP BY ALL HAVING count(*) > 1 ORDER BY ALL LIMIT 1")
    if dupes:
        raise B4BError(f"{dupes[2]} rows for customer {dupes[0]} in {dupes[1]:%Y-%m}", where="contracts table",
                       fix="Give one row per customer and month: the seats and contract value in force.")
    return con, int(n_features)


_SQL = """
WITH c AS (
    SELECT customer_id, date_trunc('month', month) AS month, seats_licensed, contract_value_usd FROM contracts
), land AS (
    SELECT customer_id, min(month) AS land FROM c GROUP BY customer_id
), per_user AS (
    -- two plain GROUP BYs: a third less work than count(DISTINCT ...) on ten million rows
    SELECT customer_id, date_trunc('month', "date") AS month, user_id, count(*) AS n FROM events GROUP BY ALL
), per_feature AS (
    SELECT DISTINCT customer_id, date_trunc('month', "date") AS month, feature FROM events
), ev AS (
    SELECT u.customer_id, u.month, u.events, u.active_users, f.features_used
    FROM (SELECT customer_id, month, sum(n) AS events, count(*) AS active_users FROM per_user GROUP BY ALL) AS u
    JOIN (SELECT customer_id, month, count(*) AS features_used FROM per_feature GROUP BY ALL) AS f
      ON f.customer_id = u.customer_id AND f.month = u.month
), act AS (
    SELECT customer_id, date_trunc('month', activated) AS month, count(*) AS n FROM users GROUP BY ALL
), dep AS (
    SELECT c.customer_id, c.month, coalesce(sum(act.n), 0) AS seats_deployed
    FROM c LEFT JOIN act ON act.customer_id = c.customer_id AND act.month <= c.month
    GROUP BY ALL
), o AS (
    SELECT customer_id, date_trunc('month', month) AS month, avg(kpi_attainment) AS kpi_attainment
    FROM outcomes GROUP BY ALL
), names AS (
    SELECT customer_id, any_value(customer) AS customer FROM customers GROUP BY ALL
)
SELECT c.customer_id,
       coalesce(names.customer, 'customer ' || c.customer_id) AS customer,
       c.month,
       CAST(datediff('month', land.land, c.month) AS BIGINT) AS months_since_land,
       CAST(c.seats_licensed AS BIGINT) AS seats_licensed,
       CAST(c.contract_value_usd AS DOUBLE) AS contract_value_usd,
       CAST(dep.seats_deployed AS BIGINT) AS seats_deployed,
       dep.seats_deployed / nullif(c.seats_licensed, 0) AS deployment_rate,
       coalesce(ev.events, 0) AS events,
       coalesce(ev.active_users, 0) AS active_users,
       coalesce(ev.active_users, 0) / nullif(c.seats_licensed, 0) AS adoption_rate,
       coalesce(ev.features_used, 0) AS features_used,
       coalesce(ev.features_used, 0) / {n_features} AS feature_breadth,
       CASE WHEN coalesce(ev.active_users, 0) > 0 THEN ev.events / ev.active_users ELSE 0 END AS usage_depth,
       CAST(o.kpi_attainment AS DOUBLE) AS kpi_attainment
FROM c
JOIN land ON land.customer_id = c.customer_id
JOIN dep ON dep.customer_id = c.customer_id AND dep.month = c.month
LEFT JOIN ev ON ev.customer_id = c.customer_id AND ev.month = c.month
LEFT JOIN o ON o.customer_id = c.customer_id AND o.month = c.month
LEFT JOIN names ON names.customer_id = c.customer_id
ORDER BY c.customer_id, c.month
"""


def _finish(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame[list(COLUMNS)].reset_index(drop=True)
    frame["month"] = frame["month"].astype("datetime64[s]")
    for col in ("customer_id", "months_since_land", "seats_licensed", "seats_deployed", "events", "active_users",
                "features_used"):
        frame[col] = frame[col].astype(np.int64)
    for col in ("contract_value_usd", "deployment_rate", "adoption_rate", "feature_breadth", "usage_depth",
                "kpi_attainment"):
        frame[col] = frame[col].astype(float)
    frame["customer"] = frame["customer"].astype(str)
    return frame


def monthly_metrics(telemetry, engine: str = "duckdb") -> pd.DataFrame:
    """The four metric families for every customer and contract month (see the module docstring).

    Parameters
    ----------
    telemetry : Telemetry, str or Path
        The six tables (e.g. from :func:`b4b_kit.consumption_analytics.telemetry.generate`), or a
        folder holding them as Parquet or CSV files; a folder is read by DuckDB
        directly, so the events never have to fit in pandas.
    engine : {"duckdb", "pandas"}
        Which engine aggregates; both give the same table. A folder needs ``"duckdb"``.

    Returns
    -------
    pandas.DataFrame
        One row per customer and month under contract, columns :data:`COLUMNS`,
        sorted by customer and month.
    """
    checks.choice(engine, "engine", ENGINES)
    if engine == "pandas":
        if not isinstance(telemetry, Telemetry):
            raise B4BError("the pandas engine needs the tables in memory", where="engine",
                           fix="Read them first with telemetry.read_telemetry, or use engine='duckdb'.")
        return _metrics_pandas(telemetry)
    con, n_features = _connect(telemetry)
    return _finish(con.sql(_SQL.format(n_features=n_features)).df())


def _month_index(values) -> np.ndarray:
    """Calendar months since 1970-01 as integers (fast month arithmetic)."""
    return np.asarray(values, dtype="datetime64[ns]").astype("datetime64[M]").astype(np.int64)


def _metrics_pandas(t: Telemetry) -> pd.DataFrame:
    """The reference implementation: plain pandas, no SQL."""
    for name, frame in t.tables().items():
        check_table(frame, name)
    n_features = t.features["feature"].nunique()
    if not n_features:
        raise B4BError("the feature catalog is empty", where="features table",
                       fix="List every feature of the offer, one per row.")
    c = pd.DataFrame({"customer_id": t.contracts["customer_id"].to_numpy(np.int64),
                      "m": _month_index(t.contracts["month"]),
                      "seats_licensed": t.contracts["seats_licensed"].to_numpy(np.int64),
                      "contract_value_usd": t.contracts["contract_value_usd"].to_numpy(float)})
    dupes = c[c.duplicated(["customer_id", "m"], keep=False)]
    if len(dupes):
        first = dupes.sort_values(["customer_id", "m"]).iloc[0]
        n = int(((dupes["customer_id"] == first["customer_id"]) & (dupes["m"] == first["m"])).sum())
        month = np.datetime64(int(first["m"]), "M")
        raise B4BError(f"{n} rows for customer {int(first['customer_id'])} in {month}", where="contracts table",
                       fix="Give one row per customer and month: the seats and contract value in force.")
    c["months_since_land"] = c["m"] - c.groupby("customer_id")["m"].transform("min")

    ev = t.events
    feature = ev["feature"]
    codes = feature.cat.codes.to_numpy() if isinstance(feature.dtype, pd.CategoricalDtype) else pd.factorize(feature)[0]
    keys = pd.DataFrame({"customer_id": ev["customer_id"].to_numpy(np.int64), "m": _month_index(ev["date"]),
                         "user_id": ev["user_id"].to_numpy(np.int64), "feature": codes})
    by = ["customer_id", "m"]
    usage = keys.groupby(by).agg(events=("user_id", "size"), active_users=("user_id", "nunique"),
                                 features_used=("feature", "nunique")).reset_index()
    out = c.merge(usage, on=by, how="left")
    for col in ("events", "active_users", "features_used"):
        out[col] = out[col].fillna(0).astype(np.int64)

    # seats deployed = users of the customer activated in or before the month: a sorted-key search
    scale = 1 << 32
    user_keys = np.sort(t.users["customer_id"].to_numpy(np.int64) * scale + _month_index(t.users["activated"]))
    row_keys = out["customer_id"].to_numpy(np.int64) * scale
    out["seats_deployed"] = (np.searchsorted(user_keys, row_keys + out["m"].to_numpy(), side="right")
                             - np.searchsorted(user_keys, row_keys, side="left"))

    o = pd.DataFrame({"customer_id": t.outcomes["customer_id"].to_numpy(np.int64),
                      "m": _month_index(t.outcomes["month"]),
                      "kpi_attainment": t.outcomes["kpi_attainment"].to_numpy(float)})
    out = out.merge(o.groupby(by, as_index=False)["kpi_attainment"].mean(), on=by, how="left")
    names = t.customers.drop_duplicates("customer_id")[["customer_id", "customer"]]
    out = out.merge(names.astype({"customer_id": np.int64}), on="customer_id", how="left")
    out["customer"] = out["customer"].where(out["customer"].notna(), "customer " + out["customer_id"].astype(str))

    seats = out["seats_licensed"].where(out["seats_licensed"] != 0).astype(float)
    out["deployment_rate"] = out["seats_deployed"] / seats
    out["adoption_rate"] = out["active_users"] / seats
    out["feature_breadth"] = out["features_used"] / n_features
    out["usage_depth"] = np.where(out["active_users"] > 0, out["events"] / out["active_users"].clip(lower=1), 0.0)
    out["month"] = out["m"].to_numpy().astype("datetime64[M]")
    return _finish(out.sort_values(by))


def feature_use(telemetry, engine: str = "duckdb") -> pd.DataFrame:
    """Events and distinct users per customer, month and feature (only features used that month).

    Examples
    --------
    >>> from b4b_kit.consumption_analytics.telemetry import generate
    >>> u = feature_use(generate(customers=3, months=4, seed=2))
    >>> list(u.columns)
    ['customer_id', 'month', 'feature', 'events', 'users']
    """
    checks.choice(engine, "engine", ENGINES)
    if engine == "duckdb":
        con, _ = _connect(telemetry)
        frame = con.sql("""SELECT customer_id, date_trunc('month', "date") AS month, CAST(feature AS VARCHAR)
                           AS feature, count(*) AS events, count(DISTINCT user_id) AS users
                           FROM events GROUP BY ALL ORDER BY customer_id, month, feature""").df()
    else:
        if not isinstance(telemetry, Telemetry):
            raise B4BError("the pandas engine needs the tables in memory", where="engine",
                           fix="Read them first with telemetry.read_telemetry, or use engine='duckdb'.")
        check_table(telemetry.events, "events")
        ev = telemetry.events
        keys = pd.DataFrame({"customer_id": ev["customer_id"].to_numpy(np.int64),
                             "month": ev["date"].to_numpy().astype("datetime64[M]"),
                             "feature": ev["feature"].astype(str).to_numpy(), "user_id": ev["user_id"].to_numpy()})
        frame = (keys.groupby(["customer_id", "month", "feature"]).agg(events=("user_id", "size"),
                                                                       users=("user_id", "nunique"))
                 .reset_index().sort_values(["customer_id", "month", "feature"]))
    frame = frame.reset_index(drop=True)
    frame["month"] = frame["month"].astype("datetime64[s]")
    frame["feature"] = frame["feature"].astype(str)
    for col in ("customer_id", "events", "users"):
        frame[col] = frame[col].astype(np.int64)
    return frame


# --- the best-practice adoption path ------------------------------------------------------------------

@dataclass(frozen=True)
class AdoptionPath:
    """The expected adoption of a customer by month since land: a straight ramp, then a plateau.

    ``expected(t) = full * min(1, (t + 1) / ramp_months)`` for the share of
    licensed seats active (``full_adoption``) and the share of features in use
    (``full_breadth``); ``t`` is 0 in the land month. B4B asks suppliers to
    hold every customer against a *best-practice consumption road map* (seed
    004) but gives no figures: the defaults (80 % of seats and 60 % of the
    features by the sixth month) are the kit's own, to be replaced by a
    supplier's own road map or measured from its best customers with
    :func:`peer_path`.

    Examples
    --------
    >>> AdoptionPath().expected(2)
    (0.4, 0.3)
    >>> AdoptionPath(ramp_months=1).expected(0)
    (0.8, 0.6)
    """

    full_adoption: float = 0.8
    full_breadth: float = 0.6
    ramp_months: int = 6

    def __post_init__(self):
        checks.share(self.full_adoption, "full_adoption", above_zero=True)
        checks.share(self.full_breadth, "full_breadth", above_zero=True)
        r = self.ramp_months
        if isinstance(r, bool) or not isinstance(r, (int, np.integer)) or r < 1:
            raise B4BError(f"expected a whole number of months, at least 1, got {r!r}", where="ramp_months",
                           fix="Pass e.g. ramp_months=6.")

    def _ramp(self, months_since_land):
        t = np.asarray(months_since_land, dtype=float)
        if np.any(t < 0):
            raise B4BError("months since land cannot be negative", where="months_since_land",
                           fix="Count months from the land month, which is 0.")
        return np.minimum(1.0, (t + 1) / self.ramp_months)

    def expected(self, months_since_land):
        """Expected (adoption rate, feature breadth) at ``months_since_land`` (a number or an array)."""
        ramp = self._ramp(months_since_land)
        adoption, breadth = self.full_adoption * ramp, self.full_breadth * ramp
        if np.ndim(ramp) == 0:
            return round(float(adoption), 12), round(float(breadth), 12)
        return adoption, breadth

    def table(self, months: int = 12) -> pd.DataFrame:
        """The path month by month: ``months_since_land``, ``adoption_rate``, ``feature_breadth``."""
        t = np.arange(months)
        adoption, breadth = self.expected(t)
        return pd.DataFrame({"months_since_land": t, "adoption_rate": adoption, "feature_breadth": breadth})


def peer_path(metrics: pd.DataFrame, quantile: float = 0.75, min_customers: int = 3) -> pd.DataFrame:
    """A path measured from the customers themselves: the ``quantile`` of adoption and breadth per month since land.

    "Best practice" then means what the best quarter of your own customers
    reached at that age (with the default 0.75). Months with fewer than
    ``min_customers`` customers are dropped; later months reuse the last one.

    Examples
    --------
    >>> m = pd.DataFrame({"months_since_land": [0, 0, 0, 1, 1, 1], "adoption_rate": [0.1, 0.2, 0.3, 0.4, 0.5, 0.6],
    ...                   "feature_breadth": [0.1, 0.1, 0.1, 0.2, 0.2, 0.2]})
    >>> peer_path(m, quantile=0.5)["adoption_rate"].round(2).tolist()
    [0.2, 0.5]
    """
    q = checks.share(quantile, "quantile")
    grouped = metrics.groupby("months_since_land")
    table = pd.DataFrame({"adoption_rate": grouped["adoption_rate"].quantile(q),
                          "feature_breadth": grouped["feature_breadth"].quantile(q),
                          "customers": grouped.size()}).reset_index()
    table = table[table["customers"] >= min_customers].reset_index(drop=True)
    if table.empty:
        raise B4BError(f"no month since land has {min_customers} or more customers", where="peer_path",
                       fix="Use a bigger cohort, a smaller min_customers, or an AdoptionPath.")
    return table


def _expected(path, months_since_land: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if path is None:
        path = AdoptionPath()
    if isinstance(path, AdoptionPath):
        return path.expected(np.asarray(months_since_land))
    if isinstance(path, pd.DataFrame):
        missing = [c for c in ("months_since_land", "adoption_rate", "feature_breadth") if c not in path.columns]
        if missing:
            raise B4BError(f"missing column(s) {', '.join(missing)}", where="path table",
                           fix="Give months_since_land, adoption_rate and feature_breadth (see peer_path).")
        table = path.sort_values("months_since_land")
        t = table["months_since_land"].to_numpy()
        # months beyond (or before) the table take its nearest month
        idx = np.clip(np.searchsorted(t, months_since_land, side="right") - 1, 0, len(t) - 1)
        return table["adoption_rate"].to_numpy(float)[idx], table["feature_breadth"].to_numpy(float)[idx]
    raise B4BError(f"expected an AdoptionPath or a path table, got {type(path).__name__}", where="path",
                   fix="Pass AdoptionPath(...) or peer_path(metrics).")


def compare_to_path(metrics: pd.DataFrame, path=None) -> pd.DataFrame:
    """``metrics`` plus the expected adoption and breadth and the gaps to them (expected − actual; > 0 is behind).

    Examples
    --------
    >>> m = pd.DataFrame({"months_since_land": [2], "adoption_rate": [0.25], "feature_breadth": [0.4]})
    >>> compare_to_path(m)[["expected_adoption", "adoption_gap", "breadth_gap"]].round(2).values.tolist()
    [[0.4, 0.15, -0.1]]
    """
    adoption, breadth = _expected(path, metrics["months_since_land"].to_numpy())
    out = metrics.copy()
    out["expected_adoption"] = adoption
    out["adoption_gap"] = adoption - out["adoption_rate"]
    out["expected_breadth"] = breadth
    out["breadth_gap"] = breadth - out["feature_breadth"]
    return out


# --- customer health ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class HealthRules:
    """Thresholds that turn gaps into a status (the kit's own defaults).

    ``tolerance``: a gap (in share points) at or above it puts a customer
    *behind*. ``expand_at``: active users per licensed seat at or above it make
    a customer *ready to expand* (buy more seats or the next module).
    ``fall``: active users down by at least this share over two months count
    as *falling use*, which turns *behind* into *at risk*.
    """

    tolerance: float = 0.1
    expand_at: float = 0.9
    fall: float = 0.2

    def __post_init__(self):
        checks.share(self.tolerance, "tolerance")
        checks.share(self.expand_at, "expand_at", above_zero=True)
        checks.share(self.fall, "fall", above_zero=True)


def health_status(adoption_rate: float, feature_breadth: float, months_since_land: int, usage_trend: float = math.nan,
             *, path: AdoptionPath | None = None, rules: HealthRules | None = None, churned: bool = False) -> str:
    """The status of one customer in one month (first match wins).

    ``churned`` (no contract any more); ``at_risk``: behind the path *and* use
    falling; ``behind``: adoption or breadth at least ``tolerance`` below the
    path; ``expand_ready``: active users fill ``expand_at`` of the licence;
    else ``on_track``.

    Parameters
    ----------
    usage_trend : float
        Change of active users over the last two months, as a share (-0.2 = down
        20 %); NaN when unknown (fewer than three months).

    Examples
    --------
    Month 3 since land: the path expects 0.53 of seats active.

    >>> health_status(0.35, 0.5, months_since_land=3)
    'behind'
    >>> health_status(0.35, 0.5, months_since_land=3, usage_trend=-0.2)
    'at_risk'
    >>> health_status(0.95, 0.7, months_since_land=8)
    'expand_ready'
    """
    rules = rules or HealthRules()
    for name, value in (("adoption_rate", adoption_rate), ("feature_breadth", feature_breadth)):
        checks.number(value, name, low=0, fix="Pass e.g. 0.5.")
    if churned:
        return "churned"
    adoption, breadth = (path or AdoptionPath()).expected(months_since_land)
    limit = rules.tolerance - _EPS
    behind = (adoption - adoption_rate >= limit) or (breadth - feature_breadth >= limit)
    if behind and usage_trend <= -rules.fall:
        return "at_risk"
    if behind:
        return "behind"
    if adoption_rate >= rules.expand_at:
        return "expand_ready"
    return "on_track"


def usage_trend(metrics: pd.DataFrame) -> pd.Series:
    """Change of active users against two contract months earlier, as a share; NaN when unknown or from zero.

    Examples
    --------
    >>> m = pd.DataFrame({"customer_id": [1, 1, 1], "month": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-03-01"]),
    ...                   "active_users": [10, 9, 8]})
    >>> usage_trend(m).round(2).tolist()
    [nan, nan, -0.2]
    """
    ordered = metrics.sort_values(["customer_id", "month"])
    before = ordered.groupby("customer_id")["active_users"].shift(2).astype(float)
    trend = (ordered["active_users"] - before) / before.where(before > 0)
    return trend.reindex(metrics.index)


def assess_customers(metrics: pd.DataFrame, uses: pd.DataFrame | None = None, features=None, *, path=None,
                     rules: HealthRules | None = None, as_of=None) -> pd.DataFrame:
    """Each customer's latest month against the path: gaps, trend, status, value at risk and next feature.

    Parameters
    ----------
    metrics : pandas.DataFrame
        From :func:`monthly_metrics`.
    uses : pandas.DataFrame, optional
        From :func:`feature_use`; needed for ``next_feature``.
    features : sequence of str, optional
        The feature catalog in order (ties and a cohort with no healthy
        customer fall back to it). Default: the features seen in ``uses``, sorted.
    path : AdoptionPath or DataFrame, optional
        The best-practice path (default :class:`AdoptionPath`), or a table from :func:`peer_path`.
    rules : HealthRules, optional
        Thresholds for the status.
    as_of : month, optional
        The month the assessment looks from; default the last month in ``metrics``.
        A customer with no contract that month is ``churned``.

    Returns
    -------
    pandas.DataFrame
        One row per customer: its latest metrics row, ``expected_adoption``,
        ``adoption_gap``, ``expected_breadth``, ``breadth_gap``, ``usage_trend``,
        ``status``, ``value_at_risk_usd`` (contract value times the larger
        positive gap: the part of what the customer pays that it is not yet
        getting) and ``next_feature``.

    Notes
    -----
    **Next feature** (for customers behind or at risk): among the features the
    customer did not use in its latest month, the one used by the largest share
    of *healthy* customers (ready to expand or on track) in their latest month;
    ties go to the feature with more events among them, then to catalog order.
    """
    rules = rules or HealthRules()
    if metrics.empty:
        raise B4BError("no customer months to assess", where="metrics", fix="Compute monthly_metrics first.")
    trend = usage_trend(metrics)
    frame = metrics.assign(usage_trend=trend)
    as_of = pd.Timestamp(frame["month"].max() if as_of is None else as_of)
    frame = frame[frame["month"] <= as_of]
    if frame.empty:
        raise B4BError(f"no customer is under contract by {as_of:%Y-%m}", where="as_of",
                       fix=f"Look from {metrics['month'].min():%Y-%m} or later.")
    latest = frame.sort_values(["customer_id", "month"]).groupby("customer_id").tail(1)
    out = compare_to_path(latest, path).reset_index(drop=True)
    churned = (out["month"] < as_of).to_numpy()
    limit = rules.tolerance - _EPS
    behind = ((out["adoption_gap"] >= limit) | (out["breadth_gap"] >= limit)).to_numpy()
    falling = (out["usage_trend"] <= -rules.fall).to_numpy()  # NaN compares False: unknown is not falling
    status = np.select([churned, behind & falling, behind, out["adoption_rate"].to_numpy() >= rules.expand_at],
                       ["churned", "at_risk", "behind", "expand_ready"], default="on_track")
    out["status"] = pd.Categorical(status, categories=list(STATUSES))
    gap = np.maximum(0.0, np.fmax(out["adoption_gap"].to_numpy(), out["breadth_gap"].to_numpy()))
    out["value_at_risk_usd"] = np.where(churned, 0.0, np.round(out["contract_value_usd"].to_numpy() * gap, 2))
    # object dtype keeps None (no next feature) as None rather than NaN
    out["next_feature"] = pd.Series([None] * len(out) if uses is None else _next_features(out, uses, features),
                                    dtype=object, index=out.index)
    return out


def peer_feature_use(assessed: pd.DataFrame, uses: pd.DataFrame, features=None) -> pd.DataFrame:
    """How many healthy customers used each feature in their latest month; the ranking behind ``next_feature``.

    Returns one row per catalog feature, in the order of the next-feature rule:
    ``feature``, ``peers_using``, ``peer_share``, ``peer_events``.
    """
    catalog = list(features) if features is not None else sorted(uses["feature"].unique())
    healthy = assessed.loc[assessed["status"].isin(HEALTHY), ["customer_id", "month"]]
    latest = uses.merge(healthy, on=["customer_id", "month"])
    latest = latest[latest["events"] > 0]
    stats = latest.groupby("feature").agg(peers_using=("customer_id", "nunique"), peer_events=("events", "sum"))
    table = pd.DataFrame({"feature": catalog, "order": range(len(catalog))}).merge(
        stats, left_on="feature", right_index=True, how="left").fillna({"peers_using": 0, "peer_events": 0})
    table["peers_using"] = table["peers_using"].astype(np.int64)
    table["peer_events"] = table["peer_events"].astype(np.int64)
    table["peer_share"] = table["peers_using"] / len(healthy) if len(healthy) else 0.0
    table = table.sort_values(["peers_using", "peer_events", "order"], ascending=[False, False, True])
    return table[["feature", "peers_using", "peer_share", "peer_events"]].reset_index(drop=True)


def _next_features(assessed: pd.DataFrame, uses: pd.DataFrame, features) -> list:
    ranking = peer_feature_use(assessed, uses, features)["feature"].tolist()
    latest = uses.merge(assessed[["customer_id", "month"]], on=["customer_id", "month"])
    used = latest[latest["events"] > 0].groupby("customer_id")["feature"].agg(set)
    result = []
    for cid, status in zip(assessed["customer_id"], assessed["status"]):
        if status not in NEEDS_SERVICES:
            result.append(None)
            continue
        have = used.get(cid, set())
        result.append(next((f for f in ranking if f not in have), None))
    return result


def services_list(assessed: pd.DataFrame) -> pd.DataFrame:
    """Customers who need adoption services (behind or at risk), most value at risk first, ranked from 1.

    Examples
    --------
    >>> a = pd.DataFrame({"customer_id": [1, 2, 3], "status": ["behind", "on_track", "at_risk"],
    ...                   "value_at_risk_usd": [100.0, 0.0, 250.0]})
    >>> services_list(a)[["rank", "customer_id"]].values.tolist()
    [[1, 3], [2, 1]]
    """
    needy = assessed[assessed["status"].isin(NEEDS_SERVICES)]
    needy = needy.sort_values(["value_at_risk_usd", "customer_id"], ascending=[False, True]).reset_index(drop=True)
    needy.insert(0, "rank", np.arange(1, len(needy) + 1))
    return needy


# --- one customer -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CustomerHealth:
    """One customer's latest month against the best-practice path, with a verdict a student can read."""

    customer_id: int
    customer: str
    month: str
    months_since_land: int
    status: str
    seats_licensed: int
    seats_deployed: int
    active_users: int
    contract_value_usd: float
    deployment_rate: float
    adoption_rate: float
    expected_adoption: float
    features_used: int
    feature_breadth: float
    expected_breadth: float
    usage_depth: float
    usage_trend: float
    kpi_attainment: float
    value_at_risk_usd: float
    next_feature: str | None = None
    next_feature_name: str | None = None

    def families(self) -> list[tuple[str, str, str]]:
        """The latest month's numbers by metric family: (family, measure, value as text)."""
        trend = "n/a" if math.isnan(self.usage_trend) else f"{self.usage_trend:+.0%} in two months"
        kpi = "n/a" if math.isnan(self.kpi_attainment) else f"{self.kpi_attainment:.0%} of target"
        return [
            ("purchase", "seats licensed", f"{self.seats_licensed:,}"),
            ("purchase", "contract value", f"${self.contract_value_usd:,.0f} a year"),
            ("deployment", "seats deployed", f"{self.seats_deployed:,} ({self.deployment_rate:.0%})"),
            ("consumption", "active users per seat", f"{self.adoption_rate:.0%} (path {self.expected_adoption:.0%})"),
            ("consumption", "features used", f"{self.features_used} = {self.feature_breadth:.0%} "
                                             f"(path {self.expected_breadth:.0%})"),
            ("consumption", "events per active user", f"{self.usage_depth:.1f}"),
            ("consumption", "active users, trend", trend),
            ("outcome", "KPI attainment", kpi),
        ]

    @property
    def verdict(self) -> str:
        """Two or three sentences: status, the numbers behind it, and what to do next."""
        head = f"{self.customer}, month {self.months_since_land} since land ({self.month}): "
        if self.status == "churned":
            return head + "churned: no contract since then. Ask why, before the next customer like it lands."
        use = (f"{self.adoption_rate:.0%} of its {self.seats_licensed} licensed seats are active "
               f"(path: {self.expected_adoption:.0%}) and it uses {self.feature_breadth:.0%} of the features "
               f"(path: {self.expected_breadth:.0%}).")
        if self.status in NEEDS_SERVICES:
            trend = ""
            if self.status == "at_risk":
                trend = f" Active users are down {-self.usage_trend:.0%} in two months."
            push = (f" Next feature to push: {self.next_feature_name or self.next_feature}."
                    if self.next_feature else "")
            label = "at risk" if self.status == "at_risk" else "behind the best-practice path"
            return (f"{head}{label}. {use}{trend} Value at risk: ${self.value_at_risk_usd:,.0f} of its "
                    f"${self.contract_value_usd:,.0f} a year pays for use it has not reached.{push}")
        if self.status == "expand_ready":
            return f"{head}ready to expand. {use} Offer more seats or the next module."
        return f"{head}on track. {use}"

    def to_html(self) -> str:
        """The verdict as HTML, with the status as a CSS class."""
        return (f"<p class='b4b-health-verdict b4b-status-{self.status}'>{html.escape(self.verdict)}</p>")


def select_customer(table: pd.DataFrame, customer) -> pd.DataFrame:
    """The rows of one customer, by id or by name.

    Raises
    ------
    B4BError
        When no row matches, naming a few customers that exist.
    """
    if isinstance(customer, (int, np.integer)) and not isinstance(customer, bool):
        rows = table[table["customer_id"] == customer]
    else:
        rows = table[table["customer"] == str(customer)]
    if rows.empty:
        known = table.drop_duplicates("customer_id")
        sample = ", ".join(f"{i} {n}" for i, n in zip(known["customer_id"].head(5), known["customer"].head(5)))
        raise B4BError(f"no customer {customer!r}", where="customer",
                       fix=f"Give a customer id or name, e.g. {sample or 'none here'}.")
    return rows


def customer_health(assessed: pd.DataFrame, customer, features: pd.DataFrame | None = None) -> CustomerHealth:
    """The :class:`CustomerHealth` of one customer, from :func:`assess_customers` output.

    Parameters
    ----------
    features : pandas.DataFrame, optional
        The feature catalog, to name the next feature in words.
    """
    row = select_customer(assessed, customer).iloc[0]
    nxt = row.get("next_feature")
    nxt = None if nxt is None or (isinstance(nxt, float) and math.isnan(nxt)) else str(nxt)
    name = None
    if nxt and features is not None:
        match = features.loc[features["feature"] == nxt, "name"]
        name = str(match.iloc[0]) if len(match) else None
    return CustomerHealth(
        customer_id=int(row["customer_id"]), customer=str(row["customer"]), month=f"{row['month']:%Y-%m}",
        months_since_land=int(row["months_since_land"]), status=str(row["status"]),
        seats_licensed=int(row["seats_licensed"]), seats_deployed=int(row["seats_deployed"]),
        active_users=int(row["active_users"]), contract_value_usd=float(row["contract_value_usd"]),
        deployment_rate=float(row["deployment_rate"]),
        adoption_rate=float(row["adoption_rate"]), expected_adoption=float(row["expected_adoption"]),
        features_used=int(row["features_used"]),
        feature_breadth=float(row["feature_breadth"]), expected_breadth=float(row["expected_breadth"]),
        usage_depth=float(row["usage_depth"]),
        usage_trend=float(row["usage_trend"]), kpi_attainment=float(row["kpi_attainment"]),
        value_at_risk_usd=float(row["value_at_risk_usd"]), next_feature=nxt, next_feature_name=name)


# --- tables for charts --------------------------------------------------------------------------------

def path_comparison(metrics: pd.DataFrame, customer, path=None) -> pd.DataFrame:
    """One customer's adoption rate and feature breadth next to the path, month by month (long form).

    Columns: ``months_since_land``, ``measure`` (``adoption rate`` or
    ``feature breadth``), ``series`` (``customer`` or ``best-practice path``), ``value``.
    """
    rows = select_customer(metrics, customer).sort_values("month")
    t = rows["months_since_land"].to_numpy()
    path_t = np.arange(int(t.max()) + 1)
    adoption, breadth = _expected(path, path_t)
    parts = [
        pd.DataFrame({"months_since_land": t, "measure": "adoption rate", "series": "customer",
                      "value": rows["adoption_rate"].to_numpy()}),
        pd.DataFrame({"months_since_land": t, "measure": "feature breadth", "series": "customer",
                      "value": rows["feature_breadth"].to_numpy()}),
        pd.DataFrame({"months_since_land": path_t, "measure": "adoption rate", "series": "best-practice path",
                      "value": adoption}),
        pd.DataFrame({"months_since_land": path_t, "measure": "feature breadth", "series": "best-practice path",
                      "value": breadth}),
    ]
    return pd.concat(parts, ignore_index=True)


def seat_funnel(metrics: pd.DataFrame, customer) -> pd.DataFrame:
    """One customer's seats licensed, deployed and active by month since land (long form: ``measure``, ``seats``)."""
    rows = select_customer(metrics, customer).sort_values("month")
    long = rows.melt(id_vars=["months_since_land"], value_vars=["seats_licensed", "seats_deployed", "active_users"],
                     var_name="measure", value_name="seats")
    long["measure"] = long["measure"].map({"seats_licensed": "licensed (purchase)",
                                           "seats_deployed": "deployed (deployment)",
                                           "active_users": "active (consumption)"})
    return long


def cohort_curves(metrics: pd.DataFrame, by: pd.Series | None = None, statistic: str = "median") -> pd.DataFrame:
    """Adoption rate, feature breadth and KPI attainment per month since land, per group (``group`` column).

    Parameters
    ----------
    by : pandas.Series, optional
        A group label per customer id (index: customer_id), e.g. the status
        from :func:`assess_customers`; default one group, ``all``.
    statistic : {"median", "mean"}
    """
    if statistic not in ("median", "mean"):
        raise B4BError(f"unknown statistic {statistic!r}", where="statistic", fix="Use 'median' or 'mean'.")
    frame = metrics.copy()
    frame["group"] = frame["customer_id"].map(by).astype(str) if by is not None else "all"
    grouped = frame.groupby(["group", "months_since_land"])
    out = grouped[["adoption_rate", "feature_breadth", "kpi_attainment"]].agg(statistic)
    out["customers"] = grouped.size()
    return out.reset_index()


# --- everything at once -------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class Analysis:
    """The metrics, feature use and customer assessment of one telemetry set, computed together."""

    metrics: pd.DataFrame
    uses: pd.DataFrame
    customers: pd.DataFrame
    features: pd.DataFrame
    path: object
    rules: HealthRules
    as_of: object = None

    def services_list(self) -> pd.DataFrame:
        """See :func:`services_list`."""
        return services_list(self.customers)

    def health(self, customer) -> CustomerHealth:
        """See :func:`customer_health`."""
        return customer_health(self.customers, customer, self.features)

    def reassess(self, path=None, rules: HealthRules | None = None) -> Analysis:
        """The same telemetry against another path or other rules (no re-aggregation)."""
        path = self.path if path is None else path
        rules = rules or self.rules
        assessed = assess_customers(self.metrics, self.uses, self.features["feature"].tolist(), path=path,
                                    rules=rules, as_of=self.as_of)
        return Analysis(self.metrics, self.uses, assessed, self.features, path, rules, self.as_of)


def analyse(telemetry, *, path=None, rules: HealthRules | None = None, engine: str = "duckdb",
            as_of=None) -> Analysis:
    """Compute monthly metrics and feature use, then assess every customer.

    ``path``, ``rules`` and ``as_of`` are passed to :func:`assess_customers`.

    Examples
    --------
    >>> from b4b_kit.consumption_analytics.telemetry import generate
    >>> a = analyse(generate(customers=20, seed=3))
    >>> set(a.customers["status"]) <= set(STATUSES)
    True
    """
    path = AdoptionPath() if path is None else path
    rules = rules or HealthRules()
    metrics = monthly_metrics(telemetry, engine=engine)
    uses = feature_use(telemetry, engine=engine)
    if isinstance(telemetry, Telemetry):
        features = telemetry.features
    else:
        from .telemetry import read_table

        features = read_table(table_files(telemetry)["features"], "features")
    features = features.reset_index(drop=True)
    assessed = assess_customers(metrics, uses, features["feature"].astype(str).tolist(), path=path, rules=rules,
                                as_of=as_of)
    return Analysis(metrics, uses, assessed, features, path, rules, as_of)


def cohort_figures(analysis: Analysis) -> dict[str, float | int | str]:
    """Key figures of a cohort, for reports and results records.

    ``kpi_healthy`` and ``kpi_needs_services`` are the mean KPI attainment in
    the latest month of customers that are healthy and of those behind or at
    risk: does use turn into outcomes? ``customer_months`` and ``events``
    count the whole telemetry, also after ``as_of``.
    """
    a = analysis.customers
    live = a[a["status"] != "churned"]
    counts = a["status"].value_counts()
    needy = services_list(a)
    top = needy.iloc[0] if len(needy) else None
    healthy_kpi = live.loc[live["status"].isin(HEALTHY), "kpi_attainment"]
    needy_kpi = live.loc[live["status"].isin(NEEDS_SERVICES), "kpi_attainment"]

    def mean(s):  # None, not NaN, when no customer reported: the record must stay valid JSON
        s = s.dropna()
        return round(float(s.mean()), 4) if len(s) else None

    return {
        "customers": int(len(a)),
        "customer_months": int(len(analysis.metrics)),
        "events": int(analysis.metrics["events"].sum()),
        "as_of": f"{pd.Timestamp(analysis.metrics['month'].max() if analysis.as_of is None else analysis.as_of):%Y-%m}",
        **{f"share_{s}": round(float(counts.get(s, 0)) / len(a), 4) for s in STATUSES},
        "needing_services": int(len(needy)),
        "value_at_risk_usd": round(float(needy["value_at_risk_usd"].sum()), 2),
        "contract_value_live_usd": round(float(live["contract_value_usd"].sum()), 2),
        "contract_value_churned_usd": round(float(a.loc[a["status"] == "churned", "contract_value_usd"].sum()), 2),
        "top_customer": str(top["customer"]) if top is not None else "",
        "top_next_feature": str(top["next_feature"]) if top is not None and top["next_feature"] else "",
        "kpi_healthy": mean(healthy_kpi),
        "kpi_needs_services": mean(needy_kpi),
    }


def status_by_pattern(assessed: pd.DataFrame, patterns: pd.Series) -> pd.DataFrame:
    """How the statuses fall across the generator's hidden patterns (a check of the rules, for teaching).

    Parameters
    ----------
    patterns : pandas.Series
        Pattern per customer id (index: customer_id), e.g.
        ``telemetry.customers.set_index("customer_id")["pattern"]``. Real
        telemetry has no such label: use this only on generated cohorts.

    Returns
    -------
    pandas.DataFrame
        One row per pattern: customers per status, and ``flagged``, the share
        behind, at risk or churned.
    """
    table = pd.crosstab(assessed["customer_id"].map(patterns).rename("pattern"),
                        pd.Categorical(assessed["status"].astype(str), categories=list(STATUSES)), dropna=False)
    table.columns = [str(c) for c in table.columns]
    flagged = table[["behind", "at_risk", "churned"]].sum(axis=1) / table.sum(axis=1)
    return table.assign(flagged=flagged.round(4)).reset_index()
