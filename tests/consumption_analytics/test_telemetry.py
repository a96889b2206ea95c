"""The telemetry generator (seeded, three behaviour patterns, hidden value model) and the checked readers."""

import numpy as np
import pandas as pd
import pytest

from b4b_kit.consumption_analytics import model as analytics
from b4b_kit.consumption_analytics import telemetry
from b4b_kit.errors import B4BError


@pytest.fixture(scope="module")
def cohort():
    return telemetry.generate(customers=90, months=24, seed=3)


@pytest.fixture(scope="module")
def metrics(cohort):
    m = analytics.monthly_metrics(cohort)
    return m.merge(cohort.customers[["customer_id", "pattern"]], on="customer_id")


def test_same_seed_same_tables_other_seed_other_tables():
    a, b = telemetry.generate(customers=8, seed=5), telemetry.generate(customers=8, seed=5)
    for name in telemetry.SCHEMAS:
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name))
    assert not a.events.equals(telemetry.generate(customers=8, seed=6).events)


def test_every_table_passes_its_own_schema_check(cohort):
    for name, frame in cohort.tables().items():
        telemetry.check_table(frame, name)
    assert cohort.n_features == 12 and cohort.summary()["customers"] == 90


def test_all_three_patterns_appear_in_the_default_mix(cohort):
    assert set(cohort.customers["pattern"]) == set(telemetry.PATTERNS)


def test_a_mix_of_one_pattern_gives_only_that_pattern():
    t = telemetry.generate(customers=10, seed=1, mix=(0, 1, 0))
    assert set(t.customers["pattern"]) == {"steady"}


def test_land_and_expand_customers_start_small_and_buy_more_seats(metrics):
    le = metrics[metrics["pattern"] == "land_expand"]
    seats = le.groupby("customer_id")["seats_licensed"]
    assert (seats.diff().dropna() >= 0).all()  # seats never shrink
    grew = (seats.last() > seats.first()).mean()
    assert grew > 0.8
    assert le.groupby("customer_id")["adoption_rate"].median().median() > 0.7


def test_steady_customers_keep_their_seats(metrics):
    st = metrics[metrics["pattern"] == "steady"]
    assert (st.groupby("customer_id")["seats_licensed"].nunique() == 1).all()


def test_stalling_customers_peak_early_fade_and_cancel_within_ten_months(metrics, cohort):
    sc = metrics[metrics["pattern"] == "stall_churn"]
    months = sc.groupby("customer_id").size()
    assert months.between(5, 9).all()  # cancel 5 to 9 months after land, with 24 months of data
    by_age = sc.groupby("months_since_land")["adoption_rate"].median()
    assert by_age.idxmax() <= 3 and by_age.iloc[-1] < by_age.max() / 2
    assert sc["feature_breadth"].max() <= 0.25


def test_deployed_seats_never_exceed_licensed_and_use_needs_deployment(metrics):
    assert (metrics["seats_deployed"] <= metrics["seats_licensed"]).all()
    assert (metrics["active_users"] <= metrics["seats_deployed"]).all()


def test_every_event_falls_in_a_contract_month_of_its_customer(cohort):
    ev_months = pd.DataFrame({"customer_id": cohort.events["customer_id"],
                              "month": cohort.events["date"].dt.to_period("M")}).drop_duplicates()
    contract = set(zip(cohort.contracts["customer_id"], cohort.contracts["month"].dt.to_period("M")))
    assert all(pair in contract for pair in zip(ev_months["customer_id"], ev_months["month"]))


def test_users_are_activated_before_they_use_the_offer(cohort):
    first_use = cohort.events.groupby("user_id")["date"].min()
    activated = cohort.users.set_index("user_id")["activated"]
    # activation and first use fall in the same month or use comes later
    assert (first_use.dt.to_period("M") >= activated.reindex(first_use.index).dt.to_period("M")).all()


def test_hidden_value_model_reports_zero_at_land_and_rewards_use(metrics):
    assert (metrics.loc[metrics["months_since_land"] == 0, "kpi_attainment"] == 0).all()
    assert metrics["kpi_attainment"].between(0, 1.5).all()
    later = metrics[metrics["months_since_land"] >= 3].groupby("pattern")["kpi_attainment"].mean()
    assert later["land_expand"] > later["steady"] > later["stall_churn"]


def test_fewer_features_in_the_catalog_limit_breadth():
    t = telemetry.generate(customers=5, seed=2, features=3)
    assert t.n_features == 3 and set(t.events["feature"].astype(str)) <= {"contacts", "opportunities", "activities"}


@pytest.mark.parametrize("kwargs, match", [
    ({"customers": 0}, "customers: 0 is outside 1..1,000,000"),
    ({"months": 1.5}, "months: expected a whole number"),
    ({"features": 13}, "features: 13 is outside 2..12"),
    ({"mix": (0.5, 0.5, 0.5)}, "mix: expected 3 shares from 0 to 1 summing to 1"),
    ({"mix": (1, 0)}, "mix"),
    ({"users": -3}, "users: expected a number from 1"),
    ({"start": "January"}, "start: 'January' is not a month"),
])
def test_bad_generator_arguments_are_refused_with_a_fix(kwargs, match):
    with pytest.raises(B4BError, match=match):
        telemetry.generate(**kwargs)


def test_customer_names_are_unique_beyond_the_word_lists():
    names = telemetry.customer_names(450)
    assert len(set(names)) == 450 and names[0] == "Alder Logistics"


# --- reading -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_write_then_read_gives_the_same_tables(tmp_path, fmt):
    t = telemetry.generate(customers=6, months=5, seed=9)
    written = telemetry.write_telemetry(t, tmp_path, format=fmt)
    assert sorted(p.name for p in written.values()) == sorted(f"{n}.{fmt}" for n in telemetry.SCHEMAS)
    back = telemetry.read_telemetry(tmp_path)
    for name in telemetry.SCHEMAS:
        pd.testing.assert_frame_equal(back.tables()[name], getattr(t, name), check_dtype=False,
                                      check_categorical=False)
    assert isinstance(back.events["feature"].dtype, pd.CategoricalDtype)  # ten million rows stay small


def test_csv_dates_are_written_as_days(tmp_path):
    telemetry.write_telemetry(telemetry.generate(customers=2, months=3, seed=1), tmp_path, format="csv")
    assert (tmp_path / "events.csv").read_text().splitlines()[1].count(":") == 0


def write(path, text):
    path.write_text(text)
    return path


@pytest.mark.parametrize("text, match", [
    ("customer_id,user_id,date\n1,1,2024-01-03\n",
     r"events.csv, column 'feature': missing column\(s\) feature\. The events table needs the columns "
     r"customer_id, user_id, feature, date"),
    ("customer_id,user_id,feature,date\n1,1,a,2024-01-03\nx,2,b,2024-01-04\n",
     r"events.csv, column 'customer_id': expected integer values, found 'x' in data row 2\. "
     r"Write the customer_id column as whole numbers"),
    ("customer_id,user_id,feature,date\n1,1,a,2024-01-03\n1,2.5,b,2024-01-04\n",
     r"column 'user_id': expected integer values, found numbers with decimals"),
    ("customer_id,user_id,feature,date\n1,1,a,2024-01-03\n1,2,b,soon\n",
     r"column 'date': expected date values, found 'soon' in data row 2"),
    ("customer_id,user_id,feature,date\n1,1,a,2024-01-03\n1,,b,2024-01-05\n",
     r"column 'user_id': 1 empty value\(s\), the first in data row 2"),
])
def test_schema_errors_name_the_file_and_the_column(tmp_path, text, match):
    path = write(tmp_path / "events.csv", text)
    with pytest.raises(B4BError, match=match) as info:
        telemetry.read_table(path, "events")
    assert str(path) in str(info.value)


def test_a_parquet_file_with_a_wrong_type_is_named_too(tmp_path):
    t = telemetry.generate(customers=3, months=3, seed=1)
    bad = t.contracts.assign(contract_value_usd="a lot")
    telemetry.write_telemetry(telemetry.Telemetry(**{**t.tables(), "contracts": bad}), tmp_path)
    with pytest.raises(B4BError, match=r"contracts.parquet, column 'contract_value_usd': expected number values, "
                                       r"found 'a lot' in data row 1"):
        telemetry.read_telemetry(tmp_path)


@pytest.mark.parametrize("args, match", [
    (("nope.csv", "events"), "nope.csv: file not found"),
    (("x.csv", "sessions"), "table: unknown telemetry table 'sessions'. Use one of customers"),
])
def test_reader_refuses_missing_files_and_unknown_tables(tmp_path, args, match):
    with pytest.raises(B4BError, match=match):
        telemetry.read_table(tmp_path / args[0], args[1])


def test_reader_refuses_other_formats_and_half_empty_folders(tmp_path):
    with pytest.raises(B4BError, match="cannot read .xlsx. Save the table as .parquet or .csv"):
        telemetry.read_table(write(tmp_path / "events.xlsx", "x"), "events")
    write(tmp_path / "customers.csv", "customer_id,customer\n1,Acme\n")
    with pytest.raises(B4BError, match="no features.parquet or features.csv"):
        telemetry.read_telemetry(tmp_path)


def test_in_memory_check_names_table_and_column():
    frame = pd.DataFrame({"customer_id": [1], "month": pd.to_datetime(["2024-01-01"]), "seats_licensed": [True],
                          "contract_value_usd": [1.0]})
    with pytest.raises(B4BError, match="contracts table, column 'seats_licensed': expected integer values, "
                                       "found dtype bool"):
        telemetry.check_table(frame, "contracts")
    frame["seats_licensed"] = [np.nan]
    with pytest.raises(B4BError, match="seats_licensed"):
        telemetry.check_table(frame, "contracts")
