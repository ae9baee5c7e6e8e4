"""When a facility can really deliver: the date a model counts it from, as of a date.

- commissioned by as_of: from its actual commissioning;
- not commissioned, its planned date still ahead: from the planned date;
- not commissioned, its planned date passed: from its measure's forecast finish when there is one,
  else not at all (until it is commissioned).
A late plant does not deliver water in the model because it was planned to. ``basis`` says which rule
gave the date, so a chart can say which facilities it assumes and from when.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

ACTUAL, PLANNED, FORECAST, NOT_IN_SERVICE = "actual", "planned", "forecast", "not in service"


@dataclass(frozen=True, slots=True)
class ServiceDate:
    on: date | None  # None: not in service at all in the model
    basis: str  # ACTUAL, PLANNED, FORECAST or NOT_IN_SERVICE


def in_service(actual: date | None, planned: date | None, forecast: date | None, as_of: date) -> ServiceDate:
    if actual is not None and actual <= as_of:
        return ServiceDate(actual, ACTUAL)
    if planned is not None and planned >= as_of:
        return ServiceDate(planned, PLANNED)
    if forecast is not None:
        return ServiceDate(forecast, FORECAST)
    return ServiceDate(None, NOT_IN_SERVICE)
