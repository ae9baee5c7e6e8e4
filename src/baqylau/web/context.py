"""What every page reads from the request: the plan in view and the as-of date."""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import BadRequest
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from baqylau.core.dates import era_message, in_era
from baqylau.plans.models import Plan


@dataclass(frozen=True)
class PageScope:
    plan: Plan
    as_of: dt.date
    as_of_is_today: bool


def page_scope(request) -> PageScope:
    """``?plan=CODE`` (default: the first plan) and ``?as_of=YYYY-MM-DD`` (default: today)."""
    code = request.GET.get("plan")
    plans = Plan.objects.select_related("region").order_by("code")
    plan = plans.filter(code=code).first() if code else plans.first()
    if plan is None:
        raise Http404(_("No plan is loaded."))
    today = timezone.localdate()
    try:
        as_of = dt.date.fromisoformat(request.GET.get("as_of", ""))
    except ValueError:
        as_of = today
    if not in_era(as_of):  # a clear refusal, not date arithmetic off the end of the calendar
        raise BadRequest(era_message())
    return PageScope(plan, as_of, as_of == today)
