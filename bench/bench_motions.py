"""The vectorized cohort model against the customer-by-customer loop, 100,000 customers x 10 years.

Prints both times and the ratio. Both build the same cohort from the same seeded
draws (a test checks they agree number for number); the loop is the plain
Python reference, ``motions.simulate_loop``.
"""


from b4b_kit.economics import motions
from timing import best_of

CUSTOMERS, YEARS = 100_000, 10


def main():
    motions.yearly(motions.simulate(motions.LandExpand(), 100, YEARS))  # warm imports (pandas)
    for motion in (motions.LandExpand(), motions.NewRenew(refresh_every=5)):
        fast = best_of(lambda: motions.yearly(motions.simulate(motion, CUSTOMERS, YEARS, seed=1)), 3)
        slow = best_of(lambda: motions.yearly(motions.simulate_loop(motion, CUSTOMERS, YEARS, seed=1)), 1)
        print(f"{motion.name}, {CUSTOMERS:,} customers x {YEARS} years (simulate + yearly)")
        print(f"  vectorized:                      {fast:8.3f} s")
        print(f"  customer-by-customer loop:       {slow:8.3f} s")
        print(f"  ratio (loop / vectorized):       {slow / fast:8.0f}x")


if __name__ == "__main__":
    main()
