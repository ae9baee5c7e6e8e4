"""Heat network: km replaced against the plan and the wear that follows (Aktau demo data)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from baqylau.balance import heat_network, load_heat_demo, network_wear, read_demo, reported


@pytest.fixture(scope="module")
def completion():
    return heat_network(load_heat_demo("completion_report"), last_year=2027)


@pytest.fixture(scope="module")
def as_stated():
    return heat_network(load_heat_demo("as_stated"), last_year=2027)


def test_wear_falls_as_km_are_replaced(completion):
    for year in (2024, 2025):  # the years with works
        assert completion.at(year)["main_wear_pct"] < completion.at(year - 1)["main_wear_pct"]
        assert completion.at(year)["city_wear_pct"] < completion.at(year - 1)["city_wear_pct"]
    # without works the network ages again
    assert completion.at(2026)["main_wear_pct"] > completion.at(2025)["main_wear_pct"]


def test_km_against_plan(completion):
    assert completion.at(2024)["actual_km"] == 11.5
    assert completion.at(2024)["planned_km"] == 15  # estimated split of the 44 km
    assert completion.at(2025)["cumulative_actual_km"] == pytest.approx(44)
    assert completion.at(2026)["cumulative_planned_km"] == pytest.approx(44)


def test_city_wear_after_the_project_lands_near_the_stated_75_percent(completion):
    """The completion report's reading (44 km by September 2025) gives about 74.9% at the end of 2025,
    against the 75% expected after the project. Inputs: 562 km at 79% (stated), old pipe ageing one
    point a year and new pipe 3.33 points a year (estimates, not tuned to 75)."""
    stated = reported(read_demo("mangystau_heat"))["city_wear_pct_expected_after"].value
    assert completion.at(2025)["city_wear_pct"] == pytest.approx(stated, abs=1.5)


def test_the_published_yearly_figures_fit_the_stated_city_wear_less_well(completion, as_stated):
    """11.5 + 10 = 21.5 km leaves the city network at about 78%, three points above the stated 75%:
    the model sides with the completion report, and both readings stay in the data."""
    assert as_stated.at(2025)["cumulative_actual_km"] == pytest.approx(21.5)
    assert as_stated.at(2025)["city_wear_pct"] > completion.at(2025)["city_wear_pct"] + 2


def test_main_network_wear_after_replacing_44_of_47_7_km(completion):
    assert completion.at(2023)["main_wear_pct"] == 75
    assert completion.at(2025)["main_wear_pct"] < 15


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.floats(0, 60), min_size=1, max_size=8),
    st.floats(1, 600),
    st.floats(0, 100),
)
def test_cumulative_km_never_exceed_the_network_length(km, length, wear_before):
    years = np.arange(2023, 2023 + len(km))
    counted, cumulative, wear = network_wear(length, wear_before, np.array(km), years, 2023, 1.0, 3.33)
    assert np.all(cumulative <= length + 1e-9)
    assert np.all(np.diff(cumulative) >= -1e-9)
    assert np.all(counted >= 0)
    assert np.all((wear >= 0) & (wear <= 100 + 1e-9))
