"""The services portfolio: classify a service catalogue, follow its mix over the years, find overlaps.

**Classification.** Each category of the ``services_portfolio`` framework
(support, education, professional, field and managed services; operational and
adoption services; outcome as a service) carries *signals* in the framework
file: for each attribute of a service, the values that point at that category,
e.g. ``acts_on: [operations]``. The rules live in the file, not here. A
service's *score* for a category is the number of its attributes whose value is
one of that category's signals. The category with the highest score wins.
Two cases are flagged ``uncertain`` instead of guessed:

* **no match** — no attribute value is a signal of any category;
* **tie** — two or more categories share the highest score.

Values are compared after lower-casing and turning spaces and hyphens into
underscores (``"Time and materials"`` matches ``time_and_materials``). An empty
value or ``unknown`` means *not stated*: it matches nothing and the explanation
says so.

**Mix.** Revenue per service and year, summed by portfolio (traditional,
optimize, outcome, uncertain) or by category, as a share of each year's total.
The *left-to-right shift* is the growth of the optimize and outcome share.

**Overlap.** Offers of one supplier that serve the *same need* but are sold by
different legacy service lines (the ``legacy_line`` column: the organisation
that sells the offer). "Same need" is equality of the ``need`` column by
default, or of any columns you name, e.g. ``on=["acts_on", "paid_for"]``.

Examples
--------
>>> import pandas as pd
>>> catalogue = pd.DataFrame({
...     "name": ["Help desk", "Usage analytics", "Expert days"],
...     "acts_on": ["asset", "adoption", "asset"],
...     "paid_for": ["asset_contract", "usage", "time_and_materials"],
...     "activity": ["troubleshoot", "analyse_usage", ""]})
>>> classify(catalogue)[["category", "uncertain", "signals_matched"]].values.tolist()
[['support_services', False, 3], ['adoption_services', False, 3], ['uncertain', True, 2]]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .. import checks
from ..errors import B4BError
from ..frameworks import Framework

FRAMEWORK = "services_portfolio"
UNCERTAIN = "uncertain"
UNCERTAIN_NAME = "Uncertain"
NOT_STATED = frozenset({"", "unknown", "nan", "none", "<na>", "nat"})
TRADITIONAL = "traditional_services"
NEW_PORTFOLIOS = ("optimize_services", "outcome_services")
OUTPUT_COLUMNS = ("category", "category_name", "portfolio", "uncertain", "signals_matched", "candidates",
                  "explanation")
REVENUE_COLUMNS = ("service_id", "year", "revenue_musd")


# --------------------------------------------------------------------------- rules from the framework file


def normalise(value: object) -> str:
    """A value as the classifier compares it: text, lower case, underscores; '' when not stated."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    text = str(value).strip().lower().replace("-", "_").replace(" ", "_")
    return "" if text in NOT_STATED else text


@dataclass(frozen=True)
class SignalRules:
    """The classification rules read from a framework file's ``signals``.

    ``signals[j][attribute]`` is the set of values that point at ``categories[j]``.
    """

    framework_id: str
    source: str
    attributes: tuple[str, ...]
    categories: tuple[str, ...]
    names: tuple[str, ...]
    portfolios: tuple[str, ...]
    portfolio_names: dict[str, str] = field(hash=False)
    signals: tuple[dict[str, frozenset[str]], ...] = field(hash=False)

    def index(self, category: str) -> int:
        """The position of a category in the file's order."""
        return self.categories.index(category)


def rules(fw: Framework | str | Path | None = None) -> SignalRules:
    """Read the classification rules (the elements' ``signals``) from a framework.

    Raises
    ------
    B4BError
        When no element of the framework carries signals.

    Examples
    --------
    >>> r = rules()
    >>> r.attributes
    ('acts_on', 'paid_for', 'activity')
    >>> sorted(r.signals[r.index("operational_services")]["acts_on"])
    ['operations']
    """
    fw = checks.framework(fw, default=FRAMEWORK)
    attributes: list[str] = []
    categories, names, portfolios, signals = [], [], [], []
    for group in fw.groups:
        for el in group.elements:
            if not el.signals:
                continue
            for attribute in el.signals:
                if attribute not in attributes:
                    attributes.append(attribute)
            categories.append(el.id)
            names.append(el.name)
            portfolios.append(group.id)
            signals.append({a: frozenset(normalise(v) for v in values) for a, values in el.signals.items()})
    if not categories:
        raise B4BError("the framework has no classification signals", where=fw.path or fw.id,
                       fix="Give its elements a 'signals:' mapping, e.g. signals: {acts_on: [operations], "
                           "paid_for: [availability]} (see b4b_kit.services_portfolio.model).")
    return SignalRules(fw.id, fw.path, tuple(attributes), tuple(categories), tuple(names), tuple(portfolios),
                 {g.id: g.name for g in fw.groups}, tuple(signals))


def signal_table(fw: Framework | str | Path | None = None):
    """The rules as a table: one row per category, one column per attribute (its signal values).

    Examples
    --------
    >>> t = signal_table()
    >>> t.set_index("category").loc["adoption_services", "paid_for"]
    'usage'
    """
    import pandas as pd

    r = rules(fw)
    rows = []
    for j, category in enumerate(r.categories):
        row = {"portfolio": r.portfolio_names[r.portfolios[j]], "category": category, "name": r.names[j]}
        for a in r.attributes:
            row[a] = ", ".join(sorted(r.signals[j].get(a, ()))) or "—"
        rows.append(row)
    return pd.DataFrame(rows)


def vocabulary(fw: Framework | str | Path | None = None) -> dict[str, tuple[str, ...]]:
    """Every signal value per attribute, sorted: the words the classifier knows.

    Examples
    --------
    >>> vocabulary()["acts_on"]
    ('adoption', 'asset', 'operations', 'outcome')
    """
    r = rules(fw)
    return {a: tuple(sorted(set().union(*(s.get(a, frozenset()) for s in r.signals)))) for a in r.attributes}


# --------------------------------------------------------------------------- one service


@dataclass(frozen=True)
class Classification:
    """The verdict on one service, with the signals behind it.

    ``category`` is an element id of the framework, or ``"uncertain"``;
    ``scores`` holds the number of matched signals per category, in file order.
    """

    category: str
    category_name: str
    portfolio: str
    uncertain: bool
    signals_matched: int
    candidates: tuple[str, ...]
    matched: tuple[tuple[str, str], ...]
    scores: tuple[int, ...]
    explanation: str


def _listing(pairs: Iterable[tuple[str, str]]) -> str:
    return ", ".join(f"{a} = {v}" for a, v in pairs)


def _names(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _explain(r: SignalRules, values: Mapping[str, str], matched: Sequence[Sequence[str]],
             present: Sequence[str]) -> str:
    """The sentence behind a verdict: which signals matched, which did not, what was not stated."""
    scores = [len(m) for m in matched]
    best = max(scores)
    top = [j for j, s in enumerate(scores) if s == best]
    stated = [a for a in present if values[a]]
    silent = [a for a in r.attributes if not values.get(a)]
    not_stated = f" Not stated: {', '.join(silent)}." if silent else ""
    if best == 0:
        if not stated:
            return f"Uncertain: no attribute is stated ({', '.join(r.attributes)}), so no signal can match."
        return (f"Uncertain: no category's signals match ({_listing((a, values[a]) for a in stated)}); "
                f"these values are not signals in the framework file.{not_stated}")
    if len(top) > 1:
        parts = [f"{r.names[j]} ({_listing((a, values[a]) for a in matched[j])})" for j in top]
        return (f"Uncertain: a tie at {best} signal{'s' if best > 1 else ''} between {_names(parts)}. "
                f"A value that only one of them signals would decide.{not_stated}")
    j = top[0]
    area = r.portfolio_names[r.portfolios[j]]
    text = (f"{r.names[j]}{f' ({area})' if area != r.names[j] else ''}: "
            f"{_listing((a, values[a]) for a in matched[j])} match its signals ({best} of {len(stated)} stated).")
    missed = [a for a in stated if a not in matched[j]]
    if missed:
        notes = []
        for a in missed:
            expected = sorted(r.signals[j].get(a, ()))
            notes.append(f"{a} = {values[a]} ({'it expects ' + ' or '.join(expected) if expected else 'no signal'})")
        text += f" Not matching: {', '.join(notes)}."
    runner_up = sorted(((s, k) for k, s in enumerate(scores) if k != j and s > 0), key=lambda t: (-t[0], t[1]))
    if runner_up:
        s, k = runner_up[0]
        text += f" Next: {r.names[k]} ({s})."
    return text + not_stated


def _verdict(r: SignalRules, scores: Sequence[int]) -> tuple[str, str, str, bool, tuple[str, ...]]:
    best = max(scores)
    top = tuple(r.categories[j] for j, s in enumerate(scores) if s == best) if best else ()
    if len(top) != 1:
        return UNCERTAIN, UNCERTAIN_NAME, UNCERTAIN, True, top
    j = r.index(top[0])
    return r.categories[j], r.names[j], r.portfolios[j], False, top


def classify_one(service: Mapping[str, object],
                 framework: Framework | SignalRules | str | Path | None = None) -> Classification:
    """Classify one service from its attributes (a dict or a row), explaining the signals that matched.

    Parameters
    ----------
    service : mapping
        Attribute -> value, e.g. ``{"acts_on": "operations", "paid_for": "availability"}``.
        Attributes the framework does not signal (name, description ...) are ignored.
    framework : Framework, SignalRules, id or path, optional
        Where the signals come from; default: the shipped ``services_portfolio``.
        Pass :func:`rules` once when classifying many services one by one.

    Examples
    --------
    >>> c = classify_one({"acts_on": "operations", "paid_for": "availability", "activity": "monitor"})
    >>> c.category, c.portfolio, c.signals_matched
    ('operational_services', 'optimize_services', 3)
    >>> classify_one({"acts_on": "asset", "paid_for": "asset_contract"}).explanation
    'Uncertain: a tie at 2 signals between Support services (acts_on = asset, paid_for = asset_contract) and ...'
    """
    r = framework if isinstance(framework, SignalRules) else rules(framework)
    if not isinstance(service, Mapping) and not hasattr(service, "get"):
        raise B4BError(f"expected a mapping of attribute to value, got {type(service).__name__}",
                       where="service", fix="Pass e.g. {'acts_on': 'asset', 'paid_for': 'asset_contract'}.")
    present = [a for a in r.attributes if a in service]
    if not present:
        raise B4BError("the service states none of the attributes the framework signals", where="service",
                       fix=f"Give at least one of {', '.join(r.attributes)}.")
    values = {a: normalise(service.get(a)) for a in r.attributes}
    matched = [tuple(a for a in r.attributes if values[a] and values[a] in sig.get(a, ())) for sig in r.signals]
    counts = tuple(len(m) for m in matched)
    category, name, portfolio, uncertain, candidates = _verdict(r, counts)
    chosen = matched[r.index(category)] if not uncertain else ()
    return Classification(category, name, portfolio, uncertain, max(counts), candidates,
                          tuple((a, values[a]) for a in chosen), counts, _explain(r, values, matched, present))


def scores(service: Mapping[str, object], framework: Framework | SignalRules | str | Path | None = None):
    """Signals matched per category for one service, for the scores chart.

    ``status`` is ``chosen`` (the winner), ``tied`` (sharing a tied top score),
    ``matched`` (some signals) or ``none``.

    Examples
    --------
    >>> t = scores({"acts_on": "asset", "paid_for": "time_and_materials", "activity": "train"})
    >>> t.loc[t["signals_matched"] > 0, ["category", "signals_matched", "status"]].values.tolist()[:3]
    [['support_services', 1, 'matched'], ['education_services', 3, 'chosen'], ['professional_services', 2, 'matched']]
    """
    import pandas as pd

    r = framework if isinstance(framework, SignalRules) else rules(framework)
    c = classify_one(service, r)
    values = {a: normalise(service.get(a)) for a in r.attributes}
    rows = []
    for j, category in enumerate(r.categories):
        hits = [(a, values[a]) for a in r.attributes if values[a] and values[a] in r.signals[j].get(a, ())]
        if category in c.candidates:
            status = "tied" if c.uncertain else "chosen"
        else:
            status = "matched" if hits else "none"
        rows.append({"order": j, "category": category, "name": r.names[j],
                     "portfolio": r.portfolio_names[r.portfolios[j]], "signals_matched": c.scores[j],
                     "matched": _listing(hits) or "—", "status": status})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- a whole catalogue


def classify(catalogue, framework: Framework | str | Path | None = None):
    """Classify every service of a catalogue (vectorized over the rows).

    Parameters
    ----------
    catalogue : pandas.DataFrame
        One row per service, with at least one attribute column the framework
        signals (``acts_on``, ``paid_for``, ``activity`` in the shipped file).
    framework : Framework, id or path, optional
        Where the signals come from; default: the shipped ``services_portfolio``.

    Returns
    -------
    pandas.DataFrame
        ``catalogue`` plus ``category`` (element id or ``"uncertain"``),
        ``category_name``, ``portfolio`` (area id or ``"uncertain"``),
        ``uncertain`` (bool), ``signals_matched`` (the top score),
        ``candidates`` (the top-scoring categories, comma-separated) and
        ``explanation``.
    """
    import pandas as pd

    r = rules(framework)
    if not isinstance(catalogue, pd.DataFrame):
        raise B4BError(f"expected a pandas DataFrame, got {type(catalogue).__name__}", where="catalogue",
                       fix="Pass one row per service, e.g. datasets.load('service_catalogue').")
    present = [a for a in r.attributes if a in catalogue.columns]
    if not present:
        raise B4BError(f"no attribute column the framework signals (columns: {', '.join(map(str, catalogue.columns))})",
                       where="catalogue", fix=f"Add at least one of the columns {', '.join(r.attributes)}.")
    n, k = len(catalogue), len(r.categories)
    if n == 0:
        return catalogue.assign(**{c: pd.Series(dtype=object) for c in OUTPUT_COLUMNS})
    # Score on the few distinct values of each column, then spread to the rows by their codes.
    codes, uniques = {}, {}
    hits = np.zeros((n, k), dtype=np.int16)
    for a in present:
        # Normalise each distinct raw value once, then merge raw values that normalise alike.
        raw_codes, raw_uniques = pd.factorize(catalogue[a], use_na_sentinel=False)
        norm_codes, uniques[a] = pd.factorize(np.array([normalise(v) for v in raw_uniques], dtype=object))
        codes[a] = norm_codes[raw_codes]
        table = np.array([[bool(v) and v in sig.get(a, ()) for sig in r.signals] for v in uniques[a]],
                         dtype=bool).reshape(len(uniques[a]), k)
        hits += table[codes[a]]
    best = hits.max(axis=1)
    top = hits == best[:, None]
    n_top = top.sum(axis=1)
    uncertain = (best == 0) | (n_top > 1)
    winner = top.argmax(axis=1)
    cats = np.array(r.categories + (UNCERTAIN,), dtype=object)
    names = np.array(r.names + (UNCERTAIN_NAME,), dtype=object)
    portfolios = np.array(r.portfolios + (UNCERTAIN,), dtype=object)
    pick = np.where(uncertain, k, winner)

    # Candidates and explanations depend only on the combination of values: one per distinct row.
    sizes = [len(uniques[a]) for a in present]
    if np.prod(sizes, dtype=float) < 2.0 ** 62:  # one integer per combination, hashed: fast
        key = np.zeros(n, dtype=np.int64)
        for a, size in zip(present, sizes):
            key = key * size + codes[a]
        inverse, combos = pd.factorize(key)
        first = np.full(len(combos), -1, dtype=np.int64)
        first[inverse[::-1]] = np.arange(n - 1, -1, -1)  # the first row of each combination
    else:
        _, first, inverse = np.unique(np.column_stack([codes[a] for a in present]), axis=0,
                                      return_index=True, return_inverse=True)
    candidates, explanations = [], []
    for row in first:
        values = {a: (uniques[a][codes[a][row]] if a in present else "") for a in r.attributes}
        matched = [tuple(a for a in present if values[a] and values[a] in sig.get(a, ())) for sig in r.signals]
        candidates.append(", ".join(c for c, on in zip(r.categories, top[row]) if on) if best[row] else "")
        explanations.append(_explain(r, values, matched, present))

    out = catalogue.drop(columns=[c for c in OUTPUT_COLUMNS if c in catalogue.columns])
    out["category"] = cats[pick]
    out["category_name"] = names[pick]
    out["portfolio"] = portfolios[pick]
    out["uncertain"] = uncertain
    out["signals_matched"] = best.astype(np.int64)
    out["candidates"] = np.array(candidates, dtype=object)[inverse.ravel()]
    out["explanation"] = np.array(explanations, dtype=object)[inverse.ravel()]
    return out


def classification_counts(classified):
    """Services per portfolio and category, uncertain ones included.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"portfolio": ["optimize_services", "uncertain", "optimize_services"],
    ...                   "category": ["adoption_services", "uncertain", "adoption_services"]})
    >>> classification_counts(t).values.tolist()
    [['optimize_services', 'adoption_services', 2], ['uncertain', 'uncertain', 1]]
    """
    return (classified.groupby(["portfolio", "category"], sort=False).size()
            .rename("services").reset_index())


# --------------------------------------------------------------------------- mix over the years


def _group_order(fw: Framework, by: str) -> list[tuple[str, str]]:
    if by == "portfolio":
        groups = [(g.id, g.name) for g in fw.groups]
    elif by == "category":
        groups = [(el.id, el.name) for el in fw.elements]
    else:
        raise B4BError(f"unknown grouping {by!r}", where="parameter 'by'", fix="Use by='portfolio' or by='category'.")
    return groups + [(UNCERTAIN, UNCERTAIN_NAME)]


def check_revenue(revenue, classified=None):
    """Check a revenue table (``service_id``, ``year``, ``revenue_musd``); return it with typed columns.

    Raises
    ------
    B4BError
        A missing column, a value that is not a number, a negative or blank
        revenue, or a service id that is not in the catalogue.
    """
    import pandas as pd

    missing = [c for c in REVENUE_COLUMNS if c not in revenue.columns]
    if missing:
        raise B4BError(f"missing column(s) {', '.join(missing)}", where="revenue table",
                       fix=f"The revenue table needs the columns {', '.join(REVENUE_COLUMNS)}.")
    out = revenue[list(REVENUE_COLUMNS)].copy()
    for col in ("year", "revenue_musd"):
        numbers = pd.to_numeric(out[col], errors="coerce")
        if numbers.isna().any():
            row = int(numbers.isna().to_numpy().argmax())
            raise B4BError(f"expected a number, found {out[col].iloc[row]!r} in row {row + 1}",
                           where=f"revenue table, column {col!r}", fix="Write plain numbers, with no blanks.")
        out[col] = numbers
    if (out["year"] % 1 != 0).any():
        raise B4BError("years must be whole numbers", where="revenue table, column 'year'", fix="Write e.g. 2019.")
    out["year"] = out["year"].astype(np.int64)
    negative = out["revenue_musd"] < 0
    if negative.any():
        row = int(negative.to_numpy().argmax())
        raise B4BError(f"negative revenue {out['revenue_musd'].iloc[row]} in row {row + 1}",
                       where="revenue table, column 'revenue_musd'", fix="Revenue is zero or more.")
    out["service_id"] = out["service_id"].astype(str)
    if classified is not None:
        if "service_id" not in classified.columns:
            raise B4BError("the catalogue has no 'service_id' column", where="catalogue",
                           fix="Give every service an id that the revenue table uses.")
        unknown = sorted(set(out["service_id"]) - set(classified["service_id"].astype(str)))
        if unknown:
            raise B4BError(f"revenue for service id(s) not in the catalogue: {', '.join(unknown[:5])}"
                           + (" ..." if len(unknown) > 5 else ""), where="revenue table, column 'service_id'",
                           fix="Add those services to the catalogue or drop their revenue rows.")
    return out


def mix(classified, revenue, *, by: str = "portfolio", first_year: int | None = None,
        last_year: int | None = None, framework: Framework | str | Path | None = None):
    """Revenue and its share per portfolio (or category) and year: the portfolio mix.

    Every group of the framework appears in every year (with zero revenue if
    none), plus ``uncertain`` for services the classifier could not place, so the
    shares of each year sum to 1 (a year with no revenue at all has shares 0).

    Parameters
    ----------
    classified : pandas.DataFrame
        From :func:`classify`, with ``service_id``.
    revenue : pandas.DataFrame
        ``service_id``, ``year``, ``revenue_musd``: one row per service and year.
    by : {"portfolio", "category"}
        Group by the framework's areas (traditional, optimize, outcome) or by its categories.
    first_year, last_year : int, optional
        Keep only these years (inclusive); default: all years in ``revenue``.

    Returns
    -------
    pandas.DataFrame
        ``year``, ``group`` (id), ``name``, ``order`` (left to right), ``revenue_musd``, ``share``.

    Examples
    --------
    >>> import pandas as pd
    >>> c = pd.DataFrame({"service_id": ["a", "b"], "portfolio": ["traditional_services", "optimize_services"],
    ...                   "category": ["support_services", "adoption_services"]})
    >>> r = pd.DataFrame({"service_id": ["a", "b", "a"], "year": [2020, 2020, 2021], "revenue_musd": [3.0, 1.0, 2.0]})
    >>> m = mix(c, r)
    >>> m[m["revenue_musd"] > 0][["year", "group", "share"]].values.tolist()
    [[2020, 'traditional_services', 0.75], [2020, 'optimize_services', 0.25], [2021, 'traditional_services', 1.0]]
    """
    import pandas as pd

    fw = checks.framework(framework, default=FRAMEWORK)
    groups = _group_order(fw, by)
    column = "portfolio" if by == "portfolio" else "category"
    if column not in classified.columns:
        raise B4BError(f"no {column!r} column", where="classified catalogue",
                       fix="Pass the output of services.classify(catalogue).")
    rev = check_revenue(revenue, classified)
    years = sorted(rev["year"].unique())
    if not years:
        raise B4BError("the revenue table is empty", where="revenue table", fix="Give at least one row.")
    lo = years[0] if not first_year else int(first_year)
    hi = years[-1] if not last_year else int(last_year)
    if lo > hi:
        raise B4BError(f"first_year ({lo}) is after last_year ({hi})", where="parameter 'first_year'",
                       fix="Swap them, or leave one empty for the data's own range.")
    rev = rev[(rev["year"] >= lo) & (rev["year"] <= hi)]
    if rev.empty:
        raise B4BError(f"no revenue between {lo} and {hi}", where="parameters 'first_year', 'last_year'",
                       fix=f"The revenue table covers {years[0]}..{years[-1]}.")
    known = {g for g, _ in groups}
    lookup = classified.assign(service_id=classified["service_id"].astype(str)).drop_duplicates("service_id")
    joined = rev.merge(lookup[["service_id", column]], on="service_id", how="left")
    strange = sorted(set(joined[column]) - known)
    if strange:
        raise B4BError(f"{column} value(s) not in framework {fw.id!r}: {', '.join(map(str, strange))}",
                       where="classified catalogue",
                       fix="Classify the catalogue with the same framework you pass to mix().")
    totals = joined.groupby(["year", column])["revenue_musd"].sum().rename_axis(["year", "group"])
    grid = pd.MultiIndex.from_product([sorted(joined["year"].unique()), [g for g, _ in groups]],
                                      names=["year", "group"])
    table = totals.reindex(grid, fill_value=0.0).rename("revenue_musd").reset_index()
    order = {g: i for i, (g, _) in enumerate(groups)}
    table["name"] = table["group"].map(dict(groups))
    table["order"] = table["group"].map(order).astype(np.int64)
    year_total = table.groupby("year")["revenue_musd"].transform("sum")
    table["share"] = np.where(year_total > 0, table["revenue_musd"] / year_total.where(year_total > 0, 1.0), 0.0)
    table["year"] = table["year"].astype(np.int64)
    return table[["year", "group", "name", "order", "revenue_musd", "share"]]


def new_share(portfolio_mix):
    """Share of optimize and outcome services per year (a Series indexed by year).

    Examples
    --------
    >>> import pandas as pd
    >>> m = pd.DataFrame({"year": [2020] * 4, "group": ["traditional_services", "optimize_services",
    ...                   "outcome_services", "uncertain"], "share": [0.5, 0.3, 0.1, 0.1]})
    >>> round(float(new_share(m).loc[2020]), 10)
    0.4
    """
    unknown = set(portfolio_mix["group"]) - {TRADITIONAL, *NEW_PORTFOLIOS, UNCERTAIN}
    if unknown:
        raise B4BError(f"not a portfolio mix (groups {', '.join(sorted(map(str, unknown)))})",
                       where="mix", fix="Make it with services.mix(..., by='portfolio').")
    is_new = portfolio_mix["group"].isin(NEW_PORTFOLIOS)
    return portfolio_mix["share"].where(is_new, 0.0).groupby(portfolio_mix["year"]).sum()


def mix_figures(portfolio_mix, threshold: float = 0.25) -> dict[str, float | int]:
    """Key figures of the left-to-right shift, for reports and results records.

    ``shift_points`` is the change in the optimize + outcome share from the first
    to the last year, in percentage points; ``year_new_share_reaches_threshold``
    is the first year that share is at or above ``threshold`` (0 if never).

    Examples
    --------
    >>> import pandas as pd
    >>> m = pd.DataFrame({"year": [2020, 2020, 2021, 2021], "group": ["traditional_services",
    ...                   "optimize_services"] * 2, "revenue_musd": [9.0, 1.0, 6.0, 4.0],
    ...                   "share": [0.9, 0.1, 0.6, 0.4]})
    >>> f = mix_figures(m, threshold=0.3)
    >>> f["new_share_first"], f["new_share_last"], f["shift_points"], f["year_new_share_reaches_threshold"]
    (0.1, 0.4, 30.0, 2021)
    """
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float, np.floating)) or not 0 <= threshold <= 1:
        raise B4BError(f"expected a share from 0 to 1, got {threshold!r}", where="threshold",
                       fix="Pass e.g. threshold=0.25 for a quarter of revenue.")
    shares = new_share(portfolio_mix)
    years = shares.index.tolist()
    first, last = years[0], years[-1]

    def share_of(group: str, year: int) -> float:
        rows = portfolio_mix[(portfolio_mix["year"] == year) & (portfolio_mix["group"] == group)]
        return float(rows["share"].sum())

    reached = [y for y, s in shares.items() if s >= threshold - 1e-12]
    revenue = portfolio_mix.groupby("year")["revenue_musd"].sum()
    return {
        "first_year": int(first),
        "last_year": int(last),
        "revenue_first_musd": round(float(revenue.loc[first]), 2),
        "revenue_last_musd": round(float(revenue.loc[last]), 2),
        "new_share_first": round(float(shares.loc[first]), 4),
        "new_share_last": round(float(shares.loc[last]), 4),
        "shift_points": round(100 * float(shares.loc[last] - shares.loc[first]), 1),
        "traditional_share_last": round(share_of(TRADITIONAL, last), 4),
        "optimize_share_last": round(share_of("optimize_services", last), 4),
        "outcome_share_last": round(share_of("outcome_services", last), 4),
        "uncertain_share_last": round(share_of(UNCERTAIN, last), 4),
        "year_new_share_reaches_threshold": int(reached[0]) if reached else 0,
    }


def year_summary(portfolio_mix, year: int) -> list[tuple[str, float, float]]:
    """(group name, revenue, share) for one year of a mix, left to right.

    Raises
    ------
    B4BError
        When the mix has no such year, listing the years it has.
    """
    rows = portfolio_mix[portfolio_mix["year"] == year].sort_values("order")
    if rows.empty:
        years = sorted(portfolio_mix["year"].unique())
        raise B4BError(f"no mix for {year}", where="year", fix=f"The mix covers {years[0]}..{years[-1]}.")
    return [(n, float(r), float(s)) for n, r, s in zip(rows["name"], rows["revenue_musd"], rows["share"])]


# --------------------------------------------------------------------------- overlapping offers


def overlaps(catalogue, *, on: str | Sequence[str] = "need", line: str = "legacy_line",
             within: str | None = "supplier"):
    """Needs served by offers from two or more legacy service lines of the same supplier.

    Two offers serve the *same need* when their values in the ``on`` column(s)
    are equal after the classifier's normalisation (lower case, underscores).
    Rows where any ``on`` value or the line is not stated (empty or
    ``unknown``) are left out: they cannot show a clash. Offers of one line
    serving one need are not an overlap (a line may sell several offers).

    Parameters
    ----------
    on : str or list of str
        The column(s) that define the need: ``"need"``, or e.g. ``["acts_on", "paid_for"]``.
    line : str
        The column naming the legacy line (organisation) that sells the offer.
    within : str or None
        Compare only inside groups of this column (one supplier's catalogue); None: the whole table.

    Returns
    -------
    pandas.DataFrame
        One row per overlapping need: the ``within`` value, ``need`` (the key as
        text), ``lines`` and ``n_lines``, ``services`` and ``n_services``,
        ``service_ids``; most lines first.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"service_id": ["a", "b", "c", "d"], "name": ["Help desk", "Site repair", "Install",
    ...                   "Integrate"], "need": ["fix_faults", "fix faults", "get_running", "get_running"],
    ...                   "legacy_line": ["support", "field", "professional", "professional"]})
    >>> overlaps(t, within=None)[["need", "lines", "n_services"]].values.tolist()
    [['fix_faults', 'field, support', 2]]
    """
    import pandas as pd

    keys = [on] if isinstance(on, str) else list(on)
    scope = [within] if within and within in catalogue.columns else []
    needed = [*keys, line, "name"]
    missing = [c for c in needed if c not in catalogue.columns]
    if missing:
        raise B4BError(f"missing column(s) {', '.join(missing)}", where="catalogue",
                       fix=f"overlaps() needs the columns {', '.join(needed)} (choose others with on= and line=).")
    frame = pd.DataFrame({c: catalogue[c].map(normalise) for c in [*keys, line]})
    frame["need"] = frame[keys].agg(" + ".join, axis=1) if len(keys) > 1 else frame[keys[0]]
    frame["name"] = catalogue["name"].astype(str).to_numpy()
    frame["service_id"] = (catalogue["service_id"].astype(str).to_numpy() if "service_id" in catalogue
                           else catalogue.index.astype(str))
    for s in scope:
        frame[s] = catalogue[s].astype(str).to_numpy()
    stated = (frame[[*keys, line]] != "").all(axis=1)
    frame = frame[stated]
    columns = [*scope, "need", "lines", "n_lines", "services", "n_services", "service_ids"]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    grouped = frame.groupby([*scope, "need"], sort=True)
    table = grouped.agg(
        lines=(line, lambda s: ", ".join(sorted(set(s)))),
        n_lines=(line, "nunique"),
        services=("name", "; ".join),
        n_services=("name", "size"),
        service_ids=("service_id", ", ".join),
    ).reset_index()
    table = table[table["n_lines"] >= 2].sort_values(["n_lines", *scope, "need"],
                                                     ascending=[False, *[True] * (len(scope) + 1)])
    return table[columns].reset_index(drop=True)


def overlap_figures(overlap_table, revenue=None, year: int | None = None) -> dict[str, float | int]:
    """Counts of overlapping needs and services; with revenue, the revenue they earn in ``year``.

    Examples
    --------
    >>> import pandas as pd
    >>> o = pd.DataFrame({"need": ["x"], "n_lines": [2], "n_services": [2], "service_ids": ["a, b"]})
    >>> r = pd.DataFrame({"service_id": ["a", "b", "c"], "year": [2020] * 3, "revenue_musd": [1.0, 2.0, 5.0]})
    >>> overlap_figures(o, r, 2020)
    {'overlapping_needs': 1, 'overlapping_services': 2, 'overlap_revenue_musd': 3.0, 'overlap_revenue_share': 0.375}
    """
    ids = {s.strip() for cell in overlap_table.get("service_ids", []) for s in str(cell).split(",") if s.strip()}
    figures: dict[str, float | int] = {"overlapping_needs": int(len(overlap_table)), "overlapping_services": len(ids)}
    if revenue is not None:
        rev = check_revenue(revenue)
        if year is None:
            year = int(rev["year"].max())
        rows = rev[rev["year"] == year]
        total = float(rows["revenue_musd"].sum())
        inside = float(rows.loc[rows["service_id"].isin(ids), "revenue_musd"].sum())
        figures["overlap_revenue_musd"] = round(inside, 2)
        figures["overlap_revenue_share"] = round(inside / total, 4) if total else 0.0
    return figures


def select_supplier(catalogue, supplier: str):
    """The offers of one supplier in a catalogue with a ``supplier`` column.

    Raises
    ------
    B4BError
        When the supplier has no offers, listing the suppliers the catalogue has.
    """
    if "supplier" not in catalogue.columns:
        raise B4BError("the catalogue has no 'supplier' column", where="catalogue",
                       fix="Add one, or analyse the whole catalogue (supplier='').")
    rows = catalogue[catalogue["supplier"].astype(str) == supplier]
    if rows.empty:
        present = ", ".join(sorted(map(str, catalogue["supplier"].unique()))) or "none"
        raise B4BError(f"no offers of supplier {supplier!r}", where="parameter 'supplier'",
                       fix=f"Suppliers in the catalogue: {present}.")
    return rows.reset_index(drop=True)


def revenue_for(revenue, catalogue):
    """The revenue rows of the services in ``catalogue`` (e.g. after :func:`select_supplier`).

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame({"service_id": ["a", "b"], "year": [2020, 2020], "revenue_musd": [1.0, 2.0]})
    >>> revenue_for(r, pd.DataFrame({"service_id": ["b"]}))["revenue_musd"].tolist()
    [2.0]
    """
    rows = check_revenue(revenue)
    keep = rows["service_id"].isin(set(catalogue["service_id"].astype(str)))
    return rows[keep].reset_index(drop=True)


def select_service(catalogue, service_id: str):
    """The row of one service (a dict), by its ``service_id``.

    Raises
    ------
    B4BError
        When the id is not in the catalogue, listing a few that are.
    """
    rows = catalogue[catalogue["service_id"].astype(str) == str(service_id)]
    if rows.empty:
        ids = ", ".join(map(str, catalogue["service_id"].head(6)))
        raise B4BError(f"no service with id {service_id!r}", where="parameter 'service_id'",
                       fix=f"Ids in the catalogue include {ids}.")
    return rows.iloc[0].to_dict()
