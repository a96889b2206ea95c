"""The synthetic supplier portfolio: seeded, and exactly the shipped dataset."""

from b4b_kit import datasets
from b4b_kit.supplier_levels import sample_data


def test_supplier_portfolio_is_synthetic():
    assert "supplier_portfolio" in datasets.synthetic()


def test_generator_is_seeded():
    a = sample_data.make_supplier_portfolio(seed=3)
    assert a.equals(sample_data.make_supplier_portfolio(seed=3))
    assert not a.equals(sample_data.make_supplier_portfolio(seed=4))
