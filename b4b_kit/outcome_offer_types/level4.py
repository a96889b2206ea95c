"""Level 4 economics: full automation against the "all-in bundle", and when an outcome offer stops paying.

A Level 4 supplier bills only for outcomes (consumption or a share of gains),
so when a customer does not reach its outcome the supplier earns nothing but
still pays to serve that customer. B4B chapter 4 draws the consequence: such
an offer avoids losses only if serving one more customer costs almost
nothing. The two Level 4 variants differ exactly there:

* **full automation** — a standard platform built once (a large yearly
  ``platform_cost`` shared by all customers) and a tiny incremental cost to
  serve each customer;
* **all-in bundle** — Level 2 and 3 products and services sold as one package
  at an outcome price; no platform, but people do the work, so the
  incremental cost to serve each customer is high.

Per customer and year, with ``p`` the chance the customer reaches its outcome,
``F`` the fee paid only then, ``c`` the incremental cost to serve and ``P/N``
the customer's part of the platform cost::

    expected margin           = p·F − c − P/N
    margin if the outcome is missed = − c − P/N
    break-even cost to serve  c* = p·F − P/N        (the offer pays while c < c*)
    break-even fee            F* = (c + P/N) / p
    break-even customers      N* = P / (p·F − c)   (platform offers: customers needed to pay for it)

These are the kit's reading of the chapter, which states the rule in words.

Examples
--------
>>> bundle = OutcomeOffer("all-in bundle", fee=150, outcome_probability=0.5, cost_to_serve=90)
>>> expected_margin(bundle), break_even_cost_to_serve(bundle)
(-15.0, 75.0)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .. import checks
from ..errors import B4BError


@dataclass(frozen=True)
class OutcomeOffer:
    """A Level 4 offer as its supplier's economics see it (money in $k per customer-year).

    Parameters
    ----------
    name : str
        E.g. ``"full automation"`` or ``"all-in bundle"``.
    fee : float
        What a customer pays in a year in which it reaches its outcome (nothing otherwise).
    outcome_probability : float
        The chance a customer reaches its outcome in a year (0-1).
    cost_to_serve : float
        Incremental cost of serving one customer for a year, paid whether or not the outcome comes.
    platform_cost : float
        Yearly cost of the shared platform (0 for a bundle without one).
    customers : int
        Customers sharing the platform.
    """

    name: str
    fee: float
    outcome_probability: float
    cost_to_serve: float
    platform_cost: float = 0.0
    customers: int = 1

    def __post_init__(self):
        for field, high, fix in (("fee", None, "A fee is $k per year, 0 or more."),
                                 ("outcome_probability", 1.0, "A probability is from 0 to 1, e.g. 0.8."),
                                 ("cost_to_serve", None, "A cost is $k per customer-year, 0 or more."),
                                 ("platform_cost", None, "A cost is $k per year, 0 or more.")):
            value = checks.number(getattr(self, field), f"{self.name}: {field}", low=0.0, high=high, fix=fix)
            object.__setattr__(self, field, value)
        object.__setattr__(self, "customers", checks.number(
            self.customers, f"{self.name}: customers", low=1, integer=True, of="customers",
            fix="Give how many customers share the platform."))

    @property
    def platform_share(self) -> float:
        """Each customer's part of the yearly platform cost, ``P/N``."""
        return self.platform_cost / self.customers


# The two variants of chapter 4 with made-up but plausible figures: the same fee and the
# same chance of success; automation trades a platform for a near-zero cost to serve.
FULL_AUTOMATION = OutcomeOffer("full automation", fee=150.0, outcome_probability=0.8, cost_to_serve=10.0,
                               platform_cost=20_000.0, customers=500)
ALL_IN_BUNDLE = OutcomeOffer("all-in bundle", fee=150.0, outcome_probability=0.8, cost_to_serve=100.0)


def expected_margin(offer: OutcomeOffer) -> float:
    """Expected margin per customer-year: ``p·F − c − P/N``.

    Examples
    --------
    >>> expected_margin(OutcomeOffer("x", fee=100, outcome_probability=0.9, cost_to_serve=20,
    ...                              platform_cost=1000, customers=100))
    60.0
    """
    return offer.outcome_probability * offer.fee - offer.cost_to_serve - offer.platform_share


def margin_if_missed(offer: OutcomeOffer) -> float:
    """Margin per customer-year when the outcome is missed: the whole cost, no fee.

    Examples
    --------
    >>> margin_if_missed(ALL_IN_BUNDLE)
    -100.0
    """
    return -offer.cost_to_serve - offer.platform_share


def break_even_cost_to_serve(offer: OutcomeOffer) -> float:
    """The incremental cost to serve at which the offer stops paying: ``c* = p·F − P/N``.

    Examples
    --------
    >>> break_even_cost_to_serve(ALL_IN_BUNDLE), break_even_cost_to_serve(FULL_AUTOMATION)
    (120.0, 80.0)
    """
    return offer.outcome_probability * offer.fee - offer.platform_share


def break_even_fee(offer: OutcomeOffer) -> float:
    """The lowest outcome fee that still breaks even: ``(c + P/N) / p`` (``inf`` if p = 0).

    The gap between the fee and this floor is how far a price war can push the
    fee down before the offer loses money.

    Examples
    --------
    >>> round(break_even_fee(ALL_IN_BUNDLE), 2)
    125.0
    """
    cost = offer.cost_to_serve + offer.platform_share
    if offer.outcome_probability == 0:
        return math.inf if cost > 0 else 0.0
    return cost / offer.outcome_probability


def break_even_customers(offer: OutcomeOffer) -> float:
    """Customers needed for the platform to pay for itself: ``P / (p·F − c)``; ``inf`` if no number will do.

    Examples
    --------
    >>> break_even_customers(FULL_AUTOMATION)   # 20,000 / (120 - 10)
    181.8181818181818
    """
    contribution = offer.outcome_probability * offer.fee - offer.cost_to_serve
    if offer.platform_cost == 0:
        return 0.0 if contribution >= 0 else math.inf
    return offer.platform_cost / contribution if contribution > 0 else math.inf


def margin_curve(offers, costs_to_serve):
    """Expected margin of each offer as its incremental cost to serve grows (vectorized).

    Parameters
    ----------
    offers : iterable of OutcomeOffer
    costs_to_serve : array-like
        Incremental costs per customer-year to evaluate (the offers' own values are ignored).

    Returns
    -------
    pandas.DataFrame
        One row per (offer, cost): ``offer``, ``cost_to_serve``, ``expected_margin``,
        ``margin_if_missed``, ``pays`` (expected margin ≥ 0), ``break_even_cost_to_serve``, and the
        offer's own ``own_cost_to_serve`` and ``own_expected_margin`` (where it actually stands).
    """
    import pandas as pd

    costs = np.asarray(costs_to_serve, dtype=float).ravel()
    if costs.size == 0 or not np.isfinite(costs).all() or (costs < 0).any():
        raise B4BError("costs to serve must be finite numbers of 0 or more", where="costs_to_serve",
                       fix="Pass e.g. numpy.linspace(0, 200, 41).")
    frames = []
    for offer in offers:
        if not isinstance(offer, OutcomeOffer):
            raise B4BError(f"expected OutcomeOffer, got {type(offer).__name__}", where="offers",
                           fix="Build each offer with level4.OutcomeOffer(...).")
        earned = offer.outcome_probability * offer.fee
        frames.append(pd.DataFrame({
            "offer": offer.name,
            "cost_to_serve": costs,
            "expected_margin": earned - costs - offer.platform_share,
            "margin_if_missed": -costs - offer.platform_share,
            "pays": earned - costs - offer.platform_share >= 0,
            "break_even_cost_to_serve": break_even_cost_to_serve(offer),
            "own_cost_to_serve": offer.cost_to_serve,
            "own_expected_margin": expected_margin(offer),
        }))
    if not frames:
        raise B4BError("no offers given", where="offers", fix="Pass at least one OutcomeOffer.")
    return pd.concat(frames, ignore_index=True)


def compare_offers(offers=(FULL_AUTOMATION, ALL_IN_BUNDLE)):
    """One row per offer with its key Level 4 figures (expected margin, break-evens, margin if missed).

    Examples
    --------
    >>> compare_offers().set_index("offer")["expected_margin"].tolist()
    [70.0, 20.0]
    """
    import pandas as pd

    return pd.DataFrame([{
        "offer": o.name,
        "fee": o.fee,
        "outcome_probability": o.outcome_probability,
        "cost_to_serve": o.cost_to_serve,
        "platform_share": o.platform_share,
        "expected_margin": expected_margin(o),
        "margin_if_missed": margin_if_missed(o),
        "break_even_cost_to_serve": break_even_cost_to_serve(o),
        "break_even_fee": break_even_fee(o),
        "break_even_customers": break_even_customers(o),
    } for o in offers])
