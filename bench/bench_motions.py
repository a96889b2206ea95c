"""The vectorized cohort model against the customer-by-customer loop, 100,000 customers x 10 years.

Prints both times and the ratio. Both build the same cohort from the same seeded
draws (a test checks they agree number for number); the loop is the plain
Python reference, ``motions.simulate_cohort_loop``.
"""


from timing import best_of

from b4b_kit.sales_motions import motions

CUSTOMERS, YEARS = 100_000, 10


def main():
    motions.yearly(motions.simulate_cohort(motions.LandExpand(), 100, YEARS))  # warm imports (pandas)
    for motion in (motions.LandExpand(), motions.NewRenew(refresh_every=5)):
        def vectorized(motion=motion):
            return motions.yearly(motions.simulate_cohort(motion, CUSTOMERS, YEARS, seed=1))

        def loop(motion=motion):
            return motions.yearly(motions.simulate_cohort_loop(motion, CUSTOMERS, YEARS, seed=1))

        fast = best_of(vectorized, 3)
        slow = best_of(loop, 1)
        print(f"{motion.name}, {CUSTOMERS:,} customers x {YEARS} years (simulate + yearly)")
        print(f"  vectorized:                      {fast:8.3f} s")
        print(f"  customer-by-customer loop:       {slow:8.3f} s")
        print(f"  ratio (loop / vectorized):       {slow / fast:8.0f}x")


if __name__ == "__main__":
    main()
