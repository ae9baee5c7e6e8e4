"""The water balance of a region, and what-ifs on the plan's facilities. Nothing here saves anything."""

import datetime as dt
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
    region: Territory, start: dt.date, end: dt.date, change: WhatIf | None = None
) -> BalanceComparison:
    if end < start:
        raise WhatIfError(
            _("The period ends (%(end)s) before it starts (%(start)s).") % {"end": end, "start": start}
        )
    inputs = water_inputs(region)
    base = water_balance(inputs, start, end)
    changed = water_balance(apply_what_if(inputs, region, change), start, end) if change else None
    return BalanceComparison(base, changed, change)
