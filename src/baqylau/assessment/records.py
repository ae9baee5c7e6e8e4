"""Judgements as plain records for the command line, exports and the API."""

from baqylau.judging import GroupSummary

from .judgements import explanation


def _pct(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def measure_verdict_record(j) -> dict:
    """A measure judgement's figures, with its explanation in the active language."""
    likely = j.likelihood
    return {
        "status": j.status.value,
        "confidence": j.confidence.value,
        "progress": _pct(j.progress),
        "planned": _pct(j.planned),
        "gap": _pct(j.gap),
        "forecast_finish": j.forecast_finish,
        "slip_days": j.slip_days,
        "stale": j.stale,
        "last_report_on": j.last_report_on,
        "forecast_note": j.forecast_note.value if j.forecast_note else None,
        # Of finishing by the due date (open measures only), and the 80% interval of the finish date.
        "likelihood": None if likely is None else round(likely.probability, 3),
        "finish_low": None if likely is None else likely.finish_low,
        "finish_high": None if likely is None else likely.finish_high,
        "explanation": explanation(j),
    }


def measure_status_record(measure, j) -> dict:
    """``measure`` with its plan, sphere and lead agency joined and its territories prefetched."""
    m = measure
    return {
        "kind": "measure",
        "plan": m.plan.code,
        "code": m.code,
        "title": m.label,
        "sphere": m.sphere.code,
        "territories": [t.code for t in m.territories.all()],
        "lead_agency": m.lead_agency.code,
        "start": m.start,
        "due": m.due,
        **measure_verdict_record(j),
    }


def instruction_verdict_record(j) -> dict:
    return {
        "status": j.status.value,
        "days_to_due": j.days_to_due,
        "executed_on": j.executed_on,
        "last_report_on": j.last_report_on,
        "explanation": explanation(j),
    }


def instruction_status_record(instruction, j) -> dict:
    """``instruction`` with its plan joined and its executors prefetched."""
    i = instruction
    return {
        "kind": "instruction",
        "plan": i.plan.code,
        "code": i.code,
        "text": i.label,
        "executors": [a.code for a in i.executors.all()],
        "issued_on": i.issued_on,
        "due": j.due,
        **instruction_verdict_record(j),
    }


def group_record(by: str, key: str, name: str, summary: GroupSummary) -> dict:
    return {
        by: key,
        "name": name,
        "total": summary.total,
        **summary.counts,
        "progress": _pct(summary.progress),
        "known": summary.known,
        "unknown": summary.unknown,
        "unknown_weight_share": None
        if summary.unknown_weight_share is None
        else round(summary.unknown_weight_share, 3),
        "worst_confidence": summary.worst_confidence.value if summary.worst_confidence else None,
    }
