"""Place a product-market on the supplier-level ladder: required level, offered level, Level 4 variant, mismatch.

Two questions, one per Power Line:

* **required level** — what the product-market needs, from four traits on a
  0-1 scale. The *complexity gap* is ``mastery_difficulty * (1 -
  customer_capability)``: a hard product in expert hands needs little help.
  The *outcome stake* is ``outcome_variability * outcome_criticality``: an
  uncertain result matters only if the result matters. Then::

      level 4  if outcome_stake  >= outcome_threshold   (buy the outcome, not the asset)
      level 3  if outcome_stake  >= threshold           (help me get the most from it)
      level 2  if complexity_gap >= threshold           (help me get it running)
      level 1  otherwise                                (the product does the job)

* **offered level** — what the supplier delivers, from the Supplier Offer Power
  elements of the framework file. Levels 1-3 are cumulative: the offered level
  is the highest level whose elements, and those of every level below, are all
  offered. Level 4 is offered when the supplier sells the outcome as a service
  (``outcome_as_a_service``), backs it with industrialised domain expertise
  (``codified_domain_expertise``; an automated platform is such expertise in
  software) and stands on either

  - an **automated platform** (``automated_platform``) over a standard product:
    the *full automation* variant, or
  - a complete Level 2 or Level 3 offer: the *all-in bundle* variant, Level 2
    and 3 parts sold as one package priced on consumption or outcomes.

  Both variants are Level 4 (B4B ch. 4, "The Level 4 Supplier"); the bundle
  carries the most risk. The *promised* level is 4 when the outcome is sold as
  a service, else the highest level with any element offered.

The mismatch follows, first match wins: ``over_promised`` (promised above
offered: e.g. an outcome promise without industrialised domain expertise, the
chapter's caution to customers), ``under_served`` (offered below required: the
hard-to-set-up printer sold make-sell-ship), ``over_served`` (offered above
required) or ``matched``.

These rules are the kit's reading of B4B chapter 4, which names the traits, the
variants and the failure modes but gives no formula; the thresholds are
parameters.

Examples
--------
>>> required_level(mastery_difficulty=0.9, customer_capability=0.2,
...                outcome_variability=0.3, outcome_criticality=0.5)
2
>>> offered_level({"standard_reliable_product"})
1
>>> assess_one(mastery_difficulty=0.9, customer_capability=0.2, outcome_variability=0.3,
...            outcome_criticality=0.5, offer={"standard_reliable_product"}).mismatch
'under_served'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache

import numpy as np

from .. import checks
from ..errors import B4BError
from ..frameworks import Framework, get

TRAITS = ("mastery_difficulty", "customer_capability", "outcome_variability", "outcome_criticality")
MISMATCHES = ("over_promised", "under_served", "over_served", "matched")
VARIANTS = ("none", "full_automation", "all_in_bundle")
"""Level 4 variants: ``none`` for offers that do not sell the outcome as a service."""
VARIANT_LABELS = {"none": "", "full_automation": "full automation", "all_in_bundle": "all-in bundle"}
OUTCOME_PROMISE = "outcome_as_a_service"
DOMAIN_MASTERY = "codified_domain_expertise"
PLATFORM = "automated_platform"
# The cautions of chapter 4 (ids of the framework's 'cautions' list) each variant carries.
VARIANT_RISKS = {
    "none": (),
    "full_automation": ("outcome_risk_on_supplier", "per_unit_commoditisation"),
    "all_in_bundle": ("bundle_complexity", "outcome_risk_on_supplier", "per_unit_commoditisation"),
}
DEFAULT_THRESHOLD = 0.5
DEFAULT_OUTCOME_THRESHOLD = 0.8

_FRAMEWORK = "supplier_levels"
_OFFER_DIMENSION = "supplier_offer_power"


@cache
def offer_elements(framework: Framework | None = None) -> tuple[tuple[str, ...], ...]:
    """Supplier Offer Power element ids per level, level 1 first.

    Examples
    --------
    >>> offer_elements()[1]
    ('tailored_product', 'implementation_and_maintenance')
    """
    fw = framework or get(_FRAMEWORK)
    return tuple(
        tuple(el.id for el in lv.elements if el.dimension == _OFFER_DIMENSION) for lv in fw.levels
    )


def _check_thresholds(threshold: float, outcome_threshold: float) -> None:
    for name, value, default in (("threshold", threshold, DEFAULT_THRESHOLD),
                                 ("outcome_threshold", outcome_threshold, DEFAULT_OUTCOME_THRESHOLD)):
        checks.number(value, name, low=0, high=1, fix=f"Pass e.g. {name}={default}.")
    if outcome_threshold < threshold:
        raise B4BError(f"outcome_threshold ({outcome_threshold}) is below threshold ({threshold})",
                       where="outcome_threshold",
                       fix="Level 4 needs a higher outcome stake than level 3: set outcome_threshold >= threshold.")


def _check_trait(name: str, value: object) -> float:
    return checks.number(value, name, low=0, high=1, fix="Give the trait on the 0-1 scale, e.g. 0.7.")


def required_level(
    mastery_difficulty: float,
    customer_capability: float,
    outcome_variability: float,
    outcome_criticality: float,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    outcome_threshold: float = DEFAULT_OUTCOME_THRESHOLD,
) -> int:
    """The supplier level a product-market needs (1-4), from its traits on a 0-1 scale.

    Examples
    --------
    Office furniture: easy to master, a sure outcome.

    >>> required_level(0.1, 0.5, 0.1, 0.2)
    1
    >>> required_level(0.5, 0.5, 0.9, 0.9)   # stake 0.81 >= 0.8
    4
    """
    _check_thresholds(threshold, outcome_threshold)
    m, c, v, k = (_check_trait(n, x) for n, x in zip(TRAITS, (mastery_difficulty, customer_capability,
                                                               outcome_variability, outcome_criticality)))
    complexity_gap = m * (1 - c)
    outcome_stake = v * k
    if outcome_stake >= outcome_threshold:
        return 4
    if outcome_stake >= threshold:
        return 3
    if complexity_gap >= threshold:
        return 2
    return 1


def _offered_set(offer: Iterable[str] | Mapping[str, bool], known: set[str]) -> set[str]:
    if isinstance(offer, str):
        offer = [offer]
    chosen = {k for k, on in offer.items() if on} if isinstance(offer, Mapping) else set(offer)
    unknown = chosen - known
    if unknown:
        raise B4BError(f"unknown offer element(s) {', '.join(sorted(map(repr, unknown)))}", where="offer",
                       fix=f"Use the Supplier Offer Power elements: {', '.join(sorted(known))}.")
    return chosen


def offered_level(offer: Iterable[str] | Mapping[str, bool]) -> int:
    """The level a supplier delivers (0-4): the top of the unbroken run of complete levels.

    Parameters
    ----------
    offer : set of element ids, or mapping of element id to bool
        The Supplier Offer Power elements the supplier offers.

    Examples
    --------
    Tailored and serviced, but not a standard product: the staircase breaks at level 1.

    >>> offered_level({"tailored_product", "implementation_and_maintenance"})
    0
    """
    return _levels(offer)[0]


def _levels(offer) -> tuple[int, int]:
    chosen = _offered_set(offer, {e for lv in offer_elements() for e in lv})
    offered, promised, _ = _levels_of(chosen)
    return offered, promised


def _levels_of(chosen: set[str]) -> tuple[int, int, str]:
    """Offered level, promised level and Level 4 variant of a set of offer elements."""
    per_level = offer_elements()
    staircase = 0
    for number, elements in enumerate(per_level[:3], start=1):
        if not set(elements) <= chosen:
            break
        staircase = number
    promise = OUTCOME_PROMISE in chosen
    platform = PLATFORM in chosen
    mastery = DOMAIN_MASTERY in chosen or platform  # a platform is domain expertise written in software
    base = (platform and staircase >= 1) or staircase >= 2
    offered = 4 if promise and mastery and base else staircase
    promised = 4 if promise else max(
        (n for n, els in enumerate(per_level[:3], start=1) if chosen & set(els)), default=0)
    variant = ("full_automation" if platform else "all_in_bundle") if promise else "none"
    return offered, promised, variant


def _missing_up_to(level: int, chosen: set[str]) -> tuple[str, ...]:
    """Offer elements the supplier lacks for ``level``: all levels below it (Level 4: its variant's base)."""
    per_level = offer_elements()
    if level <= 3:
        return tuple(e for lv in per_level[:level] for e in lv if e not in chosen)
    platform = PLATFORM in chosen
    base = per_level[:1] if platform else per_level[:2]  # full automation or the bundle's Level 2 parts
    missing = [e for lv in base for e in lv if e not in chosen]
    missing += [e for e in (OUTCOME_PROMISE, DOMAIN_MASTERY) if e not in chosen and not (e == DOMAIN_MASTERY
                                                                                        and platform)]
    return tuple(missing)


def variant_of(offer: Iterable[str] | Mapping[str, bool]) -> str:
    """Which Level 4 variant an offer is: ``full_automation``, ``all_in_bundle`` or ``none``.

    Any offer that sells the outcome as a service is one of the two variants; an
    automated platform makes it full automation, and without one it is an
    all-in bundle, still Level 4, and the riskier of the two.

    Examples
    --------
    >>> variant_of({"standard_reliable_product", "tailored_product", "implementation_and_maintenance",
    ...             "outcome_as_a_service", "codified_domain_expertise"})
    'all_in_bundle'
    >>> variant_of({"standard_reliable_product", "outcome_as_a_service", "automated_platform"})
    'full_automation'
    >>> variant_of({"standard_reliable_product"})
    'none'
    """
    return _levels_of(_offered_set(offer, {e for lv in offer_elements() for e in lv}))[2]


def _mismatch(required: int, offered: int, promised: int) -> str:
    if promised > offered:
        return "over_promised"
    if offered < required:
        return "under_served"
    if offered > required:
        return "over_served"
    return "matched"


@dataclass(frozen=True)
class Assessment:
    """The verdict on one product-market.

    ``gap`` is ``offered_level - required_level``: negative means under-served.
    ``missing`` lists the offer elements the supplier lacks up to the level it
    needs (or, when over-promised, up to the level it promises). ``variant`` is
    the Level 4 variant of an outcome offer (``none`` otherwise) and ``risks``
    the chapter's cautions it carries (ids of the framework's ``cautions`` list).
    """

    required_level: int
    offered_level: int
    promised_level: int
    complexity_gap: float
    outcome_stake: float
    mismatch: str
    missing: tuple[str, ...]
    variant: str = "none"
    risks: tuple[str, ...] = ()

    @property
    def gap(self) -> int:
        """Offered minus required level: below 0 under-served, above 0 over-served."""
        return self.offered_level - self.required_level

    @property
    def risk_note(self) -> str:
        """One sentence on the Level 4 variant and the risks it carries ('' for other offers).

        Examples
        --------
        >>> a = assess_one(0.2, 0.5, 0.9, 0.9, offer={"standard_reliable_product", "tailored_product",
        ...     "implementation_and_maintenance", "outcome_as_a_service", "codified_domain_expertise"})
        >>> a.risk_note.split(":")[0]
        'All-in bundle (the dangerous variant)'
        """
        if self.variant == "none":
            return ""
        fw = get(_FRAMEWORK)
        name = next(it.name for it in fw.lists["level4_variants"] if it.id == self.variant)
        if self.variant == "all_in_bundle":
            detail = ("the same outcome promise without automation; the supplier takes on the complexity and "
                      "almost all of the risk, and a customer who misses its outcome still costs the full effort "
                      "to serve.")
        else:
            detail = ("the supplier carries the outcome risk, but serving one more customer costs it almost "
                      "nothing, so a missed outcome costs little.")
        return f"{name}: {detail} Priced only per unit of use or result, it can also commoditise."

    @property
    def verdict(self) -> str:
        """One or two sentences a student can read, naming levels, missing elements and the Level 4 variant."""
        fw = get(_FRAMEWORK)

        def name(n: int) -> str:
            return f"Level {n} ({fw.level(n).name})" if n else "no complete level"

        missing = ", ".join(fw.element(e).name.lower() for e in self.missing)
        if self.mismatch == "matched":
            text = f"Just right: the product-market needs {name(self.required_level)} and the supplier offers it."
        elif self.mismatch == "under_served":
            text = (f"Under-served: the product-market needs {name(self.required_level)} but the supplier "
                    f"offers {name(self.offered_level)}; missing: {missing}.")
        elif self.mismatch == "over_promised":
            text = (f"Over-promised: the supplier promises {name(self.promised_level)} but its operating "
                    f"model delivers {name(self.offered_level)}; missing: {missing}.")
        else:
            text = (f"Over-served: the product-market needs {name(self.required_level)} and the supplier "
                    f"offers {name(self.offered_level)}, help the customer may not pay for.")
        return f"{text} {self.risk_note}" if self.risk_note else text


def assess_one(
    mastery_difficulty: float,
    customer_capability: float,
    outcome_variability: float,
    outcome_criticality: float,
    offer: Iterable[str] | Mapping[str, bool],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    outcome_threshold: float = DEFAULT_OUTCOME_THRESHOLD,
) -> Assessment:
    """Assess one product-market: required and offered level, the Level 4 variant, and the mismatch.

    Examples
    --------
    An outcome offer with no automated platform behind it, by a supplier that has
    codified its domain: an all-in bundle, a Level 4 offer with the bundle's risks.

    >>> a = assess_one(0.8, 0.2, 0.9, 0.9, offer={
    ...     "standard_reliable_product", "tailored_product", "implementation_and_maintenance",
    ...     "connected_product", "adoption_services", "operate_services", "outcome_as_a_service",
    ...     "codified_domain_expertise"})
    >>> a.required_level, a.offered_level, a.variant, a.mismatch
    (4, 4, 'all_in_bundle', 'matched')
    >>> a.risks
    ('bundle_complexity', 'outcome_risk_on_supplier', 'per_unit_commoditisation')

    The same promise without industrialised domain expertise is over-promised:

    >>> b = assess_one(0.8, 0.2, 0.9, 0.9, offer={
    ...     "standard_reliable_product", "tailored_product", "implementation_and_maintenance",
    ...     "outcome_as_a_service"})
    >>> b.offered_level, b.promised_level, b.mismatch, b.missing
    (2, 4, 'over_promised', ('codified_domain_expertise',))
    """
    required = required_level(mastery_difficulty, customer_capability, outcome_variability,
                              outcome_criticality, threshold=threshold, outcome_threshold=outcome_threshold)
    chosen = _offered_set(offer, {e for lv in offer_elements() for e in lv})
    offered, promised, variant = _levels_of(chosen)
    mismatch = _mismatch(required, offered, promised)
    upto = promised if mismatch == "over_promised" else required
    risks = VARIANT_RISKS[variant] + (("customer_caution",) if variant != "none" and offered < 4 else ())
    return Assessment(
        required_level=required,
        offered_level=offered,
        promised_level=promised,
        complexity_gap=float(mastery_difficulty) * (1 - float(customer_capability)),
        outcome_stake=float(outcome_variability) * float(outcome_criticality),
        mismatch=mismatch,
        missing=_missing_up_to(upto, chosen),
        variant=variant,
        risks=risks,
    )


def assess_frame(
    frame,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    outcome_threshold: float = DEFAULT_OUTCOME_THRESHOLD,
):
    """Assess many product-markets at once (vectorized; a million rows take well under a second).

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per product-market, with the four trait columns (0-1) and one
        boolean column per Supplier Offer Power element (see :func:`offer_elements`).

    Returns
    -------
    pandas.DataFrame
        ``frame`` plus ``complexity_gap``, ``outcome_stake``, ``required_level``,
        ``offered_level``, ``promised_level``, ``gap``, ``mismatch`` and ``variant``
        (both categorical; ``variant`` is the Level 4 variant, ``none`` for other offers).
    """
    import pandas as pd

    _check_thresholds(threshold, outcome_threshold)
    per_level = offer_elements()
    needed = list(TRAITS) + [e for lv in per_level for e in lv]
    missing_cols = [c for c in needed if c not in frame.columns]
    if missing_cols:
        raise B4BError(f"missing column(s) {', '.join(missing_cols)}", where="product-market table",
                       fix=f"The table needs the columns {', '.join(needed)}.")

    traits = {}
    for name in TRAITS:
        col = frame[name]
        if not pd.api.types.is_numeric_dtype(col) or pd.api.types.is_bool_dtype(col):
            raise B4BError(f"expected numbers from 0 to 1, found dtype {col.dtype}", where=f"column {name!r}",
                           fix="Convert the column to numbers on the 0-1 scale.")
        values = col.to_numpy(dtype=float)
        bad = ~((values >= 0) & (values <= 1))  # also catches NaN
        if bad.any():
            first = int(np.argmax(bad))
            raise B4BError(f"value {values[first]} in row {frame.index[first]!r} is not in 0..1",
                           where=f"column {name!r}", fix="Give every trait on the 0-1 scale, with no blanks.")
        traits[name] = values

    complexity_gap = traits["mastery_difficulty"] * (1 - traits["customer_capability"])
    outcome_stake = traits["outcome_variability"] * traits["outcome_criticality"]
    required = np.where(outcome_stake >= outcome_threshold, 4,
                        np.where(outcome_stake >= threshold, 3,
                                 np.where(complexity_gap >= threshold, 2, 1))).astype(np.int8)

    columns = {}
    for e in (e for lv in per_level for e in lv):
        col = frame[e]
        if not pd.api.types.is_bool_dtype(col):
            raise B4BError(f"expected true/false, found dtype {col.dtype}", where=f"column {e!r}",
                           fix="Mark each offer element as True or False.")
        columns[e] = col.to_numpy(dtype=bool)
    complete = np.column_stack([np.column_stack([columns[e] for e in lv]).all(axis=1) for lv in per_level[:3]])
    anyof = np.column_stack([np.column_stack([columns[e] for e in lv]).any(axis=1) for lv in per_level[:3]])
    staircase = np.cumprod(complete, axis=1).sum(axis=1)
    promise, platform = columns[OUTCOME_PROMISE], columns[PLATFORM]
    mastery = columns[DOMAIN_MASTERY] | platform
    base = (platform & (staircase >= 1)) | (staircase >= 2)
    offered = np.where(promise & mastery & base, 4, staircase).astype(np.int8)
    highest = np.where(anyof.any(axis=1), 3 - np.argmax(anyof[:, ::-1], axis=1), 0)
    promised = np.where(promise, 4, highest).astype(np.int8)
    variant = np.where(promise, np.where(platform, 1, 2), 0)

    mismatch = np.select(
        [promised > offered, offered < required, offered > required],
        [0, 1, 2],
        default=3,
    )
    out = frame.copy()
    out["complexity_gap"] = complexity_gap
    out["outcome_stake"] = outcome_stake
    out["required_level"] = required
    out["offered_level"] = offered
    out["promised_level"] = promised
    out["gap"] = (offered - required).astype(np.int8)
    out["mismatch"] = pd.Categorical.from_codes(mismatch, categories=list(MISMATCHES))
    out["variant"] = pd.Categorical.from_codes(variant, categories=list(VARIANTS))
    return out


def ladder(assessment: Assessment):
    """One row per supplier level with its status for this assessment, for the staircase chart.

    ``status`` is ``offered`` up to the offered level; above it,
    ``promised, not delivered`` up to the promised level, then
    ``needed, not offered`` up to the required level, else ``not needed``.
    ``marker`` reads ``needed`` on the required level. An outcome offer names
    its Level 4 variant in the label of Level 4 and in ``variant``.

    Examples
    --------
    >>> a = assess_one(0.9, 0.2, 0.3, 0.5, offer={"standard_reliable_product"})
    >>> ladder(a)["status"].tolist()
    ['offered', 'needed, not offered', 'not needed', 'not needed']
    >>> b = assess_one(0.2, 0.5, 0.9, 0.9, offer={"standard_reliable_product", "outcome_as_a_service",
    ...                                           "automated_platform"})
    >>> ladder(b)["label"].iloc[3], ladder(b)["status"].iloc[3]
    ('4 Outcome Offer: full automation', 'offered')
    """
    import pandas as pd

    fw = get(_FRAMEWORK)
    rows = []
    for lv, elements in zip(fw.levels, offer_elements()):
        n = lv.number
        if n <= assessment.offered_level:
            status = "offered"
        elif n <= assessment.promised_level:
            status = "promised, not delivered"
        elif n <= assessment.required_level:
            status = "needed, not offered"
        else:
            status = "not needed"
        variant = assessment.variant if n == 4 else "none"
        suffix = f": {VARIANT_LABELS[variant]}" if variant != "none" else ""
        rows.append({
            "number": n,
            "name": lv.name,
            "label": f"{n} {lv.name}{suffix}",
            "status": status,
            "marker": "needed" if n == assessment.required_level else "",
            "elements": ", ".join(fw.element(e).name for e in elements),
            "variant": variant,
        })
    return pd.DataFrame(rows)


def portfolio_summary(assessed):
    """Product-markets and revenue per (required level, offered level, mismatch) cell.

    Parameters
    ----------
    assessed : pandas.DataFrame
        The output of :func:`assess_frame`; a ``revenue_musd`` column is summed when present.
    """
    import pandas as pd

    frame = assessed.assign(revenue_musd=assessed["revenue_musd"] if "revenue_musd" in assessed else 0.0)
    table = (
        frame.groupby(["required_level", "offered_level", "mismatch"], observed=True)
        .agg(product_markets=("required_level", "size"), revenue_musd=("revenue_musd", "sum"))
        .reset_index()
    )
    table["mismatch"] = table["mismatch"].astype(str)
    return pd.DataFrame(table)


def mismatch_shares(assessed) -> dict[str, float]:
    """Share of product-markets in each mismatch kind (every kind present, summing to 1).

    Examples
    --------
    >>> import pandas as pd
    >>> mismatch_shares(pd.DataFrame({"mismatch": ["matched", "matched", "under_served", "over_served"]}))
    {'over_promised': 0.0, 'under_served': 0.25, 'over_served': 0.25, 'matched': 0.5}
    """
    counts = assessed["mismatch"].astype(str).value_counts()
    total = int(counts.sum())
    return {m: (float(counts.get(m, 0)) / total if total else 0.0) for m in MISMATCHES}


def select_supplier(table, supplier: str):
    """The rows of one supplier in a product-market table with a ``supplier`` column.

    Raises
    ------
    B4BError
        When the supplier has no rows, listing the suppliers the table has.
    """
    rows = table[table["supplier"] == supplier]
    if rows.empty:
        present = ", ".join(sorted(map(str, table["supplier"].unique()))) or "none"
        raise B4BError(f"no product-markets for supplier {supplier!r}", where="parameter 'supplier'",
                       fix=f"Suppliers in the table: {present}.")
    return rows.reset_index(drop=True)


def portfolio_figures(assessed) -> dict[str, float | int | str]:
    """Key figures of an assessed portfolio, for reports and results records.

    Revenue *at risk* is the revenue of product-markets that are under-served
    or over-promised, the two mismatches that cost customers or the supplier.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"mismatch": ["matched", "under_served", "over_promised", "over_served"],
    ...                   "required_level": [1, 2, 4, 1], "revenue_musd": [10.0, 5.0, 3.0, 2.0]})
    >>> f = portfolio_figures(t)
    >>> f["revenue_at_risk_musd"], f["revenue_at_risk_share"], f["levels_needed"]
    (8.0, 0.4, '1, 2, 4')
    """
    shares = mismatch_shares(assessed)
    revenue = assessed["revenue_musd"].astype(float)
    risky = assessed["mismatch"].astype(str).isin(["under_served", "over_promised"]).to_numpy()
    total = float(revenue.sum())
    at_risk = float(revenue[risky].sum())
    figures = {
        "product_markets": int(len(assessed)),
        "revenue_musd": round(total, 2),
        **{f"share_{kind}": round(share, 4) for kind, share in shares.items()},
        "revenue_at_risk_musd": round(at_risk, 2),
        "revenue_at_risk_share": round(at_risk / total, 4) if total else 0.0,
        "levels_needed": ", ".join(str(n) for n in sorted(set(assessed["required_level"].astype(int)))),
    }
    if "variant" in assessed:  # revenue in each Level 4 variant: the bundle carries the most risk
        variant = assessed["variant"].astype(str).to_numpy()
        for kind in VARIANTS[1:]:
            figures[f"revenue_{kind}_musd"] = round(float(revenue[variant == kind].sum()), 2)
    return figures


def why_not_level(offer: Iterable[str], answer: int, framework: Framework | None = None) -> str:
    """Why an offer is not at the level a student named, from the framework's offer elements.

    Examples
    --------
    >>> why_not_level({"standard_reliable_product"}, 2)[:44]
    'Level 2 (Complex Offer) needs every offer el'
    >>> bundle = {"standard_reliable_product", "tailored_product", "implementation_and_maintenance",
    ...           "outcome_as_a_service", "codified_domain_expertise"}
    >>> "all-in bundle" in why_not_level(bundle, 2)
    True
    """
    fw = framework or get(_FRAMEWORK)
    offer_ids = set(offer)
    offered, _, variant = _levels_of(offer_ids)
    if answer > offered:
        lacking = [fw.element(e).name.lower() for e in _missing_up_to(answer, offer_ids)]
        if answer == 4:
            return (f"Level 4 ({fw.level(4).name}) needs the outcome sold as a service, industrialised domain "
                    "expertise, and underneath either an automated platform or a complete Level 2 or 3 offer; "
                    f"this offer lacks: {', '.join(lacking)}.")
        return (f"Level {answer} ({fw.level(answer).name}) needs every offer element up to it, "
                f"and this offer lacks: {', '.join(lacking)}. Levels count only when the steps below are complete.")
    beyond = [fw.element(e).name.lower() for lv in offer_elements(fw)[answer:] for e in lv if e in offer_ids]
    text = (f"Every element of Level {answer} and below is there, but so is more: {', '.join(beyond)}. "
            f"Check whether the next level is complete too.")
    if offered == 4:
        kind = "an all-in bundle" if variant == "all_in_bundle" else "full automation"
        text += (f" Selling the outcome as a service with mastered domain expertise on top of it makes it "
                 f"Level 4, as {kind}.")
    return text


def level_cards(framework: Framework | None = None):
    """One row per level with what the customer gets and what the supplier adds, in the framework's words.

    Returns
    -------
    pandas.DataFrame
        ``level``, ``name``, ``customer_gets`` (the Customer Value Power elements
        added at this level, with their descriptions), ``supplier_adds`` (the
        Supplier Offer Power elements added) and ``examples`` (from the source).

    Examples
    --------
    >>> cards = level_cards()
    >>> cards["supplier_adds"].iloc[2].split(";")[0]
    'Connected product'
    >>> cards["examples"].iloc[2].startswith("GE Healthcare")
    True
    """
    import pandas as pd

    fw = framework or get(_FRAMEWORK)

    def named(elements) -> str:
        return "; ".join(el.name for el in elements)

    rows = []
    for lv in fw.levels:
        value = [el for el in lv.elements if el.dimension == "customer_value_power"]
        offer = [el for el in lv.elements if el.dimension == _OFFER_DIMENSION]
        rows.append({
            "level": lv.number,
            "name": lv.name,
            "customer_gets": " ".join(f"{el.name}: {el.description}" for el in value),
            "supplier_adds": named(offer),
            "examples": "; ".join(ex.text for ex in lv.examples),
        })
    return pd.DataFrame(rows)


def power_lines(framework: Framework | None = None):
    """How far each Power Line reaches at each level: elements added and the running count.

    Levels are cumulative, so a line's length at level n counts its elements of
    levels 1 to n (the + signs of Figures 4.5 and 4.6).

    Returns
    -------
    pandas.DataFrame
        One row per level and line: ``level``, ``level_label``, ``line`` (the
        dimension's name), ``elements`` (running count), ``added`` (names of the
        elements this level adds).

    Examples
    --------
    >>> t = power_lines()
    >>> t[t.line == "Supplier Offer Power"]["elements"].tolist()
    [1, 3, 6, 9]
    """
    import pandas as pd

    fw = framework or get(_FRAMEWORK)
    rows = []
    for dim in fw.dimensions:
        running = 0
        for lv in fw.levels:
            added = [el.name for el in lv.elements if el.dimension == dim.id]
            running += len(added)
            rows.append({"level": lv.number, "level_label": f"{lv.number} {lv.name}", "line": dim.name,
                         "elements": running, "added": "; ".join(added)})
    return pd.DataFrame(rows)


# Three outcome offers that chapter 4 tells apart, for the lesson and its exercises.
LEVEL4_OFFERS = {
    "Full automation on a standard platform":
        {"standard_reliable_product", "outcome_as_a_service", "codified_domain_expertise", "automated_platform"},
    "All-in bundle of Level 2-3 parts, domain codified":
        {"standard_reliable_product", "tailored_product", "implementation_and_maintenance", "connected_product",
         "adoption_services", "operate_services", "outcome_as_a_service", "codified_domain_expertise"},
    "Outcome promise on Level 2 parts, nothing codified":
        {"standard_reliable_product", "tailored_product", "implementation_and_maintenance",
         "outcome_as_a_service"},
}


def compare_offers(offers=None, traits=(0.8, 0.2, 0.9, 0.9)):
    """Assess several named offers for one product-market: level, variant, mismatch and risks side by side.

    Parameters
    ----------
    offers : mapping of name to a set of offer elements, optional
        Default: :data:`LEVEL4_OFFERS`, full automation, an all-in bundle and an over-promise.
    traits : four numbers
        The product-market's traits (default: a hard product and a big outcome stake, which needs Level 4).

    Returns
    -------
    pandas.DataFrame
        ``offer``, ``offered_level``, ``promised_level``, ``variant``, ``mismatch``,
        ``risks`` (the names of the chapter's cautions it carries) and ``missing``.

    Examples
    --------
    >>> compare_offers()[["offered_level", "variant", "mismatch"]].values.tolist()
    [[4, 'full_automation', 'matched'], [4, 'all_in_bundle', 'matched'], [2, 'all_in_bundle', 'over_promised']]
    """
    import pandas as pd

    fw = get(_FRAMEWORK)
    caution = {it.id: it.name for it in fw.lists["cautions"]}
    rows = []
    for name, offer in (offers or LEVEL4_OFFERS).items():
        a = assess_one(*traits, offer=offer)
        rows.append({"offer": name, "offered_level": a.offered_level, "promised_level": a.promised_level,
                     "variant": a.variant, "mismatch": a.mismatch,
                     "risks": "; ".join(caution[r] for r in a.risks),
                     "missing": ", ".join(fw.element(e).name.lower() for e in a.missing)})
    return pd.DataFrame(rows)
