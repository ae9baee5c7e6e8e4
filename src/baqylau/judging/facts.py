"""What the judging engine is told: plain frozen dataclasses the Django side fills in.

Validation here is cheap and catches data errors at the door, so the engine never has to
guess what a 140% report or a due date before the start means.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True, slots=True)
class ProgressPoint:
    """Accepted progress (0..100 percent) as of date ``on``."""

    on: date
    progress: float

    def __post_init__(self) -> None:
        if not 0.0 <= self.progress <= 100.0:  # also rejects NaN
            raise ValueError(f"progress must be within 0..100, got {self.progress!r} on {self.on}")


@dataclass(frozen=True, slots=True)
class TrajectoryPoint:
    """A milestone of the planned curve: ``planned`` percent by date ``on``."""

    on: date
    planned: float

    def __post_init__(self) -> None:
        if not 0.0 <= self.planned <= 100.0:
            raise ValueError(f"planned must be within 0..100, got {self.planned!r} on {self.on}")


@dataclass(frozen=True, slots=True)
class OutcomeFact:
    """What a measure's declared outcome (a model's or an indicator's verdict) says as of a date.

    A measure with an outcome is done when the outcome is met, not when its children are: ``met_on`` is
    the day it was met (None: not met as of the date). ``detail`` names what falls short, for the
    explanation (for water: the zone, the month and the shortfall; for an indicator: its latest actual
    and the target). ``kind`` is "water_provision" or "indicator".
    """

    kind: str
    met_on: date | None
    detail: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class MeasureFacts:
    """One measure of a plan as far as judging needs it.

    ``history`` holds accepted progress reports in any order; on equal dates the later item of the
    tuple counts as the more recent report. ``trajectory`` milestones must lie strictly between
    ``start`` and ``due`` (0 at start and 100 at due are implied) on distinct dates.
    """

    key: str
    start: date | None
    due: date
    completed_on: date | None
    history: tuple[ProgressPoint, ...]
    trajectory: tuple[TrajectoryPoint, ...] = ()
    weight: float = 1.0
    children: tuple[str, ...] = ()
    # The latest accepted report without a progress figure (a narrative): it counts against staleness.
    last_report_on: date | None = None

    def __post_init__(self) -> None:
        if self.start is not None and self.start > self.due:
            raise ValueError(f"measure {self.key}: start {self.start} is after due {self.due}")
        # Weight 0 is allowed: the measure counts in status counts, not in weighted progress.
        if not (self.weight >= 0 and math.isfinite(self.weight)):
            raise ValueError(f"measure {self.key}: weight must be a non-negative number, got {self.weight!r}")
        # Accept lists from callers but store tuples, so facts stay hashable and immutable.
        for name in ("history", "trajectory", "children"):
            value = getattr(self, name)
            if type(value) is not tuple:
                object.__setattr__(self, name, tuple(value))
        if self.trajectory:
            self._check_trajectory()
        if self.children:
            if len(set(self.children)) != len(self.children):
                raise ValueError(f"measure {self.key}: a child is listed twice")
            if self.key in self.children:
                raise ValueError(f"measure {self.key}: lists itself as a child")

    def _check_trajectory(self) -> None:
        ordered = tuple(sorted(self.trajectory, key=lambda point: point.on))
        days = [point.on for point in ordered]
        if len(set(days)) != len(days):
            raise ValueError(f"measure {self.key}: two trajectory milestones on one date")
        low = self.start
        if days[-1] >= self.due or (low is not None and days[0] <= low):
            raise ValueError(
                f"measure {self.key}: trajectory milestones must lie strictly between start and due"
            )
        object.__setattr__(self, "trajectory", ordered)


@dataclass(frozen=True, slots=True)
class InstructionFacts:
    """One instruction: ``due`` is the current deadline after any extensions, ``original_due`` the one
    first ordered.

    ``last_accepted_report_on`` should be the last accepted report on or before the as-of date;
    a later date is treated as "no report known yet".
    """

    key: str
    issued_on: date
    due: date
    executed_on: date | None = None
    withdrawn_on: date | None = None
    last_accepted_report_on: date | None = None
    original_due: date | None = None  # the deadline first ordered; None: never moved (the due)
    extensions: int = 0  # how many times the deadline was moved later
    open_children: int = 0  # sub-instructions not executed or withdrawn (see ``roll_up_delegation``)

    def __post_init__(self) -> None:
        if self.original_due is None:
            object.__setattr__(self, "original_due", self.due)
        if self.due < self.issued_on:
            raise ValueError(f"instruction {self.key}: due {self.due} is before issue {self.issued_on}")
        for name in ("executed_on", "withdrawn_on"):
            value = getattr(self, name)
            if value is not None and value < self.issued_on:
                raise ValueError(f"instruction {self.key}: {name} {value} is before issue {self.issued_on}")
