"""Read-side queries over plans, shared by pages and the command line."""

from django.db.models import Prefetch, QuerySet

from .models import Facility, Measure


def measures_for_listing(plan_code: str | None = None) -> QuerySet[Measure]:
    """Measures with everything a listing shows, in a fixed number of queries."""
    qs = Measure.objects.select_related("plan", "sphere", "lead_agency", "parent").prefetch_related(
        "territories", "co_agencies", Prefetch("facilities", queryset=Facility.objects.order_by("code"))
    )
    if plan_code:
        qs = qs.filter(plan__code=plan_code)
    return qs.order_by("plan__code", "code")
