"""Suppliers migrating between levels 1-4: matrix power, step-by-step path and agents agree with hand numbers."""

import numpy as np
import pytest

from b4b_kit.errors import B4BError
from b4b_kit.sales_motions import migrations as mig

UP = [[0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1], [0, 0, 0, 1]]  # everyone up one level a year; 4 absorbing
START = [0.1, 0.2, 0.3, 0.4]


def shares_in(path, year):
    return path[path["year"] == year].sort_values("level")["share"].round(12).tolist()


@pytest.mark.parametrize("years", [0, 1, 7])
def test_identity_matrix_keeps_the_shares(years):
    assert mig.shares_after(np.eye(4), START, years).tolist() == pytest.approx(START)
    path = mig.share_path(np.eye(4), START, years)
    assert all(shares_in(path, y) == pytest.approx(START) for y in range(years + 1))


def test_identity_keeps_every_agent_where_it_is():
    agents = mig.simulate_suppliers(np.eye(4), START, suppliers=10, years=5, seed=3)
    assert agents[agents.year == 5]["suppliers"].tolist() == [1, 2, 3, 4]


def test_everyone_up_one_level_a_year_gives_shares_you_can_state():
    path = mig.share_path(UP, [0.25, 0.25, 0.25, 0.25], years=4)
    assert shares_in(path, 0) == [0.25, 0.25, 0.25, 0.25]
    assert shares_in(path, 1) == [0.0, 0.25, 0.25, 0.5]
    assert shares_in(path, 2) == [0.0, 0.0, 0.25, 0.75]
    assert shares_in(path, 3) == [0.0, 0.0, 0.0, 1.0]
    assert shares_in(path, 4) == [0.0, 0.0, 0.0, 1.0]
    assert mig.shares_after(UP, [1, 0, 0, 0], 2).tolist() == [0, 0, 1, 0]


def test_agents_follow_the_degenerate_matrix_exactly():
    agents = mig.simulate_suppliers(UP, [0.5, 0.5, 0, 0], suppliers=8, years=3, seed=0)
    counts = {y: agents[agents.year == y]["suppliers"].tolist() for y in range(4)}
    assert counts == {0: [4, 4, 0, 0], 1: [0, 4, 4, 0], 2: [0, 0, 4, 4], 3: [0, 0, 0, 8]}


def test_matrix_power_equals_step_by_step_iteration():
    path = mig.share_path(mig.GREAT_MIGRATIONS, mig.START_SHARES, 12)
    for year in (0, 1, 5, 12):
        assert shares_in(path, year) == pytest.approx(mig.shares_after(mig.GREAT_MIGRATIONS, mig.START_SHARES, year))


def test_many_agents_come_close_to_the_matrix_shares():
    agents = mig.simulate_suppliers(suppliers=100_000, years=10, seed=8)
    exact = mig.shares_after(mig.GREAT_MIGRATIONS, mig.START_SHARES, 10)
    assert np.abs(np.array(shares_in(agents, 10)) - exact).max() < 0.01
    assert agents.groupby("year")["suppliers"].sum().unique().tolist() == [100_000]


def test_agents_are_seeded():
    a = mig.simulate_suppliers(suppliers=500, years=6, seed=4)
    assert a.equals(mig.simulate_suppliers(suppliers=500, years=6, seed=4))
    assert not a.equals(mig.simulate_suppliers(suppliers=500, years=6, seed=5))


def test_starting_counts_round_to_whole_suppliers_summing_to_the_total():
    a = mig.simulate_suppliers(np.eye(4), [1 / 3, 1 / 3, 1 / 3, 0], suppliers=10, years=0)
    assert sorted(a["suppliers"].tolist()) == [0, 3, 3, 4]


def test_default_scenario_follows_the_directions_of_the_source():
    p = mig.GREAT_MIGRATIONS
    assert np.allclose(p.sum(axis=1), 1)
    assert p[0, 1] > 0 and p[1, 2] > 0 and p[2, 3] > 0  # dragged 1 -> 2; run 2 -> 3; slowly 3 -> 4
    assert p[1, 3] == 0  # no direct jump from Level 2 to Level 4 (marked as the kit's reading)
    assert p[3, 3] < 1  # Level 4 is not a one-way door: no absorbing level
    assert not np.tril(p, -1)[:3].any()  # below Level 4 nothing moves down
    path = mig.share_path(years=10)
    f = mig.migration_figures(path)
    assert f["share_levels_1_2_start"] == 0.75 and f["share_levels_1_2_end"] < 0.3  # largely transitory ...
    assert f["share_level_1_end"] > 0.4 * mig.START_SHARES[0]  # ... yet Level 1 stays right for many
    assert f["share_level_3_end"] == max(f[f"share_level_{n}_end"] for n in mig.LEVELS)  # Level 3: the big action
    long_run = mig.shares_after(p, mig.START_SHARES, 400)
    assert 0.3 < long_run[3] < 0.6  # no absorbing Level 4: Levels 3 and 4 share the long run


def test_suppliers_keep_playing_at_several_levels_and_not_or():
    t = mig.simulate_portfolios(suppliers=400, markets=6, years=10, seed=2)
    assert list(t["year"]) == list(range(11))
    shares = t[[f"share_level_{n}" for n in mig.LEVELS]].sum(axis=1)
    assert np.allclose(shares, 1)
    assert (t["levels_per_supplier"] > 2.5).all()  # "very rare for a company to play at a single level"
    assert (t["single_level_share"] < 0.05).all()
    exact = mig.shares_after(mig.GREAT_MIGRATIONS, mig.START_SHARES, 10)
    assert np.abs(t.iloc[-1][[f"share_level_{n}" for n in mig.LEVELS]].to_numpy(dtype=float) - exact).max() < 0.03


def test_portfolios_with_one_market_each_are_single_level_and_are_seeded():
    one = mig.simulate_portfolios(suppliers=50, markets=1, years=3, seed=5)
    assert (one["single_level_share"] == 1).all() and (one["levels_per_supplier"] == 1).all()
    assert one.equals(mig.simulate_portfolios(suppliers=50, markets=1, years=3, seed=5))
    with pytest.raises(B4BError, match="markets: expected a whole number"):
        mig.simulate_portfolios(markets=0)
