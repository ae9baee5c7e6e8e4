"""Import an IATI 2.03 activity file: activities become measures, results become indicators with their
targets and actuals.

The file is parsed safely and validated against the bundled schema first; then every activity is read
into plain data and every reference is resolved, collecting all problems; only when there is none is
anything written, in one transaction, by natural key (plan + measure code, plan + indicator code,
indicator + period end) saving only what differs, so importing the same file twice changes nothing.

Choices (docs/interop.md explains why):

* the plan is ``plan_code`` (``--plan``), else the plan named in Baqylau's extension; a plan that does
  not exist is created only when ``region_code`` (``--region``) names an existing territory;
* reference rows (spheres, agencies, territories) are matched by code and never changed; unknown ones
  are created from what the file says (sector, participating-org, location names);
* a Baqylau export (an activity carrying ``bq:measure``) states every field; a foreign file writes
  only the fields it carries, so an existing measure keeps what the file does not speak of;
* nothing is deleted: targets, actuals, territories of other imports stay.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from lxml import etree

from baqylau.assessment import store
from baqylau.core.codes import CODE_RULE, derive_code, is_code
from baqylau.core.interface import interface
from baqylau.core.upsert import LoadResult, upsert
from baqylau.indicators.models import Actual, Indicator, Target
from baqylau.plans.models import Measure, Plan
from baqylau.reference.models import Agency, Sphere, Territory
from baqylau.reference.unassigned import NAMES as UNASSIGNED_NAMES
from baqylau.reference.unassigned import UNASSIGNED

from . import codes as c
from .schema import IatiRefused, validate_bytes

MAX_CODE = 40
UNSET = object()  # a field the file does not speak of


# --- plain data read from the file ---------------------------------------------------------------


@dataclass
class Ref:
    """A sphere, agency or territory named by the file: its code and what the file says about it."""

    code: str
    names: dict[str, str]
    kind: str = ""
    lat: float | None = None
    lon: float | None = None


@dataclass
class IndicatorData:
    code: str
    line: int
    names: dict[str, str]
    unit: str
    direction: str
    baseline_value: Decimal | None
    baseline_date: dt.date | None
    source: str
    estimate_note: str
    targets: list[dict] = field(default_factory=list)
    actuals: list[dict] = field(default_factory=list)


@dataclass
class ActivityData:
    identifier: str
    line: int
    code: str = ""
    plan_code: str = ""
    ours: bool = False  # carries Baqylau's extension: every field is stated
    values: dict = field(default_factory=dict)  # Measure fields the file states
    sphere: Ref | None = None
    lead: Ref | None = None
    co: list[Ref] = field(default_factory=list)
    territories: list[Ref] = field(default_factory=list)
    parent_ref: str = ""
    child_refs: list[str] = field(default_factory=list)
    indicators: list[IndicatorData] = field(default_factory=list)
    missing_due: bool = False


@dataclass
class IatiImport:
    """What an import did: the plan, and the rows created and updated by kind (``LoadResult``)."""

    plan: Plan
    result: LoadResult
    activities: int
    warnings: list[str] = field(default_factory=list)


class _Problems(list):
    """Problems refuse the file; warnings say what a valid file left out and what was used instead."""

    def __init__(self):
        super().__init__()
        self.warnings: list[str] = []

    @staticmethod
    def _where(activity: ActivityData | None, line: int | None) -> str:
        where = f"activity {activity.identifier!r}" if activity else "file"
        return where + (f" (line {line})" if line else "")

    def add(self, activity: ActivityData | None, line: int | None, message: str) -> None:
        self.append(f"{self._where(activity, line)}: {message}")

    def warn(self, activity: ActivityData | None, line: int | None, message: str) -> None:
        self.warnings.append(f"{self._where(activity, line)}: {message}")


# --- reading elements ----------------------------------------------------------------------------


def _texts(element: etree._Element | None, default_lang: str) -> dict[str, str]:
    """Narratives by language: ``en`` (the base column), ``ru``, ``kk``. A narrative without xml:lang is in
    the activity's default language. The base falls back to another language when there is no English,
    so that it is never empty when the file has any text."""
    if element is None:
        return {"en": "", "ru": "", "kk": ""}
    by_lang: dict[str, str] = {}
    for narrative in element.findall("narrative"):
        lang = (narrative.get(c.XML_LANG) or default_lang or "en").lower().split("-")[0]
        text = (narrative.text or "").strip()
        if text:
            by_lang.setdefault(lang, text)
    base = by_lang.get("en") or next((text for lang, text in by_lang.items() if lang not in ("ru", "kk")), "")
    return {
        "en": base or by_lang.get("ru", "") or by_lang.get("kk", ""),
        "ru": by_lang.get("ru", ""),
        "kk": by_lang.get("kk", ""),
    }


def _named(texts: dict[str, str], base: str) -> dict[str, str]:
    return {base: texts["en"], f"{base}_ru": texts["ru"], f"{base}_kk": texts["kk"]}


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def _decimal(value: str | None) -> Decimal | None:
    if value is None or not value.strip():
        return None
    try:
        number = Decimal(value.strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _bq_text(parent: etree._Element | None, tag: str) -> str:
    if parent is None:
        return ""
    element = parent.find(c.BQ + tag)
    return (element.text or "").strip() if element is not None else ""


def _code(raw: str, what: str, activity: ActivityData, line: int, problems: _Problems) -> str:
    """The code for an identifier of the file; one that is no code (too long, a "/" ...) gets a derived
    code, the same on every import (core/codes.py), with a warning."""
    code = (raw or "").strip()
    if not code:
        problems.add(activity, line, f"{what} has no code")
    elif not is_code(code):
        derived = derive_code(code)
        problems.warn(
            activity, line, f"{what} code {code!r} is not a code ({CODE_RULE}); {derived!r} is used"
        )
        return derived
    return code


def _measure_code(
    activity_el, data: ActivityData, reporting_ref: str, plan_code: str, problems: _Problems
) -> str:
    """Our extension's code, else the internal identifier (other-identifier A1), else the iati-identifier
    without the reporting organisation's prefix (and the plan code after it, when present)."""
    ext = activity_el.find(c.BQ + "measure")
    if ext is not None and ext.get("code"):
        raw = ext.get("code")
    else:
        internal = [
            o.get("ref")
            for o in activity_el.findall("other-identifier")
            if o.get("type") == c.OTHER_ID_INTERNAL
        ]
        raw = (
            internal[0]
            if internal and internal[0]
            else _strip_prefix(data.identifier, reporting_ref, plan_code)
        )
    return _code(raw, "the measure", data, data.line, problems)


def _strip_prefix(identifier: str, reporting_ref: str, plan_code: str) -> str:
    rest = identifier
    if reporting_ref and rest.startswith(reporting_ref + "-"):
        rest = rest[len(reporting_ref) + 1 :]
        if plan_code and rest.startswith(plan_code + "-"):
            rest = rest[len(plan_code) + 1 :]
    return rest


def _dates(activity_el, data: ActivityData, problems: _Problems) -> None:
    dates = {d.get("type"): _date(d.get("iso-date")) for d in activity_el.findall("activity-date")}
    start = dates.get(c.DATE_START_PLANNED) or dates.get(c.DATE_START_ACTUAL)
    due = dates.get(c.DATE_END_PLANNED) or dates.get(c.DATE_END_ACTUAL)
    if due is None:
        data.missing_due = True  # the plan's end is used (resolved once the plan is known)
    data.values["start"] = start
    data.values["due"] = due
    if start and due and due < start:
        problems.add(data, data.line, f"the end {due} is before the start {start}")


def _budget(activity_el, data: ActivityData, problems: _Problems) -> None:
    """Revised budgets when there are any, else the original ones, summed; only KZT is stored as the
    planned budget (no exchange rates are guessed): other currencies are noted in the budget source."""
    default_currency = activity_el.get("default-currency", "")
    budgets = activity_el.findall("budget")
    revised = [b for b in budgets if b.get("type") == c.BUDGET_REVISED]
    chosen = revised or [b for b in budgets if b.get("type", c.BUDGET_ORIGINAL) == c.BUDGET_ORIGINAL]
    totals: dict[str, Decimal] = {}
    for budget in chosen:
        value_el = budget.find("value")
        amount = _decimal(value_el.text if value_el is not None else None)
        if amount is None:
            problems.add(data, budget.sourceline, "the budget value is not a number")
            continue
        currency = value_el.get("currency") or default_currency or c.CURRENCY
        totals[currency] = totals.get(currency, Decimal(0)) + amount
    if data.ours or totals:
        data.values["budget_planned_kzt"] = totals.get(c.CURRENCY)
    foreign = [
        f"{amount} {currency}" for currency, amount in sorted(totals.items()) if currency != c.CURRENCY
    ]
    if foreign:
        data.values["budget_source"] = "IATI budget: " + ", ".join(foreign) + " (not converted to KZT)"


def _participants(
    activity_el, data: ActivityData, default_lang: str, reporting_ref: str, problems: _Problems
) -> None:
    implementing = []
    for org in activity_el.findall("participating-org"):
        if org.get("role") != c.ROLE_IMPLEMENTING:
            continue
        raw = org.get(c.BQ + "code") or org.get("ref") or ""
        if not raw.strip():  # IATI allows an organisation named only by its narrative
            name = _texts(org, default_lang)["en"] or "?"
            problems.warn(
                data, org.sourceline, f"the implementing organisation {name!r} has no ref: left out"
            )
            continue
        code = _code(raw, "a participating organisation", data, org.sourceline, problems)
        ref = Ref(code=code, names=_named(_texts(org, default_lang), "name"))
        ref.kind = c.ORG_TYPE_TO_AGENCY_KIND.get(org.get("type", ""), "other")
        implementing.append((org.get(c.BQ + "role", ""), ref))
    if not implementing:
        return  # valid IATI: the default agency is used, with a warning (_defaults)
    leads = [ref for role, ref in implementing if role == "lead"] or [implementing[0][1]]
    data.lead = leads[0]
    data.co = [ref for _, ref in implementing if ref is not data.lead and ref.code != data.lead.code]


def _sphere(activity_el, data: ActivityData, default_lang: str, problems: _Problems) -> None:
    """Our own vocabulary (99) in a Baqylau export; else the DAC 5-digit code, mapped back to our sphere
    when it is one we map to, otherwise a new sphere ``dac-<code>``; another vocabulary gives
    ``sector-<vocabulary>-<code>``."""
    sectors = activity_el.findall("sector")
    if data.ours:
        for sector in sectors:
            if sector.get("vocabulary") == c.VOCABULARY_REPORTING_ORG:
                code = _code(sector.get("code", ""), "the sector", data, sector.sourceline, problems)
                data.sphere = Ref(code=code, names=_named(_texts(sector, default_lang), "name"))
                return
    dac = [s for s in sectors if s.get("vocabulary", c.VOCABULARY_DAC5) == c.VOCABULARY_DAC5]
    if dac:
        sector = dac[0]
        code = sector.get("code", "")
        names = _named(_texts(sector, default_lang), "name")
        ours = c.DAC_TO_SPHERE.get(code)
        sphere = ours or _code(f"dac-{code}", "the sector", data, sector.sourceline, problems)
        data.sphere = Ref(code=sphere, names=names if not ours else {})
        if not data.sphere.names.get("name") and not ours:
            data.sphere.names = {"name": f"DAC sector {code}"}
        return
    if sectors:
        sector = sectors[0]
        code = _code(
            f"sector-{sector.get('vocabulary')}-{sector.get('code')}",
            "the sector",
            data,
            sector.sourceline,
            problems,
        )
        names = _named(_texts(sector, default_lang), "name")
        data.sphere = Ref(code=code, names=names if names["name"] else {"name": code})
        return
    # No sector: valid IATI (it may be given per transaction, or not at all); see _defaults.


def _feature_kind(code: str) -> str:
    if code == "ADM1":
        return "region"
    if code.startswith("PPL"):
        return "settlement"
    return "district"


def _territories(activity_el, data: ActivityData, default_lang: str, problems: _Problems) -> None:
    """Locations that are administrative areas (location-class 1, or marked by us) with a ``ref``; the
    facility locations we write (``facility/<code>``) and locations without a ref are not territories."""
    for location in activity_el.findall("location"):
        ref = (location.get("ref") or "").strip()
        klass = location.find("location-class")
        is_area = location.get(c.BQ + "kind") or (
            klass is not None and klass.get("code") == c.LOCATION_CLASS_ADMIN
        )
        if not ref or ref.startswith(c.FACILITY_LOCATION_PREFIX) or not is_area:
            continue
        code = _code(ref, "a location", data, location.sourceline, problems)
        feature = location.find("feature-designation")
        kind = location.get(c.BQ + "kind") or _feature_kind(
            feature.get("code", "") if feature is not None else ""
        )
        territory = Ref(
            code=code, names=_named(_texts(location.find("name"), default_lang), "name"), kind=kind
        )
        pos = location.find("point/pos")
        if pos is not None and pos.text:
            parts = pos.text.split()
            try:
                territory.lat, territory.lon = float(parts[0]), float(parts[1])
            except (ValueError, IndexError):
                problems.add(data, pos.sourceline, f"the point {pos.text!r} is not 'latitude longitude'")
        data.territories.append(territory)


def _relations(activity_el, data: ActivityData) -> None:
    for related in activity_el.findall("related-activity"):
        if related.get("type") == c.RELATED_PARENT:
            data.parent_ref = data.parent_ref or related.get("ref", "")
        elif related.get("type") == c.RELATED_CHILD:
            data.child_refs.append(related.get("ref", ""))


def _extension(activity_el, data: ActivityData, problems: _Problems) -> None:
    ext = activity_el.find(c.BQ + "measure")
    if ext is None:
        return
    weight = _decimal(ext.get("weight"))
    if ext.get("weight") and weight is None:
        problems.add(data, ext.sourceline, f"bq:measure weight {ext.get('weight')!r} is not a number")
    if weight is not None:
        data.values["weight"] = weight
    spent = ext.get("budget-spent-kzt")
    data.values["budget_spent_kzt"] = _decimal(spent)
    if spent and data.values["budget_spent_kzt"] is None:
        problems.add(data, ext.sourceline, f"bq:measure budget-spent-kzt {spent!r} is not a number")
    data.values["completion_form"] = _bq_text(ext, "completion-form")
    data.values["budget_source"] = _bq_text(ext, "budget-source")
    data.values["source"] = _bq_text(ext, "source")
    data.values["estimate_note"] = _bq_text(ext, "estimate-note")


def _value(element, what: str, data: ActivityData, problems: _Problems) -> Decimal | None:
    raw = element.get("value")
    number = _decimal(raw)
    if raw and number is None:
        problems.add(data, element.sourceline, f"the {what} value {raw!r} is not a number")
    return number


def _one_valued(elements, what: str, data: ActivityData, problems: _Problems):
    """The one target (or actual) of a period that has a value: disaggregated ones (with dimensions) are
    left aside when a total is given; two totals are a problem (Baqylau keeps one value per period)."""
    valued = [e for e in elements if e.get("value")]
    totals = [e for e in valued if e.find("dimension") is None] or valued
    if len(totals) > 1:
        problems.add(data, totals[1].sourceline, f"more than one {what} value in one period")
    return totals[0] if totals else None


def _indicator(el, code: str, data: ActivityData, default_lang: str, problems: _Problems) -> IndicatorData:
    unit = el.get(c.BQ + "unit") or ("%" if el.get("measure") == c.MEASURE_PERCENTAGE else "units")
    if len(unit) > MAX_CODE:
        problems.add(data, el.sourceline, f"the unit {unit!r} is longer than {MAX_CODE} characters")
    ascending = el.get("ascending", "1").strip().lower() not in ("0", "false")
    names = _named(_texts(el.find("title"), default_lang), "name")
    if not names["name"]:
        problems.add(data, el.sourceline, f"indicator {code!r} has no title text")
    note_parts = []
    baseline_value = baseline_date = None
    baseline = el.find("baseline")
    if baseline is not None:
        baseline_value = _value(baseline, "baseline", data, problems)
        baseline_date = _date(baseline.get("iso-date"))
        if (
            baseline_date is None
            and baseline.get(c.BQ + "year-only") is None
            and baseline.get("year", "").isdigit()
        ):
            baseline_date = dt.date(int(baseline.get("year")), 1, 1)
            note_parts.append("baseline_date: the IATI file gives the year only; 1 January is used")
    ours = el.find(c.BQ + "source") is not None or el.get(c.BQ + "unit") is not None
    indicator = IndicatorData(
        code=code,
        line=el.sourceline,
        names=names,
        unit=unit,
        direction=Indicator.Direction.UP if ascending else Indicator.Direction.DOWN,
        baseline_value=baseline_value,
        baseline_date=baseline_date,
        source=_bq_text(el, "source") if ours else f"IATI activity {data.identifier}",
        estimate_note=_bq_text(el, "estimate-note") if ours else "; ".join(note_parts),
    )
    seen_ends: set[dt.date] = set()
    for period in el.findall("period"):
        end = _date(period.find("period-end").get("iso-date"))
        if end in seen_ends:
            problems.add(data, period.sourceline, f"indicator {code!r} has two periods ending {end}")
        seen_ends.add(end)
        target = _one_valued(period.findall("target"), "target", data, problems)
        if target is not None and (value := _value(target, "target", data, problems)) is not None:
            indicator.targets.append(
                {
                    "period_end": end,
                    "value": value,
                    "source": _bq_text(target, "source") or indicator.source,
                    "estimate_note": _bq_text(target, "estimate-note"),
                }
            )
        actual = _one_valued(period.findall("actual"), "actual", data, problems)
        if actual is not None and (value := _value(actual, "actual", data, problems)) is not None:
            reported = actual.find(c.BQ + "reported")
            comment = actual.find("comment")
            indicator.actuals.append(
                {
                    "period_end": end,
                    "value": value,
                    "reported_by": reported.get("by", "") if reported is not None else "",
                    "reported_on": _date(reported.get("on")) if reported is not None else None,
                    "note": _texts(comment, default_lang)["en"] if comment is not None else "",
                    "source": _bq_text(actual, "source") or indicator.source,
                    "estimate_note": _bq_text(actual, "estimate-note"),
                    "line": actual.sourceline,
                }
            )
    return indicator


def _results(activity_el, data: ActivityData, default_lang: str, problems: _Problems) -> None:
    """Each indicator of each result: its code is its reference in vocabulary 99 (the reporting
    organisation's own), else ``<measure>-R<result>-I<indicator>`` by position."""
    for r, result in enumerate(activity_el.findall("result"), start=1):
        for i, el in enumerate(result.findall("indicator"), start=1):
            refs = [
                x.get("code")
                for x in el.findall("reference")
                if x.get("vocabulary") == c.VOCABULARY_REPORTING_ORG
            ]
            raw = refs[0] if refs else f"{data.code}-R{r}-I{i}"
            code = _code(raw, "an indicator", data, el.sourceline, problems)
            data.indicators.append(_indicator(el, code, data, default_lang, problems))


def read_activity(
    activity_el, reporting_ref: str, problems: _Problems, plan_code: str | None = None
) -> ActivityData:
    identifier = (activity_el.findtext("iati-identifier") or "").strip()
    data = ActivityData(identifier=identifier, line=activity_el.sourceline)
    if not identifier:
        problems.add(data, data.line, "the iati-identifier is empty")
    ext = activity_el.find(c.BQ + "measure")
    data.ours = ext is not None
    data.plan_code = ext.get("plan", "") if ext is not None else ""
    default_lang = activity_el.get(c.XML_LANG, "en")
    data.code = _measure_code(activity_el, data, reporting_ref, plan_code or data.plan_code, problems)
    title = _texts(activity_el.find("title"), default_lang)
    if not title["en"]:
        problems.warn(data, data.line, "the title has no text: the identifier is used as the title")
        title["en"] = identifier[:500]
    data.values.update(_named(title, "title"))
    if not data.ours:
        reporting = _texts(activity_el.find("reporting-org"), default_lang)["en"]
        data.values["source"] = (
            f"IATI activity {identifier}, published by {reporting or reporting_ref} ({reporting_ref})"
        )
        objectives = [
            d for d in activity_el.findall("description") if d.get("type") == c.DESCRIPTION_OBJECTIVES
        ]
        objective = _texts(objectives[0], default_lang)["en"] if objectives else ""
        if objective and len(objective) <= 300:  # a long statement of objectives is no form of completion
            data.values["completion_form"] = objective
    _dates(activity_el, data, problems)
    _budget(activity_el, data, problems)
    _participants(activity_el, data, default_lang, reporting_ref, problems)
    _sphere(activity_el, data, default_lang, problems)
    _territories(activity_el, data, default_lang, problems)
    _relations(activity_el, data)
    _extension(activity_el, data, problems)
    _results(activity_el, data, default_lang, problems)
    return data


# --- resolving and writing ----------------------------------------------------------------------


def _plan(
    activities: list[ActivityData], plan_code, region_code, plan_title, problems: _Problems
) -> Plan | dict | None:
    named = sorted({a.plan_code for a in activities if a.plan_code})
    code = plan_code or (named[0] if len(named) == 1 else "")
    if not code:
        problems.add(
            None,
            None,
            "name the plan to import into (--plan): the file does not say which plan it belongs to"
            if not named
            else f"the file holds measures of several plans ({', '.join(named)}); "
            "import them one plan at a time with --plan",
        )
        return None
    plan = Plan.objects.filter(code=code).first()
    if plan:
        return plan
    region = Territory.objects.filter(code=region_code).first() if region_code else None
    if region is None:
        problems.add(
            None,
            None,
            f"there is no plan {code!r}; to create it, name its region with --region "
            "(an existing territory code)"
            + (f": there is no territory {region_code!r}" if region_code else ""),
        )
        return None
    starts = [a.values.get("start") or a.values.get("due") for a in activities]
    dues = [a.values.get("due") for a in activities]
    return {
        "code": code,
        "title": plan_title or code,
        "region": region,
        "start": min((d for d in starts if d), default=dt.date.today()),
        "end": max((d for d in dues if d), default=dt.date.today()),
    }


def _default_ref(model, code: str | None, what: str, problems: _Problems) -> Ref | None:
    """The default the user chose (``--sphere`` / ``--agency``: it must exist), else "unassigned"."""
    if not code:
        return Ref(code=UNASSIGNED, names=dict(UNASSIGNED_NAMES))
    obj = model.objects.filter(code=code).first()
    if obj is None:
        problems.add(None, None, f"there is no {what} {code!r} to use as the default")
        return None
    return Ref(code=obj.code, names={}, kind=getattr(obj, "kind", ""))


def _defaults(activities, plan, sphere: Ref | None, agency: Ref | None, problems: _Problems) -> None:
    """What a valid file may leave out, filled in with the defaults, each with a warning: never refused."""
    plan_end = plan.end if isinstance(plan, Plan) else plan["end"]
    for activity in activities:
        if activity.sphere is None and sphere is not None:
            activity.sphere = sphere
            problems.warn(activity, activity.line, f"no sector: filed under sphere {sphere.code!r}")
        if activity.lead is None and agency is not None:
            activity.lead = agency
            problems.warn(
                activity, activity.line, f"no implementing organisation: led by agency {agency.code!r}"
            )
        if activity.missing_due:
            start = activity.values.get("start")
            activity.values["due"] = max(plan_end, start) if start else plan_end
            if not activity.ours:
                activity.values["estimate_note"] = (
                    "due: the IATI activity gives no end date; the plan's end is used"
                )
            problems.warn(
                activity, activity.line, f"no end date: due {activity.values['due']} (the plan's end)"
            )


def _order(
    activities: list[ActivityData], plan, reporting_ref: str, problems: _Problems
) -> list[ActivityData]:
    """Parents before children; each activity's ``parent_code`` resolved (in the file, else in the plan)."""
    by_identifier = {a.identifier: a for a in activities}
    for activity in activities:  # a parent that only lists its children (type 2) still counts
        for child_ref in activity.child_refs:
            child = by_identifier.get(child_ref)
            if child is not None and not child.parent_ref:
                child.parent_ref = activity.identifier
    existing = (
        set(Measure.objects.filter(plan=plan).values_list("code", flat=True))
        if isinstance(plan, Plan)
        else set()
    )
    plan_code = plan.code if isinstance(plan, Plan) else plan["code"]
    for activity in activities:
        activity.values["parent"] = None if activity.ours or activity.parent_ref else UNSET
        if not activity.parent_ref:
            continue
        parent = by_identifier.get(activity.parent_ref)
        if parent is not None:
            activity.values["parent"] = parent.code
            continue
        code = _strip_prefix(activity.parent_ref, reporting_ref, plan_code)
        if code in existing:
            activity.values["parent"] = code
        else:  # valid IATI: the parent may be published elsewhere
            activity.values["parent"] = UNSET
            problems.warn(
                activity,
                activity.line,
                f"its parent {activity.parent_ref!r} is neither in the file nor a measure of the plan: "
                "imported without it",
            )
    by_code = {a.code: a for a in activities}
    ordered: list[ActivityData] = []
    state: dict[str, str] = {}

    def visit(activity: ActivityData, trail: list[str]) -> None:
        if state.get(activity.code) == "done":
            return
        if state.get(activity.code) == "visiting":
            problems.add(
                activity, activity.line, "the parent chain loops: " + " -> ".join([*trail, activity.code])
            )
            return
        state[activity.code] = "visiting"
        parent = by_code.get(activity.values.get("parent"))
        if parent is not None:
            visit(parent, [*trail, activity.code])
        state[activity.code] = "done"
        ordered.append(activity)

    for activity in activities:
        visit(activity, [])
    return ordered


def _check_uniqueness(activities: list[ActivityData], problems: _Problems) -> None:
    seen: dict[str, ActivityData] = {}
    indicators: dict[str, str] = {}
    for activity in activities:
        if activity.code and activity.code in seen:
            problems.add(
                activity,
                activity.line,
                f"measure code {activity.code!r} is also given by activity "
                f"{seen[activity.code].identifier!r}",
            )
        seen.setdefault(activity.code, activity)
        for indicator in activity.indicators:
            if indicator.code in indicators:
                problems.add(
                    activity,
                    indicator.line,
                    f"indicator code {indicator.code!r} is also used in activity "
                    f"{indicators[indicator.code]!r}",
                )
            indicators.setdefault(indicator.code, activity.identifier)


def _check_reporters(activities: list[ActivityData], problems: _Problems) -> None:
    known = set(Agency.objects.values_list("code", flat=True))
    known |= {a.lead.code for a in activities if a.lead} | {r.code for a in activities for r in a.co}
    for activity in activities:
        for indicator in activity.indicators:
            for actual in indicator.actuals:
                if actual["reported_by"] and actual["reported_by"] not in known:
                    problems.add(
                        activity,
                        actual["line"],
                        f"the actual is reported by agency {actual['reported_by']!r}, which is unknown",
                    )


def _reference(result: LoadResult, model, ref: Ref, extra: dict, cache: dict):
    """The row with this code; created from what the file says when it does not exist, never changed."""
    key = (model, ref.code)
    if key not in cache:
        obj = model.objects.filter(code=ref.code).first()
        if obj is None:
            values = {k: v for k, v in {**ref.names, **extra}.items() if v not in (None, "")}
            values.setdefault("name", ref.code)
            obj = upsert(result, model, {"code": ref.code}, values)
        cache[key] = obj
    return cache[key]


def _write(activities: list[ActivityData], plan_data, source_label: str) -> tuple[Plan, LoadResult]:
    result = LoadResult()
    if isinstance(plan_data, Plan):
        plan = plan_data
    else:
        plan = upsert(
            result,
            Plan,
            {"code": plan_data["code"]},
            {k: v for k, v in plan_data.items() if k != "code"} | {"source": source_label},
        )
    cache: dict = {}
    measures: dict[str, Measure] = {}
    agencies = {a.code: a for a in Agency.objects.all()}
    for activity in activities:
        where = f"activity {activity.identifier!r} (line {activity.line})"
        try:
            sphere = _reference(result, Sphere, activity.sphere, {}, cache)
            lead = _reference(
                result, Agency, activity.lead, {"kind": activity.lead.kind, "source": source_label}, cache
            )
            co = [
                _reference(result, Agency, r, {"kind": r.kind, "source": source_label}, cache)
                for r in activity.co
            ]
            territories = [
                _reference(
                    result,
                    Territory,
                    t,
                    {
                        "kind": t.kind,
                        "parent": plan.region,
                        "lat": t.lat,
                        "lon": t.lon,
                        "source": source_label,
                    },
                    cache,
                )
                for t in activity.territories
            ]
            agencies.update({a.code: a for a in [lead, *co]})
            values = {k: v for k, v in activity.values.items() if v is not UNSET}
            if "parent" in values:
                parent_code = values.pop("parent")
                values["parent"] = measures.get(parent_code) or (
                    Measure.objects.get(plan=plan, code=parent_code) if parent_code else None
                )
            values["sphere"], values["lead_agency"] = sphere, lead
            m2m = {"co_agencies": co}
            if activity.territories or activity.ours:
                m2m["territories"] = territories
            measure = upsert(result, Measure, {"plan": plan, "code": activity.code}, values, m2m=m2m)
            measures[activity.code] = measure
            for data in activity.indicators:
                _write_indicator(result, plan, measure, data, agencies)
        except ValidationError as exc:
            raise IatiRefused(f"{where}: {_validation_text(exc)}; nothing was imported.") from None
    return plan, result


def _write_indicator(
    result: LoadResult, plan: Plan, measure: Measure, data: IndicatorData, agencies: dict
) -> None:
    indicator = upsert(
        result,
        Indicator,
        {"plan": plan, "code": data.code},
        {
            **data.names,
            "unit": data.unit,
            "direction": data.direction,
            "measure": measure,
            "baseline_value": data.baseline_value,
            "baseline_date": data.baseline_date,
            "source": data.source,
            "estimate_note": data.estimate_note,
        },
    )
    for target in data.targets:
        upsert(
            result,
            Target,
            {"indicator": indicator, "period_end": target["period_end"]},
            {k: v for k, v in target.items() if k != "period_end"},
        )
    for actual in data.actuals:
        values = {k: v for k, v in actual.items() if k not in ("period_end", "line", "reported_by")}
        values["reported_by"] = agencies.get(actual["reported_by"]) if actual["reported_by"] else None
        upsert(result, Actual, {"indicator": indicator, "period_end": actual["period_end"]}, values)


def _validation_text(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return "; ".join(f"{name}: {' '.join(msgs)}" for name, msgs in exc.message_dict.items())
    return " ".join(exc.messages)


def import_iati(
    data: bytes,
    *,
    plan_code: str | None = None,
    region_code: str | None = None,
    plan_title: str | None = None,
    source_label: str = "IATI import",
    sphere_code: str | None = None,
    agency_code: str | None = None,
) -> IatiImport:
    """Validate ``data`` against the IATI 2.03 schema, map it onto a plan, and write it all or nothing.

    Raises :class:`IatiRefused` (with every problem found) and writes nothing when the file is not
    valid IATI, or contradicts itself (an end before the start, one code twice, numbers that are not
    numbers, values the database refuses). What a valid file leaves out is filled in and said in
    ``warnings``: no sector -> ``sphere_code`` (else "unassigned"), no implementing organisation ->
    ``agency_code`` (else "unassigned"), no end date -> the plan's end, a parent outside the file and
    the plan -> none, an identifier that is no code -> a derived code.
    """
    tree = validate_bytes(data)
    root = tree.getroot()
    problems = _Problems()
    activities = []
    for activity_el in root.findall("iati-activity"):
        reporting = activity_el.find("reporting-org")
        reporting_ref = reporting.get("ref", "") if reporting is not None else ""
        activities.append(read_activity(activity_el, reporting_ref, problems, plan_code))
    _check_uniqueness(activities, problems)
    _check_reporters(activities, problems)
    plan = _plan(activities, plan_code, region_code, plan_title, problems)
    sphere = _default_ref(Sphere, sphere_code, "sphere", problems)
    agency = _default_ref(Agency, agency_code, "agency", problems)
    if plan:
        _defaults(activities, plan, sphere, agency, problems)
    reporting_refs = {a.find("reporting-org").get("ref", "") for a in root.findall("iati-activity")}
    ordered = (
        _order(activities, plan, next(iter(reporting_refs)) if len(reporting_refs) == 1 else "", problems)
        if plan
        else []
    )
    if problems:
        raise IatiRefused(
            f"The IATI file cannot be imported ({len(problems)} problems); nothing was written. "
            f"The first: {problems[0]}",
            problems,
        )
    with interface("import"), transaction.atomic(), store.batch():
        plan, result = _write(ordered, plan, source_label)
    return IatiImport(plan=plan, result=result, activities=len(activities), warnings=problems.warnings)
