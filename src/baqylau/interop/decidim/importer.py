"""Import Decidim accountability results (the component's CSV export) as measures with accepted progress.

Decidim exports a result as one CSV row whose columns flatten its fields with ``/`` (``id``,
``parent/id``, ``title/<locale>``, ``description/<locale>``, ``start_date``, ``end_date``,
``status/name/<locale>``, ``progress``, ``category/name/<locale>``, ``scope/name/<locale>`` and, in
recent versions, ``address``, ``latitude``, ``longitude``, ``updated_at``, ``weight``), separated by
``;``. Every row is checked and every problem reported with its row (the header is row 1) and column;
only a file without problems is written, in one transaction, matching rows by code so that importing
the same file twice changes nothing.

Mapping (docs/interop.md, "Decidim accountability"):

* a result becomes the measure ``<prefix><id>`` (default prefix ``DEC-``); ``parent/id`` its parent;
  titles in en / ru / kk fill the three title columns; ``start_date`` / ``end_date`` the start and due
  dates (a result without an end date gets the plan's end, flagged in the measure's estimate note);
* ``category`` is matched to a sphere by name (in any of our languages) or code, else ``--sphere``;
  ``scope`` to a territory the same way; the lead agency is ``--agency``;
* ``progress`` becomes an accepted report of the lead agency dated ``updated_at`` (else ``--as-of``),
  its source naming the Decidim result, so the judging engine counts it; the status and the
  description (HTML stripped) are its narrative; an empty progress writes no report (unknown, not 0);
* ``latitude`` / ``longitude`` make a facility of kind *other* with the measure's code, placed in the
  scope's territory: a result with coordinates is a thing built somewhere, and a point is not a territory.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from baqylau.assessment import store
from baqylau.core.codes import CODE_RULE, is_code
from baqylau.core.interface import interface
from baqylau.core.upsert import LoadResult, upsert
from baqylau.interop.refusal import InputRefused
from baqylau.plans.models import Facility, Measure, Plan
from baqylau.reference.facility_kinds import OTHER, default_kind
from baqylau.reference.models import Agency, Sphere, Territory
from baqylau.reports.models import Report

MAX_CODE = 40
DEFAULT_PREFIX = "DEC-"
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
OUR_LOCALES = {"en": "", "ru": "_ru", "kk": "_kk"}
TAG = re.compile(r"<[^>]+>")
SPACE = re.compile(r"\s+")


class DecidimRefused(InputRefused):
    """The file cannot be imported; nothing was written. ``problems``: ``row N, column C: reason``."""


@dataclass
class ResultRow:
    row: int
    id: str
    code: str = ""
    parent_id: str = ""
    titles: dict = field(default_factory=dict)
    start: dt.date | None = None
    end: dt.date | None = None
    progress: Decimal | None = None
    lat: float | None = None
    lon: float | None = None
    weight: Decimal | None = None
    sphere: Sphere | None = None
    territory: Territory | None = None
    status: str = ""
    description: str = ""
    url: str = ""
    reported_on: dt.date | None = None


@dataclass
class DecidimImport:
    plan: Plan
    result: LoadResult
    rows: int


class _Problems(list):
    def add(self, row: int | None, column: str, reason: str, value: str = "") -> None:
        where = f"row {row}, column {column}" if row else f"column {column}" if column else "file"
        self.append(f"{where}: {reason}" + (f" (value: {value!r})" if value != "" else ""))


def plain_text(value: str) -> str:
    """Decidim's rich text as plain text: tags dropped, entities decoded, spaces collapsed."""
    return SPACE.sub(" ", html.unescape(TAG.sub(" ", value or "")).replace("\xa0", " ")).strip()


def _decode(data: bytes) -> str:
    limit = int(getattr(settings, "BAQYLAU_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))
    if len(data) > limit:
        raise DecidimRefused(f"The file is {len(data)} bytes; the largest file accepted is {limit} bytes.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DecidimRefused("The file is not UTF-8 text; Decidim exports CSV in UTF-8.") from None


def _rows(text: str) -> tuple[list[str], list[tuple[int, dict]]]:
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise DecidimRefused("The file is empty: there is no header row.") from None
    except csv.Error as exc:
        raise DecidimRefused(f"The file is not readable CSV: {exc}") from None
    rows = []
    most = int(settings.BAQYLAU_IMPORT_MAX_ROWS)
    try:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) >= most:
                raise DecidimRefused(
                    f"The file has more than {most:,} results; the largest accepted has {most:,}."
                )
            number = reader.line_num
            if len(cells) > len(header) and any(cell.strip() for cell in cells[len(header) :]):
                raise DecidimRefused(f"row {number}: more cells than the header has columns")
            rows.append(
                (
                    number,
                    {name: (cells[i] if i < len(cells) else "").strip() for i, name in enumerate(header)},
                )
            )
    except csv.Error as exc:
        raise DecidimRefused(f"The file is not readable CSV (row {reader.line_num}): {exc}") from None
    return header, rows


def _locale_columns(header: list[str], prefix: str) -> dict[str, str]:
    """``title/en`` -> {"en": "title/en"}; also Decidim's older ``title_en`` spelling."""
    found = {}
    for name in header:
        for sep in ("/", "_"):
            if name.startswith(prefix + sep) and "machine_translations" not in name:
                found[name[len(prefix) + 1 :]] = name
    return found


def _texts(cells: dict, columns: dict[str, str]) -> dict[str, str]:
    return {locale: cells.get(column, "") for locale, column in columns.items()}


def _titles(texts: dict[str, str]) -> dict[str, str]:
    base = texts.get("en") or next((v for k, v in texts.items() if k not in ("ru", "kk") and v), "")
    base = base or texts.get("ru", "") or texts.get("kk", "")
    return {"title": base, "title_ru": texts.get("ru", ""), "title_kk": texts.get("kk", "")}


def _date(value: str, row: int, column: str, problems: _Problems) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        problems.add(row, column, "not a date (YYYY-MM-DD)", value)
        return None


def _number(value: str, row: int, column: str, problems: _Problems, low=None, high=None) -> Decimal | None:
    if not value:
        return None
    try:
        number = Decimal(value.replace(",", "."))
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        problems.add(row, column, "not a number", value)
        return None
    if (low is not None and number < low) or (high is not None and number > high):
        problems.add(row, column, f"must be between {low} and {high}", value)
        return None
    return number


class _Matcher:
    """Finds a sphere or territory by code or by any of its names, ignoring case and spaces."""

    def __init__(self, model):
        self.index: dict[str, object] = {}
        for obj in model.objects.all():
            for key in (obj.code, obj.name, obj.name_ru, obj.name_kk):
                if key:
                    self.index.setdefault(self._key(key), obj)

    @staticmethod
    def _key(value: str) -> str:
        return SPACE.sub(" ", value).strip().casefold()

    def find(self, values) -> object | None:
        for value in values:
            if value and (found := self.index.get(self._key(value))) is not None:
                return found
        return None


def _match(cells, columns: dict[str, str], matcher: _Matcher, row: int, what: str, problems: _Problems):
    """The sphere (territory) a category (scope) names; ``named`` says whether the row names one at all."""
    names = [cells.get(col, "") for col in columns.values()]
    if not any(names):
        return None, False
    found = matcher.find(names)
    if found is None:
        column = next(col for col in columns.values() if cells.get(col))
        problems.add(
            row,
            column,
            f"matches no {what} (by name in English, Russian or Kazakh, or by code)",
            cells[column],
        )
    return found, True


def _read(
    header,
    rows,
    *,
    plan: Plan,
    prefix: str,
    default_sphere: Sphere | None,
    as_of: dt.date | None,
    problems: _Problems,
) -> list[ResultRow]:
    title_cols = _locale_columns(header, "title")
    if "id" not in header or not title_cols:
        missing = [
            name for name, ok in (("id", "id" in header), ("title/<locale>", bool(title_cols))) if not ok
        ]
        raise DecidimRefused(
            "This is not a Decidim accountability results export: missing column(s) " + ", ".join(missing)
        )
    description_cols = _locale_columns(header, "description")
    status_cols = _locale_columns(header, "status/name")
    category_cols = _locale_columns(header, "category/name")
    scope_cols = _locale_columns(header, "scope/name")
    spheres, territories = _Matcher(Sphere), _Matcher(Territory)
    results: list[ResultRow] = []
    seen: dict[str, int] = {}
    for number, cells in rows:
        result = ResultRow(row=number, id=cells.get("id", ""))
        if not result.id:
            problems.add(number, "id", "is empty: every result has an id")
        elif result.id in seen:
            problems.add(number, "id", f"repeats the id of row {seen[result.id]}", result.id)
        seen.setdefault(result.id, number)
        result.code = prefix + result.id
        if result.id and len(result.code) <= MAX_CODE and not is_code(result.code):
            problems.add(
                number, "id", f"the measure code {result.code!r} would not be a code: {CODE_RULE}", result.id
            )
        if len(result.code) > MAX_CODE:
            problems.add(
                number,
                "id",
                f"the measure code {result.code!r} would be longer than {MAX_CODE} characters",
                result.id,
            )
        result.parent_id = cells.get("parent/id", "") or cells.get("parent_id", "")
        result.titles = _titles(_texts(cells, title_cols))
        if not result.titles["title"]:
            problems.add(number, next(iter(title_cols.values())), "no title in any language")
        for column in title_cols.values():
            if len(cells.get(column, "")) > 500:
                problems.add(number, column, "longer than 500 characters")
        result.start = _date(cells.get("start_date", ""), number, "start_date", problems)
        result.end = _date(cells.get("end_date", ""), number, "end_date", problems)
        if result.start and result.end and result.end < result.start:
            problems.add(number, "end_date", f"is before the start date {result.start}", cells["end_date"])
        result.progress = _number(cells.get("progress", ""), number, "progress", problems, 0, 100)
        result.weight = _number(cells.get("weight", ""), number, "weight", problems, 0, None)
        lat = _number(cells.get("latitude", ""), number, "latitude", problems, -90, 90)
        lon = _number(cells.get("longitude", ""), number, "longitude", problems, -180, 180)
        if (cells.get("latitude", "") == "") != (cells.get("longitude", "") == ""):
            column = "longitude" if cells.get("latitude") else "latitude"
            problems.add(number, column, "is empty while the other coordinate is given")
        elif lat is not None and lon is not None:
            result.lat, result.lon = float(lat), float(lon)
        sphere, named = _match(cells, category_cols, spheres, number, "sphere", problems)
        result.sphere = sphere or (default_sphere if not named else None)
        if result.sphere is None and not named:
            problems.add(
                number,
                next(iter(category_cols.values()), "category/name/en"),
                "no category: give one, or a default sphere with --sphere",
            )
        result.territory, _ = _match(cells, scope_cols, territories, number, "territory", problems)
        result.status = _titles(_texts(cells, status_cols))["title"]
        result.description = plain_text(_titles(_texts(cells, description_cols))["title"])
        result.url = cells.get("url", "")
        updated = _date(cells.get("updated_at", ""), number, "updated_at", problems)
        result.reported_on = as_of or updated
        if result.progress is not None and result.reported_on is None and not cells.get("updated_at"):
            problems.add(
                number,
                "updated_at",
                "is empty: give the date of the export with --as-of, so the progress has a date",
            )
        results.append(result)
    _check_parents(results, plan, prefix, problems)
    return results


def _check_parents(results: list[ResultRow], plan: Plan, prefix: str, problems: _Problems) -> None:
    by_id = {r.id: r for r in results}
    existing = set(Measure.objects.filter(plan=plan).values_list("code", flat=True))
    for result in results:
        if result.parent_id and result.parent_id not in by_id and prefix + result.parent_id not in existing:
            problems.add(
                result.row,
                "parent/id",
                "names a result that is neither in the file nor already imported",
                result.parent_id,
            )
    for result in results:  # loops: follow parents; a chain longer than the file is a loop
        current, steps = result, 0
        while current is not None and current.parent_id and steps <= len(results):
            current, steps = by_id.get(current.parent_id), steps + 1
        if steps > len(results):
            problems.add(
                result.row, "parent/id", "the chain of parents loops back to this result", result.parent_id
            )


def _ordered(results: list[ResultRow]) -> list[ResultRow]:
    by_id = {r.id: r for r in results}
    done: set[str] = set()
    ordered = []

    def visit(result: ResultRow) -> None:
        if result.id in done:
            return
        done.add(result.id)
        if result.parent_id in by_id:
            visit(by_id[result.parent_id])
        ordered.append(result)

    for result in results:
        visit(result)
    return ordered


def _narrative(result: ResultRow) -> str:
    parts = [f"Decidim accountability result {result.id}"]
    if result.status:
        parts.append(f"status: {result.status}")
    parts.append(f"progress: {result.progress.normalize():f}%")
    text = ", ".join(parts) + "."
    return f"{text}\n\n{result.description}" if result.description else text


def _write(plan: Plan, agency: Agency, results: list[ResultRow], prefix: str) -> LoadResult:
    load = LoadResult()
    measures: dict[str, Measure] = {}
    for result in _ordered(results):
        source = f"Decidim accountability result {result.id}" + (f" ({result.url})" if result.url else "")
        values = {
            **result.titles,
            "sphere": result.sphere,
            "lead_agency": agency,
            "start": result.start,
            "due": result.end or plan.end,
            "source": source,
            "estimate_note": ""
            if result.end
            else "due: the Decidim result gives no end date; the plan's end is used",
            "parent": measures.get(result.parent_id)
            or (Measure.objects.get(plan=plan, code=prefix + result.parent_id) if result.parent_id else None),
        }
        if result.weight is not None:
            values["weight"] = result.weight
        m2m = {"territories": [result.territory]} if result.territory else None
        where = f"row {result.row}"
        try:
            measure = upsert(load, Measure, {"plan": plan, "code": result.code}, values, m2m=m2m)
            measures[result.id] = measure
            if result.lat is not None:
                upsert(
                    load,
                    Facility,
                    {"plan": plan, "code": result.code},
                    {
                        "name": result.titles["title"][:300],
                        "name_ru": result.titles["title_ru"][:300],
                        "name_kk": result.titles["title_kk"][:300],
                        "kind": default_kind(OTHER),
                        "measure": measure,
                        "territory": result.territory,
                        "lat": result.lat,
                        "lon": result.lon,
                        "source": source,
                    },
                )
            if result.progress is not None:
                upsert(
                    load,
                    Report,
                    {
                        "measure": measure,
                        "period_end": result.reported_on,
                        "source": f"Decidim import: {source}",
                    },
                    {
                        "agency": agency,
                        "narrative": _narrative(result),
                        "progress": result.progress,
                        "state": Report.State.ACCEPTED,
                        "submitted_on": result.reported_on,
                        "reviewed_on": result.reported_on,
                    },
                )
        except ValidationError as exc:
            text = (
                "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
                if hasattr(exc, "message_dict")
                else " ".join(exc.messages)
            )
            raise DecidimRefused(f"{where}: {text}; nothing was imported.") from None
    return load


def import_decidim(
    data: bytes,
    *,
    plan_code: str,
    agency_code: str,
    sphere_code: str | None = None,
    as_of: dt.date | None = None,
    prefix: str = DEFAULT_PREFIX,
) -> DecidimImport:
    """Import a Decidim accountability results CSV into the plan, all or nothing.

    ``agency_code`` leads the measures and reports the progress; ``sphere_code`` is the sphere of
    results whose category matches none (or that have none); ``as_of`` dates the progress reports
    when the file has no ``updated_at`` (it overrides the column when given). Raises
    :class:`DecidimRefused` with every problem by row and column.
    """
    text = _decode(data)
    plan = Plan.objects.filter(code=plan_code).first()
    agency = Agency.objects.filter(code=agency_code).first()
    sphere = Sphere.objects.filter(code=sphere_code).first() if sphere_code else None
    problems = _Problems()
    if plan is None:
        problems.add(None, "", f"there is no plan {plan_code!r}")
    if agency is None:
        problems.add(None, "", f"there is no agency {agency_code!r} (--agency)")
    if sphere_code and sphere is None:
        problems.add(None, "", f"there is no sphere {sphere_code!r} (--sphere)")
    if problems:
        raise DecidimRefused("Cannot import: " + "; ".join(p.removeprefix("file: ") for p in problems))
    header, rows = _rows(text)
    results = _read(
        header, rows, plan=plan, prefix=prefix, default_sphere=sphere, as_of=as_of, problems=problems
    )
    if not results and not problems:
        raise DecidimRefused("The file has a header but no results.")
    if problems:
        raise DecidimRefused(
            f"The Decidim file cannot be imported ({len(problems)} problems); nothing was written. "
            f"The first: {problems[0]}",
            problems,
        )
    with interface("import"), transaction.atomic(), store.batch():
        load = _write(plan, agency, results, prefix)
    return DecidimImport(plan=plan, result=load, rows=len(results))
