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
    assert not np.tril(p, -1).any()  # nobody moves down
    assert p[0, 1] > 0 and p[1, 2] > p[1, 3] > 0 and p[2, 3] > 0  # 1 -> 2; 2 -> 3, some to 4; 3 -> 4
    assert p[3, 3] == 1
    path = mig.share_path(years=10)
    low = path[path.level <= 2].groupby("year")["share"].sum().to_numpy()
    assert (np.diff(low) < 0).all()  # levels 1-2 empty out year after year: transitory
    f = mig.migration_figures(path)
    assert f["share_levels_1_2_start"] == 0.75 and f["share_levels_1_2_end"] < 0.2
    assert f["share_level_3_end"] == max(f[f"share_level_{n}_end"] for n in mig.LEVELS)  # level 3: the big action


def test_expected_stay_is_one_over_the_chance_of_leaving():
    p = [[0.5, 0.5, 0, 0], [0, 0.75, 0.25, 0], [0, 0, 0.9, 0.1], [0, 0, 0, 1]]
    assert mig.expected_stay(p).tolist() == pytest.approx([2.0, 4.0, 10.0, np.inf])


def test_tables_name_the_levels():
    path = mig.share_path(years=1)
    assert path["level_name"].unique().tolist() == ["1 Basic Offer", "2 Complex Offer", "3 Optimize Offer",
                                                   "4 Outcome Offer"]


@pytest.mark.parametrize("matrix, where, text", [
    ([[0.5, 0.4, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]], "row 1 (from level 1)", "sums to 0.9, not 1"),
    ([[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 0.5, 0.6], [0, 0, 0, 1]], "row 3 (from level 3)", "sums to 1.1"),
    ([[1, 0, 0, 0], [-0.2, 1.2, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]], "row 2 (from level 2), column 1",
     "not a probability"),
    ([[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, float("nan"), 1], [0, 0, 0, 1]], "row 3 (from level 3), column 3", "nan"),
    (np.eye(3), "transition matrix", "shape (3, 3)"),
    ([[1, "x", 0, 0]] * 4, "transition matrix", "4 x 4 table of numbers"),
])
def test_bad_matrices_raise_one_message_naming_row_and_fix(matrix, where, text):
    with pytest.raises(B4BError) as err:
        mig.share_path(matrix, START, 3)
    message = str(err.value)
    assert where in message and text in message, message
    assert err.value.fix


@pytest.mark.parametrize("call, where, text", [
    (lambda: mig.share_path(np.eye(4), [0.5, 0.5, 0.5, 0], 1), "start shares", "sum to 1.5"),
    (lambda: mig.share_path(np.eye(4), [1, 0, 0], 1), "start shares", "one per level"),
    (lambda: mig.share_path(np.eye(4), [1.5, -0.5, 0, 0], 1), "start shares", "within 0..1"),
    (lambda: mig.share_path(np.eye(4), START, -1), "years", "at least 0"),
    (lambda: mig.simulate_suppliers(suppliers=0), "suppliers", "at least 1"),
    (lambda: mig.simulate_suppliers(seed=-1), "seed", "at least 0"),
])
def test_bad_shares_years_and_counts_are_named(call, where, text):
    with pytest.raises(B4BError) as err:
        call()
    assert str(err.value).startswith(where + ":") and text in str(err.value), str(err.value)
