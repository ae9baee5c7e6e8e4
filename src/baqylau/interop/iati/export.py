"""Export a plan's measures as an IATI 2.03 activity file: one ``iati-activity`` per measure.

The activity is laid out element by element in the order the standard prescribes, one small function
per element family. What IATI has no element for (the measure's source and estimate notes, weight,
spent budget, budget source; the sources of targets and actuals and who reported an actual) travels in
Baqylau's namespaced extension (``bq:``, see :data:`~baqylau.interop.iati.codes.BQ_NS`), which the
schema allows and other IATI tools ignore, so that export -> import -> export loses nothing.
The mapping is documented field by field in docs/interop.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone
from lxml import etree

from baqylau.indicators.models import Actual, Indicator, Target
from baqylau.plans.models import Facility, Measure, Plan
from baqylau.reports.models import Report

from . import codes as c
from .schema import IatiRefused, check


@dataclass(frozen=True)
class ReportingOrg:
    """Who publishes the file. Configure with the ``BAQYLAU_IATI_REPORTING_ORG`` setting (a dict of
    these fields) or the commands' ``--reporting-org-ref``.

    The default ``ref`` starts with ``XX-``, which is no registration agency, so that nobody mistakes
    it for a registered organisation identifier: a deployment sets its own (e.g. ``KZ-BIN-<BIN>``).
    """

    ref: str = "XX-BAQYLAU"
    type: str = "11"  # Local Government: the regional project office
    name: str = "Baqylau project office"
    name_ru: str = "Проектный офис Baqylau"
    name_kk: str = "Baqylau жобалық кеңсесі"

    @classmethod
    def configured(cls, ref: str | None = None) -> ReportingOrg:
        org = cls(**getattr(settings, "BAQYLAU_IATI_REPORTING_ORG", {}))
        return replace(org, ref=ref) if ref else org

    def identifier(self, plan_code: str, measure_code: str) -> str:
        """The stable ``iati-identifier`` of a measure: reporting-org ref, plan code, measure code."""
        return f"{self.ref}-{plan_code}-{measure_code}"


@dataclass
class _Context:
    org: ReportingOrg
    as_of: dt.date
    identifiers: dict[int, str] = field(default_factory=dict)  # measure pk -> iati-identifier
    depth: dict[int, int] = field(default_factory=dict)  # measure pk -> hierarchy level (1 = top)


# --- small helpers ------------------------------------------------------------------------------


def number(value) -> str:
    """A decimal as IATI wants it: no exponent, no trailing zeros (``3200000000``, ``602.1``)."""
    d = Decimal(str(value)) if not isinstance(value, Decimal) else value
    if d == d.to_integral_value():
        return str(d.quantize(Decimal(1)))
    return format(d.normalize(), "f")


def _sub(parent: etree._Element, tag: str, **attrs) -> etree._Element:
    element = etree.SubElement(parent, tag)
    for name, value in attrs.items():
        if value is not None and value != "":
            element.set(name.replace("_", "-"), str(value))
    return element


def _bq(parent: etree._Element, tag: str, text: str = "", **attrs) -> etree._Element | None:
    """A Baqylau extension element; written only when it carries something."""
    if not text and not any(v not in (None, "") for v in attrs.values()):
        return None
    element = _sub(parent, c.BQ + tag, **attrs)
    if text:
        element.text = text
    return element


def _narratives(parent: etree._Element, obj, field_name: str) -> None:
    """``narrative`` elements for the base text (the activity's default language, English) and the
    Russian and Kazakh versions, each as it is stored, byte for byte."""
    base = getattr(obj, field_name)
    etree.SubElement(parent, "narrative").text = base
    for lang in ("ru", "kk"):
        text = getattr(obj, f"{field_name}_{lang}", "")
        if text:
            narrative = etree.SubElement(parent, "narrative")
            narrative.set(c.XML_LANG, lang)
            narrative.text = text


def _texts(parent: etree._Element, texts: dict[str, str]) -> None:
    etree.SubElement(parent, "narrative").text = texts["en"]
    for lang in ("ru", "kk"):
        if texts.get(lang):
            narrative = etree.SubElement(parent, "narrative")
            narrative.set(c.XML_LANG, lang)
            narrative.text = texts[lang]


# --- element families, in the order of the schema ------------------------------------------------


def _iati_identifier(activity, measure: Measure, ctx: _Context) -> None:
    etree.SubElement(activity, "iati-identifier").text = ctx.identifiers[measure.pk]


def _reporting_org(activity, org: ReportingOrg) -> None:
    element = _sub(activity, "reporting-org", ref=org.ref, type=org.type)
    _narratives(element, org, "name")


def _title(activity, measure: Measure) -> None:
    _narratives(_sub(activity, "title"), measure, "title")


def _descriptions(activity, measure: Measure) -> None:
    plan = measure.plan
    general = {
        "en": f"Measure {measure.code} of {plan.title} ({plan.code}).",
        "ru": f"Мероприятие {measure.code}. План: {plan.title_ru} ({plan.code})." if plan.title_ru else "",
        "kk": f"{measure.code} іс-шарасы. Жоспар: {plan.title_kk} ({plan.code})." if plan.title_kk else "",
    }
    _texts(_sub(activity, "description", type=c.DESCRIPTION_GENERAL), general)
    if measure.completion_form:
        objectives = _sub(activity, "description", type=c.DESCRIPTION_OBJECTIVES)
        etree.SubElement(objectives, "narrative").text = measure.completion_form


def _participating_orgs(activity, measure: Measure, org: ReportingOrg) -> None:
    """The reporting organisation is accountable (it oversees the plan); the lead agency and the
    co-executors implement. Our agency codes travel as ``bq:code``; ``bq:role`` tells lead from co."""
    accountable = _sub(activity, "participating-org", ref=org.ref, type=org.type, role=c.ROLE_ACCOUNTABLE)
    _narratives(accountable, org, "name")
    agencies = [(measure.lead_agency, "lead")] + [(a, "co-executor") for a in measure.co_agencies.all()]
    for agency, our_role in agencies:
        element = _sub(
            activity,
            "participating-org",
            role=c.ROLE_IMPLEMENTING,
            type=c.AGENCY_KIND_TO_ORG_TYPE.get(agency.kind, "90"),
        )
        element.set(c.BQ + "code", agency.code)
        element.set(c.BQ + "role", our_role)
        _narratives(element, agency, "name")


def _other_identifier(activity, measure: Measure) -> None:
    _sub(activity, "other-identifier", ref=measure.code, type=c.OTHER_ID_INTERNAL)


def _activity_status(activity, measure: Measure, completed_on: dt.date | None, ctx: _Context) -> None:
    code = c.activity_status(
        start=measure.start, completed_on=completed_on, plan_end=measure.plan.end, as_of=ctx.as_of
    )
    _sub(activity, "activity-status", code=code)


def _activity_dates(activity, measure: Measure, completed_on: dt.date | None) -> None:
    """Planned start and end from the plan; actual end when the measure is complete. Baqylau records no
    actual start, so none is written (the planned start is not presented as a fact)."""
    if measure.start:
        _sub(activity, "activity-date", type=c.DATE_START_PLANNED, iso_date=measure.start.isoformat())
    _sub(activity, "activity-date", type=c.DATE_END_PLANNED, iso_date=measure.due.isoformat())
    if completed_on:
        _sub(activity, "activity-date", type=c.DATE_END_ACTUAL, iso_date=completed_on.isoformat())


def _activity_scope(activity, measure: Measure) -> None:
    territories = list(measure.territories.all())
    single_second_level = len(territories) == 1 and territories[0].kind != "region"
    _sub(
        activity,
        "activity-scope",
        code=c.SCOPE_SINGLE_SECOND_LEVEL if single_second_level else c.SCOPE_SINGLE_FIRST_LEVEL,
    )


def _recipient_country(activity) -> None:
    _sub(activity, "recipient-country", code=c.COUNTRY, percentage="100")


def _point(location, lat, lon) -> None:
    if lat is not None and lon is not None:
        point = _sub(location, "point", srsName=c.EPSG_4326)
        etree.SubElement(point, "pos").text = f"{lat!r} {lon!r}"


def _locations(activity, measure: Measure) -> None:
    """Each territory of the measure (an administrative area, its centre as the point, approximate),
    then each facility with coordinates (a structure; exact unless its estimate note flags lat/lon)."""
    for territory in measure.territories.all():
        location = _sub(activity, "location", ref=territory.code)
        location.set(c.BQ + "kind", territory.kind)
        _sub(location, "location-reach", code=c.REACH_ACTIVITY)
        _narratives(_sub(location, "name"), territory, "name")
        _point(location, territory.lat, territory.lon)
        if territory.lat is not None:
            _sub(location, "exactness", code=c.EXACTNESS_APPROXIMATE)
        _sub(location, "location-class", code=c.LOCATION_CLASS_ADMIN)
        _sub(location, "feature-designation", code=c.TERRITORY_FEATURE.get(territory.kind, "ADM2"))
    for facility in measure.facilities.all():
        if facility.lat is None or facility.lon is None:
            continue
        location = _sub(activity, "location", ref=c.FACILITY_LOCATION_PREFIX + facility.code)
        _sub(location, "location-reach", code=c.REACH_ACTIVITY)
        _narratives(_sub(location, "name"), facility, "name")
        _point(location, facility.lat, facility.lon)
        approximate = "lat/lon" in facility.estimate_note
        _sub(location, "exactness", code=c.EXACTNESS_APPROXIMATE if approximate else c.EXACTNESS_EXACT)
        _sub(location, "location-class", code=c.LOCATION_CLASS_STRUCTURE)


def _sectors(activity, measure: Measure) -> None:
    """The DAC 5-digit purpose code our sphere maps to, and the sphere itself in our own vocabulary (99)."""
    sphere = measure.sphere
    _sub(
        activity,
        "sector",
        vocabulary=c.VOCABULARY_DAC5,
        code=c.SPHERE_TO_DAC.get(sphere.code, c.DAC_FALLBACK),
        percentage="100",
    )
    ours = _sub(activity, "sector", vocabulary=c.VOCABULARY_REPORTING_ORG, code=sphere.code, percentage="100")
    _narratives(ours, sphere, "name")


def _budget(activity, measure: Measure) -> None:
    """The planned budget over the measure's period (original, indicative), in KZT.

    IATI guidance prefers budget periods of at most a year; the plan gives one amount for the whole
    measure and no yearly split, so one period is written rather than an invented split."""
    if measure.budget_planned_kzt is None:
        return
    start = measure.start or measure.plan.start
    budget = _sub(activity, "budget", type=c.BUDGET_ORIGINAL, status=c.BUDGET_INDICATIVE)
    _sub(budget, "period-start", iso_date=start.isoformat())
    _sub(budget, "period-end", iso_date=measure.due.isoformat())
    value = _sub(budget, "value", currency=c.CURRENCY, value_date=start.isoformat())
    value.text = number(measure.budget_planned_kzt)


def _related_activities(activity, measure: Measure, ctx: _Context) -> None:
    if measure.parent_id:
        _sub(activity, "related-activity", ref=ctx.identifiers[measure.parent_id], type=c.RELATED_PARENT)
    for child in measure.children.all():
        _sub(activity, "related-activity", ref=ctx.identifiers[child.pk], type=c.RELATED_CHILD)


def _sourced(parent, row) -> None:
    _bq(parent, "source", row.source)
    _bq(parent, "estimate-note", row.estimate_note)


def _periods(
    indicator: Indicator, measure: Measure
) -> list[tuple[dt.date, dt.date, Target | None, Actual | None]]:
    """One period per date that has a target or an actual. A period runs from the day after the previous
    one (the first from the baseline date, else the measure's or plan's start) to that date."""
    targets = {t.period_end: t for t in indicator.targets.all()}
    actuals = {a.period_end: a for a in indicator.actuals.all()}
    start = indicator.baseline_date or measure.start or measure.plan.start
    periods = []
    for end in sorted(set(targets) | set(actuals)):
        periods.append((min(start, end), end, targets.get(end), actuals.get(end)))
        start = end + dt.timedelta(days=1)
    return periods


def _baseline(element, indicator: Indicator, measure: Measure) -> None:
    if indicator.baseline_value is None and indicator.baseline_date is None:
        return
    if indicator.baseline_date:
        baseline = _sub(
            element,
            "baseline",
            year=indicator.baseline_date.year,
            iso_date=indicator.baseline_date.isoformat(),
        )
    else:  # IATI needs a year; the measure's start year stands in, flagged so import keeps no date
        baseline = _sub(element, "baseline", year=(measure.start or measure.plan.start).year)
        baseline.set(c.BQ + "year-only", "estimated")
    if indicator.baseline_value is not None:
        baseline.set("value", number(indicator.baseline_value))


def _indicator(result, indicator: Indicator, measure: Measure) -> None:
    element = _sub(
        result,
        "indicator",
        measure=c.MEASURE_PERCENTAGE if indicator.unit == "%" else c.MEASURE_UNIT,
        ascending="0" if indicator.direction == Indicator.Direction.DOWN else "1",
    )
    element.set(c.BQ + "unit", indicator.unit)
    _narratives(_sub(element, "title"), indicator, "name")
    _sub(element, "reference", vocabulary=c.VOCABULARY_REPORTING_ORG, code=indicator.code)
    _baseline(element, indicator, measure)
    for start, end, target, actual in _periods(indicator, measure):
        period = _sub(element, "period")
        _sub(period, "period-start", iso_date=start.isoformat())
        _sub(period, "period-end", iso_date=end.isoformat())
        if target is not None:
            target_el = _sub(period, "target", value=number(target.value))
            _sourced(target_el, target)
        if actual is not None:
            actual_el = _sub(period, "actual", value=number(actual.value))
            if actual.note:
                etree.SubElement(_sub(actual_el, "comment"), "narrative").text = actual.note
            _bq(
                actual_el,
                "reported",
                by=actual.reported_by.code if actual.reported_by else None,
                on=actual.reported_on.isoformat() if actual.reported_on else None,
            )
            _sourced(actual_el, actual)
    _sourced(element, indicator)


def _results(activity, measure: Measure) -> None:
    """One output result per measure that has indicators; its title is the measure's."""
    indicators = list(measure.indicators.all())
    if not indicators:
        return
    result = _sub(activity, "result", type=c.RESULT_OUTPUT)
    _narratives(_sub(result, "title"), measure, "title")
    for indicator in indicators:
        _indicator(result, indicator, measure)


def _extension(activity, measure: Measure) -> None:
    """What IATI has no place for, in Baqylau's namespace (ignored by other IATI tools)."""
    ext = _sub(
        activity, c.BQ + "measure", plan=measure.plan.code, code=measure.code, weight=number(measure.weight)
    )
    if measure.budget_spent_kzt is not None:
        ext.set("budget-spent-kzt", number(measure.budget_spent_kzt))
    _bq(ext, "completion-form", measure.completion_form)
    _bq(ext, "budget-source", measure.budget_source)
    _sourced(ext, measure)


# --- the activity and the file ------------------------------------------------------------------


def _completed_on(measure: Measure, as_of: dt.date) -> dt.date | None:
    full = [r.period_end for r in measure.reports.all() if r.progress is not None and r.progress >= 100]
    return c.completion_date(
        full_reports=full, commissioned=[f.commission_actual for f in measure.facilities.all()], as_of=as_of
    )


def activity_element(measure: Measure, ctx: _Context) -> etree._Element:
    completed_on = _completed_on(measure, ctx.as_of)
    activity = etree.Element("iati-activity", nsmap={"bq": c.BQ_NS})
    activity.set(c.XML_LANG, "en")
    activity.set("default-currency", c.CURRENCY)
    activity.set(
        "last-updated-datetime", measure.updated_at.astimezone(dt.UTC).replace(microsecond=0).isoformat()
    )
    activity.set("hierarchy", str(ctx.depth[measure.pk]))
    _iati_identifier(activity, measure, ctx)
    _reporting_org(activity, ctx.org)
    _title(activity, measure)
    _descriptions(activity, measure)
    _participating_orgs(activity, measure, ctx.org)
    _other_identifier(activity, measure)
    _activity_status(activity, measure, completed_on, ctx)
    _activity_dates(activity, measure, completed_on)
    _activity_scope(activity, measure)
    _recipient_country(activity)
    _locations(activity, measure)
    _sectors(activity, measure)
    _budget(activity, measure)
    _related_activities(activity, measure, ctx)
    _results(activity, measure)
    _extension(activity, measure)
    return activity


def _measures(plan: Plan):
    accepted = Report.objects.filter(state=Report.State.ACCEPTED).order_by("period_end", "pk")
    indicators = Indicator.objects.order_by("code").prefetch_related(
        Prefetch("targets", Target.objects.order_by("period_end")),
        Prefetch("actuals", Actual.objects.select_related("reported_by").order_by("period_end")),
    )
    return (
        Measure.objects.filter(plan=plan)
        .select_related("plan", "sphere", "lead_agency", "parent")
        .prefetch_related(
            "territories",
            "co_agencies",
            Prefetch("facilities", Facility.objects.order_by("code")),
            Prefetch("indicators", indicators),
            Prefetch("reports", accepted),
            Prefetch("children", Measure.objects.order_by("code")),
        )
        .order_by("code")
    )


def _depths(measures: list[Measure]) -> dict[int, int]:
    parents = {m.pk: m.parent_id for m in measures}
    depth: dict[int, int] = {}
    for pk in parents:
        level, seen, current = 1, {pk}, parents[pk]
        while current is not None and current not in seen:
            seen.add(current)
            level += 1
            current = parents.get(current)
        depth[pk] = level
    return depth


def export_plans(
    plans: Iterable[Plan],
    *,
    org: ReportingOrg | None = None,
    as_of: dt.date | None = None,
    generated: dt.datetime | None = None,
) -> bytes:
    """The IATI 2.03 activity file (UTF-8 bytes) of the plans' measures, checked against the schema.

    ``as_of`` (default today) decides the activity status; ``generated`` (default now) is written as
    ``generated-datetime``. Refuses (:class:`IatiRefused`) when there is no measure to export, since
    an IATI file holds at least one activity.
    """
    org = org or ReportingOrg.configured()
    ctx = _Context(org=org, as_of=as_of or timezone.localdate())
    generated = (generated or timezone.now()).astimezone(dt.UTC).replace(microsecond=0)
    root = etree.Element("iati-activities", nsmap={"bq": c.BQ_NS})
    root.set("version", c.IATI_VERSION)
    root.set("generated-datetime", generated.isoformat())
    for plan in plans:
        measures = list(_measures(plan))
        ctx.identifiers.update({m.pk: org.identifier(plan.code, m.code) for m in measures})
        ctx.depth.update(_depths(measures))
        for measure in measures:
            root.append(activity_element(measure, ctx))
    if not len(root):
        raise IatiRefused("There is no measure to export: an IATI file needs at least one activity.")
    tree = root.getroottree()
    check(tree, "it was not written")  # never hand out a file that the official schema refuses
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8", pretty_print=True)
