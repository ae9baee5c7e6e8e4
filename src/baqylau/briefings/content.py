"""What a briefing says, as plain data: read from the judgements (``PlanReader``), the water model and
the instructions' history, in the active language. The renderers (``pdf``, ``word``) only lay it out.

Nothing is judged here: today's figures come from the judgement store, any other date's from the
same engine through the reader, exactly as the dashboard shows them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from baqylau.accounts.rules import sees_every_item, visible_instructions, visible_measures
from baqylau.assessment.judgements import explanation
from baqylau.assessment.reading import PlanReader
from baqylau.assessment.water import plan_water
from baqylau.instructions.models import DeadlineChange, Instruction
from baqylau.judging import GroupTotals
from baqylau.judging.explain import render_reason
from baqylau.plans.models import Measure, Plan
from baqylau.reference.models import Agency, Sphere, Territory
from baqylau.waterbalance import report
from baqylau.waterbalance.inputs import MissingInputs
from baqylau.web.dashboard import headline as dashboard_headline
from baqylau.web.templatetags.baqylau import CONFIDENCE_LABELS, STATUS_LABELS, percent, whole

from .discipline import AgencyDiscipline, discipline_by_agency

MEASURE_STATUSES = ("done", "on_track", "at_risk", "late", "not_started")
CONFIDENCES = ("green", "amber_green", "amber", "amber_red", "red")
ATTENTION_STATUSES = ("late", "at_risk", "done")  # the status columns of the group tables
PREVIOUS_DAYS = 7  # the briefing before this one, when no date is given: a week earlier


def status_label(value) -> str:
    return str(STATUS_LABELS.get(getattr(value, "value", value), value))


def confidence_label(value) -> str:
    return str(CONFIDENCE_LABELS.get(getattr(value, "value", value), value))


def short_date(day: dt.date | None) -> str:
    return day.isoformat() if day else "—"


@dataclass
class Figure:
    """A headline figure and what it is computed over."""

    label: str
    value: str
    basis: str


@dataclass
class Group:
    name: str
    total: int
    progress: str
    known: int
    counts: dict[str, int]

    @property
    def count_list(self) -> list[int]:
        return [self.counts.get(status, 0) for status in MEASURE_STATUSES]

    @property
    def attention_counts(self) -> list[int]:
        return [self.counts.get(status, 0) for status in MEASURE_STATUSES if status in ATTENTION_STATUSES]


@dataclass
class MeasureItem:
    code: str
    title: str
    status: str  # the value (late, at_risk, ...), for colours
    status_label: str
    confidence_label: str
    reason: str
    due: str
    forecast: str
    likelihood: str
    agency: str
    progress: str
    sphere: str = ""


@dataclass
class InstructionItem:
    code: str
    text: str
    status: str
    status_label: str
    due: str
    days: str  # "overdue by 12 days" / "due in 3 days"
    executors: str
    extensions: list[str]


@dataclass
class Change:
    code: str
    title: str
    before: str
    now: str


@dataclass
class WaterSection:
    months: list[str]
    demand: list[float]
    supply: list[float]
    deficit: list[float]
    summers: list[dict]  # the current summer and the next: deficit, demand, supply, provision
    delays: list[str]  # what each late water measure's delay costs
    as_of_month: str


def sections() -> list[tuple[str, str]]:
    """(anchor, title) of every section of a briefing, in order: its table of contents."""
    return [
        ("summary", _("Status and confidence")),
        ("groups", _("Progress by sphere and territory")),
        ("attention", _("Late and at-risk measures")),
        ("instructions", _("Instructions overdue or near their deadline")),
        ("discipline", _("Execution discipline by agency")),
        ("water", _("Water balance")),
        ("changes", _("Changes since the previous briefing")),
        ("annex", _("Annex: all measures")),
    ]


@dataclass
class Briefing:
    plan: Plan
    plan_title: str
    as_of: dt.date
    previous: dt.date
    language: str
    generated_at: dt.datetime
    headline: list[Figure]
    headline_sentence: str  # the dashboard's own headline: progress and what it is computed over
    status_counts: list[tuple[str, str, int]]  # (status, label, count)
    confidence_counts: list[tuple[str, str, int]]
    by_sphere: list[Group]
    by_territory: list[Group]
    attention: list[MeasureItem]
    instructions: list[InstructionItem]
    discipline: list[AgencyDiscipline]
    water: WaterSection | None
    newly_late: list[Change]
    newly_done: list[Change]
    newly_overdue: list[Change]
    annex: list[MeasureItem]
    charts: dict[str, bytes] = field(default_factory=dict)  # name -> PNG, added by charts.render_all

    @property
    def group_tables(self) -> list[tuple[str, list[Group]]]:
        return [(_("By sphere"), self.by_sphere), (_("By territory"), self.by_territory)]

    @property
    def change_lists(self) -> list[tuple[str, list[Change]]]:
        return [
            (_("Newly late"), self.newly_late),
            (_("Newly done"), self.newly_done),
            (_("Newly overdue instructions"), self.newly_overdue),
        ]

    @property
    def sections(self) -> list[tuple[str, str]]:
        return sections()


def _headline(reader: PlanReader, scope, instructions, recorded: int) -> list[Figure]:
    summary = reader.summary(scope)
    leaves = summary.total
    unknown = summary.unknown or 0
    known = summary.known or 0
    instruction_summary = reader.instruction_summary(None if scope is None else instructions)
    late = summary.counts.get("late", 0)
    at_risk = summary.counts.get("at_risk", 0)
    done = summary.counts.get("done", 0)
    overdue = instruction_summary.counts.get("overdue", 0)
    return [
        Figure(
            _("Weighted progress"),
            percent(summary.progress),
            _("over %(known)s of %(total)s measures (%(unknown)s without data)")
            % {"known": known, "total": leaves, "unknown": unknown},
        ),
        Figure(_("Late"), str(late), _("of %(total)s measures") % {"total": leaves}),
        Figure(_("At risk"), str(at_risk), _("of %(total)s measures") % {"total": leaves}),
        Figure(_("Done"), str(done), _("of %(total)s measures") % {"total": leaves}),
        Figure(
            _("Instructions overdue"),
            str(overdue),
            _("of %(total)s instructions") % {"total": instruction_summary.total},
        ),
        Figure(
            _("Measures recorded"),
            str(recorded),
            _("%(leaves)s without sub-measures, counted in the figures") % {"leaves": leaves},
        ),
    ]


def _groups(reader: PlanReader, by: str, model, scope) -> list[Group]:
    groups = reader.rollup(by, scope)
    names = {o.code: o.label for o in model.objects.filter(code__in=groups)}
    return [
        Group(
            name=names.get(key, key),
            total=s.total,
            progress=percent(s.progress),
            known=s.known or 0,
            counts={status: s.counts.get(status, 0) for status in MEASURE_STATUSES},
        )
        for key, s in groups.items()
    ]


def short_reason(judgement) -> str:
    """The judgement's first reason in the active language (the measure page has the whole sentence)."""
    reasons = judgement.reasons
    if not reasons:
        return explanation(judgement)
    return render_reason(reasons[0], get_language() or "en")


def _likelihood(judgement) -> str:
    likely = getattr(judgement, "likelihood", None)
    if likely is None:
        return "—"
    return _("%(probability)s (finish %(low)s – %(high)s)") % {
        "probability": percent(100 * likely.probability),
        "low": short_date(likely.finish_low),
        "high": short_date(likely.finish_high),
    }


def _measure_item(row, reason: bool) -> MeasureItem:
    measure, judgement = row["measure"], row["judgement"]
    return MeasureItem(
        code=measure.code,
        title=measure.label,
        status=judgement.status.value,
        status_label=status_label(judgement.status),
        confidence_label=confidence_label(judgement.confidence),
        reason=short_reason(judgement) if reason else "",
        due=short_date(measure.due),
        forecast=short_date(judgement.forecast_finish),
        likelihood=_likelihood(judgement),
        agency=measure.lead_agency.label,
        progress=percent(judgement.progress),
        sphere=measure.sphere.label,
    )


def _days(judgement) -> str:
    days = judgement.days_to_due
    if days < 0:
        return ngettext("overdue by %(days)s day", "overdue by %(days)s days", -days) % {"days": -days}
    if days == 0:
        return _("due today")
    return ngettext("due in %(days)s day", "due in %(days)s days", days) % {"days": days}


def _instructions(reader: PlanReader, instructions) -> list[InstructionItem]:
    queryset = instructions.prefetch_related(
        Prefetch("executors", Agency.objects.order_by("code")),
        Prefetch("deadline_changes", DeadlineChange.objects.order_by("changed_on", "pk")),
    )
    items = []
    for row in reader.instruction_rows(queryset, status=("overdue", "at_risk")):
        instruction, judgement = row["instruction"], row["judgement"]
        items.append(
            InstructionItem(
                code=instruction.code,
                text=instruction.label,
                status=judgement.status.value,
                status_label=status_label(judgement.status),
                due=short_date(judgement.due),
                days=_days(judgement),
                executors=", ".join(a.label for a in instruction.executors.all()),
                extensions=[
                    _("%(old)s → %(new)s on %(on)s: %(reason)s")
                    % {
                        "old": short_date(c.old_due),
                        "new": short_date(c.new_due),
                        "on": short_date(c.changed_on),
                        "reason": c.reason,
                    }
                    for c in instruction.deadline_changes.all()
                    if c.changed_on <= reader.as_of
                ],
            )
        )
    return items


def _water(reader: PlanReader) -> WaterSection | None:
    from baqylau.web.water_impact import delay_texts  # the water page's own sentences, one wording

    as_of = reader.as_of
    try:
        start, end = dt.date(as_of.year - 2, 1, 1), dt.date(as_of.year + 1, 12, 31)
        comparison = plan_water(reader.plan, as_of, start, end, reader=reader)
    except MissingInputs:
        return None
    base = comparison.base
    summers = [s for s in report.summers(comparison) if s["summer"] in (as_of.year, as_of.year + 1)]
    return WaterSection(
        months=[str(m) for m in base.months],
        demand=[float(v) for v in base.total("demand")],
        supply=[float(v) for v in base.total("delivered")],
        deficit=[float(v) for v in base.total("deficit")],
        summers=[
            {
                "summer": s["summer"],
                "demand": whole(s["demand"]),
                "supply": whole(s["supply"]),
                "deficit": whole(s["deficit"]),
                "provision": percent(s["provision_pct"]),
            }
            for s in summers
        ],
        delays=delay_texts(reader.plan, as_of, reader),
        as_of_month=as_of.strftime("%Y-%m"),
    )


def _statuses(reader: PlanReader, measures) -> dict[int, tuple[str, object]]:
    return {
        r["measure"].pk: (r["judgement"].status.value, r["measure"]) for r in reader.measure_rows(measures)
    }


def _changes(reader: PlanReader, earlier: PlanReader, measures, instructions):
    """Measures newly late or newly done, instructions newly overdue, between the two dates."""
    now, before = _statuses(reader, measures), _statuses(earlier, measures)

    def became(status: str) -> list[Change]:
        rows = []
        for pk, (value, measure) in sorted(now.items(), key=lambda kv: kv[1][1].code):
            was = before.get(pk, ("not_started", None))[0]
            if value == status and was != status:
                rows.append(Change(measure.code, measure.label, status_label(was), status_label(value)))
        return rows

    was_overdue = {r["instruction"].pk for r in earlier.instruction_rows(instructions, status="overdue")}
    overdue = [
        Change(
            r["instruction"].code,
            r["instruction"].label,
            "",
            _days(r["judgement"]),
        )
        for r in reader.instruction_rows(instructions, status="overdue")
        if r["instruction"].pk not in was_overdue
    ]
    return became("late"), became("done"), overdue


def build_briefing(
    plan: Plan, as_of: dt.date, user=None, previous: dt.date | None = None, language: str = "en"
) -> Briefing:
    """The briefing of ``plan`` as of ``as_of`` for ``user`` (None: the whole plan, as a command
    sees it), compared with ``previous`` (default a week earlier). Call under the language's
    ``translation.override``: every word comes out in the active language."""
    reader = PlanReader(plan, as_of)
    previous = previous or as_of - dt.timedelta(days=PREVIOUS_DAYS)
    earlier = PlanReader(plan, previous)
    measures = Measure.objects.filter(plan=plan)
    instructions = Instruction.objects.filter(plan=plan)
    if user is not None:
        measures, instructions = visible_measures(user, measures), visible_instructions(user, instructions)
    scope = None if user is None or sees_every_item(user) else measures
    totals = reader.totals("measure", "plan", scope).get(plan.code) or GroupTotals()
    summary = totals.summary()
    listed = measures.select_related("sphere", "lead_agency")
    attention = [
        _measure_item(r, reason=True)
        for r in reader.measure_rows(listed, status=("late", "at_risk"), sort="status")
    ]
    newly_late, newly_done, newly_overdue = _changes(reader, earlier, measures, instructions)
    return Briefing(
        plan=plan,
        plan_title=plan.label,
        as_of=as_of,
        previous=previous,
        language=language,
        generated_at=timezone.localtime(),
        headline=_headline(reader, scope, instructions, measures.count()),
        headline_sentence=dashboard_headline(summary),
        status_counts=[(s, status_label(s), summary.counts.get(s, 0)) for s in MEASURE_STATUSES],
        confidence_counts=[(c, confidence_label(c), totals.confidence_counts.get(c, 0)) for c in CONFIDENCES],
        by_sphere=_groups(reader, "sphere", Sphere, scope),
        by_territory=_groups(reader, "territory", Territory, scope),
        attention=attention,
        instructions=_instructions(reader, instructions),
        discipline=discipline_by_agency(reader, None, instructions),
        water=_water(reader),
        newly_late=newly_late,
        newly_done=newly_done,
        newly_overdue=newly_overdue,
        annex=[_measure_item(r, reason=False) for r in reader.measure_rows(listed, sort="code")],
    )
