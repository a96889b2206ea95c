"""Outcome pricing: the vectorized model (simulate + summarize) against the plain-Python reference.

Prints both times and the ratio. The reference loops over scenarios one at a
time; it is timed on a sample and scaled to the full size, because a million
scenarios of it would take far longer than the point needs.
"""


from timing import best_of

from b4b_kit.outcome_offer_types import pricing

N = 1_000_000
SAMPLE = 20_000


def main():
    deal = pricing.equal_revenue_prices(pricing.DealAssumptions(), 200)
    pricing.price(deal, n=1000)  # warm imports and caches
    vectorized = best_of(lambda: pricing.summarize(pricing.simulate(deal, n=N, seed=0)), 3)
    baseline = best_of(lambda: pricing.reference_summary(deal, n=SAMPLE, seed=0), 1) * (N / SAMPLE)
    print(f"simulate + summarize, {N:,} scenarios x 5 schemes: {vectorized:8.3f} s")
    print(f"plain-Python loop, scaled to {N:,}:             {baseline:8.1f} s  (timed on {SAMPLE:,})")
    print(f"ratio (loop / vectorized):                         {baseline / vectorized:8.0f}x")


if __name__ == "__main__":
    main()
