"""Backtest of the water balance on the Mangystau demo data against what was reported.

What produces the result (all inputs are in src/baqylau/balance/data/mangystau_water.json):

Demand is not tuned. Population: the published territory figures plus estimated 2025 points grown at
the region's 2024 rate (Beineu: a residual of the region total). Norms: the midpoints of the SNiP ranges,
290 L/person/day for the two cities (central hot water, 230-350) and 195 for the districts (with baths,
160-230); summer factor 1.2 (SNiP peak-day 1.1-1.3); other consumers 11,000 m³/day in all (estimates).
That gives a June-August 2023 demand of about 242,700 m³/day against 162,000 + 77,000 = 239,000
reported (1.6% above), and 253,100 in summer 2025 against the 260,000 forecast in Nov 2022.

Supply has one calibrated number: the availability of the old Astrakhan-Mangyshlak pipeline before its
December 2023 upgrade, 0.74 (81,400 of its nominal 110,000 m³/day, while 177 km were being replaced),
set so that the water actually used in summer 2023 matches the reported consumption of 162,000 m³/day.
The summer-2023 shortage (about 80,700 m³/day, 4.8% above the reported 77,000) then follows from
demand minus supply; it is not fitted. Everything else delivers 90% of nameplate (estimate).

Summer 2025: the pipeline at 170,000 (x0.9), MAEK 58,000, Caspiy 40,000 and the small plants deliver
about 257,800 m³/day against 253,100 of demand: a margin of under 2%. Which zones the pipeline serves
is not published: its shares are set in proportion to each zone's 2025 need beyond its local sources,
a rule calibrated on the report of no deficit in 2025, so "no deficit in every zone" is partly by
construction; the region margin is not.
"""

from datetime import date

import numpy as np
import pytest

from baqylau.balance import load_water_demo, read_demo, reported, water_balance, what_if

START, END = date(2023, 1, 1), date(2028, 12, 31)
KENDERLI_IN = date(2025, 10, 27)


@pytest.fixture(scope="module")
def demo():
    return load_water_demo()


@pytest.fixture(scope="module")
def balance(demo):
    return water_balance(demo, START, END)


@pytest.fixture(scope="module")
def facts():
    return reported(read_demo("mangystau_water"))


def months_between(balance, first: date, last: date) -> np.ndarray:
    return (balance.months >= np.datetime64(first, "M")) & (balance.months <= np.datetime64(last, "M"))


def test_summer_2023_shortage_is_reproduced_within_20_percent(balance, facts):
    shortage = facts["summer_2023_shortage_m3_day"].value  # 77,000 (inform.kz, June 2023)
    deficit = balance.summer_total("deficit", 2023)
    assert deficit == pytest.approx(shortage, rel=0.20)
    # and the calibration target: water actually used = demand - deficit
    used = balance.summer_total("demand", 2023) - deficit
    assert used == pytest.approx(facts["summer_2023_consumption_m3_day"].value, rel=0.02)


def test_demand_matches_what_was_reported_and_forecast(balance, facts):
    reported_demand_2023 = (
        facts["summer_2023_consumption_m3_day"].value + facts["summer_2023_shortage_m3_day"].value
    )
    assert balance.summer_total("demand", 2023) == pytest.approx(reported_demand_2023, rel=0.05)
    assert balance.summer_total("demand", 2025) == pytest.approx(
        facts["demand_forecast_2025_m3_day"].value, rel=0.05
    )


def test_no_deficit_in_summer_2025_in_the_region_or_any_zone(balance):
    assert balance.summer_total("deficit", 2025) == pytest.approx(0, abs=1)
    per_zone = dict(zip(balance.zone_codes, balance.summer_mean("deficit", 2025), strict=True))
    assert all(d == pytest.approx(0, abs=1) for d in per_zone.values()), per_zone
    assert balance.summer_total("provision_pct", 2025) == pytest.approx(100)


def test_the_shortage_shrinks_as_facilities_come_in(balance):
    summers = [balance.summer_total("deficit", y) for y in (2023, 2024, 2025)]
    assert summers[0] > summers[1] > summers[2]


def test_zhanaozen_supply_rises_when_kenderli_comes_in(demo, balance):
    zha = balance.row("ZHA")
    september, november = (
        months_between(balance, date(2025, 9, 1), date(2025, 9, 1)),
        months_between(balance, date(2025, 11, 1), date(2025, 11, 1)),
    )
    kenderli = 50_000 * demo.assumptions.availability["KENDERLI"].value
    assert balance.supply[zha, november][0] - balance.supply[zha, september][0] == pytest.approx(kenderli)


def test_zhanaozen_deficit_drops_when_kenderli_comes_in(demo, balance):
    """Without Kenderli, Zhanaozen's fixed share of the pipeline falls short as the town grows (summers
    2027-2028 here); with Kenderli in from 2025-10-27 there is no deficit in any month after it. Had it
    come in early 2023, it would have covered Zhanaozen's summer-2023 shortage (about 26,600 m³/day)."""
    zha = balance.row("ZHA")
    after = months_between(balance, KENDERLI_IN, END)
    without = water_balance(what_if(demo, "KENDERLI", capacity_m3_day=0), START, END)
    assert without.deficit[zha, after].sum() > 0
    assert balance.deficit[zha, after].sum() == 0

    early = water_balance(what_if(demo, "KENDERLI", in_service_from=date(2023, 1, 1)), START, END)
    assert balance.summer_mean("deficit", 2023)[zha] > 20_000
    assert early.summer_mean("deficit", 2023)[zha] == 0


def test_a_later_kenderli_increases_the_deficit_in_the_months_in_between(demo, balance):
    later = date(2028, 1, 1)
    delayed = water_balance(what_if(demo, "KENDERLI", in_service_from=later), START, END)
    zha = balance.row("ZHA")
    between = months_between(balance, KENDERLI_IN, date(2027, 12, 31))
    change = delayed.deficit[zha] - balance.deficit[zha]
    assert change[between].sum() > 0
    assert np.all(change >= 0)
    assert np.all(change[~between] == 0)  # before and after the window nothing moves
