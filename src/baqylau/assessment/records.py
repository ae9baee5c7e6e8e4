"""Judgements as plain records for the command line, exports and the API."""

from baqylau.judging import GroupSummary

from .judgements import PlanJudgement, explanation


def _pct(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def measure_status_record(judged: PlanJudgement, code: str) -> dict:
    j = judged.measures[code]
    m = judged.measure_objects[code]
    return {
        "kind": "measure",
        "plan": judged.plan.code,
        "code": code,
        "title": m.label,
        "sphere": m.sphere.code,
        "territories": [t.code for t in m.territories.all()],
        "lead_agency": m.lead_agency.code,
        "start": m.start,
        "due": m.due,
        "status": j.status.value,
        "confidence": j.confidence.value,
        "progress": _pct(j.progress),
        "planned": _pct(j.planned),
        "gap": _pct(j.gap),
        "forecast_finish": j.forecast_finish,
        "slip_days": j.slip_days,
        "stale": j.stale,
        "last_report_on": j.last_report_on,
        "explanation": explanation(j),
    }


def instruction_status_record(judged: PlanJudgement, code: str) -> dict:
    j = judged.instructions[code]
    i = judged.instruction_objects[code]
    return {
        "kind": "instruction",
        "plan": judged.plan.code,
        "code": code,
        "text": i.label,
        "executors": [a.code for a in i.executors.all()],
        "issued_on": i.issued_on,
        "due": j.due,
        "status": j.status.value,
        "days_to_due": j.days_to_due,
        "executed_on": j.executed_on,
        "last_report_on": j.last_report_on,
        "explanation": explanation(j),
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
