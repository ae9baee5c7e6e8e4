"""Backtest of the water balance on the Mangystau demo data against what was reported.

What produces the result (all inputs are in src/baqylau/balance/data/mangystau_water.json):

Demand is not tuned. Population: the published territory figures plus estimated 2025 points grown at
the region's 2024 rate (Beineu: a residual of the region total). Norms: the midpoints of the SNiP ranges,
290 L/person/day for the two cities (central hot water, 230-350) and 195 for the districts (with baths,
160-230); summer factor 1.2 (SNiP peak-day 1.1-1.3); other consumers 11,000 m³/day in all (estimates).
That gives a June-August 2023 demand of about 242,700 m³/day against 162,000 + 77,000 = 239,000
reported (1.6% above), and 253,100 in summer 2025 against the 260,000 forecast in Nov 2022.

Supply has one calibrated number: the availability of the old Astrakhan-Mangyshlak pipeline (AMP) before
its December 2023 upgrade, 0.74 (81,400 of its nominal 110,000 m³/day, while 177 km were being replaced),
set so that the water actually used in summer 2023 matches the reported consumption of 162,000 m³/day.
The summer-2023 shortage (about 80,700 m³/day, 4.8% above the reported 77,000) then follows from
demand minus supply; it is not fitted. Everything else delivers 90% of nameplate (estimate).

The pipeline is pooled: its water goes to the zones on its route (AKT, ZHA, MUN, MAN, BEI) in proportion
to each one's need beyond its own plants. No share is calibrated any more. Summer 2025: the pipeline at
170,000 (x0.9), MAEK 58,000, Caspiy 40,000 and the small plants deliver about 257,800 m³/day against
253,100 of demand; no zone is short, and 3,200 m³/day of pipeline water plus 1,500 of local surplus (KAR,
TUP) are left: a margin of under 2%, an output of the model, not fitted.
"""

from dataclasses import replace
from datetime import date

import numpy as np
import pytest

from baqylau.balance import Assumption, load_water_demo, read_demo, reported, water_balance, what_if

START, END = date(2023, 1, 1), date(2028, 12, 31)
KENDERLI_IN = date(2025, 10, 27)
ROUTE = ("AKT", "ZHA", "MUN", "MAN", "BEI")  # the zones the pipeline reaches


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


def kenderli_delivered(demo) -> float:
    return 50_000 * demo.assumptions.availability["KENDERLI"].value  # 45,000 m³/day


def test_summer_2023_shortage_is_reproduced_within_20_percent(balance, facts):
    shortage = facts["summer_2023_shortage_m3_day"].value  # 77,000 (inform.kz, June 2023)
    deficit = balance.summer_total("deficit", 2023)
    assert deficit == pytest.approx(shortage, rel=0.20)
    # and the calibration target: water actually used = demand - deficit
    used = balance.summer_total("demand", 2023) - deficit
    assert used == pytest.approx(facts["summer_2023_consumption_m3_day"].value, rel=0.02)
    # all the pipeline's water was needed: nothing spare on the route that summer
    assert balance.summer_total("spare", 2023) == 0


def test_demand_matches_what_was_reported_and_forecast(balance, facts):
    reported_demand_2023 = (
        facts["summer_2023_consumption_m3_day"].value + facts["summer_2023_shortage_m3_day"].value
    )
    assert balance.summer_total("demand", 2023) == pytest.approx(reported_demand_2023, rel=0.05)
    assert balance.summer_total("demand", 2025) == pytest.approx(
        facts["demand_forecast_2025_m3_day"].value, rel=0.05
    )


def test_no_deficit_in_summer_2025_in_the_region_or_any_zone(balance):
    """Not by construction any more: the pipeline's split among zones is not set from 2025; the margin is
    thin (about 3,200 m³/day of pipeline water spare, 1,500 surplus in KAR and TUP)."""
    assert balance.summer_total("deficit", 2025) == pytest.approx(0, abs=1)
    per_zone = dict(zip(balance.zone_codes, balance.summer_mean("deficit", 2025), strict=True))
    assert all(d == pytest.approx(0, abs=1) for d in per_zone.values()), per_zone
    assert balance.summer_total("provision_pct", 2025) == pytest.approx(100)
    assert 0 < balance.summer_total("spare", 2025) < 0.02 * balance.summer_total("demand", 2025)


def test_the_shortage_shrinks_as_facilities_come_in(balance):
    summers = [balance.summer_total("deficit", y) for y in (2023, 2024, 2025)]
    assert summers[0] > summers[1] > summers[2]


def test_in_a_shortage_the_pipeline_shares_it_out_along_its_route(balance):
    """Summer 2023, pooled: every zone on the route is short (AKT 25,400, ZHA 30,400, MUN 11,700, MAN 4,400,
    BEI 8,500 m³/day), each in proportion to its need beyond its own plants; off the route, KAR has a small
    surplus (700) and TUP a small shortage (240), which the pipeline cannot reach."""
    deficit = dict(zip(balance.zone_codes, balance.summer_mean("deficit", 2023), strict=True))
    assert all(deficit[z] > 1_000 for z in ROUTE), deficit
    assert deficit["KAR"] == 0 and balance.summer_mean("surplus", 2023)[balance.row("KAR")] > 0


def test_kenderli_frees_pipeline_water_and_zhanaozen_stays_supplied(demo, balance):
    """November 2025, Kenderli in (27 Oct): Zhanaozen's supply is the same with or without it (its need is met
    either way), but the pipeline water it replaces becomes spare: 45,000 m³/day more (about 110,000 instead
    of 65,000 in that low-demand month)."""
    without = water_balance(what_if(demo, "KENDERLI", capacity_m3_day=0), START, END)
    november = months_between(balance, date(2025, 11, 1), date(2025, 11, 1))
    zha, amp = balance.row("ZHA"), balance.source_row("AMP")
    assert balance.supply[zha, november] == pytest.approx(without.supply[zha, november])
    assert balance.deficit[zha, november] == 0
    freed = balance.spare[amp, november] - without.spare[amp, november]
    assert freed == pytest.approx(kenderli_delivered(demo))


def test_an_early_kenderli_would_have_cut_the_2023_shortage_by_all_its_water(demo, balance):
    """Had Kenderli come in early 2023, the summer-2023 shortage would have been 45,000 m³/day lower (80,700
    -> 35,700): all its water was needed, and the pipeline would have sent what Zhanaozen no longer needed
    to the other zones on its route (ZHA 30,400 -> 4,900; AKT 25,400 -> 15,500; BEI 8,500 -> 5,200)."""
    early = water_balance(what_if(demo, "KENDERLI", in_service_from=date(2023, 1, 1)), START, END)
    drop = balance.summer_total("deficit", 2023) - early.summer_total("deficit", 2023)
    assert drop == pytest.approx(kenderli_delivered(demo), rel=1e-6)
    assert np.all(early.summer_mean("deficit", 2023) <= balance.summer_mean("deficit", 2023))
    for zone in ROUTE:
        assert (
            early.summer_mean("deficit", 2023)[balance.row(zone)]
            < balance.summer_mean("deficit", 2023)[balance.row(zone)]
        )


@pytest.mark.parametrize("change", [{"in_service_from": date(2027, 6, 1)}, {"capacity_m3_day": 0}])
def test_delaying_kenderli_spends_the_region_margin_in_summer_2026(demo, balance, change):
    """With the plan's dates (MAEK's extension to 76,000 at its planned end of 2025), the region has about
    59,600 m³/day of pipeline water spare in summer 2026. Kenderli delayed to 2027-06-01, or never built: the
    pipeline covers Zhanaozen, no zone runs short (deficit 0 -> 0), and the spare falls by Kenderli's 45,000
    to about 14,600. Without Kenderli at all, the spare is about 9,800 in 2027 and 5,000 in 2028."""
    later = water_balance(what_if(demo, "KENDERLI", **change), START, END)
    assert balance.summer_total("deficit", 2026) == later.summer_total("deficit", 2026) == 0
    assert balance.summer_total("spare", 2026) == pytest.approx(59_600, rel=0.01)
    spent = balance.summer_total("spare", 2026) - later.summer_total("spare", 2026)
    assert spent == pytest.approx(kenderli_delivered(demo))


@pytest.mark.parametrize("change", [{"in_service_from": date(2027, 6, 1)}, {"capacity_m3_day": 0}])
def test_delaying_kenderli_raises_the_region_deficit_in_summer_2026_if_maek_extension_is_late(demo, change):
    """MAEK's extension (to 76,000) has no reported commissioning, and the December 2025 plan to 2028 still
    lists a reverse-osmosis station at MAEK. With it late (here: end of 2028), summer 2026 has no deficit with
    Kenderli in (spare about 43,400), and with Kenderli delayed to 2027-06-01 or never built the region is
    short by about 1,600 m³/day, shared along the pipeline's route (AKT 550, ZHA 680, MUN 110, MAN 100,
    BEI 190). Without Kenderli, summer 2027 is short by about 6,450 instead of 20 (TUP, off the route)."""
    plan = what_if(demo, "MAEK", in_service_from=date(2028, 12, 31))
    base = water_balance(plan, START, END)
    later = water_balance(what_if(plan, "KENDERLI", **change), START, END)
    assert base.summer_total("deficit", 2026) == 0
    assert later.summer_total("deficit", 2026) == pytest.approx(1_640, rel=0.05)
    assert later.summer_total("spare", 2026) == 0  # every drop of the pipeline is used
    short = {z for z, d in zip(later.zone_codes, later.summer_mean("deficit", 2026), strict=True) if d > 0}
    assert short == set(ROUTE)
    if "capacity_m3_day" in change:
        assert base.summer_total("deficit", 2027) == pytest.approx(20, abs=5)
        assert later.summer_total("deficit", 2027) == pytest.approx(6_450, rel=0.05)


def test_a_later_kenderli_never_lowers_a_deficit_and_changes_only_the_months_in_between(demo, balance):
    later = date(2028, 1, 1)
    delayed = water_balance(what_if(demo, "KENDERLI", in_service_from=later), START, END)
    between = months_between(balance, KENDERLI_IN, date(2027, 12, 31))
    change = delayed.deficit - balance.deficit
    assert np.all(change >= 0)
    lost_spare = balance.total("spare") - delayed.total("spare")
    assert np.all(lost_spare[between] > 0)  # the margin is spent on Zhanaozen in the months in between
    assert np.all(change[:, ~between] == 0) and np.all(lost_spare[~between] == 0)  # nothing moves outside


def test_how_the_pipeline_rows_split_its_water_no_longer_matters(demo, balance):
    even = Assumption.estimated(0.2, "test: an even split of the pipeline's water")
    shares = {key: (even if key[0] == "AMP" else f) for key, f in demo.assumptions.served_share.items()}
    evenly = water_balance(
        replace(demo, assumptions=replace(demo.assumptions, served_share=shares)), START, END
    )
    np.testing.assert_allclose(evenly.deficit, balance.deficit)
    np.testing.assert_allclose(evenly.supply, balance.supply)


def test_without_pooling_the_rows_give_the_earlier_fixed_share_results(demo):
    """What a reader that ignores pooled_shares computes (the database side until it stores them): the old
    fixed-share model, whose pipeline split was calibrated on no deficit in 2025. Summer 2023: 80,700;
    2025: 0; 2026: 800 (MUN 720, BEI 80) while Zhanaozen has 45,200 and Aktau 15,200 m³/day unused."""
    fixed = water_balance(replace(demo, assumptions=replace(demo.assumptions, pooled_share={})), START, END)
    assert fixed.summer_total("deficit", 2023) == pytest.approx(80_700, rel=0.01)
    assert fixed.summer_total("deficit", 2025) == pytest.approx(0, abs=1)
    assert fixed.summer_total("deficit", 2026) == pytest.approx(800, rel=0.05)
    assert fixed.summer_mean("surplus", 2026)[fixed.row("ZHA")] == pytest.approx(45_200, rel=0.01)
