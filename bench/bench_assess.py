"""assess_frame (vectorized) against a row-by-row DataFrame.apply of the one-record functions.

Prints both times and the ratio. The row-by-row baseline is timed on a sample and
scaled to the full size, because a million rows of apply would take minutes.
"""


import numpy as np
import pandas as pd
from timing import best_of

from b4b_kit.supplier_levels import model as assess

N = 1_000_000
SAMPLE = 20_000
ELEMENTS = [e for lv in assess.offer_elements() for e in lv]


def table(n, seed=0):
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({t: rng.random(n) for t in assess.TRAITS})
    for e in ELEMENTS:
        frame[e] = rng.random(n) < 0.7
    return frame


def row_by_row(frame):
    def one(row):
        a = assess.assess_one(*(row[t] for t in assess.TRAITS), offer={e: row[e] for e in ELEMENTS})
        return a.required_level, a.offered_level, a.mismatch

    return frame.apply(one, axis=1)


def main():
    big = table(N)
    sample = big.iloc[:SAMPLE]
    assess.assess_frame(big.iloc[:1000])  # warm caches (framework file, imports)
    vectorized = best_of(lambda: assess.assess_frame(big), 3)
    baseline = best_of(lambda: row_by_row(sample), 1) * (N / SAMPLE)
    print(f"assess_frame, {N:,} rows:            {vectorized:8.3f} s")
    print(f"row-by-row apply, scaled to {N:,}: {baseline:8.1f} s  (timed on {SAMPLE:,} rows)")
    print(f"ratio (row-by-row / vectorized):     {baseline / vectorized:8.0f}x")


if __name__ == "__main__":
    main()
