"""Properties of the water balance that must hold for any inputs (hypothesis)."""

from datetime import date, timedelta

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from baqylau.balance import (
    Assumption,
    Assumptions,
    PopulationPoint,
    Source,
    Stage,
    WaterInputs,
    Zone,
    water_balance,
    what_if,
)

START, END = date(2023, 1, 1), date(2025, 12, 31)
TOLERANCE = 1e-6  # m³/day: float noise only


def synthetic(value: float) -> Assumption:
    return Assumption(value, source="synthetic")


days = st.integers(min_value=-400, max_value=1500).map(lambda d: START + timedelta(days=d))
capacities = st.floats(min_value=0, max_value=100_000)


@st.composite
def water_inputs(draw) -> WaterInputs:
    n_zones = draw(st.integers(1, 3))
    n_sources = draw(st.integers(1, 4))
    zones = tuple(
        Zone(
            f"Z{i}",
            f"Zone {i}",
            (
                PopulationPoint(date(2023, 1, 1), synthetic(draw(st.floats(0, 300_000)))),
                PopulationPoint(date(2025, 1, 1), synthetic(draw(st.floats(0, 300_000)))),
            ),
        )
        for i in range(n_zones)
    )
    sources = tuple(
        Source(
            f"S{j}",
            f"Source {j}",
            synthetic(draw(capacities)),
            tuple(Stage(synthetic(draw(capacities)), draw(days)) for _ in range(draw(st.integers(0, 2)))),
        )
        for j in range(n_sources)
    )
    shares = {}
    for source in sources:
        weights = draw(st.lists(st.floats(0, 1), min_size=n_zones, max_size=n_zones))
        total = max(1.0, sum(weights))  # a source serves at most all of its water
        shares |= {(source.code, z.code): synthetic(w / total) for w, z in zip(weights, zones, strict=True)}
    assumptions = Assumptions(
        norm_l_person_day={z.code: synthetic(draw(st.floats(30, 350))) for z in zones},
        other_consumers_m3_day={z.code: synthetic(draw(st.floats(0, 10_000))) for z in zones},
        seasonal_factor={m: synthetic(draw(st.floats(0.5, 1.5))) for m in range(1, 13)},
        availability={s.code: synthetic(draw(st.floats(0, 1))) for s in sources},
        baseline_availability={
            s.code: synthetic(draw(st.floats(0, 1))) for s in sources if draw(st.booleans())
        },
        served_share=shares,
    )
    return WaterInputs(zones, sources, assumptions)


def staged_source(inputs: WaterInputs, data) -> tuple[Source, int]:
    staged = [s for s in inputs.sources if s.stages]
    source = data.draw(st.sampled_from(staged)) if staged else None
    return source, (data.draw(st.integers(0, len(source.stages) - 1)) if source else 0)


@settings(max_examples=150, deadline=None)
@given(water_inputs(), st.data())
def test_an_earlier_commissioning_date_never_increases_any_deficit(inputs, data):
    source, stage = staged_source(inputs, data)
    assume(source is not None)
    current = source.stages[stage].in_service_from
    earlier = current - timedelta(days=data.draw(st.integers(1, 2000)))
    before = water_balance(inputs, START, END).deficit
    after = water_balance(
        what_if(inputs, source.code, in_service_from=earlier, stage=stage), START, END
    ).deficit
    assert np.all(after <= before + TOLERANCE)


@settings(max_examples=150, deadline=None)
@given(water_inputs(), st.data())
def test_a_larger_capacity_never_increases_any_deficit(inputs, data):
    source = data.draw(st.sampled_from(inputs.sources))
    stage = data.draw(st.sampled_from([None, *range(len(source.stages))]))
    current = (source.baseline_m3_day if stage is None else source.stages[stage].capacity_m3_day).value
    larger = current + data.draw(st.floats(0, 100_000))
    before = water_balance(inputs, START, END).deficit
    after = water_balance(
        what_if(inputs, source.code, capacity_m3_day=larger, stage=stage), START, END
    ).deficit
    assert np.all(after <= before + TOLERANCE)


@settings(max_examples=150, deadline=None)
@given(water_inputs())
def test_provision_is_a_percentage_and_deficit_is_never_negative(inputs):
    balance = water_balance(inputs, START, END)
    assert np.all(balance.deficit >= 0)
    assert np.all((balance.provision_pct >= 0) & (balance.provision_pct <= 100))
    total = balance.total("provision_pct")
    assert np.all((total >= 0) & (total <= 100 + TOLERANCE))
    np.testing.assert_allclose(balance.deficit, np.maximum(0, balance.demand - balance.supply))
