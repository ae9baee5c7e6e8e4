"""Options shared by the assessment commands: the as-of date and the plans to judge."""

import datetime as dt

from django.core.management.base import CommandError
from django.utils import timezone

from baqylau.plans.models import Plan


def as_of_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a date: write YYYY-MM-DD") from None


def add_as_of_argument(parser) -> None:
    parser.add_argument(
        "--as-of", type=as_of_date, help="Judge as of this date, YYYY-MM-DD (default: today)."
    )


def resolve_as_of(options) -> dt.date:
    return options.get("as_of") or timezone.localdate()


def plans_to_judge(code: str | None) -> list[Plan]:
    plans = Plan.objects.order_by("code")
    if code:
        plans = plans.filter(code=code)
        if not plans:
            known = ", ".join(Plan.objects.values_list("code", flat=True)) or "none loaded"
            raise CommandError(f"no plan with code {code!r} (plans: {known})")
    return list(plans)
