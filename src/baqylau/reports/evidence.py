"""What backs a report's claim: its attachments, the commissioning of the facilities its measure builds,
and its measure's indicators against their targets. A claim of completion (100% on a measure, or
"executed" on an instruction) can be accepted only with evidence (``workflow.accept``); the reviewer
sees it, apart from the claim and the verdict, before deciding (the review queue, the measure page).

Read for many reports at once in a fixed number of queries (the review queue lists them all).
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from baqylau.core.translation import translated
from baqylau.indicators.models import Actual, Indicator, Target
from baqylau.plans.models import Facility

from .models import Report, ReportActual, ReportAttachment


@dataclass(frozen=True)
class FacilityEvidence:
    code: str
    label: str
    commissioned_on: dt.date | None


@dataclass(frozen=True)
class IndicatorEvidence:
    code: str
    label: str
    unit: str
    value: Decimal | None  # the report's own value, else the latest actual by the period's end
    from_report: bool
    target: Decimal | None  # the indicator's last target
    reached: bool


@dataclass(frozen=True)
class Evidence:
    claims_completion: bool
    attachments: list[ReportAttachment] = field(default_factory=list)
    facilities: list[FacilityEvidence] = field(default_factory=list)
    indicators: list[IndicatorEvidence] = field(default_factory=list)

    @property
    def indicators_shown(self) -> list[IndicatorEvidence]:
        """The values a reader weighs: those the report gave, and every indicator against its target
        when it claims completion (an indicator with neither a value nor a target says nothing)."""
        return [
            i
            for i in self.indicators
            if (i.from_report or self.claims_completion) and (i.value is not None or i.target is not None)
        ]

    @property
    def all_commissioned(self) -> bool:
        return bool(self.facilities) and all(f.commissioned_on for f in self.facilities)

    @property
    def indicator_reached(self) -> bool:
        return any(i.reached for i in self.indicators)

    @property
    def sufficient(self) -> bool:
        """Enough to accept a claim of completion: a document, every facility commissioned, or an
        indicator at its target."""
        return bool(self.attachments) or self.all_commissioned or self.indicator_reached

    @property
    def blocks_acceptance(self) -> bool:
        return self.claims_completion and not self.sufficient

    def refusal(self) -> str:
        """Why a claim of completion cannot be accepted yet, and what would do."""
        ways = [_("attach a document (for example the commissioning act)")]
        if self.facilities:
            missing = [f.code for f in self.facilities if not f.commissioned_on]
            ways.append(
                _("record the commissioning date of every facility the measure builds (missing: %(codes)s)")
                % {"codes": ", ".join(missing)}
            )
        for i in self.indicators:
            if i.target is not None:
                ways.append(
                    _("report %(indicator)s at its target of %(target)s %(unit)s (now %(value)s)")
                    % {
                        "indicator": i.label,
                        "target": _number(i.target),
                        "unit": i.unit,
                        "value": "—" if i.value is None else _number(i.value),
                    }
                )
        return _("A claim of completion can be accepted only with evidence: %(ways)s.") % {
            "ways": _("; or ").join(ways)
        }


def _number(value: Decimal) -> str:
    return f"{value.normalize():f}"


def claims_completion(report: Report) -> bool:
    if report.measure_id:
        return report.progress is not None and report.progress >= 100
    return bool(report.executed)


def evidence_for(reports: Iterable[Report], on: dt.date | None = None) -> dict[int, Evidence]:
    """Report id -> its evidence, for reports of any items; facilities count as commissioned by ``on``
    (today). Five queries however many reports (attachments and values are prefetched when given)."""
    from django.utils import timezone

    on = on or timezone.localdate()
    reports = list(reports)
    measure_ids = {r.measure_id for r in reports if r.measure_id}
    attachments = defaultdict(list)
    for a in ReportAttachment.objects.filter(report__in=[r.pk for r in reports]).order_by("pk"):
        attachments[a.report_id].append(a)
    own_values = defaultdict(dict)
    for report_id, indicator_id, value in ReportActual.objects.filter(
        report__in=[r.pk for r in reports]
    ).values_list("report_id", "indicator_id", "value"):
        own_values[report_id][indicator_id] = value

    facilities = defaultdict(list)
    for f in Facility.objects.filter(measure_id__in=measure_ids).order_by("code"):
        done = f.commission_actual if f.commission_actual and f.commission_actual <= on else None
        facilities[f.measure_id].append(FacilityEvidence(f.code, f.label, done))

    indicators = defaultdict(list)
    by_id = {}
    for indicator in Indicator.objects.filter(measure_id__in=measure_ids).order_by("code"):
        indicators[indicator.measure_id].append(indicator)
        by_id[indicator.pk] = indicator
    last_target = {}
    for indicator_id, value in (
        Target.objects.filter(indicator_id__in=by_id)
        .order_by("period_end")
        .values_list("indicator_id", "value")
    ):
        last_target[indicator_id] = value
    ends, values = defaultdict(list), defaultdict(list)  # each indicator's actuals by period end
    for indicator_id, period_end, value in (
        Actual.objects.filter(indicator_id__in=by_id)
        .order_by("period_end")
        .values_list("indicator_id", "period_end", "value")
    ):
        ends[indicator_id].append(period_end)
        values[indicator_id].append(value)
    names = {pk: (i.label, translated(i, "unit")) for pk, i in by_id.items()}  # once, not per report

    out = {}
    for r in reports:
        found = []
        for indicator in indicators.get(r.measure_id, []):
            own = own_values[r.pk].get(indicator.pk)
            known = bisect.bisect_right(ends[indicator.pk], r.period_end)  # the latest by the period's end
            value = own if own is not None else (values[indicator.pk][known - 1] if known else None)
            target = last_target.get(indicator.pk)
            reached = (
                value is not None
                and target is not None
                and (value <= target if indicator.direction == Indicator.Direction.DOWN else value >= target)
            )
            label, unit = names[indicator.pk]
            found.append(
                IndicatorEvidence(indicator.code, label, unit, value, own is not None, target, reached)
            )
        out[r.pk] = Evidence(
            claims_completion=claims_completion(r),
            attachments=attachments[r.pk],
            facilities=facilities.get(r.measure_id, []),
            indicators=found,
        )
    return out
