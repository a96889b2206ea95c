"""A synthetic supplier's product-market portfolio, made from a seed (the ``supplier_portfolio`` dataset).

Examples
--------
>>> table = make_supplier_portfolio(seed=7)
>>> len(table), table["supplier"].iloc[0]
(24, 'Northwind Instruments')
"""

from __future__ import annotations

import numpy as np

from .model import offer_elements

# Archetypes of product-markets for the sample supplier: trait centres and the
# level the supplier's operating model reaches there.
_ARCHETYPES = (
    # name prefix, mastery, capability, variability, criticality
    ("Valves", 0.15, 0.7, 0.15, 0.4),
    ("Controllers", 0.75, 0.25, 0.3, 0.5),
    ("Line analytics", 0.6, 0.4, 0.75, 0.8),
    ("Uptime service", 0.7, 0.3, 0.92, 0.95),
)
_SEGMENTS = ("Utilities", "Food processing", "Chemicals", "Pharma", "Mining", "Water")


def make_supplier_portfolio(seed: int = 7, n: int = 24, supplier: str = "Northwind Instruments"):
    """A synthetic supplier's product-markets: traits, offer elements and revenue.

    Four archetypes (basic valves to an uptime-as-a-service offer) with noisy
    traits; in about one product-market in three the supplier's operating
    model lags the archetype by a level. Where the uptime offer lags, it is
    sold as an all-in bundle (outcome pricing on Level 3 parts, no automated
    platform); half of those bundles lack industrialised domain expertise and
    are over-promised. So every kind of mismatch and both Level 4 variants
    appear.

    Parameters
    ----------
    seed : int
        Seed of ``numpy.random.default_rng``; the same seed gives the same table.
    n : int
        Number of product-markets.
    """
    import pandas as pd

    rng = np.random.default_rng(seed)
    per_level = offer_elements()
    rows = []
    for i in range(n):
        arch = int(rng.integers(len(_ARCHETYPES)))
        prefix, *centre = _ARCHETYPES[arch]
        traits = np.clip(np.asarray(centre) + rng.normal(0, 0.08, 4), 0, 1).round(2)
        level = arch + 1
        draw = rng.random()
        lag = draw < 0.35
        reach = max(1, level - 1) if lag else level
        offer = {e: False for lv in per_level for e in lv}
        for lv in per_level[:reach]:
            offer.update(dict.fromkeys(lv, True))
        if level == 4 and lag:
            # an "all-in bundle": the outcome promise on Level 3 parts without the automated platform;
            # the same draw decides whether the supplier has codified its domain (no extra draw, so the
            # other rows stay as they were)
            offer.update(dict.fromkeys(per_level[2], True))
            offer["outcome_as_a_service"] = True
            offer["codified_domain_expertise"] = draw < 0.175
        segment = _SEGMENTS[int(rng.integers(len(_SEGMENTS)))]
        rows.append({
            "supplier": supplier,
            "product_market": f"{prefix} / {segment} #{i + 1}",
            "segment": segment,
            **dict(zip(("mastery_difficulty", "customer_capability", "outcome_variability",
                        "outcome_criticality"), traits.tolist())),
            **offer,
            "revenue_musd": float(round(rng.lognormal(1.5 + 0.4 * arch, 0.5), 1)),
        })
    return pd.DataFrame(rows)
