"""The water balance of a region, and what-ifs on the plan's facilities. Nothing here saves anything."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from baqylau.balance import WaterBalance, water_balance, what_if
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
            raise WhatIfError(f"what-if {text!r}: write FACILITY=YYYY-MM-DD or FACILITY=CAPACITY")
        value = value.strip()
        try:
            return cls(code.strip(), in_service_from=dt.date.fromisoformat(value))
        except ValueError:
            pass
        try:
            capacity = Decimal(value.replace(",", "."))
        except InvalidOperation:
            raise WhatIfError(
                f"what-if {text!r}: {value!r} is neither a date (YYYY-MM-DD) nor a capacity"
            ) from None
        if capacity < 0:
            raise WhatIfError(f"what-if {text!r}: a capacity must not be negative")
        return cls(code.strip(), capacity=capacity)


@dataclass(frozen=True)
class BalanceComparison:
    base: WaterBalance
    changed: WaterBalance | None
    what_if: WhatIf | None


def apply_what_if(inputs, region: Territory, change: WhatIf):
    """The inputs with the facility's stage moved or resized (a capacity change shifts the stage's total)."""
    stage = (
        WaterSourceStage.objects.filter(water_source__region=region, facility__code=change.facility_code)
        .select_related("water_source", "facility")
        .first()
    )
    if stage is None:
        linked = WaterSourceStage.objects.filter(water_source__region=region, facility__isnull=False)
        names = ", ".join(sorted(linked.values_list("facility__code", flat=True))) or "none"
        raise WhatIfError(
            f"facility {change.facility_code!r} feeds no water source (facilities that do: {names})"
        )
    index = list(stage.water_source.stages.order_by("position").values_list("pk", flat=True)).index(stage.pk)
    capacity = None
    if change.capacity is not None:
        old_target = stage.facility.capacity_target or Decimal(0)
        capacity = float(stage.capacity_m3_day + (change.capacity - old_target))
        if capacity < 0:
            raise WhatIfError(
                f"what-if capacity {change.capacity} would leave {stage.water_source.code} below zero"
            )
    return what_if(
        inputs,
        stage.water_source.code,
        in_service_from=change.in_service_from,
        capacity_m3_day=capacity,
        stage=index,
    )


def region_balance(
    region: Territory, start: dt.date, end: dt.date, change: WhatIf | None = None
) -> BalanceComparison:
    if end < start:
        raise WhatIfError(f"the period ends ({end}) before it starts ({start})")
    inputs = water_inputs(region)
    base = water_balance(inputs, start, end)
    changed = water_balance(apply_what_if(inputs, region, change), start, end) if change else None
    return BalanceComparison(base, changed, change)
