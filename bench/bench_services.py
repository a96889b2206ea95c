"""services.classify (vectorized) against a row-by-row apply of services.classify_one.

Prints both times and the ratio. The row-by-row baseline is timed on a sample
and scaled to the full size. The catalogue draws each attribute from the
framework's signal values plus 'unknown' and an unmatched value, so every kind
of verdict (clear, partial, tie, no match) occurs.
"""


import numpy as np
import pandas as pd
from timing import best_of

from b4b_kit.services_portfolio import model as services

N = 1_000_000
SAMPLE = 20_000


def catalogue(n, seed=0):
    rng = np.random.default_rng(seed)
    vocab = services.vocabulary()
    return pd.DataFrame({a: rng.choice([*values, "unknown", "other"], n) for a, values in vocab.items()})


def row_by_row(frame):
    rules = services.rules()
    return frame.apply(lambda row: services.classify_one(row, rules).category, axis=1)


def main():
    big = catalogue(N)
    sample = big.iloc[:SAMPLE]
    services.classify(big.iloc[:1000])  # warm caches (framework file, imports)
    check = services.classify(sample)["category"]
    assert check.equals(row_by_row(sample).rename("category")), "vectorized and row-by-row disagree"
    vectorized = best_of(lambda: services.classify(big), 3)
    baseline = best_of(lambda: row_by_row(sample), 1) * (N / SAMPLE)
    print(f"services.classify, {N:,} rows:         {vectorized:8.3f} s")
    print(f"row-by-row classify_one, scaled to {N:,}: {baseline:8.1f} s  (timed on {SAMPLE:,} rows)")
    print(f"ratio (row-by-row / vectorized):         {baseline / vectorized:8.0f}x")


if __name__ == "__main__":
    main()
