"""The water balance computed from the database rows, as users meet it."""

import datetime as dt
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from baqylau.assessment.water import facility_forecasts, plan_water
from baqylau.reference.models import Territory
from baqylau.waterbalance.inputs import water_inputs
from baqylau.waterbalance.models import WaterAssumption, WaterSource, WaterSourceStage
from baqylau.waterbalance.services import WhatIf, WhatIfError

D = dt.date
TODAY = D(2026, 12, 1)


def region_balance(region, start, end, change=None, as_of=TODAY):
    """The balance as the product computes it: facilities counted as of ``as_of``."""
    from baqylau.plans.models import Plan

    return plan_water(Plan.objects.get(region=region), as_of, start, end, change)


@pytest.fixture
def region(demo):
    return Territory.objects.get(code="MNG")


def test_backtest_summer_2023_shortage_and_no_deficit_in_summer_2025(region):
    """Inputs: SNiP norms, summer factor 1.2, the old pipeline delivering 74% of 110,000 (calibrated on the
    reported 162,000 m³/day consumed in summer 2023), Caspiy doubled at its planned date (Sep 2024), the
    pipeline at 170,000 from Dec 2023 and MAEK's 6,000 unit from 2025 (see docs/models.md)."""
    balance = region_balance(region, D(2023, 1, 1), D(2025, 12, 31)).base
    shortage_2023 = balance.summer_total("deficit", 2023)
    assert abs(shortage_2023 - 77_000) / 77_000 < 0.20
    assert balance.summer_total("deficit", 2025) == pytest.approx(0, abs=1)


def test_a_stage_enters_service_when_its_facility_can_really_deliver(region):
    stage = WaterSourceStage.objects.select_related("facility").get(facility__code="KENDERLI")
    assert stage.service(TODAY).on == D(2025, 10, 27) and stage.service(TODAY).basis == "actual"
    # Before its commissioning, while its planned date was still ahead: from the planned date.
    assert stage.service(D(2025, 3, 1)).on == stage.facility.commission_planned
    assert stage.service(D(2025, 3, 1)).basis == "planned"
    # Planned date passed, not commissioned yet: from its measure's forecast, else not at all.
    assert stage.service(D(2025, 9, 1), forecast=D(2025, 11, 1)).on == D(2025, 11, 1)
    late = stage.service(D(2025, 9, 1))
    assert late.on is None and late.basis == "not in service"


def test_a_late_plant_does_not_deliver_water(region):
    """MAEK (W-03) was due at the end of 2025, 25% done, nothing commissioned: the model does not count its
    24,000 m³/day in 2026, and the what-if of it on time gives the reserve the delay removes."""
    comparison = region_balance(region, D(2026, 1, 1), D(2026, 12, 31))
    maek = next(a for a in comparison.assumed if a.facility == "MAEK-DS")
    assert maek.on is None and maek.basis == "not in service"
    on_time = region_balance(region, D(2026, 1, 1), D(2026, 12, 31), WhatIf.parse("MAEK-DS=2025-12-31"))
    reserve = comparison.base.summer_total("spare", 2026)
    assert on_time.changed.summer_total("spare", 2026) > reserve + 10_000


def test_removing_a_source_capacity_never_lowers_the_deficit(region):
    before = region_balance(region, D(2025, 1, 1), D(2026, 12, 31)).base.total("deficit")
    WaterSource.objects.filter(code="CASPIY").update(baseline_m3_day=0)
    WaterSourceStage.objects.filter(facility__code="CASPIY").update(capacity_m3_day=10_000)
    after = region_balance(region, D(2025, 1, 1), D(2026, 12, 31)).base.total("deficit")
    assert (after >= before - 1e-6).all() and after.sum() > before.sum()


def test_what_if_changes_nothing_in_the_database(region):
    stages_before = list(WaterSourceStage.objects.values())
    comparison = region_balance(region, D(2024, 1, 1), D(2026, 12, 31), WhatIf.parse("CASPIY=2026-06-01"))
    assert list(WaterSourceStage.objects.values()) == stages_before
    # Caspiy's doubling moved from Sep 2024 to Jun 2026: summer 2025 loses 20,000 m³/day of capacity.
    assert comparison.changed.summer_total("deficit", 2025) > comparison.base.summer_total("deficit", 2025)


def test_what_if_capacity_shifts_the_stage_by_the_change_of_the_facility_target(region):
    # As of mid-2025 MAEK's planned date (end of 2025) was still ahead, so 2026 counts it.
    comparison = region_balance(
        region, D(2026, 1, 1), D(2026, 12, 31), WhatIf.parse("MAEK-DS=0"), D(2025, 6, 1)
    )
    assert comparison.changed.summer_total("delivered", 2026) < comparison.base.summer_total(
        "delivered", 2026
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("KENDERLI", "FACILITY=YYYY-MM-DD"),
        ("KENDERLI=soon", "neither a date"),
        ("KENDERLI=-5", "must not be negative"),
    ],
)
def test_what_if_refuses_what_it_cannot_read(text, message):
    with pytest.raises(WhatIfError, match=message):
        WhatIf.parse(text)


def test_what_if_on_a_facility_that_feeds_no_source_names_those_that_do(region):
    with pytest.raises(WhatIfError, match=r"KOS-2.*CASPIY, KENDERLI, MAEK-DS"):
        region_balance(region, D(2025, 1, 1), D(2025, 12, 31), WhatIf.parse("KOS-2=2026-01-01"))


def test_inputs_are_built_in_a_fixed_number_of_queries(region, django_assert_max_num_queries):
    forecasts = facility_forecasts(region, TODAY)
    with django_assert_max_num_queries(8):
        water_inputs(region, TODAY, forecasts)


def test_shares_of_one_source_cannot_exceed_one(region):
    share = WaterAssumption.objects.filter(kind="served_share").first()
    share.value += 1
    with pytest.raises(ValidationError, match=r"fraction between 0 and 1|add up to more than 1"):
        share.full_clean()


def test_an_assumption_must_be_keyed_as_its_kind_says(region):
    bad = WaterAssumption(region=region, kind="seasonal_factor", month=13, value=1, source="x")
    with pytest.raises(ValidationError, match="a seasonal factor a month"):
        bad.full_clean()


def test_every_water_number_has_a_source_or_an_estimate_note(region):
    for model in (WaterSource, WaterSourceStage, WaterAssumption):
        for row in model.objects.all():
            assert row.source or row.estimate_note, (model.__name__, row.pk)


def run(*args) -> str:
    out = io.StringIO()
    call_command("water_balance", *args, stdout=out)
    return out.getvalue()


def test_command_table_shows_summers_and_zones(region):
    text = run("--as-of", "2025-07-15", "--from", "2023-01-01", "--to", "2025-12-31", "--language", "en")
    assert "Summer (June-August mean)" in text and "Zones in 2025-07" in text and "ZHA" in text


def test_command_json_with_a_what_if(region):
    payload = json.loads(
        run(
            "--format",
            "json",
            "--as-of",
            "2025-07-15",
            "--from",
            "2023-01-01",
            "--to",
            "2025-12-31",
            "--what-if",
            "CASPIY=2026-06-01",
        )
    )
    summers = {s["summer"]: s for s in payload["summers"]}
    assert summers[2023]["deficit"] == pytest.approx(77_000, rel=0.2)
    assert summers[2025]["deficit_change"] > 0
    assert len(payload["months"]) == 36


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--as-of", "2025-13-01"], "not a date"),
        (["--region", "XX"], "no territory"),
        (["--what-if", "NOPE=2025-01-01"], "feeds no water source"),
        (["--from", "2025-01-01", "--to", "2024-01-01"], "ends"),
    ],
)
def test_command_refusals(region, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_a_kenderli_delay_eats_the_regions_spare_water(region):
    """The pipeline is pooled: without Kenderli it must carry Zhanaozen, so less is left for the rest."""
    comparison = region_balance(region, D(2026, 1, 1), D(2026, 12, 31), WhatIf.parse("KENDERLI=2027-06-01"))
    assert (
        comparison.changed.summer_total("spare", 2026) < comparison.base.summer_total("spare", 2026) - 30_000
    )
