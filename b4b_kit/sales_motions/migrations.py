"""The great migrations: product-markets moving between supplier levels 1-4 year by year.

"And, not or" (B4B ch. 4): a supplier plays several levels at once, one per
product-market, so the unit that migrates is a *product-market*, not a whole
supplier. A 4 x 4 *transition matrix* P holds, in row i and column j, the
yearly probability that a product-market served at level i+1 is served at
level j+1 a year later; every row sums to 1. Shares per level move as
``shares[t + 1] = shares[t] @ P``, so after t years they are ``shares[0] @ P**t``
(a Markov chain). The agent versions move each product-market by its own
seeded draw; :func:`simulate_portfolios` gives each supplier several
product-markets and counts the levels it plays at.

The default scenario, :data:`GREAT_MIGRATIONS`, follows the directions of the
chapter's migrations: product-markets of basic products are dragged from
Level 1 to Level 2 as the products gain software, while many stay at Level 1,
which remains right for simple products; Level 2 product-markets move on to
Level 3, the big thing for the next several years; some Level 3
product-markets become Level 4 outcome platforms, slowly. The chapter gives
directions, not rates, and the kit adds two readings of its own: there is no
direct move from Level 2 to Level 4 (the chapter's Level 4 builds on what
suppliers learn at Level 3), and Level 4 is not a one-way door (a few outcome
offers, such as all-in bundles that do not pay, go back to Level 3 service
offers).

Examples
--------
Everyone moves up one level a year and stays at Level 4:

>>> up = [[0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1], [0, 0, 0, 1]]
>>> shares_after(up, [0.25, 0.25, 0.25, 0.25], 1).tolist()
[0.0, 0.25, 0.25, 0.5]
"""

from __future__ import annotations

import numbers

import numpy as np

from ..errors import B4BError

LEVELS = (1, 2, 3, 4)
TOLERANCE = 1e-9

# Rows: from level 1..4; columns: to level 1..4, for product-markets (the kit's reading of Figure 4.8's
# directions; the rates are the kit's own).
GREAT_MIGRATIONS = np.array([
    [0.93, 0.07, 0.00, 0.00],  # Level 1: some dragged to Level 2 as products gain software; many stay right
    [0.00, 0.80, 0.20, 0.00],  # Level 2: runs to Level 3 (no direct jump to Level 4: the kit's reading)
    [0.00, 0.00, 0.96, 0.04],  # Level 3: the big action; Level 4 platforms take many years
    [0.00, 0.00, 0.05, 0.95],  # Level 4: mostly stays; a few outcome offers go back to Level 3 (the kit's reading)
])
GREAT_MIGRATIONS.setflags(write=False)
START_SHARES = (0.35, 0.40, 0.20, 0.05)  # the kit's reading: most product-markets at levels 1-2 today


def check_matrix(matrix) -> np.ndarray:
    """The transition matrix as a 4 x 4 float array, or a B4BError naming the bad row or entry.

    Examples
    --------
    >>> check_matrix([[0.5, 0.4, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]])
    Traceback (most recent call last):
    ...
    b4b_kit.errors.B4BError: transition matrix, row 1 (from level 1): sums to 0.9, not 1. Each row holds ...
    """
    try:
        p = np.array(matrix, dtype=float)
    except (TypeError, ValueError):
        raise B4BError(f"expected a 4 x 4 table of numbers, got {matrix!r}", where="transition matrix",
                       fix="Give four rows of four probabilities, one row per level.") from None
    if p.shape != (4, 4):
        raise B4BError(f"expected 4 rows of 4 entries, got shape {p.shape}", where="transition matrix",
                       fix="Give one row per level (from) and one column per level (to).")
    bad = ~np.isfinite(p) | (p < 0) | (p > 1)
    if bad.any():
        i, j = map(int, np.argwhere(bad)[0])
        raise B4BError(f"entry {p[i, j]!r} is not a probability from 0 to 1",
                       where=f"transition matrix, row {i + 1} (from level {i + 1}), column {j + 1} (to level {j + 1})",
                       fix="Every entry is the yearly chance of a move: keep it within 0..1.")
    sums = p.sum(axis=1)
    off = np.abs(sums - 1) > TOLERANCE
    if off.any():
        i = int(np.argmax(off))
        raise B4BError(f"sums to {sums[i]:.6g}, not 1", where=f"transition matrix, row {i + 1} (from level {i + 1})",
                       fix="Each row holds where the product-markets of one level are a year later: "
                           "make its entries add up to 1.")
    return p


def check_shares(shares) -> np.ndarray:
    """Starting shares per level (4 numbers, 0-1, summing to 1) as a float array.

    Examples
    --------
    >>> check_shares([0.5, 0.5, 0, 0]).tolist()
    [0.5, 0.5, 0.0, 0.0]
    """
    try:
        s = np.array(shares, dtype=float)
    except (TypeError, ValueError):
        raise B4BError(f"expected 4 shares, got {shares!r}", where="start shares",
                       fix="Give the share of product-markets at levels 1, 2, 3 and 4, e.g. [0.35, 0.4, 0.2, 0.05].",
                       ) from None
    if s.shape != (4,):
        raise B4BError(f"expected 4 shares, one per level, got shape {s.shape}", where="start shares",
                       fix="Give the share of product-markets at levels 1, 2, 3 and 4.")
    if (~np.isfinite(s) | (s < 0) | (s > 1)).any():
        raise B4BError(f"shares must lie within 0..1, got {s.tolist()}", where="start shares",
                       fix="Give each level's share as a fraction, e.g. 0.35.")
    if abs(s.sum() - 1) > TOLERANCE:
        raise B4BError(f"shares sum to {s.sum():.6g}, not 1", where="start shares",
                       fix="Every product-market is served at some level: make the four shares add up to 1.")
    return s


def _years(years) -> int:
    if isinstance(years, bool) or not isinstance(years, numbers.Integral) or years < 0:
        raise B4BError(f"expected a whole number of years of at least 0, got {years!r}", where="years",
                       fix="Give e.g. years=10.")
    return int(years)


def shares_after(matrix, start, years: int) -> np.ndarray:
    """Shares per level after ``years`` years, by matrix power: ``start @ P**years``."""
    return check_shares(start) @ np.linalg.matrix_power(check_matrix(matrix), _years(years))


def _frame(shares: np.ndarray, value: str = "share", extra: dict | None = None):
    import pandas as pd

    from ..frameworks import get

    names = {lv.number: lv.name for lv in get("supplier_levels").levels}
    years, levels = np.meshgrid(np.arange(shares.shape[0]), np.array(LEVELS), indexing="ij")
    frame = pd.DataFrame({
        "year": years.ravel(),
        "level": levels.ravel(),
        "level_name": [f"{n} {names[n]}" for n in levels.ravel()],
        value: shares.ravel(),
    })
    for name, arr in (extra or {}).items():
        frame[name] = arr.ravel()
    return frame


def share_path(matrix=GREAT_MIGRATIONS, start=START_SHARES, years: int = 10):
    """Shares per level for years 0..``years``, step by step (one row per year and level).

    Returns
    -------
    pandas.DataFrame
        ``year``, ``level``, ``level_name`` and ``share``.

    Examples
    --------
    >>> t = share_path(np.eye(4), [0.1, 0.2, 0.3, 0.4], years=2)
    >>> t[t.year == 2]["share"].round(6).tolist()
    [0.1, 0.2, 0.3, 0.4]
    """
    p, s, n = check_matrix(matrix), check_shares(start), _years(years)
    out = np.empty((n + 1, 4))
    out[0] = s
    for t in range(n):
        out[t + 1] = out[t] @ p
    return _frame(out)


def _counts(start: np.ndarray, suppliers: int) -> np.ndarray:
    """Whole suppliers per level closest to the shares (largest remainders get the leftovers)."""
    raw = start * suppliers
    counts = np.floor(raw).astype(int)
    order = np.argsort(-(raw - counts), kind="stable")
    counts[order[: suppliers - counts.sum()]] += 1
    return counts


def simulate_suppliers(matrix=GREAT_MIGRATIONS, start=START_SHARES, suppliers: int = 1000, years: int = 10,
                       seed: int = 0):
    """Agent version: each supplier moves by its own draw from its level's row (seeded).

    The starting counts are the start shares times ``suppliers``, rounded to
    whole suppliers. Same seed, same result.

    Returns
    -------
    pandas.DataFrame
        ``year``, ``level``, ``level_name``, ``share`` and ``suppliers`` (count).

    Examples
    --------
    >>> up = [[0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1], [0, 0, 0, 1]]
    >>> t = simulate_suppliers(up, [1, 0, 0, 0], suppliers=10, years=2)
    >>> t[t.year == 2]["suppliers"].tolist()
    [0, 0, 10, 0]
    """
    p, s, n = check_matrix(matrix), check_shares(start), _years(years)
    if isinstance(suppliers, bool) or not isinstance(suppliers, numbers.Integral) or suppliers < 1:
        raise B4BError(f"expected a whole number of at least 1, got {suppliers!r}", where="suppliers",
                       fix="Give e.g. suppliers=1000.")
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise B4BError(f"expected a whole number of at least 0, got {seed!r}", where="seed", fix="Give e.g. seed=0.")
    rng = np.random.default_rng(seed)
    level = np.repeat(np.arange(4), _counts(s, int(suppliers)))
    cumulative = np.cumsum(p, axis=1)
    counts = np.empty((n + 1, 4), dtype=int)
    counts[0] = np.bincount(level, minlength=4)
    for t in range(n):
        u = rng.random(level.size)
        # the first column whose cumulative probability exceeds the draw; clip guards rows summing to 1 - 1e-12
        level = np.minimum((u[:, None] >= cumulative[level]).sum(axis=1), 3)
        counts[t + 1] = np.bincount(level, minlength=4)
    return _frame(counts / int(suppliers), extra={"suppliers": counts})


def expected_stay(matrix=GREAT_MIGRATIONS) -> np.ndarray:
    """Mean years a product-market stays at a level before it moves: 1 / (1 − P[i, i]); inf if it never moves.

    Examples
    --------
    >>> expected_stay(GREAT_MIGRATIONS).round(2).tolist()
    [14.29, 5.0, 25.0, 20.0]
    """
    stay = np.diag(check_matrix(matrix))
    with np.errstate(divide="ignore"):
        return np.where(stay < 1, 1 / (1 - stay), np.inf)


def migration_figures(path) -> dict[str, float]:
    """Shares at the start and the end of a :func:`share_path` (or agent) table, rounded to 4 places.

    Examples
    --------
    >>> f = migration_figures(share_path(years=0))
    >>> f["share_levels_1_2_start"], f["share_levels_1_2_end"]
    (0.75, 0.75)
    """
    first = path[path["year"] == path["year"].min()].set_index("level")["share"]
    last = path[path["year"] == path["year"].max()].set_index("level")["share"]
    out = {f"share_level_{n}_end": round(float(last[n]), 4) for n in LEVELS}
    out["share_levels_1_2_start"] = round(float(first[1] + first[2]), 4)
    out["share_levels_1_2_end"] = round(float(last[1] + last[2]), 4)
    return out


def simulate_portfolios(matrix=GREAT_MIGRATIONS, start=START_SHARES, suppliers: int = 200, markets: int = 6,
                        years: int = 10, seed: int = 0):
    """Suppliers with several product-markets each, every product-market migrating on its own ("and, not or").

    Each of ``suppliers`` suppliers starts with ``markets`` product-markets
    whose levels are drawn from ``start``; every year each product-market moves
    by its own draw from its level's row of ``matrix``. Same seed, same result.

    Returns
    -------
    pandas.DataFrame
        One row per year: ``year``, ``share_level_1`` .. ``share_level_4`` (of all
        product-markets), ``levels_per_supplier`` (mean number of different levels a
        supplier plays at) and ``single_level_share`` (share of suppliers at one level only).

    Examples
    --------
    Nobody moves, and every supplier keeps its mix:

    >>> t = simulate_portfolios(np.eye(4), [0.5, 0.5, 0, 0], suppliers=50, markets=4, years=2, seed=1)
    >>> t["levels_per_supplier"].nunique(), round(float(t["share_level_1"].iloc[0] + t["share_level_2"].iloc[0]), 6)
    (1, 1.0)
    """
    import pandas as pd

    p, s, n = check_matrix(matrix), check_shares(start), _years(years)
    for name, value, example in (("suppliers", suppliers, 200), ("markets", markets, 6)):
        if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
            raise B4BError(f"expected a whole number of at least 1, got {value!r}", where=name,
                           fix=f"Give e.g. {name}={example}.")
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise B4BError(f"expected a whole number of at least 0, got {seed!r}", where="seed", fix="Give e.g. seed=0.")
    rng = np.random.default_rng(seed)
    level = rng.choice(4, size=(int(suppliers), int(markets)), p=s)
    cumulative = np.cumsum(p, axis=1)
    rows = []
    for t in range(n + 1):
        if t:
            u = rng.random(level.shape)
            level = np.minimum((u[..., None] >= cumulative[level]).sum(axis=-1), 3)
        present = np.stack([(level == k).any(axis=1) for k in range(4)], axis=1)
        in_play = present.sum(axis=1)
        rows.append({"year": t, **{f"share_level_{k + 1}": float((level == k).mean()) for k in range(4)},
                     "levels_per_supplier": float(in_play.mean()), "single_level_share": float((in_play == 1).mean())})
    return pd.DataFrame(rows)
