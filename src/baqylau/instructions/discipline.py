"""Execution discipline: how each agency, responsible official or issuer executes its instructions,
measured against the deadline first ordered, not the latest extension.

For a period (``start``..``end``, both optional) and a group:

- ``issued``: instructions issued in the period;
- ``due``: instructions whose ORIGINAL due date falls in the period (withdrawn ones are not counted);
  the rest of the figures are about these;
- ``on_time``: executed (removed from control) by the original due date;
- ``after_extension``: executed after the original but by the extended due date (on time only
  because the deadline was extended);
- ``late``: executed after the current due date;
- ``overdue``: still on control and past the current due date on ``as_of`` (default today);
- ``open``: still on control and not yet overdue;
- ``avg_delay_days`` / ``worst_delay_days``: days past the original due date, over those executed
  after it and those still open past it (on ``as_of``);
- ``extensions`` and ``extensions_per_instruction``: how many times the deadlines were moved later;
- ``coefficient``: on_time / due, the coefficient of execution discipline (None when nothing is due).

One aggregate query per call, whatever the number of instructions or groups (``by_agency`` adds one
for the agencies' names). Callers pass a queryset already narrowed to what the user may see.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from django.db.models import (
    Avg,
    Case,
    Count,
    DateField,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from baqylau.core.translation import translated

from .models import DeadlineChange, Instruction

GROUPINGS = {"agency": "responsible_id", "official": "responsible_official", "issuer": "issued_by"}
COUNTS = ("issued", "due", "on_time", "after_extension", "late", "overdue", "open", "extensions")


@dataclass(frozen=True)
class DisciplineRow:
    key: str
    label: str
    issued: int
    due: int
    on_time: int
    after_extension: int
    late: int
    overdue: int
    open: int
    extensions: int
    avg_delay_days: float | None
    worst_delay_days: int | None

    @property
    def coefficient(self) -> float | None:
        return round(self.on_time / self.due, 3) if self.due else None

    @property
    def extensions_per_instruction(self) -> float | None:
        return round(self.extensions / self.due, 2) if self.due else None

    def record(self) -> dict:
        """A plain dict for the command line, the API and the workbook."""
        return {
            **asdict(self),
            "coefficient": self.coefficient,
            "extensions_per_instruction": self.extensions_per_instruction,
        }


@dataclass(frozen=True)
class Discipline:
    by: str
    start: dt.date | None
    end: dt.date | None
    as_of: dt.date
    rows: list[DisciplineRow]  # the league table: best coefficient first
    total: DisciplineRow


def _days(expression) -> ExpressionWrapper:
    return ExpressionWrapper(expression, output_field=DurationField())


def _within(field: str, start: dt.date | None, end: dt.date | None) -> Q:
    q = Q()
    if start:
        q &= Q(**{f"{field}__gte": start})
    if end:
        q &= Q(**{f"{field}__lte": end})
    return q


def discipline(
    plan,
    by: str = "agency",
    start: dt.date | None = None,
    end: dt.date | None = None,
    as_of: dt.date | None = None,
    queryset: QuerySet | None = None,
) -> Discipline:
    """The league table of ``plan``'s instructions (``queryset``: those a user may see) grouped ``by``."""
    if by not in GROUPINGS:
        raise ValueError(f"by must be one of {', '.join(GROUPINGS)}")
    as_of = as_of or timezone.localdate()
    base = (queryset if queryset is not None else Instruction.objects.all()).filter(plan=plan)
    executed = Q(status=Instruction.Status.EXECUTED)
    on_control = Q(status=Instruction.Status.OPEN)
    due = _within("original_due", start, end) & ~Q(status=Instruction.Status.WITHDRAWN)
    moved = (
        DeadlineChange.objects.filter(instruction=OuterRef("pk"), new_due__gt=F("old_due"))
        .order_by()
        .values("instruction")
        .annotate(n=Count("pk"))
        .values("n")
    )
    delay = Case(
        When(executed & Q(closed_on__gt=F("original_due")), then=_days(F("closed_on") - F("original_due"))),
        When(
            on_control & Q(original_due__lt=as_of),
            then=_days(Value(as_of, output_field=DateField()) - F("original_due")),
        ),
        default=None,
        output_field=DurationField(),
    )
    # The pk set comes from the (possibly scoped, DISTINCT) queryset, so a join cannot count a row twice.
    annotated = (
        Instruction.objects.filter(pk__in=base.order_by().values("pk"))
        .annotate(
            group=F(GROUPINGS[by]),
            moved=Coalesce(Subquery(moved, output_field=IntegerField()), 0),
            delay=delay,
        )
        .order_by()
    )
    figures = {
        "issued": Count("pk", filter=_within("issued_on", start, end)),
        "due": Count("pk", filter=due),
        "on_time": Count("pk", filter=due & executed & Q(closed_on__lte=F("original_due"))),
        "after_extension": Count(
            "pk", filter=due & executed & Q(closed_on__gt=F("original_due"), closed_on__lte=F("due"))
        ),
        "late": Count("pk", filter=due & executed & Q(closed_on__gt=F("due"))),
        "overdue": Count("pk", filter=due & on_control & Q(due__lt=as_of)),
        "open": Count("pk", filter=due & on_control & Q(due__gte=as_of)),
        "extensions": Sum("moved", filter=due),
        "avg_delay": Avg("delay", filter=due),
        "worst_delay": Max("delay", filter=due),
    }
    # Named apart from the fields (an aggregate called "due" would hide the column in the filters).
    figures = {f"n_{name}": aggregate for name, aggregate in figures.items()}
    groups = [_plain(g) for g in annotated.values("group").annotate(**figures)]
    labels = _labels(by, [g["group"] for g in groups])
    table = [_row(g, labels.get(g["group"], ("", _("not named")))) for g in groups if g["issued"] or g["due"]]
    table.sort(key=lambda r: (-(r.coefficient if r.coefficient is not None else -1), -r.due, r.label))
    total = _row(_plain(annotated.aggregate(**figures)), ("", _("all")))
    return Discipline(by, start, end, as_of, table, total)


def by_agency(plan, start=None, end=None, as_of=None, queryset=None) -> Discipline:
    """Discipline by the responsible agency (the first-named executor)."""
    return discipline(plan, "agency", start, end, as_of, queryset)


def by_official(plan, start=None, end=None, as_of=None, queryset=None) -> Discipline:
    return discipline(plan, "official", start, end, as_of, queryset)


def by_issuer(plan, start=None, end=None, as_of=None, queryset=None) -> Discipline:
    return discipline(plan, "issuer", start, end, as_of, queryset)


def _labels(by: str, keys: list) -> dict:
    if by == "agency":
        from baqylau.reference.models import Agency

        return {
            a.pk: (a.code, translated(a, "name"))
            for a in Agency.objects.filter(pk__in=[k for k in keys if k])
        }
    return {k: (k, k) for k in keys if k}


def _plain(figures: dict) -> dict:
    return {name.removeprefix("n_"): value for name, value in figures.items()}


def _delay_days(value) -> float | None:
    if value is None:
        return None
    if isinstance(value, dt.timedelta):
        return value.total_seconds() / 86400
    return float(value) / 86_400_000_000  # a backend that returns microseconds


def _row(f: dict, name: tuple[str, str]) -> DisciplineRow:
    avg, worst = _delay_days(f["avg_delay"]), _delay_days(f["worst_delay"])
    return DisciplineRow(
        key=name[0],
        label=name[1],
        **{field: int(f[field] or 0) for field in COUNTS},
        avg_delay_days=None if avg is None else round(avg, 1),
        worst_delay_days=None if worst is None else round(worst),
    )
