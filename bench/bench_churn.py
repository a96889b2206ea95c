"""Kaplan-Meier curves and revenue at risk on IBM's telco sample, scaled up, against the plain loop.

Prints both times and the ratio. The vectorized ``churn.kaplan_meier`` and the
one-customer-at-a-time ``churn.kaplan_meier_loop`` give the same curve (a test
checks it); the sample's 7,043 customers are repeated 100 times with their
tenures jittered by up to a year, about 700,000 customers, as a researcher's
own file might be. Also timed: the whole contract_churn computation on the
sample itself (load with checks, curves, revenue at risk, figures).
"""

import numpy as np
from timing import best_of

from b4b_kit import datasets
from b4b_kit.sales_motions import churn

REPEAT = 100


def main():
    telco = datasets.load("telco_customer_churn")
    rng = np.random.default_rng(0)
    tenure = np.tile(telco["tenure"].to_numpy(), REPEAT) + rng.integers(0, 13, REPEAT * len(telco))
    left = np.tile(telco["Churn"].eq("Yes").to_numpy(), REPEAT)

    fast = best_of(lambda: churn.kaplan_meier(tenure, left), 3)
    slow = best_of(lambda: churn.kaplan_meier_loop(tenure, left), 1)
    print(f"Kaplan-Meier, {tenure.size:,} customers")
    print(f"  vectorized (numpy):              {fast:8.3f} s")
    print(f"  customer-by-customer loop:       {slow:8.3f} s")
    print(f"  ratio (loop / vectorized):       {slow / fast:8.0f}x")

    whole = best_of(lambda: churn.churn_figures(datasets.load("telco_customer_churn")), 3)
    load = best_of(lambda: datasets.load("telco_customer_churn"), 3)
    print(f"contract_churn figures on the sample ({len(telco):,} customers)")
    print(f"  load and check the file:         {load:8.3f} s")
    print(f"  load + curves + risk + figures:  {whole:8.3f} s")
    print(f"  ratio (all / load alone):        {whole / load:8.1f}x")


if __name__ == "__main__":
    main()
