"""Rows of the registers as plain values: the templates only print them.

A template that walks related objects row by row (``measure.territories.all`` and the like) makes a
manager and a queryset per row and formats every value through filters; building the rows here, with
the related names read in one query per kind for the whole page, keeps a page of rows at the cost of
its queries. The values are the page's, in the active language; links are reversed once per page.
"""

from __future__ import annotations

from collections import defaultdict
from urllib.parse import quote

from django.urls import reverse
from django.utils import formats

from baqylau.assessment.judgements import explanation
from baqylau.core.translation import translated
from baqylau.instructions.models import DeadlineChange, Instruction
from baqylau.plans.models import Measure
from baqylau.web.templatetags.baqylau import CONFIDENCE_LABELS, STATUS_LABELS, css_value, percent


class Dates:
    """Short dates in the active locale, each formatted once per page."""

    def __init__(self):
        self._seen: dict = {}

    def __call__(self, day) -> str:
        if day is None:
            return "—"
        text = self._seen.get(day)
        if text is None:
            text = self._seen[day] = formats.date_format(day, "SHORT_DATE_FORMAT")
        return text


def link_maker(name: str, *args) -> callable:
    """``reverse`` for a URL whose last argument is a code, done once: code -> URL."""
    marker = "0.code-marker.0"  # itself a code (core/codes.py), so the code converter reverses it
    pattern = reverse(name, args=[*args, marker])
    return lambda code: pattern.replace(marker, quote(code, safe=""))


def _labels(rows) -> dict[int, list[str]]:
    """(owner id, name, name_ru, name_kk) rows as each owner's names in the active language."""
    by_owner: dict[int, list[str]] = defaultdict(list)
    for owner, *texts in rows:
        by_owner[owner].append(_text(texts))
    return by_owner


class _Texts:
    """Stand-in for a translated model row, so ``translated`` picks the language as it does for models."""

    __slots__ = ("name", "name_kk", "name_ru")

    def __init__(self, name, name_ru, name_kk):
        self.name, self.name_ru, self.name_kk = name, name_ru, name_kk


def _text(texts) -> str:
    return translated(_Texts(*texts), "name")


def _territory_names(measure_ids) -> dict[int, list[str]]:
    rows = (
        Measure.territories.through.objects.filter(measure_id__in=measure_ids)
        .order_by("territory__code")
        .values_list("measure_id", "territory__name", "territory__name_ru", "territory__name_kk")
    )
    return _labels(rows)


def measure_rows(rows: list[dict], plan) -> list[dict]:
    """Register rows: code and link, title, sphere and territories, lead agency, due, verdict, why."""
    if not rows:
        return []
    territories = _territory_names([r["measure"].pk for r in rows])
    link = link_maker("web:measure", plan.code)
    date = Dates()
    out = []
    for r in rows:
        m, j = r["measure"], r["judgement"]
        out.append(
            {
                "code": m.code,
                "url": link(m.code),
                "title": m.label,
                "sphere": m.sphere.label,
                "territories": ", ".join(territories.get(m.pk, ())),
                "agency": m.lead_agency.label,
                "due": date(m.due),
                "status": css_value(j.status),
                "status_label": STATUS_LABELS[j.status.value],
                "confidence": css_value(j.confidence),
                "confidence_label": CONFIDENCE_LABELS[j.confidence.value],
                "progress": percent(j.progress),
                "planned": percent(j.planned),
                "explanation": explanation(j),
                "measure": m,
                "judgement": j,
            }
        )
    return out


def instruction_rows(rows: list[dict], plan) -> list[dict]:
    """Register rows of instructions: text, measures, deadline changes, executors, dates, verdict, why."""
    if not rows:
        return []
    ids = [r["instruction"].pk for r in rows]
    executors = _labels(
        Instruction.executors.through.objects.filter(instruction_id__in=ids)
        .order_by("agency__code")
        .values_list("instruction_id", "agency__name", "agency__name_ru", "agency__name_kk")
    )
    measures: dict[int, list[str]] = defaultdict(list)
    for instruction_id, code in (
        Instruction.measures.through.objects.filter(instruction_id__in=ids)
        .order_by("measure__code")
        .values_list("instruction_id", "measure__code")
    ):
        measures[instruction_id].append(code)
    date = Dates()
    changes: dict[int, list[dict]] = defaultdict(list)
    for instruction_id, old, new, reason in (
        DeadlineChange.objects.filter(instruction_id__in=ids)
        .order_by("changed_on", "pk")
        .values_list("instruction_id", "old_due", "new_due", "reason")
    ):
        changes[instruction_id].append({"old": date(old), "new": date(new), "reason": reason})
    measure_link = link_maker("web:measure", plan.code)
    event_link = link_maker("web:event", plan.code)
    instruction_link = link_maker("web:instruction", plan.code)
    out = []
    for r in rows:
        i, j = r["instruction"], r["judgement"]
        event = i.event
        out.append(
            {
                "code": i.code,
                "url": instruction_link(i.code),
                "text": i.label,
                "measures": [(code, measure_link(code)) for code in measures.get(i.pk, ())],
                "changes": changes.get(i.pk, ()),
                "estimate_note": i.estimate_note,
                "executors": "; ".join(executors.get(i.pk, ())),
                "issued": date(i.issued_on),
                "event": (event.label, event_link(event.code)) if event else None,
                "due": date(j.due),
                "days_left": max(j.days_to_due, 0),
                "days_overdue": max(-j.days_to_due, 0),
                "status": css_value(j.status),
                "status_label": STATUS_LABELS[j.status.value],
                "explanation": explanation(j),
                "instruction": i,
                "judgement": j,
            }
        )
    return out


def choices(queryset, selected: str = "") -> list[tuple[str, str, bool]]:
    """A select's options (code, label in the active language, selected) from rows with translated names."""
    return [
        (code, _text(texts), code == selected)
        for code, *texts in queryset.values_list("code", "name", "name_ru", "name_kk")
    ]
