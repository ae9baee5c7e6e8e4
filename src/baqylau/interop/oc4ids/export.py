"""Export facilities as an OC4IDS 0.9.5 project package: one project per facility, with its measure's
period, budget and agencies, its capacity as forecasts and metrics, and the instructions on its measure
as milestones. The package is validated against the bundled schema before it is handed out.

Texts carry Russian and Kazakh versions in language-suffixed fields (``title_ru``, ``title_kk``), the
convention of the Open Contracting standards. Facts OC4IDS has no field for travel in the project's
``baqylau`` object and in classifications and identifiers with ``baqylau-*`` schemes, so that
export -> import loses nothing. docs/interop.md lists every field.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone

from baqylau.indicators.models import Actual, Indicator, Target
from baqylau.instructions.models import Instruction
from baqylau.interop.iati.codes import completion_date
from baqylau.plans.models import Facility, Measure, Plan
from baqylau.reports.models import Report

from . import codes as c
from .schema import Oc4idsRefused, check, codelist


@dataclass(frozen=True)
class Publisher:
    """The package's publisher and the OC4IDS project-id prefix (``BAQYLAU_OC4IDS`` setting, a dict of
    these fields). A publisher registers its own ``oc4ids-xxxxxx`` prefix; the default is a placeholder."""

    name: str = "Baqylau project office"
    prefix: str = "oc4ids-baqylau"
    uri: str = ""  # the package URI; default urn:baqylau:oc4ids:<plan codes>

    @classmethod
    def configured(cls, prefix: str | None = None) -> Publisher:
        publisher = cls(**getattr(settings, "BAQYLAU_OC4IDS", {}))
        return cls(name=publisher.name, prefix=prefix or publisher.prefix, uri=publisher.uri)


def when(day: dt.date | None) -> str | None:
    return f"{day.isoformat()}T00:00:00Z" if day else None


def amount(value) -> int | float:
    d = Decimal(str(value)) if not isinstance(value, Decimal) else value
    return int(d) if d == d.to_integral_value() else float(d)


def _translated(obj, field: str, key: str) -> dict:
    out = {key: getattr(obj, field)}
    for lang in ("ru", "kk"):
        if getattr(obj, f"{field}_{lang}", ""):
            out[f"{key}_{lang}"] = getattr(obj, f"{field}_{lang}")
    return out


def _clean(value):
    """Drop empty values (None, "", [], {}): OC4IDS fields must not be empty when present."""
    if isinstance(value, dict):
        cleaned = {k: _clean(v) for k, v in value.items()}
        return {k: v for k, v in cleaned.items() if v not in (None, "", [], {})}
    if isinstance(value, list):
        return [v for v in (_clean(v) for v in value) if v not in (None, "", [], {})]
    return value


# --- parts of a project --------------------------------------------------------------------------


def _identifiers(facility: Facility) -> list[dict]:
    return [
        {"id": c.scheme_id(c.SCHEME_FACILITY, facility.code), "scheme": c.SCHEME_FACILITY},
        {"id": c.scheme_id(c.SCHEME_MEASURE, facility.measure.code), "scheme": c.SCHEME_MEASURE},
        {"id": c.scheme_id(c.SCHEME_PLAN, facility.plan.code), "scheme": c.SCHEME_PLAN},
    ]


def _period(measure: Measure) -> dict:
    period = {"startDate": when(measure.start), "endDate": when(measure.due)}
    if measure.start:
        period["durationInDays"] = (measure.due - measure.start).days
    return period


def _classifications(facility: Facility) -> list[dict]:
    sphere = facility.measure.sphere
    return [
        {
            "scheme": c.SCHEME_KIND,
            "id": c.scheme_id(c.SCHEME_KIND, facility.kind_id),
            "description": facility.kind.name,
        },
        {
            "scheme": c.SCHEME_SPHERE,
            "id": c.scheme_id(c.SCHEME_SPHERE, sphere.code),
            "description": sphere.name,
        },
    ]


def _budget(facility: Facility, shared_by: int) -> dict | None:
    measure = facility.measure
    if measure.budget_planned_kzt is None:
        return None
    note = f"Planned budget of measure {measure.code}"
    if shared_by > 1:
        note += f", shared by its {shared_by} facilities (the plan does not split it)"
    if measure.budget_source:
        note += f". Source: {measure.budget_source}"
    return {
        "description": note,
        "amount": {"amount": amount(measure.budget_planned_kzt), "currency": c.CURRENCY},
    }


def _locations(facility: Facility) -> list[dict]:
    territory = facility.territory
    if facility.lat is None and territory is None:
        return []
    location: dict = {"id": "1", "description": facility.name}
    if facility.lat is not None and facility.lon is not None:
        location["geometry"] = {"type": "Point", "coordinates": [facility.lon, facility.lat]}
    address = {"region": facility.plan.region.name, "countryName": c.COUNTRY_NAME}
    if territory is not None:
        if territory.kind != "region":
            address["locality"] = territory.name
        location["gazetteer"] = {"scheme": c.SCHEME_TERRITORY, "identifiers": [territory.code]}
    location["address"] = address
    return [location]


def _party(agency, roles: list[str]) -> dict:
    return {
        **_translated(agency, "name", "name"),
        "id": agency.code,
        "roles": roles,
        "classifications": [{"scheme": c.SCHEME_AGENCY_KIND, "id": agency.kind}],
    }


def _parties(measure: Measure) -> list[dict]:
    parties = [_party(measure.lead_agency, [c.ROLE_LEAD])]
    parties += [_party(a, [c.ROLE_CO]) for a in measure.co_agencies.all() if a.pk != measure.lead_agency_id]
    return parties


def _observation(
    ident: str, value, unit: dict | None, end: dt.date | None, notes: str = "", start=None
) -> dict:
    return {
        "id": ident,
        "measure": amount(value),
        "unit": unit,
        "period": {"startDate": when(start or end), "endDate": when(end)} if end else None,
        "notes": notes,
    }


def _capacity_unit(facility: Facility) -> dict | None:
    return {"name": facility.capacity_unit} if facility.capacity_unit else None


def _forecasts(facility: Facility, indicators: list[Indicator]) -> list[dict]:
    forecasts = []
    if facility.capacity_target is not None:
        observation = _observation(
            "target", facility.capacity_target, _capacity_unit(facility), facility.commission_planned
        )
        forecasts.append({"id": c.METRIC_CAPACITY, "title": "Capacity", "observations": [observation]})
    for indicator in indicators:
        observations = [
            _observation(t.period_end.isoformat(), t.value, {"name": indicator.unit}, t.period_end)
            for t in indicator.targets.all()
        ]
        if observations:
            forecasts.append(_indicator_metric(indicator, observations))
    return forecasts


def _indicator_metric(indicator: Indicator, observations: list[dict]) -> dict:
    return {
        "id": c.INDICATOR_METRIC_PREFIX + indicator.code,
        **_translated(indicator, "name", "title"),
        "observations": observations,
    }


def _metrics(
    facility: Facility, indicators: list[Indicator], reports: list[Report], as_of: dt.date
) -> list[dict]:
    """Capacity before the works and, once commissioned, the capacity in service (Baqylau records no
    separately measured capacity: commissioning is read as the target reached, and the note says so);
    the accepted progress reports of the measure as physical progress; the indicator actuals."""
    metrics = []
    capacity = []
    if facility.capacity_baseline is not None:
        capacity.append(_observation("baseline", facility.capacity_baseline, _capacity_unit(facility), None))
    if (
        facility.commission_actual
        and facility.commission_actual <= as_of
        and facility.capacity_target is not None
    ):
        note = f"commissioned on {facility.commission_actual.isoformat()}; the capacity is the planned target"
        capacity.append(
            _observation(
                "commissioned",
                facility.capacity_target,
                _capacity_unit(facility),
                facility.commission_actual,
                note,
            )
        )
    if capacity:
        metrics.append({"id": c.METRIC_CAPACITY, "title": "Capacity", "observations": capacity})
    progress = [
        _observation(
            f"report/{r.pk}",  # two reports may end on one date: the id names the report
            r.progress,
            c.PERCENT_UNIT,
            r.period_end,
            r.narrative,
            r.period_start,
        )
        for r in reports
        if r.progress is not None and r.period_end <= as_of
    ]
    if progress:
        metrics.append({"id": c.METRIC_PROGRESS, "title": "Physical progress", "observations": progress})
    for indicator in indicators:
        observations = [
            _observation(a.period_end.isoformat(), a.value, {"name": indicator.unit}, a.period_end, a.note)
            for a in indicator.actuals.all()
        ]
        if observations:
            metrics.append(_indicator_metric(indicator, observations))
    return metrics


def _milestones(facility: Facility, instructions: list[Instruction], as_of: dt.date) -> list[dict]:
    milestones = []
    if facility.commission_planned or facility.commission_actual:
        milestones.append(
            {
                "id": c.MILESTONE_COMMISSIONING,
                "title": f"Commissioning of {facility.name}",
                "type": "delivery",
                "code": c.MILESTONE_COMMISSIONING,
                "dueDate": when(facility.commission_planned),
                "dateMet": when(
                    facility.commission_actual
                    if facility.commission_actual and facility.commission_actual <= as_of
                    else None
                ),
                "status": c.milestone_status(
                    due=facility.commission_planned, met=facility.commission_actual, as_of=as_of
                ),
            }
        )
    for instruction in instructions:
        milestone = {
            "id": c.INSTRUCTION_MILESTONE_PREFIX + instruction.code,
            **_translated(instruction, "text", "title"),
            "type": "delivery",
            "dueDate": when(instruction.due),
        }
        if instruction.status == Instruction.Status.WITHDRAWN:
            milestone["description"] = f"Instruction withdrawn on {instruction.closed_on.isoformat()}"
            milestone["dateModified"] = when(instruction.closed_on)
        else:
            met = instruction.closed_on if instruction.status == Instruction.Status.EXECUTED else None
            milestone["status"] = c.milestone_status(due=instruction.due, met=met, as_of=as_of)
            milestone["dateMet"] = when(met if met and met <= as_of else None)
        milestones.append(milestone)
    return milestones


def _extension(facility: Facility) -> dict:
    return {"source": facility.source, "estimateNote": facility.estimate_note}


def project(facility: Facility, *, publisher: Publisher, as_of: dt.date) -> dict:
    measure = facility.measure
    facilities = list(measure.facilities.all())
    reports = list(measure.reports.all())
    indicators = list(measure.indicators.all())
    completed_on = completion_date(
        full_reports=[r.period_end for r in reports if r.progress is not None and r.progress >= 100],
        commissioned=[facility.commission_actual],
        as_of=as_of,
    )
    sectors = c.KIND_TO_SECTOR.get(facility.kind_id, [])
    data = {
        "id": f"{publisher.prefix}-{facility.plan.code}-{facility.code}",
        "identifiers": _identifiers(facility),
        "updated": measure.updated_at.astimezone(dt.UTC)
        .replace(microsecond=0)
        .isoformat()
        .replace("+00:00", "Z"),
        "language": c.LANGUAGE,
        **_translated(facility, "name", "title"),
        **_translated(measure, "title", "description"),
        "status": c.project_status(start=measure.start, completed_on=completed_on, as_of=as_of),
        "type": c.project_type(facility.kind_id, facility.capacity_baseline, facility.capacity_target),
        "sector": sectors,
        "additionalClassifications": _classifications(facility),
        "period": _period(measure),
        "budget": _budget(facility, len(facilities)),
        "locations": _locations(facility),
        "parties": _parties(measure),
        "publicAuthority": {"id": measure.lead_agency.code, "name": measure.lead_agency.name},
        "forecasts": _forecasts(facility, indicators),
        "metrics": _metrics(facility, indicators, reports, as_of),
        "milestones": _milestones(facility, list(measure.instructions.all()), as_of),
        "completion": {"endDate": when(completed_on)} if completed_on else None,
        c.EXTENSION: _extension(facility),
    }
    return _clean(data)


def _facilities(plan: Plan):
    indicators = Indicator.objects.order_by("code").prefetch_related(
        Prefetch("targets", Target.objects.order_by("period_end")),
        Prefetch("actuals", Actual.objects.order_by("period_end")),
    )
    measures = Measure.objects.select_related("sphere", "lead_agency").prefetch_related(
        "co_agencies",
        "facilities",
        Prefetch("indicators", indicators),
        Prefetch("reports", Report.objects.filter(state=Report.State.ACCEPTED).order_by("period_end", "pk")),
        Prefetch("instructions", Instruction.objects.order_by("due", "code")),
    )
    return (
        Facility.objects.filter(plan=plan)
        .select_related("plan", "plan__region", "territory", "kind")
        .prefetch_related(Prefetch("measure", measures))
        .order_by("code")
    )


def export_package(
    plans: Iterable[Plan],
    *,
    publisher: Publisher | None = None,
    as_of: dt.date | None = None,
    published: dt.datetime | None = None,
) -> dict:
    """The OC4IDS project package (a dict ready for ``json.dumps``) of the plans' facilities, valid
    against the bundled schema. Refuses (:class:`Oc4idsRefused`) when there is no facility, since a
    package holds at least one project."""
    publisher = publisher or Publisher.configured()
    as_of = as_of or timezone.localdate()
    published = (published or timezone.now()).astimezone(dt.UTC).replace(microsecond=0)
    plans = list(plans)
    projects = [project(f, publisher=publisher, as_of=as_of) for plan in plans for f in _facilities(plan)]
    if not projects:
        raise Oc4idsRefused("There is no facility to export: an OC4IDS package needs at least one project.")
    package = {
        "uri": publisher.uri or "urn:baqylau:oc4ids:" + ":".join(p.code for p in plans),
        "publishedDate": published.isoformat().replace("+00:00", "Z"),
        "publisher": {"name": publisher.name},
        "version": c.PACKAGE_VERSION,
        "projects": projects,
    }
    check(package, "it was not written")  # never hand out a package the official schema refuses
    return package


def dumps(package: dict) -> str:
    return json.dumps(package, ensure_ascii=False, indent=2) + "\n"


__all__ = ["Publisher", "codelist", "dumps", "export_package", "project"]
