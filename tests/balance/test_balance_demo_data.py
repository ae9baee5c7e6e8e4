"""The demo data must be true: every number has a source or says it is an estimate and why."""

from datetime import date

import pytest

from baqylau.balance import load_heat_demo, load_water_demo, population_on, read_demo, reported

DEMO_FILES = ("mangystau_water", "mangystau_heat")
TERRITORIES = {"AKT", "ZHA", "MUN", "KAR", "MAN", "TUP", "BEI"}
SOURCES = {"AMP", "MAEK", "CASPIY", "KENDERLI", "FORT", "KURYK", "KARAZHANBAS"}
KEYS = {"year", "month"}  # numbers that are row keys, not figures


def numbers_without_provenance(node, path="$"):
    """Paths of numbers that are not the value of a cited figure or a reasoned estimate."""
    if isinstance(node, dict):
        has_provenance = bool(node.get("source")) or (node.get("estimate") is True and bool(node.get("note")))
        for key, value in node.items():
            if (key == "value" and has_provenance) or key in KEYS:
                continue
            yield from numbers_without_provenance(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield from numbers_without_provenance(item, f"{path}[{i}]")
    elif isinstance(node, int | float) and not isinstance(node, bool):
        yield path


@pytest.mark.parametrize("name", DEMO_FILES)
def test_every_number_carries_its_source_or_is_a_marked_estimate(name):
    assert list(numbers_without_provenance(read_demo(name))) == []


@pytest.mark.parametrize("name", DEMO_FILES)
def test_estimates_say_why(name):
    def figures(node):
        if isinstance(node, dict):
            if "value" in node:
                yield node
            for value in node.values():
                yield from figures(value)
        elif isinstance(node, list):
            for item in node:
                yield from figures(item)

    for fig in figures(read_demo(name)):
        if fig.get("estimate"):
            assert len(fig.get("note", "")) > 10, fig


def test_water_demo_uses_the_agreed_codes():
    data = read_demo("mangystau_water")
    demo = load_water_demo()
    assert data["region"]["code"] == "MNG"
    assert {z.code for z in demo.zones} == TERRITORIES
    assert {s.code for s in demo.sources} == SOURCES


def test_zone_populations_add_up_to_the_region():
    demo = load_water_demo()
    facts = reported(read_demo("mangystau_water"))
    for key, on in (
        ("region_population", date(2024, 1, 1)),
        ("region_population_2025_start", date(2025, 1, 1)),
    ):
        total = sum(population_on(z, on) for z in demo.zones)
        assert total == pytest.approx(facts[key].value, rel=0.01)


def test_beineu_population_is_an_estimate():
    beineu = next(z for z in load_water_demo().zones if z.code == "BEI")
    assert all(p.people.estimate for p in beineu.population)


def test_heat_demo_loads_both_readings():
    assert load_heat_demo().actual_km[2025].estimate  # the reconciled 32.5 km is derived, so marked
    assert load_heat_demo("as_stated").actual_km[2025].value == 10
    with pytest.raises(KeyError):
        load_heat_demo("no_such_reading")


def test_a_stage_enters_at_its_actual_date_else_the_planned_one():
    stages = {s.code: s.stages for s in load_water_demo().sources}
    kenderli, caspiy = stages["KENDERLI"][0], stages["CASPIY"][0]
    assert kenderli.in_service_from == date(2025, 10, 27) and kenderli.date_basis.startswith("actual")
    assert caspiy.in_service_from == date(2024, 9, 30) and caspiy.date_basis.startswith("planned")


def test_the_pipeline_is_pooled_over_its_route_and_nothing_else_is():
    a = load_water_demo().assumptions
    assert {code: f.value for code, f in a.pooled_share.items()} == {"AMP": 1.0}
    route = {zone for (source, zone), f in a.served_share.items() if source == "AMP" and f.value > 0}
    assert route == {"AKT", "ZHA", "MUN", "MAN", "BEI"}
    assert sum(f.value for (source, _), f in a.served_share.items() if source == "AMP") == pytest.approx(1.0)


def test_one_number_is_calibrated_the_old_pipeline_availability():
    data = read_demo("mangystau_water")
    calibrated = [
        (key, row.get("source_code"))
        for key in ("availability", "baseline_availability", "served_shares", "pooled_shares")
        for row in data[key]
        if row.get("note", "").startswith("calibrated")
    ]
    assert calibrated == [("baseline_availability", "AMP")]
    assert "baseline_availability of AMP" in data["calibration"]
