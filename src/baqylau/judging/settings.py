"""Per-plan thresholds of the judging rules, with the documented defaults."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PlanSettings:
    """Thresholds a plan may tune; every default is documented in docs/judging.md."""

    # Percentage points behind the planned trajectory that are still tolerated.
    tolerance_pp: float = 10.0
    # A measure with no accepted report for longer than this is stale.
    reporting_interval_days: int = 90
    # An instruction this many days (or fewer) before its deadline, not executed, is at risk.
    deadline_near_days: int = 7
    # Fewest accepted reports a forecast is fitted over; a line needs two.
    forecast_min_points: int = 2
    # The forecast fits the most recent this-many accepted reports.
    forecast_window: int = 4
    # Confidence bands for a forecast finish after the due date (see confidence.py):
    # up to slip_amber_red_days late is amber, up to slip_red_days amber/red, beyond that red.
    slip_amber_red_days: int = 30
    slip_red_days: int = 90

    def __post_init__(self) -> None:
        if not self.tolerance_pp >= 0:  # also rejects NaN
            raise ValueError(f"tolerance_pp must be >= 0, got {self.tolerance_pp!r}")
        if self.reporting_interval_days < 1:
            raise ValueError(f"reporting_interval_days must be >= 1, got {self.reporting_interval_days!r}")
        if self.deadline_near_days < 0:
            raise ValueError(f"deadline_near_days must be >= 0, got {self.deadline_near_days!r}")
        if self.forecast_min_points < 2:
            raise ValueError(f"forecast_min_points must be >= 2, got {self.forecast_min_points!r}")
        if self.forecast_window < self.forecast_min_points:
            raise ValueError(
                f"forecast_window ({self.forecast_window}) must be >= forecast_min_points "
                f"({self.forecast_min_points})"
            )
        if not 0 <= self.slip_amber_red_days <= self.slip_red_days:
            raise ValueError("need 0 <= slip_amber_red_days <= slip_red_days")


DEFAULT_SETTINGS = PlanSettings()
