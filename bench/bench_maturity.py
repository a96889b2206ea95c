"""maturity.assess_frame (vectorized) against assess_one called respondent by respondent.

Prints both times and the ratio, for the value maturity model (levels) and the
channel capability model (areas), both rules. The one-at-a-time baseline is
timed on a sample and scaled to the full size.
"""

from functools import partial

from timing import best_of

from b4b_kit import maturity

N = 100_000
SAMPLE = 1_000


def one_by_one(fw, frame, rule):
    rows = frame.drop(columns="respondent").to_dict("records")
    return [maturity.assess_one(fw, r, rule=rule).overall for r in rows]


def main():
    for fw in ("value_maturity_model", "channel_capability_model"):
        frame = maturity.simulate_answers(fw, N, seed=0)
        sample = frame.iloc[:SAMPLE]
        maturity.assess_frame(fw, frame.iloc[:100])  # warm caches (framework file, index plan)
        for rule in maturity.RULES:
            fast = best_of(partial(maturity.assess_frame, fw, frame, rule=rule), 3)
            slow = best_of(partial(one_by_one, fw, sample, rule), 1) * (N / SAMPLE)
            print(f"{fw:26} {rule:10} assess_frame {N:,} respondents: {fast:7.3f} s   "
                  f"one by one (scaled from {SAMPLE:,}): {slow:7.1f} s   ratio {slow / fast:6.0f}x")


if __name__ == "__main__":
    main()
