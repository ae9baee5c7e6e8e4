"""The database floor of each benchmarked page: hand-written SQL computing the figures it shows.

A page's floor is what the same figures cost the database itself: for judged figures (status,
progress, planned progress, the counts by status), SQL that computes them from the facts the way the
judging rules do (latest accepted report, completion by report or by every facility commissioned,
planned progress from start to due, late and at-risk by dates, gap and silence), not a read of the
judgement store; for stored data (reports, facilities, indicators), SQL that reads the same rows. The
bench adds to it the cost of an authenticated request that does nothing (the same middleware, session
and user), so the floor ratio says how much more than the unavoidable a page does.

Each function takes a cursor, runs every statement and fetches every row. Standard SQL with window
functions; the one difference between SQLite and PostgreSQL (days between dates) is ``days()``.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection

PAGE = 25
API_PAGE = 50


def _run(cursor, sql: str, params=()) -> list:
    cursor.execute(sql, params)
    return cursor.fetchall()


def _in(ids) -> str:
    return ",".join(str(int(i)) for i in ids) or "NULL"


def days(later: str, earlier: str) -> str:
    """SQL for the number of days from ``earlier`` to ``later`` (date expressions)."""
    if connection.vendor == "postgresql":
        return f"(({later})::date - ({earlier})::date)"
    return f"(julianday({later}) - julianday({earlier}))"


def verdicts_sql(where: str, today: dt.date) -> str:
    """A measure's verdict from its facts, for the measures ``where`` selects (a condition on ``m``)."""
    t = f"'{today.isoformat()}'"
    planned = (
        f"CASE WHEN m.start IS NULL THEN NULL WHEN {t} <= m.start THEN 0.0 WHEN {t} >= m.due THEN 100.0 "
        f"ELSE 100.0 * {days(t, 'm.start')} / {days('m.due', 'm.start')} END"
    )
    return f"""
        WITH m AS (SELECT id, code, title, start, due, weight, sphere_id, lead_agency_id FROM plans_measure m
                   WHERE {where}),
        r AS (SELECT measure_id, progress, period_end,
                     ROW_NUMBER() OVER (PARTITION BY measure_id ORDER BY period_end DESC, id DESC) AS k
              FROM reports_report WHERE state = 'accepted' AND progress IS NOT NULL
                AND measure_id IN (SELECT id FROM m) AND COALESCE(reviewed_on, period_end) <= {t}),
        f AS (SELECT measure_id, COUNT(*) AS n,
                     SUM(CASE WHEN commission_actual <= {t} THEN 1 ELSE 0 END) AS ok
              FROM plans_facility WHERE measure_id IN (SELECT id FROM m) GROUP BY measure_id),
        v AS (SELECT m.*, r.progress, r.period_end AS last_report, {planned} AS planned,
                     (r.progress >= 100 OR (f.n > 0 AND f.ok = f.n)) AS done
              FROM m LEFT JOIN r ON r.measure_id = m.id AND r.k = 1 LEFT JOIN f ON f.measure_id = m.id)
        SELECT v.id, v.code, v.title, v.due, v.weight, v.sphere_id, v.lead_agency_id, v.progress, v.planned,
               CASE WHEN v.done THEN 'done'
                    WHEN v.start > {t} THEN 'not_started'
                    WHEN v.due < {t} THEN 'late'
                    WHEN v.progress - v.planned < -10 OR {days(t, "COALESCE(v.last_report, v.start)")} > 90
                      THEN 'at_risk'
                    ELSE 'on_track' END AS status
        FROM v"""


def _instructions_sql(plan_id: int, today: dt.date) -> str:
    t = f"'{today.isoformat()}'"
    return f"""
        SELECT i.id, i.code, i.text, i.issued_on, i.due,
               CASE WHEN i.status <> 'open' THEN i.status WHEN i.due < {t} THEN 'overdue'
                    WHEN {days("i.due", t)} <= 7 THEN 'at_risk' ELSE 'open' END AS status
        FROM instructions_instruction i WHERE i.plan_id = {int(plan_id)}"""


def dashboard(cursor, plan_id: int, region_id: int, today: dt.date, agency_id: int | None = None) -> None:
    scope = f"m.plan_id = {int(plan_id)}"
    if agency_id is not None:
        scope += (
            f" AND (m.lead_agency_id = {int(agency_id)} OR m.id IN "
            f"(SELECT measure_id FROM plans_measure_co_agencies WHERE agency_id = {int(agency_id)}))"
        )
    leaves = "v.id NOT IN (SELECT parent_id FROM plans_measure WHERE parent_id IS NOT NULL)"
    judged = verdicts_sql(scope, today)
    # Counts, weighted progress by plan, sphere and territory; the worst ten; instructions due.
    _run(
        cursor,
        f"SELECT status, COUNT(*), SUM(weight * progress), SUM(weight) FROM ({judged}) v WHERE {leaves} "
        "GROUP BY status",
    )
    _run(
        cursor,
        f"SELECT sphere_id, status, COUNT(*) FROM ({judged}) v WHERE {leaves} GROUP BY sphere_id, status",
    )
    _run(
        cursor,
        f"SELECT mt.territory_id, v.status, COUNT(*) FROM ({judged}) v JOIN plans_measure_territories mt "
        f"ON mt.measure_id = v.id WHERE {leaves} GROUP BY mt.territory_id, v.status",
    )
    _run(cursor, f"SELECT * FROM ({judged}) v WHERE status IN ('late', 'at_risk') ORDER BY due LIMIT 10")
    instructions = _instructions_sql(plan_id, today)
    _run(cursor, f"SELECT status, COUNT(*) FROM ({instructions}) x GROUP BY status")
    _run(
        cursor,
        f"SELECT * FROM ({instructions}) x WHERE status IN ('overdue', 'at_risk') ORDER BY due LIMIT 10",
    )
    _run(cursor, "SELECT code, name FROM reference_sphere")
    _run(cursor, "SELECT code, name, lat, lon FROM reference_territory")
    (count,) = _run(cursor, "SELECT COUNT(*) FROM plans_facility WHERE plan_id = %s", [plan_id])[0]
    if count > 400:
        _run(
            cursor,
            "SELECT territory_id, COUNT(*) FROM plans_facility WHERE plan_id = %s GROUP BY territory_id",
            [plan_id],
        )
    else:
        _run(
            cursor,
            "SELECT code, name, lat, lon, measure_id FROM plans_facility WHERE plan_id = %s",
            [plan_id],
        )
    for table in ("waterbalance_waterzone", "waterbalance_watersource", "waterbalance_waterassumption"):
        _run(cursor, f"SELECT * FROM {table} WHERE region_id = %s", [region_id])


def register(
    cursor,
    plan_id: int,
    today: dt.date,
    status: str = "",
    order: str = "code",
    offset: int = 0,
    page: int = PAGE,
) -> None:
    """A page of the register: the count, the page's rows with their verdicts and names."""
    plan = f"m.plan_id = {int(plan_id)}"
    if status:  # filtering on a verdict needs every measure's verdict
        judged = verdicts_sql(plan, today)
        _run(cursor, f"SELECT COUNT(*) FROM ({judged}) v WHERE status = %s", [status])
        rows = _run(
            cursor,
            f"SELECT * FROM ({judged}) v WHERE status = %s ORDER BY {order}, code "
            f"LIMIT {page} OFFSET {offset}",
            [status],
        )
    else:
        _run(cursor, f"SELECT COUNT(*) FROM plans_measure m WHERE {plan}")
        ids = [
            r[0]
            for r in _run(
                cursor,
                f"SELECT id FROM plans_measure m WHERE {plan} ORDER BY {order} LIMIT {page} OFFSET {offset}",
            )
        ]
        rows = _run(cursor, verdicts_sql(f"m.id IN ({_in(ids)})", today))
    ids = _in(r[0] for r in rows)
    _run(cursor, f"SELECT id, name FROM reference_sphere WHERE id IN ({_in(r[5] for r in rows)})")
    _run(cursor, f"SELECT id, name FROM reference_agency WHERE id IN ({_in(r[6] for r in rows)})")
    _run(
        cursor,
        "SELECT mt.measure_id, t.name FROM plans_measure_territories mt JOIN reference_territory t ON "
        f"t.id = mt.territory_id WHERE mt.measure_id IN ({ids})",
    )


def measure_page(cursor, measure_id: int, today: dt.date) -> None:
    _run(cursor, verdicts_sql(f"m.id = {int(measure_id)} OR m.parent_id = {int(measure_id)}", today))
    _run(
        cursor,
        "SELECT m.*, s.name, a.name FROM plans_measure m JOIN reference_sphere s ON s.id = m.sphere_id "
        "JOIN reference_agency a ON a.id = m.lead_agency_id WHERE m.id = %s",
        [measure_id],
    )
    _run(cursor, "SELECT territory_id FROM plans_measure_territories WHERE measure_id = %s", [measure_id])
    _run(cursor, "SELECT agency_id FROM plans_measure_co_agencies WHERE measure_id = %s", [measure_id])
    _run(cursor, "SELECT * FROM plans_facility WHERE measure_id = %s", [measure_id])
    indicators = _run(
        cursor, "SELECT id, code, name, unit FROM indicators_indicator WHERE measure_id = %s", [measure_id]
    )
    ids = _in(i[0] for i in indicators)
    _run(
        cursor, f"SELECT indicator_id, period_end, value FROM indicators_target WHERE indicator_id IN ({ids})"
    )
    _run(
        cursor,
        "SELECT indicator_id, period_end, value, reported_by_id FROM indicators_actual "
        f"WHERE indicator_id IN ({ids})",
    )
    _run(
        cursor,
        "SELECT id, period_end, progress, state, narrative FROM reports_report WHERE measure_id = %s "
        "ORDER BY period_end DESC",
        [measure_id],
    )
    _run(
        cursor,
        "SELECT i.id, i.code, i.text, i.due FROM instructions_instruction i "
        "JOIN instructions_instruction_measures im ON im.instruction_id = i.id WHERE im.measure_id = %s",
        [measure_id],
    )
    _run(
        cursor,
        "SELECT * FROM plans_historicalmeasure WHERE id = %s ORDER BY history_date DESC LIMIT 31",
        [measure_id],
    )


def instructions(cursor, plan_id: int, today: dt.date, page: int = PAGE) -> None:
    _run(cursor, "SELECT COUNT(*) FROM instructions_instruction WHERE plan_id = %s", [plan_id])
    rows = _run(
        cursor, f"SELECT * FROM ({_instructions_sql(plan_id, today)}) x ORDER BY due, code LIMIT {page}"
    )
    ids = _in(r[0] for r in rows)
    _run(
        cursor,
        "SELECT ie.instruction_id, a.name FROM instructions_instruction_executors ie JOIN reference_agency a "
        f"ON a.id = ie.agency_id WHERE ie.instruction_id IN ({ids})",
    )
    _run(
        cursor,
        f"SELECT instruction_id, measure_id FROM instructions_instruction_measures "
        f"WHERE instruction_id IN ({ids})",
    )
    _run(cursor, f"SELECT * FROM instructions_deadlinechange WHERE instruction_id IN ({ids})")


def api_measures(cursor, plan_id: int, today: dt.date) -> None:
    register(cursor, plan_id, today, page=API_PAGE)
    ids = [
        r[0]
        for r in _run(
            cursor,
            f"SELECT id FROM plans_measure WHERE plan_id = {int(plan_id)} ORDER BY code LIMIT {API_PAGE}",
        )
    ]
    _run(cursor, f"SELECT * FROM plans_measure_co_agencies WHERE measure_id IN ({_in(ids)})")
    _run(cursor, f"SELECT * FROM plans_facility WHERE measure_id IN ({_in(ids)})")


def api_instructions(cursor, plan_id: int, today: dt.date) -> None:
    instructions(cursor, plan_id, today, API_PAGE)


def api_reports(cursor, plan_id: int, today: dt.date) -> None:
    base = (
        "FROM reports_report r WHERE r.measure_id IN (SELECT id FROM plans_measure WHERE plan_id = %s) "
        "OR r.instruction_id IN (SELECT id FROM instructions_instruction WHERE plan_id = %s)"
    )
    _run(cursor, f"SELECT COUNT(*) {base}", [plan_id, plan_id])
    rows = _run(
        cursor,
        f"SELECT r.* {base} ORDER BY r.period_end DESC, r.id DESC LIMIT {API_PAGE}",
        [plan_id, plan_id],
    )
    ids = _in(r[0] for r in rows)
    _run(cursor, f"SELECT * FROM reports_reportactual WHERE report_id IN ({ids})")
    _run(cursor, f"SELECT * FROM reports_reportattachment WHERE report_id IN ({ids})")


def api_facilities(cursor, plan_id: int, today: dt.date) -> None:
    _run(cursor, "SELECT COUNT(*) FROM plans_facility WHERE plan_id = %s", [plan_id])
    _run(cursor, f"SELECT * FROM plans_facility WHERE plan_id = %s ORDER BY code LIMIT {API_PAGE}", [plan_id])


def api_indicators(cursor, plan_id: int, today: dt.date) -> None:
    _run(cursor, "SELECT COUNT(*) FROM indicators_indicator WHERE plan_id = %s", [plan_id])
    rows = _run(
        cursor,
        f"SELECT * FROM indicators_indicator WHERE plan_id = %s ORDER BY code LIMIT {API_PAGE}",
        [plan_id],
    )
    ids = _in(r[0] for r in rows)
    _run(cursor, f"SELECT * FROM indicators_target WHERE indicator_id IN ({ids})")
    _run(cursor, f"SELECT * FROM indicators_actual WHERE indicator_id IN ({ids})")
