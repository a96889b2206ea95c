"""Consumption analytics on a hand-written telemetry set whose every number is worked out below.

Two customers, three users, two features (a, b), January to March 2024:

* Acme (1) lands in January with 2 seats ($2,400 a year) and expands to 4 seats ($4,800) in March.
  User 1 is switched on on 5 January, user 2 on 10 February.
  January: user 1 uses a, a, b (3 events, 1 user, 2 features). February: users 1 and 2 use a once
  each (2 events, 2 users, 1 feature). March: nothing.
* Bolt (2) lands in February with 1 seat ($1,000). User 3 is switched on on 1 February.
  An event of user 3 on 30 January falls before its contract and is left out.
  February: b (1 event). March: a, b, b (3 events, 2 features).
"""

import math

import numpy as np
import pandas as pd
import pytest

from b4b_kit.consumption_analytics import model as an
from b4b_kit.consumption_analytics import telemetry
from b4b_kit.consumption_analytics.telemetry import Telemetry
from b4b_kit.errors import B4BError

day = pd.Timestamp


def hand_telemetry(drop_acme_march=False) -> Telemetry:
    contracts = pd.DataFrame({
        "customer_id": [1, 1, 1, 2, 2],
        "month": [day("2024-01-01"), day("2024-02-01"), day("2024-03-01"), day("2024-02-01"), day("2024-03-01")],
        "seats_licensed": [2, 2, 4, 1, 1],
        "contract_value_usd": [2400.0, 2400.0, 4800.0, 1000.0, 1000.0],
    })
    outcomes = pd.DataFrame({"customer_id": [1, 1, 1, 2], "month": [day("2024-01-01"), day("2024-02-01"),
                                                                    day("2024-03-01"), day("2024-02-01")],
                             "kpi_attainment": [0.0, 0.5, 0.6, 0.0]})
    if drop_acme_march:
        contracts = contracts.drop(index=2).reset_index(drop=True)
    events = pd.DataFrame([
        (1, 1, "a", "2024-01-10"), (1, 1, "a", "2024-01-11"), (1, 1, "b", "2024-01-20"),
        (1, 1, "a", "2024-02-01"), (1, 2, "a", "2024-02-15"),
        (2, 3, "a", "2024-01-30"),  # before Bolt's contract: left out
        (2, 3, "b", "2024-02-03"),
        (2, 3, "a", "2024-03-04"), (2, 3, "b", "2024-03-05"), (2, 3, "b", "2024-03-28"),
    ], columns=["customer_id", "user_id", "feature", "date"])
    events["date"] = pd.to_datetime(events["date"])
    return Telemetry(
        customers=pd.DataFrame({"customer_id": [1, 2], "customer": ["Acme", "Bolt"]}),
        features=pd.DataFrame({"feature": ["a", "b"], "name": ["Alpha", "Beta"]}),
        contracts=contracts,
        users=pd.DataFrame({"customer_id": [1, 1, 2], "user_id": [1, 2, 3],
                            "activated": pd.to_datetime(["2024-01-05", "2024-02-10", "2024-02-01"])}),
        events=events,
        outcomes=outcomes,
    )


# customer, month, t, seats, value, deployed, dep rate, events, active, adoption, features, breadth, depth, kpi
EXPECTED = [
    (1, "2024-01", 0, 2, 2400.0, 1, 0.5, 3, 1, 0.5, 2, 1.0, 3.0, 0.0),
    (1, "2024-02", 1, 2, 2400.0, 2, 1.0, 2, 2, 1.0, 1, 0.5, 1.0, 0.5),
    (1, "2024-03", 2, 4, 4800.0, 2, 0.5, 0, 0, 0.0, 0, 0.0, 0.0, 0.6),
    (2, "2024-02", 0, 1, 1000.0, 1, 1.0, 1, 1, 1.0, 1, 0.5, 1.0, 0.0),
    (2, "2024-03", 1, 1, 1000.0, 1, 1.0, 3, 1, 1.0, 2, 1.0, 3.0, math.nan),
]
COLS = ["customer_id", "month", "months_since_land", "seats_licensed", "contract_value_usd", "seats_deployed",
        "deployment_rate", "events", "active_users", "adoption_rate", "features_used", "feature_breadth",
        "usage_depth", "kpi_attainment"]


@pytest.mark.parametrize("engine", an.ENGINES)
def test_hand_written_table_gives_the_hand_worked_monthly_metrics(engine):
    m = an.monthly_metrics(hand_telemetry(), engine=engine)
    assert list(m.columns) == list(an.COLUMNS)
    got = m[COLS].assign(month=m["month"].dt.strftime("%Y-%m"))
    expected = pd.DataFrame(EXPECTED, columns=COLS)
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)
    assert m["customer"].tolist() == ["Acme", "Acme", "Acme", "Bolt", "Bolt"]


@pytest.mark.parametrize("engine", an.ENGINES)
def test_a_customer_missing_from_the_customer_list_gets_a_placeholder_name(engine):
    t = hand_telemetry()
    t = Telemetry(**{**t.tables(), "customers": t.customers.iloc[:1]})
    assert an.monthly_metrics(t, engine=engine)["customer"].tolist()[-1] == "customer 2"


def test_events_outside_the_contract_months_are_left_out():
    m = an.monthly_metrics(hand_telemetry())
    assert m["events"].sum() == 9  # ten events written, one before Bolt's contract


def test_feature_use_counts_events_and_users_per_feature():
    u = an.feature_use(hand_telemetry())
    acme_jan = u[(u["customer_id"] == 1) & (u["month"] == day("2024-01-01"))]
    assert acme_jan[["feature", "events", "users"]].values.tolist() == [["a", 2, 1], ["b", 1, 1]]
    pd.testing.assert_frame_equal(u, an.feature_use(hand_telemetry(), engine="pandas"))


@pytest.fixture(scope="module")
def sample():
    return telemetry.generate(customers=40, months=10, seed=11)


def test_duckdb_and_pandas_engines_agree_on_a_generated_sample(sample):
    duck = an.monthly_metrics(sample, engine="duckdb")
    plain = an.monthly_metrics(sample, engine="pandas")
    assert len(duck) == len(sample.contracts) > 100
    pd.testing.assert_frame_equal(duck, plain)
    pd.testing.assert_frame_equal(an.feature_use(sample), an.feature_use(sample, engine="pandas"))


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_duckdb_reads_a_folder_of_files_to_the_same_metrics(sample, tmp_path, fmt):
    telemetry.write_telemetry(sample, tmp_path, format=fmt)
    pd.testing.assert_frame_equal(an.monthly_metrics(tmp_path), an.monthly_metrics(sample))


def test_the_pandas_engine_needs_tables_in_memory(tmp_path):
    with pytest.raises(B4BError, match="pandas engine needs the tables in memory"):
        an.monthly_metrics(tmp_path, engine="pandas")
    with pytest.raises(B4BError, match="unknown engine 'spark'.*duckdb, pandas"):
        an.monthly_metrics(hand_telemetry(), engine="spark")


@pytest.mark.parametrize("engine", an.ENGINES)
def test_a_table_missing_a_column_is_named_with_table_and_column(engine):
    t = hand_telemetry()
    broken = Telemetry(**{**t.tables(), "events": t.events.drop(columns="feature")})
    with pytest.raises(B4BError, match=r"events table, column 'feature': missing column\(s\) feature"):
        an.monthly_metrics(broken, engine=engine)


@pytest.mark.parametrize("engine", an.ENGINES)
def test_a_column_of_the_wrong_type_is_named(engine):
    t = hand_telemetry()
    contracts = t.contracts.assign(seats_licensed=t.contracts["seats_licensed"].astype(str))
    with pytest.raises(B4BError, match="contracts table, column 'seats_licensed': expected integer values"):
        an.monthly_metrics(Telemetry(**{**t.tables(), "contracts": contracts}), engine=engine)


@pytest.mark.parametrize("engine", an.ENGINES)
def test_two_contract_rows_for_one_month_are_refused(engine):
    t = hand_telemetry()
    contracts = pd.concat([t.contracts, t.contracts.iloc[[3]]], ignore_index=True)
    with pytest.raises(B4BError, match="contracts table: 2 rows for customer 2 in 2024-02"):
        an.monthly_metrics(Telemetry(**{**t.tables(), "contracts": contracts}), engine=engine)


def test_metric_catalog_ties_every_metric_to_a_framework_element():
    cat = an.metric_catalog()
    assert set(cat["family"]) == set(an.FAMILIES)
    assert cat.set_index("column").loc["feature_breadth", "element_name"] == "Feature adoption"
    assert cat.set_index("column").loc["kpi_attainment", "family_name"] == "Outcome metrics"


# --- the path -----------------------------------------------------------------------------------------

def test_default_path_is_a_six_month_ramp_to_80_and_60_percent():
    path = an.AdoptionPath()
    table = path.table(8)
    assert table["adoption_rate"].round(4).tolist() == [0.1333, 0.2667, 0.4, 0.5333, 0.6667, 0.8, 0.8, 0.8]
    assert table["feature_breadth"].round(2).tolist() == [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.6, 0.6]
    assert path.expected(0) == (pytest.approx(0.8 / 6), pytest.approx(0.1))


@pytest.mark.parametrize("kwargs, match", [
    ({"full_adoption": 1.2}, "full_adoption: expected a share above 0 and up to 1, got 1.2"),
    ({"full_breadth": 0}, "full_breadth"),
    ({"ramp_months": 0}, "ramp_months: expected a whole number of months, at least 1"),
    ({"ramp_months": 2.5}, "ramp_months"),
])
def test_path_parameters_out_of_range_are_refused(kwargs, match):
    with pytest.raises(B4BError, match=match):
        an.AdoptionPath(**kwargs)


def test_negative_months_since_land_are_refused():
    with pytest.raises(B4BError, match="months_since_land: months since land cannot be negative"):
        an.AdoptionPath().expected(-1)


def test_peer_path_takes_the_quantile_per_month_and_drops_thin_months():
    m = pd.DataFrame({"months_since_land": [0, 0, 0, 0, 1, 1, 2],
                      "adoption_rate": [0.1, 0.2, 0.3, 0.4, 0.5, 0.7, 0.9],
                      "feature_breadth": [0.0, 0.0, 0.5, 0.5, 0.2, 0.4, 0.9]})
    path = an.peer_path(m, quantile=0.5, min_customers=2)
    assert path["months_since_land"].tolist() == [0, 1]  # month 2 has one customer
    assert path["adoption_rate"].round(3).tolist() == [0.25, 0.6]
    assert path["feature_breadth"].round(3).tolist() == [0.25, 0.3]
    # months beyond the table take its last month
    later = an.compare_to_path(pd.DataFrame({"months_since_land": [5], "adoption_rate": [0.5],
                                             "feature_breadth": [0.3]}), path)
    assert later["expected_adoption"].tolist() == [0.6] and later["adoption_gap"].round(3).tolist() == [0.1]


def test_peer_path_with_no_month_full_enough_says_what_to_do():
    with pytest.raises(B4BError, match="no month since land has 3 or more customers"):
        an.peer_path(pd.DataFrame({"months_since_land": [0], "adoption_rate": [0.5], "feature_breadth": [0.5]}))


# --- status, value at risk, next feature -----------------------------------------------------------------

@pytest.mark.parametrize("args, kwargs, status", [
    ((0.35, 0.5, 3), {}, "behind"),                           # expects 0.533: gap 0.18 >= 0.1
    ((0.35, 0.5, 3), {"usage_trend": -0.2}, "at_risk"),       # behind and down 20 %
    ((0.35, 0.5, 3), {"usage_trend": -0.19}, "behind"),       # not down enough to count as falling
    ((0.50, 0.4, 3), {}, "on_track"),                         # gaps 0.033 and 0.0
    ((0.95, 0.7, 8), {}, "expand_ready"),
    ((0.95, 0.2, 8), {}, "behind"),                           # seats full but breadth gap 0.4: behind wins
    ((0.40, 0.5, 5), {}, "behind"),                           # gap exactly 0.4 - 0.0 >= tolerance
    ((0.70, 0.5, 5), {}, "behind"),                           # gap exactly 0.1: at the tolerance is behind
    ((0.71, 0.6, 5), {}, "on_track"),
    ((0.9, 0.9, 2), {"churned": True}, "churned"),
])
def test_classify_one_customer_month(args, kwargs, status):
    assert an.health_status(*args, **kwargs) == status


def test_rules_are_parameters_and_are_checked():
    assert an.health_status(0.35, 0.5, 3, rules=an.HealthRules(tolerance=0.2)) == "on_track"
    assert an.health_status(0.35, 0.5, 3, path=an.AdoptionPath(full_adoption=0.4)) == "on_track"
    with pytest.raises(B4BError, match="tolerance"):
        an.HealthRules(tolerance=-0.1)
    with pytest.raises(B4BError, match="adoption_rate: expected a number of at least 0"):
        an.health_status("high", 0.5, 3)


def test_usage_trend_compares_with_two_contract_months_earlier():
    m = an.monthly_metrics(hand_telemetry())
    trend = an.usage_trend(m)
    assert trend.tolist()[2] == -1.0  # Acme: 1 active user in January, none in March
    assert np.isnan(trend.tolist()[:2] + trend.tolist()[3:]).all()


def test_hand_written_customers_are_assessed_as_worked_out():
    t = hand_telemetry()
    a = an.analyse(t)
    acme, bolt = (a.customers.set_index("customer").loc[n] for n in ("Acme", "Bolt"))
    # Acme, March = month 2 since land: path 0.4 / 0.3; it uses nothing and fell from 1 user to 0
    assert (acme["expected_adoption"], acme["expected_breadth"]) == (pytest.approx(0.4), pytest.approx(0.3))
    assert (acme["adoption_gap"], acme["breadth_gap"]) == (pytest.approx(0.4), pytest.approx(0.3))
    assert acme["status"] == "at_risk"
    assert acme["value_at_risk_usd"] == 1920.0  # $4,800 x the larger gap 0.4
    # Bolt, March = month 1: 1 of 1 seat active, both features
    assert bolt["status"] == "expand_ready" and bolt["value_at_risk_usd"] == 0.0
    # healthy peer Bolt used a once and b twice in March: b ranks first, and Acme uses neither
    assert acme["next_feature"] == "b" and bolt["next_feature"] is None
    assert an.peer_feature_use(a.customers, a.uses, ["a", "b"])[["feature", "peers_using", "peer_events"]]\
        .values.tolist() == [["b", 1, 2], ["a", 1, 1]]
    ranked = a.services_list()
    assert ranked[["rank", "customer"]].values.tolist() == [[1, "Acme"]]


def test_a_customer_without_a_contract_in_the_last_month_has_churned():
    a = an.analyse(hand_telemetry(drop_acme_march=True))
    acme = a.customers.set_index("customer").loc["Acme"]
    assert acme["status"] == "churned" and acme["value_at_risk_usd"] == 0.0
    assert f"{acme['month']:%Y-%m}" == "2024-02"
    assert "churned" in a.health("Acme").verdict


def test_next_feature_falls_back_to_catalog_order_without_healthy_peers():
    t = hand_telemetry()
    # Bolt behind too: a path that wants every seat and feature from the first month
    a = an.analyse(t, path=an.AdoptionPath(full_adoption=1.0, full_breadth=1.0, ramp_months=1),
                   rules=an.HealthRules(tolerance=0.0, expand_at=1.0))
    assert set(a.customers["status"]) <= set(an.NEEDS_SERVICES)
    assert a.customers.set_index("customer").loc["Acme", "next_feature"] == "a"


def test_vectorized_status_matches_the_one_customer_rule(sample):
    a = an.analyse(sample)
    as_of = a.metrics["month"].max()
    for row in a.customers.itertuples():
        assert row.status == an.health_status(row.adoption_rate, row.feature_breadth, row.months_since_land,
                                         row.usage_trend, churned=row.month < as_of), row.customer


def test_services_list_is_ranked_by_value_at_risk_and_only_holds_customers_needing_services(sample):
    ranked = an.analyse(sample).services_list()
    assert len(ranked) > 0
    assert set(ranked["status"]) <= set(an.NEEDS_SERVICES)
    assert ranked["value_at_risk_usd"].is_monotonic_decreasing
    assert ranked["rank"].tolist() == list(range(1, len(ranked) + 1))
    assert ranked["next_feature"].notna().all()


def test_customer_health_record_and_verdict():
    a = an.analyse(hand_telemetry())
    h = a.health("Acme")
    assert (h.customer_id, h.month, h.months_since_land, h.status) == (1, "2024-03", 2, "at_risk")
    assert h.next_feature == "b" and h.next_feature_name == "Beta"
    assert h.verdict == (
        "Acme, month 2 since land (2024-03): at risk. 0% of its 4 licensed seats are active (path: 40%) and "
        "it uses 0% of the features (path: 30%). Active users are down 100% in two months. Value at risk: "
        "$1,920 of its $4,800 a year pays for use it has not reached. Next feature to push: Beta.")
    assert ("purchase", "seats licensed", "4") in h.families()
    assert ("outcome", "KPI attainment", "60% of target") in h.families()
    assert "b4b-status-at_risk" in h.to_html()
    bolt = a.health(2)
    assert bolt.verdict.startswith("Bolt, month 1 since land (2024-03): ready to expand.")


def test_unknown_customer_is_named_with_examples():
    a = an.analyse(hand_telemetry())
    with pytest.raises(B4BError, match="customer: no customer 'Zeta'.*1 Acme, 2 Bolt"):
        a.health("Zeta")


def test_reassess_with_another_path_changes_status_without_reaggregating():
    a = an.analyse(hand_telemetry())
    lenient = a.reassess(path=an.AdoptionPath(full_adoption=0.1, full_breadth=0.1, ramp_months=12))
    assert lenient.metrics is a.metrics
    assert lenient.customers.set_index("customer").loc["Acme", "status"] == "on_track"


def test_path_comparison_and_seat_funnel_tables():
    m = an.monthly_metrics(hand_telemetry())
    comp = an.path_comparison(m, "Acme")
    cust = comp[(comp["series"] == "customer") & (comp["measure"] == "adoption rate")]
    assert cust["value"].tolist() == [0.5, 1.0, 0.0]
    path = comp[(comp["series"] == "best-practice path") & (comp["measure"] == "feature breadth")]
    assert path["value"].round(2).tolist() == [0.1, 0.2, 0.3]
    funnel = an.seat_funnel(m, 1)
    licensed = funnel[funnel["measure"] == "licensed (purchase)"]["seats"].tolist()
    assert licensed == [2, 2, 4]


def test_cohort_curves_group_by_a_label_per_customer():
    m = an.monthly_metrics(hand_telemetry())
    curves = an.cohort_curves(m, by=pd.Series({1: "x", 2: "y"}))
    y = curves[curves["group"] == "y"]
    assert y["adoption_rate"].tolist() == [1.0, 1.0] and y["customers"].tolist() == [1, 1]
    with pytest.raises(B4BError, match="statistic"):
        an.cohort_curves(m, statistic="mode")


def test_cohort_figures_of_the_hand_written_set():
    f = an.cohort_figures(an.analyse(hand_telemetry()))
    assert f["customers"] == 2 and f["customer_months"] == 5 and f["events"] == 9
    assert f["share_at_risk"] == 0.5 and f["share_expand_ready"] == 0.5 and f["share_churned"] == 0.0
    assert f["value_at_risk_usd"] == 1920.0 and f["needing_services"] == 1
    assert f["top_customer"] == "Acme" and f["top_next_feature"] == "b"
    assert f["kpi_needs_services"] == 0.6 and f["kpi_healthy"] is None  # Bolt reported no KPI for March
    assert f["as_of"] == "2024-03"


def test_use_turns_into_outcomes_in_the_generated_cohort():
    a = an.analyse(telemetry.generate(customers=120, seed=5))
    f = an.cohort_figures(a)
    assert f["kpi_healthy"] > f["kpi_needs_services"]
