"""Read-side queries over plans, shared by pages and the command line."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet

from .models import Facility, Measure, Plan


@dataclass(frozen=True)
class PlanSummary:
    plan: Plan
    recorded_measures: int
    facilities: int
    instructions: int

    @property
    def declared_measures(self) -> int | None:
        return self.plan.declared_measures


def plan_summaries() -> list[PlanSummary]:
    plans = Plan.objects.select_related("region").annotate(
        n_measures=Count("measures", distinct=True),
        n_facilities=Count("facilities", distinct=True),
        n_instructions=Count("instructions", distinct=True),
    )
    return [PlanSummary(p, p.n_measures, p.n_facilities, p.n_instructions) for p in plans]


def measures_for_listing(plan_code: str | None = None) -> QuerySet[Measure]:
    """Measures with everything a listing shows, in a fixed number of queries."""
    qs = Measure.objects.select_related("plan", "sphere", "lead_agency", "parent").prefetch_related(
        "territories", "co_agencies", Prefetch("facilities", queryset=Facility.objects.order_by("code"))
    )
    if plan_code:
        qs = qs.filter(plan__code=plan_code)
    return qs.order_by("plan__code", "code")
