"""Properties of the water balance that must hold for any inputs (hypothesis), pooled sources included.

What holds with pooled allocation (each pooled source gives its water to the zones it reaches in
proportion to their residual need, never above it, in a fixed order) and is tested here:
- deficit >= 0, provision within 0..100, deficit = max(0, demand - supply);
- more water anywhere (an earlier stage, a larger capacity, a higher availability) never raises the deficit
  of ANY zone, hence not of the region either. It holds per zone because each pooled step leaves every
  zone a residual need r * max(0, 1 - water / sum of r), which rises with every residual need and falls
  with the water, and the order of the steps does not depend on capacities or dates;
- no source gives more than it delivers: supply plus spare adds up to the water in the balance;
- pooled water never takes a zone above its demand (a surplus only comes from fixed shares), and a pooled
  source has spare water only when every zone it reaches is fully supplied;
- with a single pooled source, pooling it never raises the region's deficit compared with fixed shares;
- when the reaches of pooled sources are nested or disjoint, the water they deliver is the most any
  re-routing could deliver (the max-flow / min-cut bound).
What does NOT hold: the pooled water a zone receives is not monotone (a zone gets less pipeline water
when its own plant comes in, which is the point), and with several pooled sources whose reaches cross,
the sequential rule can leave water unused that a full re-routing would deliver (tests in
test_balance_water.py).
"""

from dataclasses import replace
from datetime import date, timedelta
from itertools import combinations

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
def water_inputs(draw, *, max_pooled: int = 4) -> WaterInputs:
    n_zones = draw(st.integers(1, 4))
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
    pooled = {}
    for source in sources[:max_pooled]:
        fraction = draw(st.one_of(st.none(), st.just(0.0), st.just(1.0), st.floats(0, 1)))
        if fraction is not None:
            pooled[source.code] = synthetic(fraction)
    assumptions = Assumptions(
        norm_l_person_day={z.code: synthetic(draw(st.floats(30, 350))) for z in zones},
        other_consumers_m3_day={z.code: synthetic(draw(st.floats(0, 10_000))) for z in zones},
        seasonal_factor={m: synthetic(draw(st.floats(0.5, 1.5))) for m in range(1, 13)},
        availability={s.code: synthetic(draw(st.floats(0, 1))) for s in sources},
        baseline_availability={
            s.code: synthetic(draw(st.floats(0, 1))) for s in sources if draw(st.booleans())
        },
        served_share=shares,
        pooled_share=pooled,
    )
    return WaterInputs(zones, sources, assumptions)


def staged_source(inputs: WaterInputs, data) -> tuple[Source, int]:
    staged = [s for s in inputs.sources if s.stages]
    source = data.draw(st.sampled_from(staged)) if staged else None
    return source, (data.draw(st.integers(0, len(source.stages) - 1)) if source else 0)


def assert_no_deficit_rises(before, after) -> None:
    """Per zone and month, hence also for the region."""
    assert np.all(after.deficit <= before.deficit + TOLERANCE)
    assert np.all(after.total("deficit") <= before.total("deficit") + TOLERANCE)


def in_balance(inputs: WaterInputs) -> np.ndarray:
    """[zone, source] served shares, as the model reads them."""
    zones = [z.code for z in inputs.zones]
    shares = np.zeros((len(zones), len(inputs.sources)))
    for j, source in enumerate(inputs.sources):
        for i, zone in enumerate(zones):
            share = inputs.assumptions.served_share.get((source.code, zone))
            shares[i, j] = share.value if share else 0.0
    return shares


def pooled_fractions(inputs: WaterInputs) -> np.ndarray:
    return np.array(
        [getattr(inputs.assumptions.pooled_share.get(s.code), "value", 0.0) for s in inputs.sources]
    )


@settings(max_examples=150, deadline=None)
@given(water_inputs(), st.data())
def test_an_earlier_commissioning_date_never_increases_any_deficit(inputs, data):
    source, stage = staged_source(inputs, data)
    assume(source is not None)
    current = source.stages[stage].in_service_from
    earlier = current - timedelta(days=data.draw(st.integers(1, 2000)))
    before = water_balance(inputs, START, END)
    after = water_balance(what_if(inputs, source.code, in_service_from=earlier, stage=stage), START, END)
    assert_no_deficit_rises(before, after)


@settings(max_examples=150, deadline=None)
@given(water_inputs(), st.data())
def test_a_larger_capacity_never_increases_any_deficit(inputs, data):
    source = data.draw(st.sampled_from(inputs.sources))
    stage = data.draw(st.sampled_from([None, *range(len(source.stages))]))
    current = (source.baseline_m3_day if stage is None else source.stages[stage].capacity_m3_day).value
    larger = current + data.draw(st.floats(0, 100_000))
    before = water_balance(inputs, START, END)
    after = water_balance(what_if(inputs, source.code, capacity_m3_day=larger, stage=stage), START, END)
    assert_no_deficit_rises(before, after)


@settings(max_examples=150, deadline=None)
@given(water_inputs(), st.data())
def test_a_higher_availability_never_increases_any_deficit(inputs, data):
    source = data.draw(st.sampled_from(inputs.sources)).code
    a = inputs.assumptions
    table = data.draw(st.sampled_from(["availability", "baseline_availability"]))
    current = getattr(a, table).get(source, a.availability[source]).value
    higher = data.draw(st.floats(current, 1.0))
    raised = replace(a, **{table: {**getattr(a, table), source: synthetic(higher)}})
    before = water_balance(inputs, START, END)
    after = water_balance(replace(inputs, assumptions=raised), START, END)
    assert_no_deficit_rises(before, after)


@settings(max_examples=150, deadline=None)
@given(water_inputs())
def test_provision_is_a_percentage_and_deficit_is_never_negative(inputs):
    balance = water_balance(inputs, START, END)
    assert np.all(balance.deficit >= 0)
    assert np.all((balance.provision_pct >= 0) & (balance.provision_pct <= 100))
    total = balance.total("provision_pct")
    assert np.all((total >= 0) & (total <= 100 + TOLERANCE))
    np.testing.assert_allclose(
        balance.deficit, np.maximum(0, balance.demand - balance.supply), rtol=1e-9, atol=TOLERANCE
    )


@settings(max_examples=150, deadline=None)
@given(water_inputs())
def test_no_source_gives_more_than_it_delivers(inputs):
    balance = water_balance(inputs, START, END)
    shares = in_balance(inputs)
    water_in_balance = (shares.sum(axis=0)[:, None] * balance.delivered).sum(axis=0)  # per month
    assert np.all(balance.spare >= 0)
    np.testing.assert_allclose(
        balance.total("supply") + balance.total("spare"), water_in_balance, rtol=1e-9, atol=TOLERANCE
    )
    assert np.all(balance.total("supply") <= balance.total("delivered") + TOLERANCE)


@settings(max_examples=150, deadline=None)
@given(water_inputs())
def test_pooled_water_goes_only_where_it_is_needed(inputs):
    balance = water_balance(inputs, START, END)
    shares, pooled = in_balance(inputs), pooled_fractions(inputs)
    dedicated = (shares * (1 - pooled)[None, :]) @ balance.delivered
    # pooled water never takes a zone above its demand: a surplus is fixed-share water only
    assert np.all(balance.supply <= np.maximum(balance.demand, dedicated) + TOLERANCE)
    np.testing.assert_allclose(balance.surplus, np.maximum(0, dedicated - balance.demand), atol=TOLERANCE)
    # water is left unused only when every zone the source reaches is fully supplied
    for j in np.flatnonzero(pooled > 0):
        reached = shares[:, j] > 0
        unused = balance.spare[j] > TOLERANCE
        assert np.all(balance.deficit[np.ix_(reached, unused)] <= TOLERANCE)


@settings(max_examples=150, deadline=None)
@given(water_inputs(max_pooled=1))
def test_pooling_a_single_source_never_raises_the_region_deficit(inputs):
    a = inputs.assumptions
    fixed = replace(inputs, assumptions=replace(a, pooled_share={}))
    region_pooled = water_balance(inputs, START, END).total("deficit")
    region_fixed = water_balance(fixed, START, END).total("deficit")
    assert np.all(region_pooled <= region_fixed + TOLERANCE)


@st.composite
def nested_networks(draw) -> tuple[list[tuple[int, ...]], list[float], list[float], list[str]]:
    """Reaches nested or disjoint (intervals split recursively, some repeated), with needs and water."""
    n_zones = draw(st.integers(1, 6))
    reaches: list[tuple[int, ...]] = []

    def split(lo: int, hi: int, depth: int) -> None:
        reaches.extend([tuple(range(lo, hi))] * draw(st.integers(0, 2)))
        if hi - lo > 1 and depth < 3 and draw(st.booleans()):
            cut = draw(st.integers(lo + 1, hi - 1))
            split(lo, cut, depth + 1)
            split(cut, hi, depth + 1)

    split(0, n_zones, 0)
    reaches = reaches or [tuple(range(n_zones))]
    needs = [draw(st.floats(0, 50_000)) for _ in range(n_zones)]
    water = [draw(st.floats(0, 50_000)) for _ in reaches]
    codes = [f"{draw(st.integers(10, 99))}-{k}" for k in range(len(reaches))]  # any code order
    return reaches, needs, water, codes


@settings(max_examples=150, deadline=None)
@given(nested_networks())
def test_with_nested_or_disjoint_reaches_pooled_sources_deliver_all_they_could(case):
    reaches, needs, water, codes = case
    zones = tuple(
        Zone(f"Z{i}", f"Zone {i}", (PopulationPoint(date(2024, 1, 1), synthetic(need * 10)),))
        for i, need in enumerate(needs)  # 100 L/person/day: need = people / 10
    )
    sources = tuple(Source(code, code, synthetic(w)) for code, w in zip(codes, water, strict=True))
    assumptions = Assumptions(
        norm_l_person_day={z.code: synthetic(100) for z in zones},
        other_consumers_m3_day={},
        seasonal_factor={m: synthetic(1.0) for m in range(1, 13)},
        availability={code: synthetic(1.0) for code in codes},
        baseline_availability={},
        served_share={
            (code, f"Z{i}"): synthetic(1 / len(reach))
            for code, reach in zip(codes, reaches, strict=True)
            for i in reach
        },
        pooled_share={code: synthetic(1.0) for code in codes},
    )
    balance = water_balance(WaterInputs(zones, sources, assumptions), date(2024, 6, 1), date(2024, 6, 30))
    delivered = float((balance.demand - balance.deficit).sum())
    # max flow = min cut: over every set of sources kept whole, the water of the others plus the need of
    # every zone the kept ones reach
    best = min(
        sum(water[k] for k in range(len(reaches)) if k not in kept)
        + sum(needs[i] for i in set().union(*(reaches[k] for k in kept)))
        for size in range(len(reaches) + 1)
        for kept in combinations(range(len(reaches)), size)
    )
    assert delivered >= best - 1e-9 * max(1.0, best)
