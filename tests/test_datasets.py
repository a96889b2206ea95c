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
