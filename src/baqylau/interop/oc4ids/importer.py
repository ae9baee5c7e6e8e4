"""Import an OC4IDS 0.9.5 project package: each project becomes a facility under a measure of the plan.

The package is validated against the bundled schema first (problems name their JSON path); then every
project is read and every reference resolved, collecting all problems; only when there is none is
anything written, in one transaction, matching facilities by plan + code and saving only what differs,
so importing the same package twice changes nothing.

Choices (docs/interop.md explains why):

* the facility's code is its ``baqylau-facility`` identifier, else the project id without its
  ``oc4ids-<prefix>-`` registration prefix;
* its measure is the ``baqylau-measure`` identifier when the project names one, else one measure per
  project with the facility's code; an existing measure is used as it is (this import writes facilities),
  a missing one is created from the project (title, period, budget, sector, public authority);
* budgets in another currency than KZT are not converted: they are noted in the measure's budget source;
* reference rows (spheres, agencies, territories) are matched by code and never changed; unknown ones are
  created from the project's sector, parties and locations;
* nothing is deleted.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from baqylau.assessment import store
from baqylau.core import jsonlimits
from baqylau.core.codes import CODE_RULE, derive_code, is_code
from baqylau.core.interface import interface
from baqylau.core.upsert import LoadResult, upsert
from baqylau.plans.models import Facility, Measure, Plan
from baqylau.reference.facility_kinds import OTHER, default_kind
from baqylau.reference.models import Agency, FacilityKind, Sphere, Territory
from baqylau.reference.unassigned import NAMES as UNASSIGNED_NAMES
from baqylau.reference.unassigned import UNASSIGNED

from . import codes as c
from .schema import Oc4idsRefused, check, codelist, json_path

MAX_CODE = 40
MAX_JSON_DEPTH = 64  # an OC4IDS 0.9.5 package nests about 8 levels
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
REGISTERED_PREFIX = re.compile(r"^oc4ids-[a-z0-9]{6}-")


@dataclass
class ProjectData:
    index: int
    project_id: str
    facility_code: str = ""
    measure_code: str = ""
    ours: bool = False  # a Baqylau export: every facility field is stated
    facility: dict = field(default_factory=dict)
    measure: dict = field(default_factory=dict)  # fields of a measure to create
    sphere: tuple[str, dict] | None = None
    lead: tuple[str, dict] | None = None
    co: list[tuple[str, dict]] = field(default_factory=list)
    territory: tuple[str, dict] | None = None
    kind: tuple[str, dict] = (OTHER, {})

    @property
    def path(self) -> str:
        return f"/projects/{self.index}"


@dataclass
class Oc4idsImport:
    plan: Plan
    result: LoadResult
    projects: int
    warnings: list[str] = field(default_factory=list)


class _Problems(list):
    """Problems refuse the package; warnings say what a valid package left out and what was used."""

    def __init__(self):
        super().__init__()
        self.warnings: list[str] = []

    def add(self, path: str, message: str) -> None:
        self.append(f"{path}: {message}")

    def warn(self, path: str, message: str) -> None:
        self.warnings.append(f"{path}: {message}")


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value[:10]) if value else None


def _dec(value) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        return None
    return number if number.is_finite() else None


def _texts(obj: dict, key: str, base: str) -> dict:
    return {
        base: (obj.get(key) or "").strip(),
        f"{base}_ru": (obj.get(f"{key}_ru") or "").strip(),
        f"{base}_kk": (obj.get(f"{key}_kk") or "").strip(),
    }


def _scheme(items, scheme: str) -> str:
    for item in items or []:
        if isinstance(item, dict) and item.get("scheme") == scheme and item.get("id"):
            return c.code_of(scheme, str(item["id"]))
    return ""


def _checked_code(raw: str, what: str, path: str, problems: _Problems) -> str:
    """The code for an identifier of the package; one that is no code (too long, a "/" ...) gets a derived
    code, the same on every import (core/codes.py), with a warning."""
    code = (raw or "").strip()
    if not code:
        problems.add(path, f"{what} has no code")
    elif not is_code(code):
        derived = derive_code(code)
        problems.warn(path, f"{what} code {code!r} is not a code ({CODE_RULE}); {derived!r} is used")
        return derived
    return code


def _metric(project: dict, key: str, ident: str) -> dict | None:
    for metric in project.get(key) or []:
        if metric.get("id") == ident:
            return metric
    return None


def _observation(metric: dict | None, ident: str) -> dict | None:
    for observation in (metric or {}).get("observations") or []:
        if observation.get("id") == ident:
            return observation
    return None


def _capacity(data: ProjectData, project: dict, problems: _Problems) -> None:
    target = _observation(_metric(project, "forecasts", c.METRIC_CAPACITY), "target")
    baseline = _observation(_metric(project, "metrics", c.METRIC_CAPACITY), "baseline")
    unit = ""
    for name, observation in (("capacity_target", target), ("capacity_baseline", baseline)):
        if observation is None:
            if data.ours:
                data.facility[name] = None
            continue
        value = _dec(observation.get("measure"))
        if value is None:
            problems.add(
                data.path, f"the {name.replace('_', ' ')} {observation.get('measure')!r} is not a number"
            )
        data.facility[name] = value
        unit = unit or (observation.get("unit") or {}).get("name", "")
    if len(unit) > MAX_CODE:
        problems.warn(data.path, f"the capacity unit {unit!r} is cut to {MAX_CODE} characters")
        unit = unit[:MAX_CODE]
    if unit or data.ours:
        data.facility["capacity_unit"] = unit


def _commissioning(data: ProjectData, project: dict) -> None:
    """The ``commissioning`` milestone gives the planned (due) and actual (met) dates; a foreign project
    without one that is in completion or later gives its completion date as the actual one."""
    milestone = next(
        (
            m
            for m in project.get("milestones") or []
            if m.get("code") == c.MILESTONE_COMMISSIONING or m.get("id") == c.MILESTONE_COMMISSIONING
        ),
        None,
    )
    if milestone is not None:
        data.facility["commission_planned"] = _date(milestone.get("dueDate"))
        met = milestone.get("status") == "met" or (milestone.get("dateMet") and "status" not in milestone)
        data.facility["commission_actual"] = _date(milestone.get("dateMet")) if met else None
        return
    if data.ours:
        data.facility["commission_planned"] = data.facility["commission_actual"] = None
        return
    finished = project.get("status") in ("completion", "maintenance", "decommissioning", "decommissioned")
    end = (project.get("completion") or {}).get("endDate")
    if finished and end:
        data.facility["commission_actual"] = _date(end)


def _location(data: ProjectData, project: dict) -> None:
    """The first point (GeoJSON order: longitude, latitude) and the ``baqylau-territory`` gazetteer entry."""
    point = None
    for location in project.get("locations") or []:
        geometry = location.get("geometry") or {}
        coordinates = geometry.get("coordinates") or []
        if point is None and geometry.get("type") == "Point" and len(coordinates) >= 2:
            point = coordinates
        gazetteer = location.get("gazetteer") or {}
        if (
            gazetteer.get("scheme") == c.SCHEME_TERRITORY
            and gazetteer.get("identifiers")
            and data.territory is None
        ):
            address = location.get("address") or {}
            data.territory = (
                str(gazetteer["identifiers"][0]),
                {"name": address.get("locality") or gazetteer["identifiers"][0]},
            )
    if point is not None:
        data.facility["lon"], data.facility["lat"] = float(point[0]), float(point[1])
    elif data.ours:
        data.facility["lat"] = data.facility["lon"] = None


def _kind(project: dict) -> tuple[str, dict]:
    """Our classification (a kind the office may have added: created from its description when missing),
    else the kind the most specific sector maps to, else "other"."""
    for item in project.get("additionalClassifications") or []:
        if isinstance(item, dict) and item.get("scheme") == c.SCHEME_KIND and item.get("id"):
            code = c.code_of(c.SCHEME_KIND, str(item["id"]))
            if is_code(code):
                return code, {"name": str(item.get("description") or code)[:300]}
    sectors = project.get("sector") or []
    for sector in reversed(sectors):  # the most specific sector comes last
        if sector in c.SECTOR_TO_KIND:
            return c.SECTOR_TO_KIND[sector], {}
    return OTHER, {}


def _party(party: dict) -> tuple[str, dict]:
    names = _texts(party, "name", "name")
    kind = _scheme(party.get("classifications"), c.SCHEME_AGENCY_KIND)
    names["kind"] = kind if kind in c.AGENCY_KINDS else "other"
    return str(party.get("id") or ""), names


def _agencies(data: ProjectData, project: dict, problems: _Problems) -> None:
    parties = [p for p in project.get("parties") or [] if isinstance(p, dict)]
    authority = project.get("publicAuthority") or {}
    lead = next((p for p in parties if authority.get("id") and p.get("id") == authority.get("id")), None)
    lead = lead or next((p for p in parties if c.ROLE_LEAD in (p.get("roles") or [])), None)
    if lead is None and authority.get("id"):
        lead = authority
    if lead is None or not str(lead.get("id") or "").strip():
        return  # valid OC4IDS: the default agency is used, with a warning (_defaults)
    code, names = _party(lead)
    data.lead = (_checked_code(code, "the public authority", data.path + "/publicAuthority", problems), names)
    for i, party in enumerate(parties):
        if c.ROLE_CO in (party.get("roles") or []) and party.get("id") != lead.get("id"):
            code, names = _party(party)
            if not code.strip():
                problems.warn(f"{data.path}/parties/{i}", "a co-executor without an id: left out")
                continue
            data.co.append((_checked_code(code, "a party", f"{data.path}/parties/{i}", problems), names))


def _sphere(data: ProjectData, project: dict) -> None:
    for item in project.get("additionalClassifications") or []:
        if item.get("scheme") == c.SCHEME_SPHERE and item.get("id"):
            code = c.code_of(c.SCHEME_SPHERE, str(item["id"]))
            data.sphere = (code, {"name": item.get("description") or code})
            return
    sectors = project.get("sector") or []
    for sector in reversed(sectors):
        if sector in c.SECTOR_TO_SPHERE:
            data.sphere = (c.SECTOR_TO_SPHERE[sector], {"name": c.SECTOR_TO_SPHERE[sector]})
            return
    if sectors:
        title = codelist("projectSector.csv").get(sectors[0], sectors[0])
        data.sphere = (derive_code(sectors[0]), {"name": title})


def _measure(data: ProjectData, project: dict, package_uri: str, problems: _Problems) -> None:
    """The fields of the measure to create when the plan has none with this code."""
    period = project.get("period") or {}
    implementation = project.get("implementationPeriod") or {}
    due = _date(
        period.get("endDate")
        or implementation.get("endDate")
        or (project.get("completion") or {}).get("endDate")
    )
    start = _date(period.get("startDate") or implementation.get("startDate"))
    if start and due and due < start:
        problems.add(data.path + "/period", f"the end {due} is before the start {start}")
    texts = _texts(project, "description" if data.ours and project.get("description") else "title", "title")
    texts["title"] = texts["title"] or data.project_id[:500]  # valid OC4IDS may have no title
    budget = (project.get("budget") or {}).get("amount") or {}
    value, currency = _dec(budget.get("amount")), budget.get("currency")
    data.measure = {
        **texts,
        "start": start,
        "due": due,
        "budget_planned_kzt": value if currency == c.CURRENCY else None,
        "budget_source": f"OC4IDS budget: {budget.get('amount')} {currency} (not converted to KZT)"
        if value is not None and currency != c.CURRENCY
        else "",
        "source": f"OC4IDS project {data.project_id} (package {package_uri})",
    }


def read_project(index: int, project: dict, package_uri: str, problems: _Problems) -> ProjectData:
    project_id = str(project.get("id", ""))
    data = ProjectData(index=index, project_id=project_id)
    identifiers = project.get("identifiers") or []
    facility_code = _scheme(identifiers, c.SCHEME_FACILITY)
    data.ours = bool(facility_code) and c.EXTENSION in project
    raw = facility_code or REGISTERED_PREFIX.sub("", project_id)
    data.facility_code = _checked_code(raw, "the facility", data.path + "/id", problems)
    data.measure_code = _checked_code(
        _scheme(identifiers, c.SCHEME_MEASURE) or data.facility_code,
        "the measure",
        data.path + "/identifiers",
        problems,
    )
    names = _texts(project, "title", "name")
    if not names["name"]:  # valid OC4IDS: only the id is required
        problems.warn(data.path + "/title", "the project has no title: its id is the facility's name")
        names["name"] = project_id
    for key, text in names.items():
        if len(text) > 300:
            where = f"{data.path}/{key.replace('name', 'title')}"
            problems.warn(where, "longer than 300 characters, the most a facility name holds: cut")
            names[key] = text[:300]
    data.facility.update(names)
    data.kind = _kind(project)
    extension = project.get(c.EXTENSION) or {}
    if data.ours:
        data.facility["source"] = extension.get("source", "")
        data.facility["estimate_note"] = extension.get("estimateNote", "")
    else:
        data.facility["source"] = f"OC4IDS project {project_id} (package {package_uri})"
    _capacity(data, project, problems)
    _commissioning(data, project)
    _location(data, project)
    _agencies(data, project, problems)
    _sphere(data, project)
    _measure(data, project, package_uri, problems)
    return data


def _load(data: bytes) -> dict:
    limit = int(getattr(settings, "BAQYLAU_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))
    if len(data) > limit:
        raise Oc4idsRefused(f"The file is {len(data)} bytes; the largest file accepted is {limit} bytes.")
    try:
        package = jsonlimits.loads(data.decode("utf-8-sig"), MAX_JSON_DEPTH, parse_float=Decimal)
    except jsonlimits.TooDeep as exc:
        raise Oc4idsRefused(
            f"The file nests arrays and objects more than {exc.limit} levels deep; an OC4IDS package "
            "needs far fewer, so it is refused unread."
        ) from None
    except UnicodeDecodeError:
        raise Oc4idsRefused("The file is not UTF-8 text, so it cannot be an OC4IDS JSON package.") from None
    except json.JSONDecodeError as exc:
        raise Oc4idsRefused(
            "The file is not JSON, so it cannot be an OC4IDS package.",
            [f"line {exc.lineno}, column {exc.colno}: {exc.msg}"],
        ) from None
    if not isinstance(package, dict):
        raise Oc4idsRefused("The file is JSON but not an object: an OC4IDS project package is a JSON object.")
    return package


def _reference(result: LoadResult, model, code: str, names: dict, extra: dict, cache: dict):
    key = (model, code)
    if key not in cache:
        obj = model.objects.filter(code=code).first()
        if obj is None:
            values = {k: v for k, v in {**names, **extra}.items() if v not in (None, "")}
            values.setdefault("name", code)
            obj = upsert(result, model, {"code": code}, values)
        cache[key] = obj
    return cache[key]


def _write(plan: Plan, projects: list[ProjectData]) -> LoadResult:
    result = LoadResult()
    cache: dict = {}
    source = "OC4IDS import"
    for data in projects:
        try:
            measure = Measure.objects.filter(plan=plan, code=data.measure_code).first()
            if measure is None:
                lead = _reference(
                    result,
                    Agency,
                    data.lead[0],
                    {k: v for k, v in data.lead[1].items()},
                    {"source": source},
                    cache,
                )
                co = [
                    _reference(result, Agency, code, names, {"source": source}, cache)
                    for code, names in data.co
                ]
                sphere = _reference(result, Sphere, data.sphere[0], data.sphere[1], {}, cache)
                measure = upsert(
                    result,
                    Measure,
                    {"plan": plan, "code": data.measure_code},
                    {**data.measure, "sphere": sphere, "lead_agency": lead},
                    m2m={"co_agencies": co},
                )
            code, names = data.kind
            kind = _reference(result, FacilityKind, code, names, {}, cache) if names else None
            values = {**data.facility, "measure": measure, "kind": kind or default_kind(code)}
            if data.territory is not None:
                code, names = data.territory
                values["territory"] = _reference(
                    result,
                    Territory,
                    code,
                    names,
                    {"kind": "district", "parent": plan.region, "source": source},
                    cache,
                )
            elif data.ours:
                values["territory"] = None
            upsert(result, Facility, {"plan": plan, "code": data.facility_code}, values)
        except ValidationError as exc:
            text = (
                "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
                if hasattr(exc, "message_dict")
                else " ".join(exc.messages)
            )
            raise Oc4idsRefused(f"{data.path} ({data.project_id}): {text}; nothing was imported.") from None
    return result


def _default(model, code: str | None, what: str) -> tuple[str, dict]:
    """The default the user chose (``--sphere`` / ``--agency``: it must exist), else "unassigned"."""
    if not code:
        return UNASSIGNED, dict(UNASSIGNED_NAMES)
    if not model.objects.filter(code=code).exists():
        raise Oc4idsRefused(f"There is no {what} {code!r} to use as the default.")
    return code, {}


def _defaults(data: ProjectData, plan: Plan, sphere, agency, problems: _Problems) -> None:
    """What a valid project may leave out of the measure to create, filled in, each with a warning."""
    if data.lead is None:
        data.lead = agency
        problems.warn(data.path, f"no public authority: the measure is led by agency {agency[0]!r}")
    if data.sphere is None:
        data.sphere = sphere
        problems.warn(data.path, f"no sector: the measure is filed under sphere {sphere[0]!r}")
    if data.measure.get("due") is None:
        start = data.measure.get("start")
        data.measure["due"] = max(plan.end, start) if start else plan.end
        data.measure["estimate_note"] = "due: the OC4IDS project gives no end date; the plan's end is used"
        problems.warn(data.path, f"no end date: the measure is due {data.measure['due']} (the plan's end)")


def import_oc4ids(
    data: bytes, *, plan_code: str, sphere_code: str | None = None, agency_code: str | None = None
) -> Oc4idsImport:
    """Validate ``data`` as an OC4IDS 0.9.5 project package and write its projects as facilities of the
    plan, all or nothing. Raises :class:`Oc4idsRefused` with every problem (by JSON path).

    What a valid package leaves out is filled in and said in ``warnings``: no title -> the project id,
    no public authority -> ``agency_code`` (else "unassigned"), no sector -> ``sphere_code`` (else
    "unassigned"), no end date -> the plan's end, an id that is no code -> a derived code."""
    package = _load(data)
    check(package)
    plan = Plan.objects.select_related("region").filter(code=plan_code).first()
    if plan is None:
        known = ", ".join(Plan.objects.values_list("code", flat=True)) or "none"
        raise Oc4idsRefused(f"There is no plan {plan_code!r} to import into (plans: {known}).")
    problems = _Problems()
    sphere = _default(Sphere, sphere_code, "sphere")
    agency = _default(Agency, agency_code, "agency")
    uri = str(package.get("uri", ""))
    projects = [read_project(i, p, uri, problems) for i, p in enumerate(package["projects"])]
    existing = set(Measure.objects.filter(plan=plan).values_list("code", flat=True))
    seen: dict[str, ProjectData] = {}
    for data in projects:
        if data.facility_code in seen:
            problems.add(
                data.path + "/id",
                f"facility code {data.facility_code!r} is also given by {seen[data.facility_code].path}",
            )
        seen.setdefault(data.facility_code, data)
        if data.measure_code not in existing:
            _defaults(data, plan, sphere, agency, problems)
    if problems:
        raise Oc4idsRefused(
            f"The OC4IDS package cannot be imported ({len(problems)} problems); nothing was written. "
            f"The first: {problems[0]}",
            problems,
        )
    with interface("import"), transaction.atomic(), store.batch():
        result = _write(plan, projects)
    return Oc4idsImport(plan=plan, result=result, projects=len(projects), warnings=problems.warnings)


__all__ = ["Oc4idsImport", "import_oc4ids", "json_path"]
