"""The water balance of a region, and what-ifs on the plan's facilities. Nothing here saves anything."""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from baqylau.balance import WaterBalance, water_balance, what_if
from baqylau.core.dates import era_message, in_era
from baqylau.reference.models import Territory

from .inputs import water_inputs
from .models import WaterSourceStage


class WhatIfError(ValueError):
    pass


@dataclass(frozen=True)
class WhatIf:
    """Move a facility's commissioning date, or change its capacity target."""

    facility_code: str
    in_service_from: dt.date | None = None
    capacity: Decimal | None = None

    @classmethod
    def parse(cls, text: str) -> "WhatIf":
        """``KENDERLI=2026-06-01`` moves the date; ``KENDERLI=30000`` sets the capacity target."""
        code, sep, value = text.partition("=")
        if not sep or not code.strip() or not value.strip():
            raise WhatIfError(
                _("What-if %(text)s: write FACILITY=YYYY-MM-DD or FACILITY=CAPACITY.") % {"text": text}
            )
        value = value.strip()
        try:
            moved = dt.date.fromisoformat(value)
        except ValueError:
            moved = None
        if moved is not None:
            if not in_era(moved):
                raise WhatIfError(_("What-if %(text)s: %(rule)s") % {"text": text, "rule": era_message()})
            return cls(code.strip(), in_service_from=moved)
        try:
            capacity = Decimal(value.replace(",", "."))
        except InvalidOperation:
            raise WhatIfError(
                _("What-if %(text)s: %(value)s is neither a date (YYYY-MM-DD) nor a capacity.")
                % {"text": text, "value": value}
            ) from None
        if capacity < 0:
            raise WhatIfError(_("What-if %(text)s: a capacity must not be negative.") % {"text": text})
        return cls(code.strip(), capacity=capacity)


@dataclass(frozen=True)
class Assumed:
    """A facility the model counts (or does not), and from when: what the chart says it assumes."""

    facility: str
    facility_name: str
    measure: str
    source: str
    capacity_m3_day: float
    on: dt.date | None
    basis: str  # actual, planned, forecast, not in service
    planned: dt.date | None


@dataclass(frozen=True)
class BalanceComparison:
    base: WaterBalance
    changed: WaterBalance | None
    what_if: WhatIf | None
    assumed: tuple[Assumed, ...] = ()


def apply_what_if(inputs, region: Territory, change: WhatIf):
    """The inputs with the facility's stage moved or resized (a capacity change shifts the stage's total)."""
    stage = (
        WaterSourceStage.objects.filter(water_source__region=region, facility__code=change.facility_code)
        .select_related("water_source", "facility")
        .first()
    )
    if stage is None:
        linked = WaterSourceStage.objects.filter(water_source__region=region, facility__isnull=False)
        names = ", ".join(sorted(linked.values_list("facility__code", flat=True))) or "—"
        raise WhatIfError(
            _("Facility %(code)s feeds no water source (facilities that do: %(names)s).")
            % {"code": change.facility_code, "names": names}
        )
    index = list(stage.water_source.stages.order_by("position").values_list("pk", flat=True)).index(stage.pk)
    capacity = None
    if change.capacity is not None:
        old_target = stage.facility.capacity_target or Decimal(0)
        capacity = float(stage.capacity_m3_day + (change.capacity - old_target))
        if capacity < 0:
            raise WhatIfError(
                _("A capacity of %(capacity)s would leave %(source)s below zero.")
                % {"capacity": change.capacity, "source": stage.water_source.code}
            )
    return what_if(
        inputs,
        stage.water_source.code,
        in_service_from=change.in_service_from,
        capacity_m3_day=capacity,
        stage=index,
    )


def region_balance(
    region: Territory,
    start: dt.date,
    end: dt.date,
    change: WhatIf | None = None,
    *,
    as_of: dt.date,
    forecasts: Mapping[int, dt.date | None],
) -> BalanceComparison:
    """The region's balance from ``start`` to ``end`` as known on ``as_of`` (facilities counted from when
    they can really deliver; ``forecasts``: facility id -> its measure's forecast finish), and with
    ``change`` applied."""
    if end < start:
        raise WhatIfError(
            _("The period ends (%(end)s) before it starts (%(start)s).") % {"end": end, "start": start}
        )
    inputs = water_inputs(region, as_of, forecasts)
    base = water_balance(inputs, start, end)
    changed = water_balance(apply_what_if(inputs, region, change), start, end) if change else None
    return BalanceComparison(base, changed, change, assumed(region, as_of, forecasts))


def assumed(region: Territory, as_of: dt.date, forecasts) -> tuple[Assumed, ...]:
    stages = (
        WaterSourceStage.objects.filter(water_source__region=region, facility__isnull=False)
        .select_related("facility__measure", "water_source")
        .order_by("facility__code")
    )
    out = []
    for stage in stages:
        service = stage.service(as_of, forecasts.get(stage.facility_id))
        facility = stage.facility
        out.append(
            Assumed(
                facility=facility.code,
                facility_name=facility.label,
                measure=facility.measure.code,
                source=stage.water_source.code,
                capacity_m3_day=float(facility.capacity_target or 0) - float(facility.capacity_baseline or 0),
                on=service.on,
                basis=service.basis,
                planned=facility.commission_planned,
            )
        )
    return tuple(out)


@dataclass(frozen=True)
class DelayCost:
    """What one late facility's delay does to the region's water in a summer."""

    facility: str
    measure: str
    capacity_m3_day: float
    summer: int
    deficit_on_time: float  # had it come in service at its planned date
    deficit_now: float
    reserve_on_time: float  # water nobody needs: spare pooled water plus surplus
    reserve_now: float


def delay_costs(
    region: Territory, as_of: dt.date, forecasts, late_measures: set[str], summers: tuple[int, ...]
) -> list[DelayCost]:
    """For each facility of a late measure that the model no longer counts from its planned date, the
    summer deficit and reserve with it on time and as things stand."""
    start, end = dt.date(min(summers), 1, 1), dt.date(max(summers), 12, 31)
    inputs = water_inputs(region, as_of, forecasts)
    base = water_balance(inputs, start, end)
    costs = []
    for a in assumed(region, as_of, forecasts):
        if a.measure not in late_measures or a.basis not in ("forecast", "not in service") or not a.planned:
            continue
        on_time = water_balance(apply_what_if(inputs, region, WhatIf(a.facility, a.planned)), start, end)
        for summer in summers:
            costs.append(
                DelayCost(
                    facility=a.facility,
                    measure=a.measure,
                    capacity_m3_day=a.capacity_m3_day,
                    summer=summer,
                    deficit_on_time=on_time.summer_total("deficit", summer),
                    deficit_now=base.summer_total("deficit", summer),
                    reserve_on_time=_reserve(on_time, summer),
                    reserve_now=_reserve(base, summer),
                )
            )
    return costs


def _reserve(balance: WaterBalance, summer: int) -> float:
    return balance.summer_total("spare", summer) + balance.summer_total("surplus", summer)
