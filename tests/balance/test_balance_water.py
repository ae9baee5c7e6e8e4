"""Water balance mechanics on small hand-made inputs (the demo data is tested in test_balance_backtest)."""

from dataclasses import replace
from datetime import date

import numpy as np
import pytest

from baqylau.balance import (
    Assumption,
    Assumptions,
    PopulationPoint,
    Source,
    Stage,
    WaterInputs,
    Zone,
    population_on,
    water_balance,
    what_if,
)


def cited(value: float) -> Assumption:
    return Assumption(value, source="test")


def make_inputs(*, stage_date=date(2024, 7, 16), availability=1.0, share=1.0) -> WaterInputs:
    zone = Zone("Z", "Zone", (PopulationPoint(date(2024, 1, 1), cited(100_000)),))
    plant = Source("P", "Plant", cited(10_000), (Stage(cited(30_000), stage_date),))
    assumptions = Assumptions(
        norm_l_person_day={"Z": cited(200)},
        other_consumers_m3_day={"Z": cited(1_000)},
        seasonal_factor={m: cited(1.5 if m == 7 else 1.0) for m in range(1, 13)},
        availability={"P": cited(availability)},
        baseline_availability={},
        served_share={("P", "Z"): cited(share)},
    )
    return WaterInputs((zone,), (plant,), assumptions)


def test_demand_is_population_times_norm_times_season_plus_others():
    balance = water_balance(make_inputs(), date(2024, 6, 1), date(2024, 7, 31))
    # 100,000 people x 200 L = 20,000 m³/day; July x1.5; + 1,000 other
    np.testing.assert_allclose(balance.demand[0], [21_000, 31_000])


def test_a_stage_counts_for_the_days_of_the_month_it_is_in_service():
    balance = water_balance(make_inputs(stage_date=date(2024, 7, 16)), date(2024, 6, 1), date(2024, 8, 31))
    # July: 15 days at 10,000 then 16 days at 30,000
    np.testing.assert_allclose(balance.supply[0], [10_000, (15 * 10_000 + 16 * 30_000) / 31, 30_000])


def test_deficit_and_provision():
    balance = water_balance(make_inputs(stage_date=date(2030, 1, 1)), date(2024, 6, 1), date(2024, 6, 30))
    assert balance.deficit[0, 0] == pytest.approx(11_000)
    assert balance.provision_pct[0, 0] == pytest.approx(10_000 / 21_000 * 100)
    balance = water_balance(make_inputs(stage_date=date(2020, 1, 1)), date(2024, 6, 1), date(2024, 6, 30))
    assert balance.deficit[0, 0] == 0
    assert balance.provision_pct[0, 0] == 100


def test_availability_and_share_scale_supply():
    balance = water_balance(
        make_inputs(stage_date=date(2030, 1, 1), availability=0.5, share=0.4),
        date(2024, 6, 1),
        date(2024, 6, 1),
    )
    assert balance.supply[0, 0] == pytest.approx(10_000 * 0.5 * 0.4)


def test_baseline_availability_applies_only_before_the_stage():
    inputs = make_inputs(stage_date=date(2024, 7, 1), availability=0.9)
    old_pipe = replace(inputs.assumptions, baseline_availability={"P": cited(0.5)})
    balance = water_balance(
        WaterInputs(inputs.zones, inputs.sources, old_pipe), date(2024, 6, 1), date(2024, 7, 31)
    )
    np.testing.assert_allclose(balance.supply[0], [5_000, 27_000])


def test_population_is_linear_between_points_and_extrapolated_beyond():
    zone = Zone(
        "Z",
        "Zone",
        (PopulationPoint(date(2020, 1, 1), cited(1_000)), PopulationPoint(date(2022, 1, 1), cited(1_200))),
    )
    assert population_on(zone, date(2021, 1, 1)) == pytest.approx(1_100, rel=1e-3)
    assert population_on(zone, date(2024, 1, 1)) == pytest.approx(1_400, rel=1e-3)
    assert population_on(zone, date(2018, 1, 1)) == pytest.approx(800, rel=1e-3)


def test_months_run_from_start_to_end_inclusive_and_totals_add_up():
    balance = water_balance(make_inputs(), date(2023, 1, 15), date(2024, 12, 2))
    assert len(balance.months) == 24
    assert str(balance.months[0]) == "2023-01" and str(balance.months[-1]) == "2024-12"
    np.testing.assert_allclose(balance.total("deficit"), balance.deficit.sum(axis=0))
    assert balance.summer_total("demand", 2024) == pytest.approx(balance.demand[0, 17:20].mean())
    assert len(balance.to_rows()) == 24


def test_summer_mean_needs_the_summer_in_range():
    balance = water_balance(make_inputs(), date(2024, 1, 1), date(2024, 6, 30))
    with pytest.raises(ValueError, match="June-August"):
        balance.summer_mean("deficit", 2024)


def test_what_if_moves_or_resizes_one_stage_and_leaves_the_original_alone():
    inputs = make_inputs(stage_date=date(2024, 7, 1))
    later = what_if(inputs, "P", in_service_from=date(2025, 1, 1))
    bigger = what_if(inputs, "P", capacity_m3_day=50_000)
    assert inputs.sources[0].stages[0].in_service_from == date(2024, 7, 1)
    assert later.sources[0].stages[0].in_service_from == date(2025, 1, 1)
    assert bigger.sources[0].stages[0].capacity_m3_day.estimate  # a what-if is never a cited fact

    def august_deficit(i):
        return water_balance(i, date(2024, 8, 1), date(2024, 8, 31)).deficit[0, 0]

    assert august_deficit(later) > august_deficit(inputs) == 0


def test_what_if_on_the_baseline_changes_capacity_only():
    inputs = make_inputs()
    assert what_if(inputs, "P", capacity_m3_day=0, stage=None).sources[0].baseline_m3_day.value == 0
    with pytest.raises(ValueError):
        what_if(inputs, "P", in_service_from=date(2024, 1, 1), stage=None)
    with pytest.raises(KeyError):
        what_if(inputs, "NOPE", capacity_m3_day=1)


def test_shares_of_a_source_cannot_exceed_one():
    inputs = make_inputs(share=1.2)
    with pytest.raises(ValueError, match="shares sum above 1"):
        water_balance(inputs, date(2024, 1, 1), date(2024, 1, 31))


# --- pooled sources ---------------------------------------------------------------------------------
# Zones A, B, C need 30,000, 10,000 and 20,000 m³/day (100 L/person/day, no season, no other consumers).


def network(sources: dict[str, tuple], pooled: dict[str, float], people=None) -> WaterInputs:
    """sources: code -> (capacity, {zone: share}, stages); availability 1 everywhere."""
    people = people or {"A": 300_000, "B": 100_000, "C": 200_000}
    zones = tuple(Zone(z, z, (PopulationPoint(date(2024, 1, 1), cited(n)),)) for z, n in people.items())
    plants = tuple(Source(code, code, cited(c), stages) for code, (c, _, stages) in sources.items())
    assumptions = Assumptions(
        norm_l_person_day={z: cited(100) for z in people},
        other_consumers_m3_day={},
        seasonal_factor={m: cited(1.0) for m in range(1, 13)},
        availability={code: cited(1.0) for code in sources},
        baseline_availability={},
        served_share={
            (code, z): cited(v) for code, (_, shares, _) in sources.items() for z, v in shares.items()
        },
        pooled_share={code: cited(v) for code, v in pooled.items()},
    )
    return WaterInputs(zones, plants, assumptions)


def june(inputs: WaterInputs):
    return water_balance(inputs, date(2024, 6, 1), date(2024, 6, 30))


def column(balance, quantity: str) -> dict[str, float]:
    codes = balance.source_codes if quantity in ("delivered", "spare") else balance.zone_codes
    return dict(zip(codes, getattr(balance, quantity)[:, 0].round(6), strict=True))


def pipeline_to_a_and_b(pipe: float, *, local_stages=()) -> WaterInputs:
    return network(
        {"LOCAL": (25_000, {"A": 1.0}, local_stages), "PIPE": (pipe, {"A": 0.5, "B": 0.5}, ())}, {"PIPE": 1.0}
    )


def test_a_pooled_source_serves_residual_need_and_reports_what_is_left():
    # A needs 5,000 beyond its local plant, B 10,000; C is off the pipeline's route
    plenty = june(pipeline_to_a_and_b(20_000))
    assert column(plenty, "supply") == {"A": 30_000, "B": 10_000, "C": 0}
    assert column(plenty, "deficit") == {"A": 0, "B": 0, "C": 20_000}  # water cannot reach C
    assert column(plenty, "spare") == {"LOCAL": 0, "PIPE": 5_000}  # nobody on the route needs it
    assert column(plenty, "surplus") == {"A": 0, "B": 0, "C": 0}  # pooled water never overshoots
    # short: 6,000 for 15,000 of need -> each zone gets 40% of its need
    short = june(pipeline_to_a_and_b(6_000))
    assert column(short, "deficit") == {"A": 3_000, "B": 6_000, "C": 20_000}
    assert column(short, "spare") == {"LOCAL": 0, "PIPE": 0}


def test_a_pooled_share_below_one_keeps_the_rest_on_fixed_shares():
    half = june(
        network(
            {"LOCAL": (25_000, {"A": 1.0}, ()), "PIPE": (20_000, {"A": 0.5, "B": 0.5}, ())}, {"PIPE": 0.5}
        )
    )
    # fixed half: 5,000 to A (its need), 5,000 to B; pooled half: 5,000 more to B, 5,000 left
    assert column(half, "supply") == {"A": 30_000, "B": 10_000, "C": 0}
    assert column(half, "spare")["PIPE"] == 5_000
    # the served shares' sum is the part of the source's water in the balance (here 0.6 x 20,000)
    partly_outside = june(network({"PIPE": (20_000, {"A": 0.3, "B": 0.3}, ())}, {"PIPE": 1.0}))
    assert column(partly_outside, "supply") == {"A": 9_000, "B": 3_000, "C": 0}  # 12,000 by need 30:10
    assert column(partly_outside, "delivered")["PIPE"] == 20_000


def test_a_zone_gets_less_pipeline_water_when_its_own_plant_comes_in_and_no_deficit_rises():
    before = june(pipeline_to_a_and_b(6_000))
    grown = june(pipeline_to_a_and_b(6_000, local_stages=(Stage(cited(30_000), date(2024, 1, 1)),)))
    # A's local plant now covers it: the pipeline's 6,000 all go to B (A got 2,000 of them before)
    assert column(before, "supply")["A"] - 25_000 == 2_000
    assert column(grown, "supply") == {"A": 30_000, "B": 6_000, "C": 0}
    assert column(grown, "deficit") == {"A": 0, "B": 4_000, "C": 20_000}
    assert np.all(grown.deficit <= before.deficit)


def test_pooled_sources_with_fewer_zones_go_first_so_nested_networks_lose_nothing():
    # "AAA" reaches A and B; "ZZZ" reaches only A: ZZZ goes first although its code comes later
    inputs = network(
        {"AAA": (10_000, {"A": 0.5, "B": 0.5}, ()), "ZZZ": (30_000, {"A": 1.0}, ())},
        {"AAA": 1.0, "ZZZ": 1.0},
        people={"A": 300_000, "B": 100_000},
    )
    balance = june(inputs)
    assert column(balance, "deficit") == {"A": 0, "B": 0}
    assert column(balance, "spare") == {"AAA": 0, "ZZZ": 0}


def test_crossing_reaches_can_leave_water_unused_a_known_limit():
    """Two pooled sources of the same reach size go in code order: W (B, C) first shares its 10,000 out
    5,000/5,000, then X (A, B) can only give B its last 5,000, and 5,000 stay unused while C is 5,000 short.
    Sending X's water to B first would cover everyone; the rule does not search for that."""
    inputs = network(
        {"W": (10_000, {"B": 0.5, "C": 0.5}, ()), "X": (10_000, {"A": 0.5, "B": 0.5}, ())},
        {"W": 1.0, "X": 1.0},
        people={"A": 0, "B": 100_000, "C": 100_000},
    )
    balance = june(inputs)
    assert column(balance, "deficit") == {"A": 0, "B": 0, "C": 5_000}
    assert column(balance, "spare") == {"W": 0, "X": 5_000}


def test_unused_water_is_the_surplus_of_fixed_shares_plus_the_spare_of_pooled_sources():
    inputs = network(
        {"LOCAL": (35_000, {"A": 1.0}, ()), "PIPE": (20_000, {"A": 0.5, "B": 0.5}, ())}, {"PIPE": 1.0}
    )
    balance = june(inputs)
    # the local plant makes 5,000 more than A needs; the pipeline's 20,000 meet B's 10,000 and keep 10,000
    assert column(balance, "surplus") == {"A": 5_000, "B": 0, "C": 0}
    assert column(balance, "spare")["PIPE"] == 10_000
    unused = balance.total("surplus") + balance.total("spare")
    used = balance.total("demand") - balance.total("deficit")
    np.testing.assert_allclose(used + unused, balance.total("delivered"))
    rows = balance.source_rows()
    assert rows[1] == {"source": "PIPE", "month": "2024-06", "delivered": 20_000, "spare": 10_000}


def test_a_pooled_share_must_be_a_fraction_of_a_known_source():
    with pytest.raises(ValueError, match=r"within 0\.\.1"):
        june(network({"PIPE": (1_000, {"A": 1.0}, ())}, {"PIPE": 1.5}))
    with pytest.raises(KeyError, match="not a source"):
        june(network({"PIPE": (1_000, {"A": 1.0}, ())}, {"NOPE": 1.0}))


def test_a_figure_needs_a_source_or_a_reasoned_estimate():
    with pytest.raises(ValueError):
        Assumption(1.0)
    with pytest.raises(ValueError):
        Assumption(1.0, estimate=True)
    assert Assumption.estimated(1.0, "because").estimate
