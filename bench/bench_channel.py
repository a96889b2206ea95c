"""channel.pareto_front (sorted, each row compared with the front found so far) against a plain double loop.

Prints both times and the ratio. The loop is timed on a sample and scaled by the
square of the size, since it compares every pair.
"""

import time

import numpy as np

from b4b_kit.channel_capability_model import model as channel

N = 5_000
SAMPLE = 500


def loop_front(ratings):
    signed = [(v, -x, c) for v, x, c in ratings]
    front = []
    for i, a in enumerate(signed):
        beaten = any(all(b[k] >= a[k] for k in range(3)) and any(b[k] > a[k] for k in range(3))
                     for j, b in enumerate(signed) if j != i)
        front.append(not beaten)
    return front


def main():
    rng = np.random.default_rng(0)
    ratings = rng.uniform(1, 5, size=(N, 3))
    sample = ratings[:SAMPLE]
    assert channel.pareto_front(sample).tolist() == loop_front(sample.tolist())
    t0 = time.perf_counter()
    channel.pareto_front(ratings)
    fast = time.perf_counter() - t0
    t0 = time.perf_counter()
    loop_front(sample.tolist())
    slow = (time.perf_counter() - t0) * (N / SAMPLE) ** 2
    print(f"pareto_front, {N:,} innovations:          {fast:8.3f} s")
    print(f"Python double loop, scaled to {N:,}:  {slow:8.1f} s  (timed on {SAMPLE:,})")
    print(f"ratio (loop / vectorized):             {slow / fast:8.0f}x")


if __name__ == "__main__":
    main()
