"""One supplier-customer deal billed five ways, and who carries the outcome risk under each.

The deal is the same under every scheme — the same product, the same service,
the same cost to serve. Only the way the customer pays changes:

==============================  =================================================
scheme id                       the customer pays (all money in $k)
==============================  =================================================
``upfront_licence_maintenance`` ``licence_fee`` at signing, then ``maintenance_rate`` × licence each year
``subscription``                ``subscription_fee`` each year, whatever happens
``pay_per_use`` (Type 1)        ``price_per_unit`` × units used, each year
``pay_per_kpi`` (Type 2)        ``kpi_fee`` each year, only if the KPI improvement reaches ``kpi_target``
``gain_share`` (Type 3)         ``gain_share`` × the financial gain realised, each year (nothing when there is no gain)
==============================  =================================================

Three things about the deal are uncertain, and each depends on the one before
(a *chain*: use drives the KPI, the KPI drives the money):

* **usage** — units used per year; lognormal with mean ``usage_mean`` and
  standard deviation ``usage_sd`` (never negative);
* **KPI improvement** — e.g. 0.08 for 8 % better retention; normal with
  ``kpi_mean`` and ``kpi_sd``;
* **financial gain** — the customer's saving or extra revenue per year, in $k;
  normal with ``gain_mean`` and ``gain_sd`` (below zero the deal cost the customer money).

Standard normal draws are linked by ``chain_correlation`` ρ: the KPI's draw is
``ρ·z_usage + √(1-ρ²)·z₂`` and the gain's is ``ρ·z_kpi + √(1-ρ²)·z₃``. So the
gain follows usage only loosely (correlation ρ²) and carries the whole chain's
uncertainty. Each scenario draws once and keeps its level for the whole
contract: a scenario is one way the deal can turn out, not one year's noise.

Payments and costs fall at the end of years 1..``years`` and are discounted
at ``discount_rate``; the licence fee and the supplier's ``setup_cost`` fall at
signing (year 0). The supplier's cost to serve is ``setup_cost`` +
(``fixed_cost`` + ``unit_cost`` × usage) each year.

**Who carries the outcome risk.** The customer's outcome is its financial gain
``G`` (NPV). Whatever the supplier bills, ``R``, comes out of it, so the
customer keeps ``G - R``. The kit measures the supplier's share of the outcome
risk as the slope of its revenue on the customer's gain::

    supplier_risk_share = Cov(R, G) / Var(G)        customer_risk_share = 1 - supplier_risk_share

Read it as: of every $1 by which the gain falls short of (or beats)
expectations, the supplier loses (or wins) ``supplier_risk_share`` dollars and
the customer the rest. A fixed price gives 0: the customer carries it all. A
gain share ``s`` of a gain that is never negative gives exactly ``s``. When the
gain does not vary there is no outcome risk to share and both shares are
reported as 0 and 1.

Examples
--------
>>> deal = DealAssumptions(usage_sd=0, kpi_sd=0, gain_sd=0, years=1, discount_rate=0)
>>> {k: round(v, 2) for k, v in expected_revenue(deal).items()}
{'upfront_licence_maintenance': 408.0, 'subscription': 200.0, 'pay_per_use': 200.0,
 'pay_per_kpi': 240.0, 'gain_share': 200.0}
>>> {k: round(v, 3) for k, v in expected_risk_share(DealAssumptions()).items()}
{'upfront_licence_maintenance': 0.0, 'subscription': 0.0, 'pay_per_use': 0.04,
 'pay_per_kpi': 0.085, 'gain_share': 0.238}
>>> summary = summarize(simulate(DealAssumptions(), n=100_000, seed=0))
>>> summary["supplier_risk_share"].round(1).tolist()
[0.0, 0.0, 0.0, 0.1, 0.2]
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, fields, replace

import numpy as np

from .. import checks
from ..errors import B4BError

SCHEMES = ("upfront_licence_maintenance", "subscription", "pay_per_use", "pay_per_kpi", "gain_share")
"""Scheme ids, in the order the framework ``outcome_offer_types`` lists them (pricing_schemes)."""

SHORT_NAMES = {
    "upfront_licence_maintenance": "Licence + maintenance",
    "subscription": "Subscription",
    "pay_per_use": "Type 1: pay per use",
    "pay_per_kpi": "Type 2: pay per KPI",
    "gain_share": "Type 3: gain share",
}

PRICE_FIELDS = {
    "upfront_licence_maintenance": "licence_fee",
    "subscription": "subscription_fee",
    "pay_per_use": "price_per_unit",
    "pay_per_kpi": "kpi_fee",
    "gain_share": "gain_share",
}
"""The field of :class:`DealAssumptions` that sets each scheme's price level."""

MAX_SCENARIOS = 5_000_000


def annuity_factor(years: int, rate: float) -> float:
    """Present value of 1 paid at the end of each of ``years`` years, discounted at ``rate``.

    Examples
    --------
    Three years at 10 %: 1/1.1 + 1/1.1² + 1/1.1³.

    >>> round(annuity_factor(3, 0.10), 6)
    2.486852
    >>> annuity_factor(4, 0.0)
    4.0
    """
    _check_years(years, "years")
    checks.number(rate, "discount_rate", low=0.0, high=1.0)
    if rate == 0:
        return float(years)
    return (1.0 - (1.0 + rate) ** -years) / rate


def _check_years(value: object, where: str) -> int:
    return checks.number(value, where, low=1, high=50, integer=True, of="years",
                         fix="Give the contract length in whole years, e.g. 3.")


# name: (low, high, fix) for the checks of DealAssumptions; None = no bound
_RANGES = {
    "usage_mean": (0.0, None, "Usage is units per year: zero or more."),
    "usage_sd": (0.0, None, "A spread is zero (no uncertainty) or more."),
    "kpi_mean": (None, None, None),
    "kpi_sd": (0.0, None, "A spread is zero (no uncertainty) or more."),
    "gain_mean": (None, None, None),
    "gain_sd": (0.0, None, "A spread is zero (no uncertainty) or more."),
    "chain_correlation": (0.0, 1.0, "0 means usage, KPI and gain move independently; 1 means in lock-step."),
    "setup_cost": (0.0, None, "Costs are zero or more, in $k."),
    "fixed_cost": (0.0, None, "Costs are zero or more, in $k per year."),
    "unit_cost": (0.0, None, "Costs are zero or more, in $k per unit of usage."),
    "discount_rate": (0.0, 1.0, "Give the yearly rate as a fraction, e.g. 0.08 for 8 %."),
    "licence_fee": (0.0, None, "Prices are zero or more, in $k."),
    "maintenance_rate": (0.0, 1.0, "Give maintenance as a share of the licence fee per year, e.g. 0.2."),
    "subscription_fee": (0.0, None, "Prices are zero or more, in $k per year."),
    "price_per_unit": (0.0, None, "Prices are zero or more, in $k per unit."),
    "kpi_fee": (0.0, None, "Prices are zero or more, in $k per year."),
    "kpi_target": (None, None, None),
    "gain_share": (0.0, 1.0, "Give the supplier's share of the gain as a fraction, e.g. 0.25."),
}


@dataclass(frozen=True)
class DealAssumptions:
    """Everything the pricing model needs about one deal (money in $k; per year unless noted).

    The defaults describe a made-up mid-size deal whose five prices all
    expect roughly the same revenue (about $200k a year), so that the schemes
    differ in who carries the risk, not in how much they charge.

    Parameters
    ----------
    usage_mean, usage_sd : float
        Units used per year (lognormal). ``usage_sd=0`` makes usage certain.
    kpi_mean, kpi_sd : float
        Improvement of the agreed KPI (normal), e.g. 0.08 for 8 %.
    gain_mean, gain_sd : float
        The customer's financial gain per year, $k (normal).
    chain_correlation : float
        How closely each link of usage → KPI → gain follows the one before (0-1).
    setup_cost : float
        The supplier's cost to set up and deploy, at signing.
    fixed_cost, unit_cost : float
        The supplier's cost to serve: per year, and per unit used.
    years : int
        Contract length.
    discount_rate : float
        Yearly rate for the NPV.
    licence_fee, maintenance_rate, subscription_fee, price_per_unit, kpi_fee, kpi_target, gain_share
        The five schemes' prices (see the module docstring).
    """

    usage_mean: float = 1000.0
    usage_sd: float = 200.0
    kpi_mean: float = 0.08
    kpi_sd: float = 0.03
    gain_mean: float = 800.0
    gain_sd: float = 480.0
    chain_correlation: float = 0.7
    setup_cost: float = 100.0
    fixed_cost: float = 40.0
    unit_cost: float = 0.05
    years: int = 3
    discount_rate: float = 0.08
    licence_fee: float = 340.0
    maintenance_rate: float = 0.2
    subscription_fee: float = 200.0
    price_per_unit: float = 0.2
    kpi_fee: float = 240.0
    kpi_target: float = 0.05
    gain_share: float = 0.25

    def __post_init__(self):
        for name, (low, high, fix) in _RANGES.items():
            value = checks.number(getattr(self, name), f"DealAssumptions.{name}", low=low, high=high, fix=fix)
            object.__setattr__(self, name, value)
        object.__setattr__(self, "years", _check_years(self.years, "DealAssumptions.years"))
        if self.usage_mean == 0 and self.usage_sd > 0:
            raise B4BError("usage has a spread but a mean of 0", where="DealAssumptions.usage_sd",
                           fix="Usage cannot be negative: give a positive usage_mean, or usage_sd=0.")

    @property
    def annuity(self) -> float:
        """Present value of 1 a year over the contract (see :func:`annuity_factor`)."""
        return annuity_factor(self.years, self.discount_rate)

    def with_uncertainty(self, scale: float) -> DealAssumptions:
        """The same deal with every spread (usage, KPI, gain) multiplied by ``scale``.

        Examples
        --------
        >>> DealAssumptions().with_uncertainty(0.5).gain_sd
        240.0
        """
        scale = checks.number(scale, "uncertainty", low=0.0, fix="0 removes all uncertainty; 1 keeps it as it is.")
        return replace(self, usage_sd=self.usage_sd * scale, kpi_sd=self.kpi_sd * scale,
                       gain_sd=self.gain_sd * scale)


def assumptions_table(deal: DealAssumptions):
    """The assumptions as a table (name, value, meaning), for a case study to state them.

    Examples
    --------
    >>> assumptions_table(DealAssumptions()).set_index("assumption").loc["years", "meaning"]
    'contract length, years'
    """
    import pandas as pd

    meaning = {
        "usage_mean": "units used per year, mean", "usage_sd": "units used per year, spread (sd)",
        "kpi_mean": "KPI improvement, mean", "kpi_sd": "KPI improvement, spread (sd)",
        "gain_mean": "customer's financial gain, $k/year, mean", "gain_sd": "financial gain, spread (sd)",
        "chain_correlation": "how closely usage -> KPI -> gain follow each other (0-1)",
        "setup_cost": "supplier's set-up and deployment cost, $k at signing",
        "fixed_cost": "supplier's fixed cost to serve, $k/year", "unit_cost": "supplier's cost per unit used, $k",
        "years": "contract length, years", "discount_rate": "discount rate per year",
        "licence_fee": "licence fee, $k at signing", "maintenance_rate": "maintenance, share of licence per year",
        "subscription_fee": "subscription, $k/year", "price_per_unit": "Type 1 price per unit used, $k",
        "kpi_fee": "Type 2 fee, $k per year the KPI target is met", "kpi_target": "Type 2 KPI target",
        "gain_share": "Type 3 supplier's share of the realised gain",
    }
    return pd.DataFrame([{"assumption": f.name, "value": float(getattr(deal, f.name)), "meaning": meaning[f.name]}
                         for f in fields(deal)])


# ---------------------------------------------------------------- closed forms


def _phi(z: float) -> float:
    return math.exp(-0.5 * z * z) / math.sqrt(2 * math.pi)


def _Phi(z: float) -> float:
    return 0.5 * math.erfc(-z / math.sqrt(2))


def _log_sd(deal: DealAssumptions) -> float:
    """σ of log-usage for a lognormal with the deal's mean and sd."""
    if deal.usage_sd == 0:
        return 0.0
    return math.sqrt(math.log1p((deal.usage_sd / deal.usage_mean) ** 2))


def kpi_probability(deal: DealAssumptions) -> float:
    """Chance that the KPI improvement reaches the target, P(KPI ≥ ``kpi_target``).

    Examples
    --------
    Mean 8 %, sd 3 points, target 5 %: one sd below the mean.

    >>> round(kpi_probability(DealAssumptions()), 4)
    0.8413
    """
    if deal.kpi_sd == 0:
        return 1.0 if deal.kpi_mean >= deal.kpi_target else 0.0
    return _Phi((deal.kpi_mean - deal.kpi_target) / deal.kpi_sd)


def expected_positive_gain(deal: DealAssumptions) -> float:
    """Mean of max(gain, 0) per year: what a gain share is a share of.

    Examples
    --------
    >>> expected_positive_gain(DealAssumptions(gain_mean=-5, gain_sd=0))
    0.0
    """
    m, s = deal.gain_mean, deal.gain_sd
    if s == 0:
        return max(m, 0.0)
    return m * _Phi(m / s) + s * _phi(m / s)


def _revenue_per_price(deal: DealAssumptions) -> dict[str, float]:
    """Expected revenue NPV per unit of each scheme's price field (revenue is linear in it)."""
    a = deal.annuity
    return {
        "upfront_licence_maintenance": 1.0 + deal.maintenance_rate * a,
        "subscription": a,
        "pay_per_use": deal.usage_mean * a,
        "pay_per_kpi": kpi_probability(deal) * a,
        "gain_share": expected_positive_gain(deal) * a,
    }


def expected_revenue(deal: DealAssumptions) -> dict[str, float]:
    """Expected NPV of the supplier's revenue (= the customer's cost) per scheme, in closed form.

    With no uncertainty this is the revenue itself: e.g. a 3-year subscription
    of 100 at 10 % is worth 100 × 2.486852.

    Examples
    --------
    >>> round(expected_revenue(DealAssumptions(subscription_fee=100, discount_rate=0.1))["subscription"], 4)
    248.6852
    """
    per_price = _revenue_per_price(deal)
    return {s: getattr(deal, PRICE_FIELDS[s]) * per_price[s] for s in SCHEMES}


def expected_cost(deal: DealAssumptions) -> float:
    """Expected NPV of the supplier's cost to serve (the same under every scheme).

    Examples
    --------
    >>> expected_cost(DealAssumptions(setup_cost=10, fixed_cost=5, unit_cost=0.01, usage_mean=100,
    ...                               years=2, discount_rate=0))
    22.0
    """
    return deal.setup_cost + (deal.fixed_cost + deal.unit_cost * deal.usage_mean) * deal.annuity


def break_even_price(deal: DealAssumptions, scheme: str) -> float:
    """The price (the scheme's field in :data:`PRICE_FIELDS`) at which the expected margin is zero.

    Returns ``inf`` when the scheme can never earn anything (e.g. a KPI that is
    never met), so no price breaks even.

    Examples
    --------
    Set-up 120 and a fixed cost of 40 a year for 3 years, no discounting: a
    subscription must bring 240 / 3 a year; a KPI fee met with certainty the same.

    >>> deal = DealAssumptions(setup_cost=120, fixed_cost=40, unit_cost=0, years=3, discount_rate=0,
    ...                        kpi_sd=0)
    >>> break_even_price(deal, "subscription"), break_even_price(deal, "pay_per_kpi")
    (80.0, 80.0)
    """
    checks.choice(scheme, "scheme", SCHEMES)
    per_price = _revenue_per_price(deal)[scheme]
    return expected_cost(deal) / per_price if per_price > 0 else math.inf


def break_even_unit_cost(deal: DealAssumptions, scheme: str) -> float:
    """The supplier's cost per unit used at which a scheme's expected margin is zero.

    ``(E[revenue] - setup_cost - fixed_cost × annuity) / (usage_mean × annuity)``;
    ``inf`` when usage is zero (no unit cost can hurt). Below it the offer pays.
    B4B's point about Level 4: the nearer the incremental cost is to zero, the
    safer it is to bill only for use or results.

    Examples
    --------
    Pay per use at 0.2 a unit, 1,000 units a year, fixed costs 50 a year, one year, no discounting:

    >>> deal = DealAssumptions(price_per_unit=0.2, usage_mean=1000, setup_cost=0, fixed_cost=50,
    ...                        years=1, discount_rate=0)
    >>> round(break_even_unit_cost(deal, "pay_per_use"), 6)
    0.15
    """
    checks.choice(scheme, "scheme", SCHEMES)
    a = deal.annuity
    units = deal.usage_mean * a
    if units == 0:
        return math.inf
    return (expected_revenue(deal)[scheme] - deal.setup_cost - deal.fixed_cost * a) / units


def equal_revenue_prices(deal: DealAssumptions, annual_revenue: float, schemes=SCHEMES) -> DealAssumptions:
    """The deal repriced so that the given schemes expect the same revenue NPV, ``annual_revenue`` × annuity.

    Only the price levels move (licence fee at the deal's maintenance rate,
    subscription fee, price per unit, KPI fee, gain share); the KPI target and
    everything else stay, and so do the prices of schemes not named in
    ``schemes``. Comparing schemes at equal expected revenue isolates who
    carries the risk from how much is charged.

    Examples
    --------
    >>> deal = equal_revenue_prices(DealAssumptions(gain_sd=0, kpi_sd=0), 100)
    >>> deal.subscription_fee, deal.gain_share, round(deal.price_per_unit, 3)
    (100.0, 0.125, 0.1)
    >>> equal_revenue_prices(DealAssumptions(), 100, schemes=["subscription"]).gain_share  # unchanged
    0.25
    """
    annual_revenue = checks.number(annual_revenue, "annual_revenue", low=0.0, fix="Give $k per year, e.g. 200.")
    for scheme in schemes:
        checks.choice(scheme, "scheme", SCHEMES)
    target = annual_revenue * deal.annuity
    per_price = _revenue_per_price(deal)
    prices = {}
    for scheme in schemes:
        if per_price[scheme] <= 0:
            why = {"pay_per_use": "usage is always zero", "pay_per_kpi": "the KPI target is never reached",
                   "gain_share": "there is never a gain to share"}[scheme]
            raise B4BError(f"{SHORT_NAMES[scheme]} cannot earn {annual_revenue:g} a year: {why}",
                           where="equal_revenue_prices", fix="Change the deal's usage, KPI or gain assumptions.")
        prices[PRICE_FIELDS[scheme]] = target / per_price[scheme]
    if prices.get("gain_share", 0.0) > 1:
        raise B4BError(f"a gain share of {prices['gain_share']:.0%} would be needed to earn "
                       f"{annual_revenue:g} a year", where="equal_revenue_prices",
                       fix="Lower annual_revenue below the expected gain, or raise the gain assumptions.")
    return replace(deal, **prices)


def expected_risk_share(deal: DealAssumptions) -> dict[str, float]:
    """The supplier's share of the outcome risk per scheme, in closed form (see the module docstring).

    Licence and subscription: 0. Type 1: ``price · ρ² · usage_mean · σ_log / gain_sd``
    (σ_log the sd of log-usage). Type 2: ``kpi_fee · ρ · φ(z) / gain_sd`` with
    ``z = (kpi_target - kpi_mean) / kpi_sd``. Type 3: ``gain_share · Φ(gain_mean / gain_sd)``
    (Stein's lemma for normal draws). All 0 when the gain does not vary.

    Examples
    --------
    >>> round(expected_risk_share(DealAssumptions(gain_sd=1e-9, gain_mean=10))["gain_share"], 6)
    0.25
    """
    out = dict.fromkeys(SCHEMES, 0.0)
    if deal.gain_sd == 0:
        return out
    rho, sg = deal.chain_correlation, deal.gain_sd
    out["pay_per_use"] = deal.price_per_unit * rho ** 2 * deal.usage_mean * _log_sd(deal) / sg
    if deal.kpi_sd > 0:
        out["pay_per_kpi"] = deal.kpi_fee * rho * _phi((deal.kpi_target - deal.kpi_mean) / deal.kpi_sd) / sg
    out["gain_share"] = deal.gain_share * _Phi(deal.gain_mean / sg)
    return out


# ---------------------------------------------------------------- simulation


@dataclass(frozen=True, eq=False)
class Simulation:
    """Simulated scenarios of one deal: the draws, and revenue and cost NPVs per scheme.

    Attributes
    ----------
    usage, kpi, gain : numpy.ndarray, shape (n,)
        Units per year, KPI improvement, financial gain per year ($k).
    revenue : numpy.ndarray, shape (5, n)
        NPV of the supplier's revenue (the customer's cost), one row per scheme in :data:`SCHEMES` order.
    cost : numpy.ndarray, shape (n,)
        NPV of the supplier's cost to serve.
    """

    deal: DealAssumptions
    usage: np.ndarray
    kpi: np.ndarray
    gain: np.ndarray
    revenue: np.ndarray
    cost: np.ndarray

    @property
    def n(self) -> int:
        """The number of scenarios."""
        return int(self.usage.shape[0])

    @property
    def gain_npv(self) -> np.ndarray:
        """NPV of the customer's gain per scenario (before paying the supplier)."""
        return self.gain * self.deal.annuity

    @property
    def margin(self) -> np.ndarray:
        """The supplier's margin NPV, shape (5, n)."""
        return self.revenue - self.cost

    @property
    def customer_net(self) -> np.ndarray:
        """The customer's gain NPV after paying the supplier, shape (5, n)."""
        return self.gain_npv - self.revenue


def _check_run(n: object, seed: object) -> tuple[int, int]:
    n = checks.number(n, "n", low=2, high=MAX_SCENARIOS, integer=True, of="scenarios",
                      fix="Use e.g. n=100_000 (20_000 is plenty for a dashboard).")
    seed = checks.number(seed, "seed", low=0, integer=True,
                         fix="Pass e.g. seed=0; the same seed gives the same scenarios.")
    return n, seed


def _normals(n: int, seed: int) -> np.ndarray:
    """The (3, n) standard normal draws behind usage, KPI and gain: shared by both implementations."""
    return np.random.default_rng(seed).standard_normal((3, n))


def simulate(deal: DealAssumptions, n: int = 100_000, seed: int = 0) -> Simulation:
    """Simulate ``n`` scenarios of the deal under all five schemes at once (vectorized).

    A million scenarios take a fraction of a second. The same seed gives the
    same scenarios, and the same draws are used for every scheme, so
    differences between schemes are never sampling noise.

    Examples
    --------
    >>> sim = simulate(DealAssumptions(usage_sd=0, kpi_sd=0, gain_sd=0, years=1, discount_rate=0), n=3)
    >>> sim.revenue[:, 0].tolist()
    [408.0, 200.0, 200.0, 240.0, 200.0]
    """
    if not isinstance(deal, DealAssumptions):
        raise B4BError(f"expected DealAssumptions, got {type(deal).__name__}", where="deal",
                       fix="Build the deal with pricing.DealAssumptions(...).")
    n, seed = _check_run(n, seed)
    z = _normals(n, seed)
    rho = deal.chain_correlation
    rest = math.sqrt(1.0 - rho * rho)
    z_kpi = rho * z[0] + rest * z[1]
    z_gain = rho * z_kpi + rest * z[2]

    s_log = _log_sd(deal)
    if s_log == 0:
        usage = np.full(n, deal.usage_mean)
    else:
        usage = np.exp(z[0] * s_log + (math.log(deal.usage_mean) - 0.5 * s_log * s_log))
    kpi = deal.kpi_mean + deal.kpi_sd * z_kpi
    gain = deal.gain_mean + deal.gain_sd * z_gain

    a = deal.annuity
    revenue = np.empty((len(SCHEMES), n))
    revenue[0] = deal.licence_fee * (1.0 + deal.maintenance_rate * a)
    revenue[1] = deal.subscription_fee * a
    np.multiply(usage, deal.price_per_unit * a, out=revenue[2])
    revenue[3] = np.where(kpi >= deal.kpi_target, deal.kpi_fee * a, 0.0)
    np.maximum(gain, 0.0, out=revenue[4])
    revenue[4] *= deal.gain_share * a
    cost = deal.setup_cost + (deal.fixed_cost + deal.unit_cost * usage) * a
    return Simulation(deal, usage, kpi, gain, revenue, cost)


def risk_share(revenue, gain) -> float:
    """The supplier's share of the outcome risk: ``Cov(revenue, gain) / Var(gain)``, 0 if the gain is constant.

    Parameters
    ----------
    revenue, gain : array-like, same length
        The supplier's revenue and the customer's gain in each scenario (same units).

    Examples
    --------
    Gain 0 or 10 with equal chance; the supplier is paid 2 only when the gain is 10:

    >>> risk_share([0, 2], [0, 10])
    0.2
    >>> risk_share([5, 5], [0, 10])   # a fixed price: the customer carries it all
    0.0
    """
    r = np.asarray(revenue, dtype=float)
    g = np.asarray(gain, dtype=float)
    if r.shape != g.shape:
        raise B4BError(f"revenue has shape {r.shape} but gain has {g.shape}", where="risk_share",
                       fix="Give one revenue and one gain per scenario.")
    gc = g - g.mean()
    var = float(gc @ gc)
    if var <= 0 or g.min() == g.max() or r.min() == r.max():
        return 0.0
    return float((r - r.mean()) @ gc / var)


SUMMARY_COLUMNS = (
    "scheme", "name", "revenue_mean", "revenue_sd", "revenue_p5", "revenue_p95",
    "margin_mean", "margin_p5", "margin_p95", "loss_probability",
    "customer_cost_mean", "cost_per_unit_used", "cost_per_unit_of_gain",
    "customer_net_mean", "customer_net_sd", "customer_loss_probability",
    "supplier_risk_share", "customer_risk_share",
)


def summarize(sim: Simulation):
    """One row per scheme: revenue, margin, chance of loss, customer cost and who carries the risk.

    Columns (money as NPV in $k): ``revenue_mean/sd/p5/p95``; ``margin_mean/p5/p95``;
    ``loss_probability`` (supplier margin below 0); ``customer_cost_mean``;
    ``cost_per_unit_used`` (customer cost over discounted units used) and
    ``cost_per_unit_of_gain`` (customer cost over the gain's NPV, both as
    ratios of means; NaN when the mean is not positive); ``customer_net_mean/sd``
    and ``customer_loss_probability`` (the customer pays more than it gains);
    ``supplier_risk_share`` and ``customer_risk_share`` (module docstring).
    """
    import pandas as pd

    a = sim.deal.annuity
    rev = sim.revenue
    n = sim.n
    rev_mean = rev.mean(axis=1)
    constant = rev.min(axis=1) == rev.max(axis=1)
    varies = np.flatnonzero(~constant)
    # Quantiles dominate the run time: skip them for fixed prices, whose revenue is one number
    # and whose margin quantiles mirror the cost's (the q-quantile of c - x is c minus x's (1-q)-quantile).
    rev_q = np.repeat(rev[:, :1], 2, axis=1).T.copy()
    margin_q = np.empty((2, len(SCHEMES)))
    if varies.size:
        rev_q[:, varies] = np.quantile(rev[varies], [0.05, 0.95], axis=1)
        margin_q[:, varies] = np.quantile(rev[varies] - sim.cost, [0.05, 0.95], axis=1)
    if varies.size < len(SCHEMES):
        cost_q = np.quantile(sim.cost, [0.95, 0.05])
        fixed = np.flatnonzero(constant)
        margin_q[:, fixed] = rev[fixed, 0] - cost_q[:, None]
    loss = np.count_nonzero(rev < sim.cost, axis=1) / n
    g = sim.gain_npv
    g_mean = float(g.mean())
    gc = g - g_mean
    # exact zeros for constants: a summed mean leaves rounding residue that would fake a covariance
    var_g = float(gc @ gc) if g.min() < g.max() else 0.0
    shares = (rev - rev_mean[:, None]) @ gc / var_g if var_g > 0 else np.zeros(len(SCHEMES))
    shares[constant] = 0.0
    net = g - rev
    usage_npv_mean = float(sim.usage.mean()) * a
    return pd.DataFrame({
        "scheme": list(SCHEMES),
        "name": [SHORT_NAMES[s] for s in SCHEMES],
        "revenue_mean": rev_mean,
        "revenue_sd": np.where(constant, 0.0, rev.std(axis=1)),
        "revenue_p5": rev_q[0],
        "revenue_p95": rev_q[1],
        "margin_mean": rev_mean - float(sim.cost.mean()),
        "margin_p5": margin_q[0],
        "margin_p95": margin_q[1],
        "loss_probability": loss,
        "customer_cost_mean": rev_mean,
        "cost_per_unit_used": rev_mean / usage_npv_mean if usage_npv_mean > 0 else np.nan,
        "cost_per_unit_of_gain": rev_mean / g_mean if g_mean > 0 else np.nan,
        "customer_net_mean": net.mean(axis=1),
        "customer_net_sd": net.std(axis=1),
        "customer_loss_probability": np.count_nonzero(net < 0, axis=1) / n,
        "supplier_risk_share": shares,
        "customer_risk_share": 1.0 - shares,
    }, columns=list(SUMMARY_COLUMNS))


def price(deal: DealAssumptions, n: int = 100_000, seed: int = 0):
    """Simulate and summarize in one call: ``summarize(simulate(deal, n, seed))``."""
    return summarize(simulate(deal, n, seed))


# ---------------------------------------------------------------- plain-Python reference


def _quantile(sorted_values: list[float], q: float) -> float:
    """Numpy's default ('linear') quantile of an already sorted list."""
    h = (len(sorted_values) - 1) * q
    lo = math.floor(h)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (h - lo) * (sorted_values[hi] - sorted_values[lo])


def reference_summary(deal: DealAssumptions, n: int = 1000, seed: int = 0):
    """The same numbers as ``summarize(simulate(deal, n, seed))``, one scenario at a time in plain Python.

    Slow on purpose: it is the yardstick that the vectorized version is tested
    and benchmarked against (same draws, same formulas, written out per scenario).
    """
    import pandas as pd

    n, seed = _check_run(n, seed)
    z = _normals(n, seed).tolist()
    rho = deal.chain_correlation
    rest = math.sqrt(1.0 - rho * rho)
    s_log = _log_sd(deal)
    mu_log = math.log(deal.usage_mean) - 0.5 * s_log * s_log if deal.usage_mean > 0 else 0.0
    a = deal.annuity

    revenues = [[] for _ in SCHEMES]
    costs, gains, usages = [], [], []
    for i in range(n):
        z_kpi = rho * z[0][i] + rest * z[1][i]
        z_gain = rho * z_kpi + rest * z[2][i]
        usage = math.exp(mu_log + s_log * z[0][i]) if s_log > 0 else deal.usage_mean
        kpi = deal.kpi_mean + deal.kpi_sd * z_kpi
        gain = deal.gain_mean + deal.gain_sd * z_gain
        revenues[0].append(deal.licence_fee + deal.licence_fee * deal.maintenance_rate * a)
        revenues[1].append(deal.subscription_fee * a)
        revenues[2].append(deal.price_per_unit * usage * a)
        revenues[3].append(deal.kpi_fee * a if kpi >= deal.kpi_target else 0.0)
        revenues[4].append(deal.gain_share * max(gain, 0.0) * a)
        costs.append(deal.setup_cost + (deal.fixed_cost + deal.unit_cost * usage) * a)
        gains.append(gain * a)
        usages.append(usage)

    def mean(xs):
        return sum(xs) / len(xs)

    def sd(xs):
        m = mean(xs)
        return math.sqrt(sum((x - m) ** 2 for x in xs) / len(xs))

    g_mean = mean(gains)
    var_g = sum((g - g_mean) ** 2 for g in gains) if min(gains) < max(gains) else 0.0
    usage_npv_mean = mean(usages) * a
    rows = []
    for scheme, rev in zip(SCHEMES, revenues):
        r_mean = mean(rev)
        margin = sorted(r - c for r, c in zip(rev, costs))
        net = [g - r for g, r in zip(gains, rev)]
        rev_sorted = sorted(rev)
        cov = sum((r - r_mean) * (g - g_mean) for r, g in zip(rev, gains))
        share = cov / var_g if var_g > 0 and min(rev) < max(rev) else 0.0
        rows.append({
            "scheme": scheme, "name": SHORT_NAMES[scheme],
            "revenue_mean": r_mean, "revenue_sd": sd(rev),
            "revenue_p5": _quantile(rev_sorted, 0.05), "revenue_p95": _quantile(rev_sorted, 0.95),
            "margin_mean": r_mean - mean(costs),
            "margin_p5": _quantile(margin, 0.05), "margin_p95": _quantile(margin, 0.95),
            "loss_probability": sum(1 for m in margin if m < 0) / n,
            "customer_cost_mean": r_mean,
            "cost_per_unit_used": r_mean / usage_npv_mean if usage_npv_mean > 0 else math.nan,
            "cost_per_unit_of_gain": r_mean / g_mean if g_mean > 0 else math.nan,
            "customer_net_mean": mean(net), "customer_net_sd": sd(net),
            "customer_loss_probability": sum(1 for x in net if x < 0) / n,
            "supplier_risk_share": share, "customer_risk_share": 1.0 - share,
        })
    return pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS))


# ---------------------------------------------------------------- tables for charts and reports


def risk_split(summary):
    """Long table of who carries the outcome risk: one row per (scheme, party), for a stacked bar.

    Examples
    --------
    >>> split = risk_split(summarize(simulate(DealAssumptions(), n=2000)))
    >>> split.columns.tolist()
    ['scheme', 'name', 'party', 'share']
    >>> len(split)
    10
    """
    import pandas as pd

    rows = []
    for rec in summary.itertuples(index=False):
        rows.append({"scheme": rec.scheme, "name": rec.name, "party": "supplier", "share": rec.supplier_risk_share})
        rows.append({"scheme": rec.scheme, "name": rec.name, "party": "customer", "share": rec.customer_risk_share})
    return pd.DataFrame(rows)


def histogram(sim: Simulation, measure: str = "margin", bins: int = 30):
    """Share of scenarios per bin of a measure, per scheme, on common bins (aggregated for charts).

    Parameters
    ----------
    measure : {"margin", "revenue", "customer_net"}
        The supplier's margin or revenue, or the customer's net result (NPV, $k).
    bins : int
        Number of equal-width bins spanning every scheme's values.

    Returns
    -------
    pandas.DataFrame
        ``scheme``, ``name``, ``bin_start``, ``bin_end``, ``bin_mid``, ``share``
        (each scheme's shares sum to 1); ``5 × bins`` rows.
    """
    import pandas as pd

    arrays = {"margin": lambda: sim.margin, "revenue": lambda: sim.revenue, "customer_net": lambda: sim.customer_net}
    if measure not in arrays:
        raise B4BError(f"unknown measure {measure!r}", where="measure", fix=f"Use one of {', '.join(arrays)}.")
    if isinstance(bins, bool) or not isinstance(bins, numbers.Integral) or not 1 <= bins <= 1000:
        raise B4BError(f"expected a whole number of bins from 1 to 1000, got {bins!r}", where="bins",
                       fix="Use e.g. bins=30.")
    values = arrays[measure]()
    lo, hi = float(values.min()), float(values.max())
    if hi <= lo:  # every scenario of every scheme the same: one bin around it
        lo, hi = lo - 0.5, hi + 0.5
    edges = np.linspace(lo, hi, bins + 1)
    frames = []
    for scheme, row in zip(SCHEMES, values):
        counts, _ = np.histogram(row, bins=edges)
        frames.append(pd.DataFrame({"scheme": scheme, "name": SHORT_NAMES[scheme], "bin_start": edges[:-1],
                                    "bin_end": edges[1:], "bin_mid": (edges[:-1] + edges[1:]) / 2,
                                    "share": counts / sim.n}))
    return pd.concat(frames, ignore_index=True)


def key_figures(summary, schemes=SCHEMES, decimals: int = 4) -> dict[str, float]:
    """Flat, rounded figures per scheme for a results record: ``<scheme>_<measure>``.

    Measures: revenue_mean, margin_mean, margin_p5, loss_probability,
    cost_per_unit_used, cost_per_unit_of_gain, customer_loss_probability,
    supplier_risk_share. NaN becomes None (JSON has no NaN).

    Examples
    --------
    >>> f = key_figures(summarize(simulate(DealAssumptions(gain_sd=0), n=100)), schemes=["gain_share"])
    >>> f["gain_share_supplier_risk_share"], f["gain_share_cost_per_unit_of_gain"]
    (0.0, 0.25)
    """
    measures = ("revenue_mean", "margin_mean", "margin_p5", "loss_probability", "cost_per_unit_used",
                "cost_per_unit_of_gain", "customer_loss_probability", "supplier_risk_share")
    table = summary.set_index("scheme")
    out = {}
    for scheme in schemes:
        checks.choice(scheme, "scheme", SCHEMES)
        for m in measures:
            value = float(table.loc[scheme, m])
            out[f"{scheme}_{m}"] = None if math.isnan(value) else round(value, decimals)
    return out
