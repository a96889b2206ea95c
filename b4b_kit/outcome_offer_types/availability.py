"""Availability (performance) contracts: how much spare-parts stock a supplier holds when paid for uptime.

Kim, Cohen & Netessine (2007) model a customer who needs an end product to be
available and pays the suppliers of its subsystems on availability rather than
on parts and repairs. Each supplier chooses a spare-parts *base stock* ``s``.
Parts on order (in repair or in transit) at a random moment, ``X``, are taken
as normal; whatever is on order beyond the stock is a *backorder*, a unit the
customer waits for:

    E[backorders] = E[(X - s)+] = σ · (φ(z) - z · (1 - Φ(z))),   z = (s - μ) / σ

(the normal loss function: the same partial expectation as
:func:`b4b_kit.outcome_offer_types.pricing.expected_positive_gain`, which is
E[G+] for a gain G = μ - s). When every party is risk-neutral the customer can
reach the *first best*: the least stock that keeps total expected backorders
within its budget, split evenly when the suppliers are alike.

The paper's e-companion (Appendix A) publishes s = 8.725 for two symmetric
suppliers; its inputs are partly lost in the copy read, and with on-order
inventory N(10, variance 10) and a budget of 4 backorders the first best below
gives 8.72537 (shared/reviews/domain_references.md, section 3.1). The kit does
not model the second-best linear contract of the paper's risk-averse case.

Examples
--------
>>> round(first_best_base_stock(mean=10, variance=10, backorder_budget=4, suppliers=2), 3)
8.725
>>> round(expected_backorders(8.725367, mean=10, variance=10), 6)
2.0
"""

from __future__ import annotations

import math

from ..errors import B4BError


def _phi(z: float) -> float:
    return math.exp(-0.5 * z * z) / math.sqrt(2 * math.pi)


def _Phi(z: float) -> float:
    return 0.5 * math.erfc(-z / math.sqrt(2))


def _number(value: object, where: str, *, positive: bool = False, minimum: float | None = None) -> float:
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    if ok and positive:
        ok = value > 0
    if ok and minimum is not None:
        ok = value >= minimum
    if not ok:
        need = "a number above 0" if positive else f"a number of {minimum:g} or more" if minimum is not None \
            else "a finite number"
        raise B4BError(f"expected {need}, got {value!r}", where=where, fix=f"Pass {need}.")
    return float(value)


def expected_backorders(base_stock: float, mean: float, variance: float) -> float:
    """Expected units on backorder, E[(X - s)+], when parts on order X are normal(``mean``, ``variance``).

    Parameters
    ----------
    base_stock : float
        The supplier's base stock ``s`` (units).
    mean, variance : float
        Mean and variance of the units on order (in repair or transit).

    Examples
    --------
    With no spread the backorders are simply what is on order beyond the stock:

    >>> expected_backorders(8, mean=10, variance=0), expected_backorders(12, mean=10, variance=0)
    (2.0, 0.0)
    >>> round(expected_backorders(10, mean=10, variance=10), 4)  # sd * phi(0)
    1.2616
    """
    s = _number(base_stock, "base_stock")
    mu = _number(mean, "mean")
    var = _number(variance, "variance", minimum=0)
    if var == 0:
        return max(mu - s, 0.0)
    sd = math.sqrt(var)
    z = (s - mu) / sd
    return sd * (_phi(z) - z * (1 - _Phi(z)))


def first_best_base_stock(mean: float, variance: float, backorder_budget: float, suppliers: int = 1) -> float:
    """The least base stock per supplier that keeps total expected backorders within the budget.

    Alike suppliers share the customer's budget evenly, so each solves
    E[(X - s)+] = ``backorder_budget`` / ``suppliers`` (the loss falls as the
    stock rises, so the root is unique; found by bisection to 1e-10).

    Parameters
    ----------
    mean, variance : float
        Mean and variance of one supplier's units on order.
    backorder_budget : float
        The customer's cap on total expected backorders (above 0).
    suppliers : int
        How many alike suppliers share it.

    Examples
    --------
    Kim, Cohen & Netessine (2007), e-companion Appendix A: two suppliers, a budget of 4.

    >>> round(first_best_base_stock(10, 10, 4, suppliers=2), 5)
    8.72537
    >>> first_best_base_stock(10, 0, 4, suppliers=2)  # no spread: hold all but the 2 allowed
    8.0
    """
    mu = _number(mean, "mean")
    var = _number(variance, "variance", minimum=0)
    budget = _number(backorder_budget, "backorder_budget", positive=True)
    if isinstance(suppliers, bool) or not isinstance(suppliers, int) or suppliers < 1:
        raise B4BError(f"expected a whole number of 1 or more, got {suppliers!r}", where="suppliers",
                       fix="Pass how many alike suppliers share the budget, e.g. 2.")
    share = budget / suppliers
    if var == 0:
        return mu - share
    sd = math.sqrt(var)
    lo, hi = mu - share - 10 * sd, mu + 40 * sd  # loss(lo) >= mu - lo > share; loss(hi) is ~0 < share
    while hi - lo > 1e-10 * max(1.0, abs(mu)):
        mid = 0.5 * (lo + hi)
        if expected_backorders(mid, mu, var) > share:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)
