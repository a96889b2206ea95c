"""Usage telemetry of a SaaS supplier's customers: a seeded generator, and readers that check the schema.

Telemetry comes as six tables, one per question a supplier asks of its data
(the four metric families of TSIA's consumption analytics, plus two catalogs):

============  ==========================================  =================
table         one row per                                 family
============  ==========================================  =================
customers     customer (id, name, segment)                --
features      feature of the offer (id, name, tier)       --
contracts     customer and month under contract           purchase
users         user seat switched on (its activation day)  deployment
events        use of one feature by one user on one day   consumption
outcomes      customer and month: KPI attainment          outcome
============  ==========================================  =================

:func:`generate` makes all six from a seed, vectorized with numpy, so that ten
million events take seconds. Customers follow one of three behaviour patterns
(the generator's hidden truth, kept in ``customers.pattern`` for teaching and
tests; the analytics never read it):

* ``land_expand`` — *land small, then expand*: licenses a fifth to a third of
  its eventual users, deploys them at once, adopts fast and broadly, and buys
  more seats whenever active users fill 85 % of the licence.
* ``steady`` — licenses most seats up front, deploys nine in ten, settles at
  about seven active users in ten seats and half of the features.
* ``stall_churn`` — *stall and churn*: licenses big, deploys half, peaks at about
  a third of seats active in its third month, then fades by 15 % a month and
  cancels 5 to 9 months after land.

**Hidden value model (outcome).** Each customer agreed a business KPI target
(for instance fewer days to close its books) and reports each month the share
of that target it reached, ``kpi_attainment``. The generator draws it as::

    kpi_attainment[t] = value_factor * (0.6 * adoption[t-1] + 0.4 * breadth[t-1]) / 0.72 + noise

where ``adoption`` is the planned share of licensed seats in use, ``breadth``
the planned share of features in use, both one month earlier (value follows
use with a lag; the land month reports 0), ``value_factor`` a hidden
per-customer draw from U(0.8, 1.2) and ``noise`` normal with sd 0.03; the
result is clipped to 0..1.5. The 0.72 is the use of the default best-practice
path at full adoption (0.6 * 0.8 + 0.4 * 0.6), so a customer on that path
reaches its target (1.0) one month after it gets there, give or take its value
factor. These numbers are the kit's own assumptions; the sources name the
outcome family, not a model of it.

Examples
--------
>>> t = generate(customers=4, months=6, seed=1)
>>> sorted(t.tables())
['contracts', 'customers', 'events', 'features', 'outcomes', 'users']
>>> bool(t.customers["pattern"].isin(PATTERNS).all())
True
>>> generate(customers=4, months=6, seed=1).events.equals(t.events)
True
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .. import checks
from ..errors import B4BError

PATTERNS = ("land_expand", "steady", "stall_churn")
PATTERN_NAMES = {"land_expand": "land small, then expand", "steady": "steady",
                 "stall_churn": "stall and churn"}
DEFAULT_MIX = (0.4, 0.35, 0.25)

# A fictional CRM offer, core features first: the order most customers adopt them in.
FEATURES = (
    ("contacts", "Contacts and accounts", "core"),
    ("opportunities", "Opportunity tracking", "core"),
    ("activities", "Activities and tasks", "core"),
    ("email_sync", "Email and calendar sync", "core"),
    ("reports", "Reports", "standard"),
    ("dashboards", "Dashboards", "standard"),
    ("mobile", "Mobile app", "standard"),
    ("quotes", "Quotes", "standard"),
    ("forecasting", "Sales forecasting", "advanced"),
    ("workflow", "Workflow automation", "advanced"),
    ("territories", "Territory management", "advanced"),
    ("lead_scoring", "Predictive lead scoring", "advanced"),
)
SEGMENTS = ("Manufacturing", "Retail", "Healthcare", "Financial services", "Logistics", "Public sector")
_NAME_A = ("Alder", "Birch", "Cedar", "Delta", "Elm", "Fjord", "Granite", "Harbor", "Iris", "Juniper",
           "Kestrel", "Linden", "Maple", "Nordic", "Oak", "Pine", "Quarry", "Ridge", "Summit", "Tundra")
_NAME_B = ("Logistics", "Health", "Foods", "Bank", "Motors", "Retail", "Energy", "Labs", "Media", "Works")

# Planned behaviour per pattern (see the module docstring). Shares are of licensed seats.
_KPI_NORM = 0.6 * 0.8 + 0.4 * 0.6  # use at full default best-practice adoption


@dataclass(frozen=True, eq=False)
class Telemetry:
    """The six telemetry tables of one supplier (pandas DataFrames; see the module docstring).

    ``start`` is the first calendar month covered and ``months`` how many.
    """

    customers: pd.DataFrame
    features: pd.DataFrame
    contracts: pd.DataFrame
    users: pd.DataFrame
    events: pd.DataFrame
    outcomes: pd.DataFrame

    def tables(self) -> dict[str, pd.DataFrame]:
        """Table name -> DataFrame, in the order of :data:`SCHEMAS`."""
        return {name: getattr(self, name) for name in SCHEMAS}

    @property
    def n_features(self) -> int:
        """How many features the offer has (the denominator of feature breadth)."""
        return len(self.features)

    def summary(self) -> dict[str, int]:
        """Row counts per table.

        Examples
        --------
        >>> generate(customers=3, months=4, seed=2).summary()["customers"]
        3
        """
        return {name: len(frame) for name, frame in self.tables().items()}


def _check_mix(mix) -> np.ndarray:
    shares = np.asarray(mix, dtype=float)
    if shares.shape != (len(PATTERNS),) or (shares < 0).any() or not np.isclose(shares.sum(), 1):
        raise B4BError(f"expected {len(PATTERNS)} shares from 0 to 1 summing to 1, got {tuple(mix)!r}",
                       where="mix", fix=f"Give the shares of {', '.join(PATTERNS)}, e.g. {DEFAULT_MIX}.")
    return shares


def customer_names(n: int) -> list[str]:
    """Made-up company names, the same for the same ``n``.

    Examples
    --------
    >>> customer_names(3)
    ['Alder Logistics', 'Birch Health', 'Cedar Foods']
    """
    out = []
    per_round = len(_NAME_A) * len(_NAME_B)
    for i in range(n):
        j = i % per_round
        # walk the diagonals so that neighbours differ in both words
        name = f"{_NAME_A[j % len(_NAME_A)]} {_NAME_B[(j + j // len(_NAME_A)) % len(_NAME_B)]}"
        out.append(name if i < per_round else f"{name} {i // per_round + 1}")
    return out


def generate(customers: int = 60, months: int = 12, seed: int = 0, *, features: int = len(FEATURES),
             mix=DEFAULT_MIX, users: float = 80.0, start: str = "2024-01") -> Telemetry:
    """Synthetic telemetry for a cohort of customers (vectorized: 10 million events in seconds).

    Parameters
    ----------
    customers : int
        Number of customers; they land (sign) in a month drawn from the first
        half of the period.
    months : int
        Calendar months covered, from ``start``.
    seed : int
        Seed of ``numpy.random.default_rng``; the same arguments give the same tables.
    features : int
        How many features of :data:`FEATURES` the offer has (2..12).
    mix : tuple of float
        Shares of the patterns ``land_expand``, ``steady``, ``stall_churn``.
    users : float
        Median number of potential users per customer (log-normal, sd 0.6 in
        logs, at least 5). Events grow in proportion: about 6,000 events per
        customer at the default 80 over 12 months, so some 1,600 customers
        make ten million events.
    start : str
        First month, ``"YYYY-MM"``.
    """
    n = checks.number(customers, "customers", low=1, high=1_000_000, integer=True, example=60)
    n_months = checks.number(months, "months", low=1, high=120, integer=True, example=12)
    n_feat = checks.number(features, "features", low=2, high=len(FEATURES), integer=True, example=len(FEATURES))
    shares = _check_mix(mix)
    if isinstance(users, bool) or not isinstance(users, (int, float)) or not 1 <= users <= 100_000:
        raise B4BError(f"expected a number from 1 to 100000, got {users!r}", where="users",
                       fix="Pass the median number of potential users per customer, e.g. users=80.")
    try:
        first = np.datetime64(start, "M")
    except ValueError:
        raise B4BError(f"{start!r} is not a month", where="start",
                       fix="Write it as 'YYYY-MM', e.g. '2024-01'.") from None
    rng = np.random.default_rng(seed)

    # --- customers ---------------------------------------------------------------------------
    pattern = rng.choice(len(PATTERNS), size=n, p=shares)
    land = rng.integers(0, max(1, (n_months + 1) // 2), size=n)
    potential = np.maximum(5, np.round(rng.lognormal(np.log(users), 0.6, size=n))).astype(np.int64)
    price = np.round(rng.uniform(600, 1200, size=n), -1)  # annual price per seat, USD
    value_factor = rng.uniform(0.8, 1.2, size=n)
    vigour = rng.uniform(0.85, 1.15, size=n)  # how far above or below its pattern a customer runs
    churn_at = rng.integers(5, 10, size=n)  # months after land when a stalling customer cancels
    first_share = np.select([pattern == 0, pattern == 1],
                            [rng.uniform(0.2, 0.33, n), rng.uniform(0.5, 0.8, n)], rng.uniform(0.6, 1.0, n))
    seats = np.maximum(1, np.round(potential * first_share)).astype(np.int64)
    # each customer adopts features in its own order: the catalog order, shuffled a little
    order = np.argsort(np.arange(n_feat) + rng.normal(0, 1.5, size=(n, n_feat)), axis=1)

    # --- month by month, all customers at once -------------------------------------------------
    shape = (n, n_months)
    S = np.zeros(shape, np.int64)   # seats licensed
    D = np.zeros(shape, np.int64)   # seats deployed
    A = np.zeros(shape)             # planned active users
    K = np.zeros(shape, np.int64)   # features in use
    lam = np.zeros(shape)           # events per active user
    kpi = np.zeros(shape)
    is_le, is_st, is_sc = pattern == 0, pattern == 1, pattern == 2
    prev_use = np.zeros(n)
    for m in range(n_months):
        t = m - land
        live = (t >= 0) & ~(is_sc & (t >= churn_at))
        tt = np.maximum(t, 0).astype(float)
        # land-and-expand: demand grows towards 90 % of the potential users; seats follow demand
        demand = potential * 0.9 * (1 - np.exp(-(tt + 1) / 4)) * vigour
        deploy_share = np.select([is_le, is_st], [np.minimum(1, 0.7 + 0.3 * tt), np.minimum(0.9, 0.5 + 0.2 * tt)],
                                 np.minimum(0.5, 0.3 + 0.1 * tt))
        deployed = np.floor(seats * deploy_share).astype(np.int64)
        active = np.select(
            [is_le, is_st],
            [np.minimum(0.95 * deployed, demand),
             seats * np.minimum(0.95, 0.72 * vigour * (1 - np.exp(-(tt + 1) / 2)))],
            seats * 0.35 * vigour * np.minimum(1, (tt + 1) / 3) * 0.85 ** np.maximum(0, tt - 2))
        active = np.minimum(active, deployed)
        breadth = np.select([is_le, is_st], [np.minimum(0.85, (0.25 + 0.08 * tt) * vigour),
                                             np.minimum(0.55, 0.25 + 0.05 * tt) * vigour],
                            np.maximum(0.1, 0.2 - 0.02 * tt))
        k = np.clip(np.round(breadth * n_feat), 1, n_feat).astype(np.int64)
        depth = np.select([is_le, is_st], [22.0, 15.0], 9.0 * 0.9 ** tt) * vigour
        use = 0.6 * active / np.maximum(seats, 1) + 0.4 * k / n_feat
        noise = rng.normal(0, 0.03, n)
        attained = np.where(t > 0, np.clip(value_factor * prev_use / _KPI_NORM + noise, 0, 1.5), 0.0)
        S[:, m] = np.where(live, seats, 0)
        D[:, m] = np.where(live, deployed, 0)
        A[:, m] = np.where(live, active, 0)
        K[:, m] = np.where(live, k, 0)
        lam[:, m] = np.where(live, depth, 0)
        kpi[:, m] = np.where(live, attained, 0)
        prev_use = np.where(live, use, 0)
        # expansion: active users fill 85 % of the licence -> half as many seats again next month
        full = live & is_le & (active >= 0.85 * seats) & (seats < potential)
        seats = np.where(full, np.minimum(potential, np.maximum(seats + 1, np.round(seats * 1.5))), seats)
        seats = seats.astype(np.int64)

    # --- users: one row per seat ever switched on ----------------------------------------------
    offsets = np.concatenate([[0], np.cumsum(potential)[:-1]])
    cust_of_user = np.repeat(np.arange(n), potential)
    rank = np.arange(potential.sum()) - np.repeat(offsets, potential)
    deployed_grid = rank[:, None] < D[cust_of_user]  # users x months
    ever = deployed_grid.any(axis=1)
    first_month = np.argmax(deployed_grid, axis=1)
    month_starts = (first + np.arange(n_months + 1)).astype("datetime64[D]")
    month_days = np.diff(month_starts).astype(np.int64)

    def day_in(months_idx: np.ndarray) -> np.ndarray:
        offset = np.floor(rng.random(months_idx.size) * month_days[months_idx]).astype(np.int64)
        return month_starts[months_idx] + offset

    users_idx = np.flatnonzero(ever)
    user_ids = (users_idx + 1).astype(np.int64)
    users_tab = pd.DataFrame({
        "customer_id": (cust_of_user[users_idx] + 1).astype(np.int64),
        "user_id": user_ids,
        "activated": day_in(first_month[users_idx]).astype("datetime64[s]"),
    })

    # --- events: deployed users are active with probability A/D, then Poisson events each ---------
    with np.errstate(invalid="ignore", divide="ignore"):
        p_active = np.where(D > 0, A / np.maximum(D, 1), 0.0)
    intensity = rng.gamma(2.0, 0.5, size=rank.size)  # some users work the tool harder than others
    act_u, act_m = np.nonzero(deployed_grid & (rng.random(deployed_grid.shape) < p_active[cust_of_user]))
    counts = rng.poisson(lam[cust_of_user[act_u], act_m] * intensity[act_u])
    # ten million rows: keep the per-event arrays narrow and few
    ev_u = np.repeat(act_u.astype(np.int32), counts)
    ev_m = np.repeat(act_m.astype(np.int16), counts)
    del act_u, act_m, counts
    ev_c = cust_of_user.astype(np.int32)[ev_u]
    # earlier features in a customer's order are used more: index = floor(k * U^1.6)
    u = rng.random(ev_u.size, dtype=np.float32)
    np.power(u, np.float32(1.6), out=u)
    u *= K[ev_c, ev_m].astype(np.float32)
    feature_codes = order.astype(np.int8)[ev_c, u.astype(np.int8)]
    rng.random(dtype=np.float32, out=u)
    u *= month_days.astype(np.float32)[ev_m]
    day = month_starts.astype(np.int64)[ev_m] + u.astype(np.int64)
    del u, ev_m
    catalog = [f[0] for f in FEATURES[:n_feat]]
    events = pd.DataFrame({
        "customer_id": ev_c.astype(np.int64) + 1,
        "user_id": ev_u.astype(np.int64) + 1,
        "feature": pd.Categorical.from_codes(feature_codes, categories=catalog),
        "date": (day * 86400).astype("datetime64[s]"),
    })
    del ev_c, ev_u, day, feature_codes

    # --- purchase and outcome tables -----------------------------------------------------------
    cm_c, cm_m = np.nonzero(S > 0)
    month_col = month_starts[cm_m].astype("datetime64[s]")
    contracts = pd.DataFrame({
        "customer_id": (cm_c + 1).astype(np.int64),
        "month": month_col,
        "seats_licensed": S[cm_c, cm_m],
        "contract_value_usd": (S[cm_c, cm_m] * price[cm_c]).astype(float),
    })
    outcomes = pd.DataFrame({
        "customer_id": (cm_c + 1).astype(np.int64),
        "month": month_col,
        "kpi_attainment": np.round(kpi[cm_c, cm_m], 3),
    })
    customers_tab = pd.DataFrame({
        "customer_id": np.arange(1, n + 1, dtype=np.int64),
        "customer": customer_names(n),
        "segment": [SEGMENTS[i] for i in rng.integers(0, len(SEGMENTS), size=n)],
        "pattern": [PATTERNS[p] for p in pattern],
        "potential_users": potential,
    })
    features_tab = pd.DataFrame({
        "feature": catalog,
        "name": [f[1] for f in FEATURES[:n_feat]],
        "tier": [f[2] for f in FEATURES[:n_feat]],
    })
    return Telemetry(customers_tab, features_tab, contracts, users_tab, events, outcomes)


# --- reading and writing ---------------------------------------------------------------------------

# Required columns per table and their kind; other columns are kept as they are.
SCHEMAS: dict[str, dict[str, str]] = {
    "customers": {"customer_id": "integer", "customer": "text"},
    "features": {"feature": "text", "name": "text"},
    "contracts": {"customer_id": "integer", "month": "date", "seats_licensed": "integer",
                  "contract_value_usd": "number"},
    "users": {"customer_id": "integer", "user_id": "integer", "activated": "date"},
    "events": {"customer_id": "integer", "user_id": "integer", "feature": "text", "date": "date"},
    "outcomes": {"customer_id": "integer", "month": "date", "kpi_attainment": "number"},
}
_INTEGER = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER",
            "UBIGINT"}
_KINDS = {
    "integer": _INTEGER,
    "number": _INTEGER | {"FLOAT", "DOUBLE", "DECIMAL"},
    "text": {"VARCHAR", "ENUM"},
    "date": {"DATE", "TIMESTAMP", "TIMESTAMP_S", "TIMESTAMP_MS", "TIMESTAMP_NS", "TIMESTAMP WITH TIME ZONE"},
}
_CAST = {"integer": "BIGINT", "number": "DOUBLE", "text": "VARCHAR", "date": "DATE"}
_FORMATS = (".parquet", ".csv")


def _base_type(duck_type) -> str:
    text = str(duck_type).upper()
    return text.split("(", 1)[0].strip()


def _sql_path(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def connect():
    """A DuckDB connection for the kit: in memory, no progress bar (it would print into notebooks)."""
    import duckdb

    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    return con


def _first_row(con, sql: str):
    """The first row of a query, or None (``fetchall``: DuckDB 2 keeps no half-read results)."""
    rows = con.execute(sql).fetchall()
    return rows[0] if rows else None


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def checked_view(con, path: str | Path, table: str, view: str | None = None) -> str:
    """Create a DuckDB view over one telemetry file after checking its columns and types; return its name.

    The view casts the required columns to BIGINT, DOUBLE, VARCHAR or
    TIMESTAMP and keeps any others. Nothing is loaded into pandas, so an
    aggregation over the view streams the file (see
    :func:`b4b_kit.consumption_analytics.model.monthly_metrics`).

    Raises
    ------
    B4BError
        For a missing file, an unknown table, a missing column, a value of the
        wrong type or an empty value, naming the file and the column.
    """
    import duckdb

    if table not in SCHEMAS:
        raise B4BError(f"unknown telemetry table {table!r}", where="table",
                       fix=f"Use one of {', '.join(SCHEMAS)}.")
    target = Path(path)
    if not target.is_file():
        raise B4BError("file not found", where=str(target), fix="Check the path.")
    if target.suffix.lower() not in _FORMATS:
        raise B4BError(f"cannot read {target.suffix or 'a file without suffix'}", where=str(target),
                       fix="Save the table as .parquet or .csv.")
    source = (f"read_parquet({_sql_path(target)})" if target.suffix.lower() == ".parquet"
              else f"read_csv({_sql_path(target)}, header = true)")
    try:
        rel = con.sql(f"SELECT * FROM {source}")
        columns, types = rel.columns, [_base_type(t) for t in rel.types]
    except duckdb.Error as exc:
        raise B4BError(f"not a readable {target.suffix[1:]} file ({str(exc).splitlines()[0]})",
                       where=str(target), fix="Write the table as Parquet, or as CSV with a header row.") from None
    schema = SCHEMAS[table]
    missing = [c for c in schema if c not in columns]
    if missing:
        raise B4BError(f"missing column(s) {', '.join(missing)}", where=f"{target}, column {missing[0]!r}",
                       fix=f"The {table} table needs the columns {', '.join(schema)}.")
    kinds = dict(zip(columns, types))
    for column, kind in schema.items():
        if kinds[column] not in _KINDS[kind]:
            q = _quote(column)
            bad = _first_row(con, f"SELECT r, v FROM (SELECT row_number() OVER () AS r, {q} AS v FROM {source}) "
                                  f"WHERE v IS NOT NULL AND TRY_CAST(v AS {_CAST[kind]}) IS NULL ORDER BY r LIMIT 1")
            found = f"{bad[1]!r} in data row {bad[0]}" if bad else f"type {kinds[column]}"
            if kind == "integer" and kinds[column] in _KINDS["number"]:
                found = f"numbers with decimals (type {kinds[column]})"
            raise B4BError(f"expected {kind} values, found {found}", where=f"{target}, column {column!r}",
                           fix=f"Write the {column} column as {_describe_kind(kind)}.")
    blanks = _first_row(con, "SELECT " + ", ".join(f"count(*) - count({_quote(c)})" for c in schema)
                        + f" FROM {source}")
    for column, blank in zip(schema, blanks):
        if blank:
            row = _first_row(con, f"SELECT r FROM (SELECT row_number() OVER () AS r, {_quote(column)} AS v "
                                  f"FROM {source}) WHERE v IS NULL ORDER BY r LIMIT 1")[0]
            raise B4BError(f"{blank} empty value(s), the first in data row {row}", where=f"{target}, column {column!r}",
                           fix="Fill in every value of the required columns.")
    select = [f"CAST({_quote(c)} AS {'TIMESTAMP' if k == 'date' else _CAST[k]}) AS {_quote(c)}"
              for c, k in schema.items()]
    select += [_quote(c) for c in columns if c not in schema]
    name = view or table
    con.execute(f"CREATE OR REPLACE TEMP VIEW {_quote(name)} AS SELECT {', '.join(select)} FROM {source}")
    return name


def read_table(path: str | Path, table: str) -> pd.DataFrame:
    """Read one telemetry table from Parquet or CSV, checking its columns and their types.

    Parameters
    ----------
    path : str or Path
        A ``.parquet`` or ``.csv`` file.
    table : str
        Which table it is, one of :data:`SCHEMAS` (``"events"``, ``"contracts"`` ...).

    Returns
    -------
    pandas.DataFrame
        The required columns first, as int64, float64, datetime64 or text (the
        events' ``feature`` as a categorical, which keeps ten million rows
        small), then any other columns as they were.

    Raises
    ------
    B4BError
        For a missing file, an unknown table, a missing column or a value of the
        wrong type, naming the file and the column.
    """
    con = connect()
    view = _quote(checked_view(con, path, table))
    if table == "events":
        # an ENUM reaches pandas as a categorical: no ten million Python strings on the way
        con.execute(f"CREATE TYPE feature_enum AS ENUM (SELECT DISTINCT feature FROM {view} ORDER BY 1)")
        columns = ", ".join("CAST(feature AS feature_enum) AS feature" if c == "feature" else _quote(c)
                            for c in con.sql(f"SELECT * FROM {view}").columns)
        return con.sql(f"SELECT {columns} FROM {view}").df()
    frame = con.sql(f"SELECT * FROM {view}").df()
    for column, kind in SCHEMAS[table].items():
        if kind == "text":
            frame[column] = frame[column].astype(str)
    return frame


def _describe_kind(kind: str) -> str:
    return {"integer": "whole numbers", "number": "plain numbers", "text": "text",
            "date": "dates (YYYY-MM-DD)"}[kind]


def read_telemetry(directory: str | Path) -> Telemetry:
    """Read the six tables from ``directory/<table>.parquet`` (or ``.csv``), checking each.

    Raises
    ------
    B4BError
        For a missing table file, or any problem :func:`read_table` finds.
    """
    return Telemetry(**{table: read_table(path, table) for table, path in table_files(directory).items()})


def table_files(directory: str | Path) -> dict[str, Path]:
    """The file of each table in a telemetry folder: ``<table>.parquet``, else ``<table>.csv``."""
    folder = Path(directory)
    if not folder.is_dir():
        raise B4BError("no such folder", where=str(folder), fix="Give the folder that holds the telemetry files.")
    files = {}
    for table in SCHEMAS:
        found = [folder / f"{table}{suffix}" for suffix in _FORMATS if (folder / f"{table}{suffix}").is_file()]
        if not found:
            raise B4BError(f"no {table}.parquet or {table}.csv", where=str(folder),
                           fix=f"A telemetry folder holds one file per table: {', '.join(SCHEMAS)}.")
        files[table] = found[0]
    return files


def write_telemetry(telemetry: Telemetry, directory: str | Path, format: str = "parquet") -> dict[str, Path]:
    """Write the six tables to ``directory`` as Parquet (through DuckDB, no pyarrow needed) or CSV.

    Returns
    -------
    dict
        Table name -> path written.
    """
    if format not in ("parquet", "csv"):
        raise B4BError(f"unknown format {format!r}", where="format", fix="Use 'parquet' or 'csv'.")
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    con = connect()
    written = {}
    for name, frame in telemetry.tables().items():
        target = folder / f"{name}.{format}"
        con.register("frame", frame)
        # dates are days: written as DATE, they read back as 2024-03-12 rather than 2024-03-12 00:00:00
        columns = ", ".join(f"CAST({_quote(c)} AS DATE) AS {_quote(c)}"
                            if pd.api.types.is_datetime64_any_dtype(frame[c]) else _quote(c) for c in frame.columns)
        option = "(FORMAT parquet)" if format == "parquet" else "(FORMAT csv, HEADER true)"
        con.execute(f"COPY (SELECT {columns} FROM frame) TO {_sql_path(target)} {option}")
        con.unregister("frame")
        written[name] = target
    return written


_PANDAS_KINDS = {
    "integer": lambda s: pd.api.types.is_integer_dtype(s) and not pd.api.types.is_bool_dtype(s),
    "number": lambda s: pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s),
    "text": lambda s: (pd.api.types.is_string_dtype(s) or pd.api.types.is_object_dtype(s)
                       or isinstance(s.dtype, pd.CategoricalDtype)),
    "date": lambda s: pd.api.types.is_datetime64_any_dtype(s),
}


def check_table(frame: pd.DataFrame, table: str) -> None:
    """Check an in-memory telemetry table: required columns present, of the right kind, with no blanks.

    Examples
    --------
    >>> import pandas as pd
    >>> check_table(pd.DataFrame({"customer_id": [1], "customer": ["Acme"]}), "customers")
    >>> try:
    ...     check_table(pd.DataFrame({"customer_id": ["one"], "customer": ["Acme"]}), "customers")
    ... except B4BError as problem:
    ...     print(problem.where, "|", problem.what)
    customers table, column 'customer_id' | expected integer values, found dtype str
    """
    if table not in SCHEMAS:
        raise B4BError(f"unknown telemetry table {table!r}", where="table", fix=f"Use one of {', '.join(SCHEMAS)}.")
    if not isinstance(frame, pd.DataFrame):
        raise B4BError(f"expected a pandas DataFrame, got {type(frame).__name__}", where=f"{table} table",
                       fix="Read the table with b4b_kit.consumption_analytics.telemetry.read_table.")
    schema = SCHEMAS[table]
    missing = [c for c in schema if c not in frame.columns]
    if missing:
        raise B4BError(f"missing column(s) {', '.join(missing)}", where=f"{table} table, column {missing[0]!r}",
                       fix=f"The {table} table needs the columns {', '.join(schema)}.")
    for column, kind in schema.items():
        series = frame[column]
        if not _PANDAS_KINDS[kind](series):
            raise B4BError(f"expected {kind} values, found dtype {series.dtype}",
                           where=f"{table} table, column {column!r}",
                           fix=f"Write the {column} column as {_describe_kind(kind)}.")
        blank = int(series.isna().sum())
        if blank:
            raise B4BError(f"{blank} empty value(s)", where=f"{table} table, column {column!r}",
                           fix="Fill in every value of the required columns.")
