import pandas as pd
import pytest

from b4b_kit import datasets
from b4b_kit.errors import DatasetError

CARDS = sorted(datasets.DATA_DIR.glob("*.card.yaml"))


def test_every_dataset_file_has_a_data_card_and_vice_versa():
    data_files = {p.name for p in datasets.DATA_DIR.iterdir() if p.suffix in (".csv", ".parquet")}
    carded = {datasets.card(p.name.removesuffix(".card.yaml"))["file"] for p in CARDS}
    assert data_files == carded


@pytest.mark.parametrize("card_path", CARDS, ids=lambda p: p.name)
def test_card_is_complete_and_checksum_matches(card_path):
    name = card_path.name.removesuffix(".card.yaml")
    meta = datasets.card(name)
    for key in ("title", "description", "source", "licence", "sha256", "fields"):
        assert meta.get(key), f"{card_path.name} lacks {key}"
    for field, spec in meta["fields"].items():
        assert spec["type"] in ("text", "number", "integer", "boolean"), field
        assert spec.get("description"), field
    assert datasets.checksum(datasets.path(name)) == meta["sha256"]


@pytest.mark.parametrize("name", datasets.synthetic())
def test_committed_synthetic_file_is_exactly_what_the_generator_makes(tmp_path, name):
    shipped = datasets.path(name)
    made = datasets.make(name, tmp_path / f"again{shipped.suffix}")
    assert made.read_bytes() == shipped.read_bytes()


def test_load_returns_typed_columns():
    df = datasets.load("supplier_portfolio")
    assert len(df) == 24
    assert df["tailored_product"].dtype == bool
    assert df["mastery_difficulty"].between(0, 1).all()


def test_edited_shipped_file_fails_its_checksum(tmp_path, monkeypatch):
    import shutil

    for p in datasets.DATA_DIR.iterdir():
        shutil.copy(p, tmp_path / p.name)
    (tmp_path / "supplier_portfolio.csv").write_text(
        (tmp_path / "supplier_portfolio.csv").read_text().replace("15.3", "15.4"))
    monkeypatch.setattr(datasets, "DATA_DIR", tmp_path)
    with pytest.raises(DatasetError, match="does not match the SHA-256"):
        datasets.load("supplier_portfolio")


def own_copy(tmp_path, edit):
    df = pd.read_csv(datasets.path("supplier_portfolio"))
    df = edit(df)
    path = tmp_path / "mine.csv"
    df.to_csv(path, index=False)
    return path


@pytest.mark.parametrize("edit, match", [
    (lambda d: d.drop(columns="outcome_criticality"), "missing column.*outcome_criticality"),
    (lambda d: d.assign(mastery_difficulty=d["mastery_difficulty"].astype(object).where(d.index != 2, "high")),
     r"column 'mastery_difficulty'.*expected a number, found 'high' in data row 3"),
    (lambda d: d.assign(outcome_variability=d["outcome_variability"].where(d.index != 4, 1.7)),
     r"column 'outcome_variability'.*1.7 in data row 5 is outside 0..1"),
    (lambda d: d.assign(tailored_product=d["tailored_product"].map({True: "y", False: "n"})),
     "column 'tailored_product'.*True/False"),
])
def test_a_broken_dataset_names_the_file_and_column(tmp_path, edit, match):
    path = own_copy(tmp_path, edit)
    with pytest.raises(DatasetError, match=match) as info:
        datasets.load("supplier_portfolio", file=path)
    assert str(path) in str(info.value)


def test_missing_file_and_unknown_dataset(tmp_path):
    with pytest.raises(DatasetError, match="file not found"):
        datasets.load("supplier_portfolio", file=tmp_path / "nope.csv")
    with pytest.raises(DatasetError, match="unknown dataset 'portfolio'.*supplier_portfolio"):
        datasets.load("portfolio")


# --- the real public dataset: IBM's telco customer churn sample -----------------------------------------

def test_telco_file_is_the_source_file_byte_for_byte_with_its_licence_beside_it():
    meta = datasets.card("telco_customer_churn")
    assert meta["sha256"] == "16320c9c1ec72448db59aa0a26a0b95401046bef5d02fd3aeb906448e3055e91"  # SOURCE.md
    assert datasets.path("telco_customer_churn").stat().st_size == 970_457
    assert meta["licence"] == "Apache-2.0" and "IBM/telco-customer-churn-on-icp4d" in meta["source"]
    licence = (datasets.DATA_DIR / meta["licence_file"]).read_text()
    assert "Apache License" in licence and "Version 2.0, January 2004" in licence
    assert "Apache License 2.0" in meta["attribution"]


def test_telco_loads_every_row_and_reads_the_blank_total_charges_of_new_customers_as_zero():
    df = datasets.load("telco_customer_churn")
    assert df.shape == (7043, 21) and df["customerID"].is_unique
    raw = pd.read_csv(datasets.path("telco_customer_churn"))
    blank = raw["TotalCharges"].str.strip() == ""
    assert blank.sum() == 11 and (raw.loc[blank, "tenure"] == 0).all()
    assert (df.loc[blank, "TotalCharges"] == 0.0).all()
    assert df["TotalCharges"].dtype == float and df.loc[~blank, "TotalCharges"].min() == 18.8
    assert df["Contract"].value_counts().to_dict() == {"Month-to-month": 3875, "Two year": 1695, "One year": 1473}


def telco_copy(tmp_path, edit):
    raw = pd.read_csv(datasets.path("telco_customer_churn"), dtype={"TotalCharges": str})
    path = tmp_path / "my_customers.csv"
    edit(raw).to_csv(path, index=False)
    return path


@pytest.mark.parametrize("edit, match", [
    (lambda d: d.assign(Contract=d["Contract"].where(d.index != 6, "Monthly")),
     r"column 'Contract'.*expected one of Month-to-month, One year, Two year, found 'Monthly' in data row 7"),
    (lambda d: d.assign(TotalCharges=d["TotalCharges"].where(d.index != 3, " ")),
     r"column 'TotalCharges'.*empty value in data row 4. Fill it in; a blank is allowed only where tenure is 0"),
    (lambda d: d.assign(Churn=d["Churn"].where(d.index != 0, "yes")),
     r"column 'Churn'.*expected one of Yes, No, found 'yes' in data row 1"),
    (lambda d: d.drop(columns="tenure"), "missing column.*tenure"),
    (lambda d: d.assign(MonthlyCharges=d["MonthlyCharges"].astype(object).where(d.index != 9, "n/a")),
     r"column 'MonthlyCharges'.*(empty value|expected a number)"),
])
def test_your_own_telco_file_that_does_not_fit_gets_one_message_naming_file_and_column(tmp_path, edit, match):
    path = telco_copy(tmp_path, edit)
    with pytest.raises(DatasetError, match=match) as info:
        datasets.load("telco_customer_churn", file=path)
    assert str(info.value).startswith(f"{path}, column ") or "missing column" in str(info.value)
