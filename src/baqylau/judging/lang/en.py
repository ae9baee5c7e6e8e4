"""English explanation templates."""

DECIMAL = "."


def days(n: int) -> str:
    return f"{n} day" if abs(n) == 1 else f"{n} days"


def times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


def points(text: str, value: float) -> str:
    return f"{text} percentage point" if text == "1" else f"{text} percentage points"


LIKELIHOOD_BANDS = (
    "very likely on time",
    "likely on time",
    "as likely late as on time",
    "likely late",
    "very likely late",
)
STOOD = (
    "without a report",
    "on or ahead of plan",
    "up to 10 points behind plan",
    "10 to 25 points behind plan",
    "more than 25 points behind plan",
)

STATUS = {
    "measure.done": "done",
    "measure.not_started": "not started",
    "measure.on_track": "on track",
    "measure.at_risk": "at risk",
    "measure.late": "late",
    "instruction.executed": "executed",
    "instruction.open": "open",
    "instruction.at_risk": "at risk",
    "instruction.overdue": "overdue",
    "instruction.withdrawn": "withdrawn",
    "instruction.not_issued": "not yet issued",
}

REASONS = {
    # measures
    "done": "completed on {finished_on}",
    "done_late": "completed on {finished_on}, {slip_days:days} after the due date",
    "not_started": "starts on {start}",
    "overdue": "due date {due} passed {days:days} ago",
    "against_plan": "{progress:pct} done against {planned:pct} planned on {as_of}",
    "behind_plan": (
        "{progress:pct} done against {planned:pct} planned on {as_of}, "
        "{behind:pp} behind (tolerance {tolerance:pp})"
    ),
    "progress_only": "{progress:pct} done on {as_of} (no planned curve before the due date)",
    "no_report": "no accepted progress report yet",
    "planned_only": "{planned:pct} planned on {as_of}",
    "no_child_reported": "no child measure has reported yet (0 of {total})",
    "rolled_up_all": "progress rolled up from all {total} child measures",
    "rolled_up_partial": (
        "progress rolled up from {known} of {total} child measures; "
        "the others have not reported ({unknown_weight_pct:pct} of the weight)"
    ),
    "forecast_late": "forecast finish {forecast_finish}, {slip_days:days} after the due date",
    "forecast_on_time": "forecast finish {forecast_finish}, by the due date {due}",
    "forecast_not_increasing": (
        "progress has not increased over the last {points} reports, so no finish date can be forecast"
    ),
    "forecast_too_few": "not enough reports for a forecast ({count} of {needed} needed)",
    "forecast_one_day": "the last {points} reports are all dated on one day, so no trend can be fitted",
    "forecast_too_slow": "progress is too slow to forecast a finish date",
    "forecast_child_missing": "not every unfinished child measure has a forecast, so neither has this one",
    "stale": (
        "no accepted report for {days:days}, the last on {last_report_on} "
        "(reporting interval {interval:days})"
    ),
    "never_reported": (
        "no accepted report since the start on {start}, {days:days} ago (reporting interval {interval:days})"
    ),
    # outcome goals
    "outcome_met_water_provision": (
        "every zone has at least 100% of its drinking water in the water model "
        "from {met_on} through {through}"
    ),
    "outcome_short_water_provision": (
        "the water model shows {zone_name} short of {shortfall:num} m³/day of drinking water in {month} "
        "({provision:pct} provided); {short_months} zone-months short through {through}"
    ),
    "outcome_met_indicator": "{indicator} reached its target of {target:num} {unit} on {met_on}",
    "outcome_short_indicator": (
        "{indicator} is {actual:num} {unit} ({actual_on}) against the target of {target:num} {unit}"
    ),
    "outcome_short_indicator_unknown": (
        "{indicator}: no actual reported yet; the target is {target:num} {unit}"
    ),
    "outcome_indicator_no_target": "{indicator}: no target is set, so the outcome cannot be met",
    "outcome_children": "its child measures are {progress:pct} done ({total} of them)",
    # likelihood of delivery (reference classes)
    "likelihood_sphere_agency": (
        "{band:band} ({probability:pct}): of {n} measures in {sphere} led by {agency} that stood "
        "{stood:stood} at this point of their term, {on_time} finished on time; "
        "finish expected {low} to {high} (80%)"
    ),
    "likelihood_sphere": (
        "{band:band} ({probability:pct}): of {n} measures in {sphere} that stood {stood:stood} at this point "
        "of their term, {on_time} finished on time; finish expected {low} to {high} (80%)"
    ),
    "likelihood_plan": (
        "{band:band} ({probability:pct}): of {n} measures of the plan that stood {stood:stood} at this point "
        "of their term, {on_time} finished on time; finish expected {low} to {high} (80%)"
    ),
    "likelihood_prior": (
        "{band:band} ({probability:pct}): too few measures of the plan that stood {stood:stood} have reached "
        "their due date to learn from, so the documented prior is used; finish expected {low} to {high} (80%)"
    ),
    "likelihood_late": (
        "past its due date: of {n} measures that ran at least this late, 80% finished between {low} "
        "and {high}"
    ),
    "likelihood_late_few": (
        "past its due date: too few measures ran this late to learn from; a finish between {low} and {high} "
        "is assumed"
    ),
    # instructions
    "not_issued": "issued only on {issued_on}",
    "executed": "executed on {executed_on}",
    "executed_late": "executed on {executed_on}, {days:days} after the deadline",
    "withdrawn": "withdrawn on {withdrawn_on}",
    "due_in": "deadline {due}, {days:days} left",
    "due_soon": "deadline {due}, only {days:days} left (warning at {near:days})",
    "due_today": "deadline is today, {due}",
    "instruction_overdue": "deadline {due} passed {days:days} ago",
    "last_report": "last accepted report on {last_report_on}, {days:days} ago",
    "no_report_yet": "no accepted report yet",
    "executed_after_extension": (
        "executed on {executed_on}, within the extended deadline but {days:days} after the original"
    ),
    "extended": "originally due {original_due}, extended {times:times}",
    "children_open": "{count:num} sub-instructions not yet executed",
}
