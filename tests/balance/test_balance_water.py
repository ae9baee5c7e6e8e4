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


def test_a_figure_needs_a_source_or_a_reasoned_estimate():
    with pytest.raises(ValueError):
        Assumption(1.0)
    with pytest.raises(ValueError):
        Assumption(1.0, estimate=True)
    assert Assumption.estimated(1.0, "because").estimate
