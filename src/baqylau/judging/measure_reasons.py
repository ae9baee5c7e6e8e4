"""What a measure judgement says and why: structured reasons built from its own fields.

Built on demand (``judgement.reasons``), so judging 100,000 measures pays nothing for them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .reasons import Reason
from .statuses import ForecastNote, MeasureStatus, ProgressSource

if TYPE_CHECKING:
    from .measures import MeasureJudgement


def measure_reasons(j: MeasureJudgement, names: dict | None = None) -> tuple[Reason, ...]:
    """The reasons behind a measure judgement, most decisive first; its likelihood last (``names``: as
    in ``likelihood_reason``)."""
    reasons = _status_reasons(j)
    if j.likelihood is not None:
        reasons = (*reasons, likelihood_reason(j.likelihood, names))
    return reasons


def likelihood_reason(likely, names: dict | None = None) -> Reason:
    """How likely it is to finish by its due date, and which comparable measures say so; ``names``
    (``{"sphere": {code: name}, "agency": {...}}``) names the basis's sphere and agency in place of its
    own names (the store keeps only their codes)."""
    b = likely.basis
    if names is None:
        sphere, agency = b.sphere_name, b.agency_name
    else:
        sphere, agency = names["sphere"].get(b.sphere, b.sphere), names["agency"].get(b.agency, b.agency)
    params = {
        "probability": 100.0 * likely.probability,
        "band": likely.probability,
        "low": likely.finish_low,
        "high": likely.finish_high,
        "n": b.n,
        "on_time": b.on_time,
        "stood": b.stood,
        "sphere": sphere or b.sphere,
        "agency": agency or b.agency,
    }
    return Reason(f"likelihood_{b.level}", params)


def _status_reasons(j: MeasureJudgement) -> tuple[Reason, ...]:
    reasons: list[Reason] = []
    status = j.status
    if j.outcome is not None:
        return _outcome_reasons(j)
    if status == MeasureStatus.DONE:
        if j.slip_days is not None and j.slip_days > 0:
            reasons.append(Reason("done_late", {"finished_on": j.finished_on, "slip_days": j.slip_days}))
        else:
            reasons.append(Reason("done", {"finished_on": j.finished_on}))
        return tuple(reasons)
    if status == MeasureStatus.NOT_STARTED:
        return (Reason("not_started", {"start": j.start}),)
    if status == MeasureStatus.LATE:
        reasons.append(Reason("overdue", {"due": j.due, "days": (j.as_of - j.due).days}))
    reasons.extend(_progress_reasons(j))
    forecast = _forecast_reason(j)
    if forecast is not None and (status != MeasureStatus.LATE or j.forecast_finish is not None):
        reasons.append(forecast)
    if j.stale:
        interval = j.settings.reporting_interval_days
        if j.last_report_on is not None:
            params = {"last_report_on": j.last_report_on, "days": j.days_since_report, "interval": interval}
            reasons.append(Reason("stale", params))
        else:
            params = {"start": j.start, "days": (j.as_of - j.start).days, "interval": interval}
            reasons.append(Reason("never_reported", params))
    return tuple(reasons)


def _progress_reasons(j: MeasureJudgement) -> list[Reason]:
    reasons = []
    if j.progress is None:
        if j.progress_source == ProgressSource.CHILDREN:
            reasons.append(Reason("no_child_reported", {"total": j.children_total}))
        else:
            reasons.append(Reason("no_report"))
        if j.planned is not None:
            reasons.append(Reason("planned_only", {"planned": j.planned, "as_of": j.as_of}))
        return reasons
    if j.planned is None:
        reasons.append(Reason("progress_only", {"progress": j.progress, "as_of": j.as_of}))
    elif j.behind:
        params = {
            "progress": j.progress,
            "planned": j.planned,
            "as_of": j.as_of,
            "behind": -j.gap,
            "tolerance": j.settings.tolerance_pp,
        }
        reasons.append(Reason("behind_plan", params))
    else:
        params = {"progress": j.progress, "planned": j.planned, "as_of": j.as_of}
        reasons.append(Reason("against_plan", params))
    if j.progress_source == ProgressSource.CHILDREN:
        if j.children_known == j.children_total:
            reasons.append(Reason("rolled_up_all", {"total": j.children_total}))
        else:
            params = {
                "known": j.children_known,
                "total": j.children_total,
                "unknown_weight_pct": 100.0 * (j.unknown_weight_share or 0.0),
            }
            reasons.append(Reason("rolled_up_partial", params))
    return reasons


def _forecast_reason(j: MeasureJudgement) -> Reason | None:
    note = j.forecast_note
    if note is None:
        if j.slip_days is not None and j.slip_days > 0:
            return Reason("forecast_late", {"forecast_finish": j.forecast_finish, "slip_days": j.slip_days})
        return Reason("forecast_on_time", {"forecast_finish": j.forecast_finish, "due": j.due})
    if note == ForecastNote.TOO_FEW_REPORTS:
        needed = j.settings.forecast_min_points
        if j.forecast_points >= needed:  # enough reports, but the window's are all on one day
            return Reason("forecast_one_day", {"points": j.forecast_points})
        return Reason("forecast_too_few", {"count": j.report_count, "needed": needed})
    if note == ForecastNote.NOT_INCREASING:
        return Reason("forecast_not_increasing", {"points": j.forecast_points})
    if note == ForecastNote.TOO_SLOW:
        return Reason("forecast_too_slow")
    if note == ForecastNote.CHILD_FORECAST_MISSING:
        return Reason("forecast_child_missing")
    return None


def _outcome_reasons(j: MeasureJudgement) -> tuple[Reason, ...]:
    """An outcome goal is explained by its outcome first: met (when), or what falls short and where."""
    outcome = j.outcome
    if j.status == MeasureStatus.DONE:
        return (Reason(f"outcome_met_{outcome.kind}", {"met_on": outcome.met_on, **outcome.detail}),)
    reasons = []
    if j.status == MeasureStatus.LATE:
        reasons.append(Reason("overdue", {"due": j.due, "days": (j.as_of - j.due).days}))
    if j.status == MeasureStatus.NOT_STARTED:
        reasons.append(Reason("not_started", {"start": j.start}))
    if outcome.kind == "indicator" and outcome.detail.get("target") is None:
        code = "outcome_indicator_no_target"
    else:
        code = f"outcome_short_{outcome.kind}" + (
            "" if outcome.detail.get("actual", 0) is not None else "_unknown"
        )
    reasons.append(Reason(code, dict(outcome.detail)))
    if j.progress is not None and j.progress_source == ProgressSource.CHILDREN:
        reasons.append(Reason("outcome_children", {"progress": j.progress, "total": j.children_total}))
    return tuple(reasons)
