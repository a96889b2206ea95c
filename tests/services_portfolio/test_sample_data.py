"""The sample catalogue and its synthetic revenue: seeded, and exactly the shipped datasets."""

import pandas as pd
import pytest

from b4b_kit import datasets
from b4b_kit.errors import B4BError
from b4b_kit.services_portfolio import sample_data


def test_shipped_datasets_are_what_the_generators_make():
    pd.testing.assert_frame_equal(datasets.load("service_catalogue"), sample_data.make_service_catalogue(),
                                  check_dtype=False)
    pd.testing.assert_frame_equal(datasets.load("service_revenue"), sample_data.make_service_revenue(seed=1),
                                  check_dtype=False)


def test_revenue_generator_is_seeded_and_follows_the_launch_years():
    a = sample_data.make_service_revenue(seed=3)
    assert a.equals(sample_data.make_service_revenue(seed=3))
    assert not a.equals(sample_data.make_service_revenue(seed=4))
    first = a.groupby("service_id")["year"].min()
    assert first["NW-M03"] == 2020 and first["NW-S01"] == 2014
    with pytest.raises(B4BError, match="first_year"):
        sample_data.make_service_revenue(first_year=2020, last_year=2019)
