"""The plan era: the one range of dates the product accepts for plan items and judges on (docs/data-model.md).

Far enough for any plan of measures (and the baselines before it), near enough that date arithmetic
(a forecast, a window of years around the as-of date) never runs off the calendar. Every as-of date
(pages, API, commands) and every date of a plan item (the models' validators, so the admin, the forms,
the imports and the API alike) must lie in it; outside it is a clear refusal, never a server error.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ERA_START = dt.date(1990, 1, 1)
ERA_END = dt.date(2100, 12, 31)
ERA_RULE = _("Give a date between %(first)s and %(last)s.")
# The era's years as a pattern of a YYYY-MM-DD string, so that the API schema states the bounds it enforces.
ERA_PATTERN = r"^(199[0-9]|20[0-9][0-9]|2100)-[0-9]{2}-[0-9]{2}$"


def era_message() -> str:
    return str(ERA_RULE) % {"first": ERA_START.isoformat(), "last": ERA_END.isoformat()}


def in_era(value: dt.date) -> bool:
    return ERA_START <= value <= ERA_END


def validate_plan_date(value) -> None:
    """A model field validator: the date lies in the plan era."""
    if value is not None and not in_era(value if isinstance(value, dt.date) else value.date()):
        raise ValidationError(era_message(), code="out_of_era")
