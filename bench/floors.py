"""The database floor of each benchmarked page: hand-written SQL that reads the same figures.

A page's floor ratio is its time divided by the time of these statements, run through a plain DB-API
cursor in the same database and the same run: what the page costs beyond the database's own work.
Each function takes a cursor and the ids it needs, runs every statement and fetches every row.
Standard SQL only, so the same text runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

PAGE = 25
API_PAGE = 50


def _run(cursor, sql: str, params=()) -> list:
    cursor.execute(sql, params)
    return cursor.fetchall()


def _in(ids) -> str:
    return ",".join(str(int(i)) for i in ids) or "NULL"


def dashboard(cursor, plan_id: int, region_id: int) -> None:
    _run(
        cursor,
        "SELECT grouping, key, total, counts, confidence_counts, weight, weight_known, weighted, known "
        "FROM assessment_grouprollup WHERE plan_id = %s",
        [plan_id],
    )
    for kind, table, fk, title, ranks in (
        ("measure", "assessment_measureverdict", "measure_id", "m.title", "('late', 'at_risk')"),
        ("instruction", "assessment_instructionverdict", "instruction_id", "m.text", "('overdue', 'at_risk')"),
    ):
        items = "plans_measure" if kind == "measure" else "instructions_instruction"
        _run(
            cursor,
            f"SELECT m.id, m.code, {title}, v.status, v.due FROM {table} v JOIN {items} m ON m.id = v.{fk} "
            f"WHERE v.plan_id = %s AND v.status IN {ranks} ORDER BY v.status_rank, v.due, m.code LIMIT 10",
            [plan_id],
        )
        _run(cursor, f"SELECT COUNT(*) FROM {table} WHERE plan_id = %s AND status IN {ranks}", [plan_id])
    _run(cursor, "SELECT COUNT(*) FROM assessment_measureverdict WHERE plan_id = %s", [plan_id])
    _run(cursor, "SELECT code, name FROM reference_sphere")
    _run(cursor, "SELECT code, name, lat, lon FROM reference_territory")
    (count,) = _run(cursor, "SELECT COUNT(*) FROM plans_facility WHERE plan_id = %s", [plan_id])[0]
    if count > 400:
        _run(
            cursor,
            "SELECT f.territory_id, v.status, COUNT(*) FROM plans_facility f "
            "JOIN assessment_measureverdict v ON v.measure_id = f.measure_id WHERE f.plan_id = %s "
            "GROUP BY f.territory_id, v.status",
            [plan_id],
        )
    else:
        _run(
            cursor,
            "SELECT f.code, f.name, f.lat, f.lon, m.code, v.status FROM plans_facility f "
            "JOIN plans_measure m ON m.id = f.measure_id JOIN assessment_measureverdict v ON v.measure_id = m.id "
            "WHERE f.plan_id = %s",
            [plan_id],
        )
    for table in ("waterbalance_waterzone", "waterbalance_watersource", "waterbalance_waterassumption"):
        _run(cursor, f"SELECT * FROM {table} WHERE region_id = %s", [region_id])


def register(cursor, plan_id: int, where: str = "", order: str = "m.code", offset: int = 0) -> None:
    joined = "FROM plans_measure m JOIN assessment_measureverdict v ON v.measure_id = m.id"
    _run(cursor, f"SELECT COUNT(*) {joined} WHERE m.plan_id = %s {where}", [plan_id])
    rows = _run(
        cursor,
        "SELECT m.id, m.code, m.title, m.due, s.name, a.name, v.status, v.confidence, v.progress, v.planned "
        f"{joined} JOIN reference_sphere s ON s.id = m.sphere_id JOIN reference_agency a ON a.id = m.lead_agency_id "
        f"WHERE m.plan_id = %s {where} ORDER BY {order} LIMIT {PAGE} OFFSET {offset}",
        [plan_id],
    )
    _run(
        cursor,
        "SELECT mt.measure_id, t.name FROM plans_measure_territories mt JOIN reference_territory t ON "
        f"t.id = mt.territory_id WHERE mt.measure_id IN ({_in(r[0] for r in rows)})",
    )


def measure_page(cursor, measure_id: int) -> None:
    _run(
        cursor,
        "SELECT m.*, s.name, a.name, v.status, v.progress, v.planned, v.forecast_finish FROM plans_measure m "
        "JOIN reference_sphere s ON s.id = m.sphere_id JOIN reference_agency a ON a.id = m.lead_agency_id "
        "JOIN assessment_measureverdict v ON v.measure_id = m.id WHERE m.id = %s",
        [measure_id],
    )
    _run(cursor, "SELECT territory_id FROM plans_measure_territories WHERE measure_id = %s", [measure_id])
    _run(cursor, "SELECT agency_id FROM plans_measure_co_agencies WHERE measure_id = %s", [measure_id])
    _run(
        cursor,
        "SELECT m.id, m.code, m.title, v.status, v.progress FROM plans_measure m "
        "JOIN assessment_measureverdict v ON v.measure_id = m.id WHERE m.parent_id = %s",
        [measure_id],
    )
    _run(cursor, "SELECT * FROM plans_facility WHERE measure_id = %s", [measure_id])
    indicators = _run(cursor, "SELECT id, code, name, unit FROM indicators_indicator WHERE measure_id = %s", [measure_id])
    ids = _in(i[0] for i in indicators)
    _run(cursor, f"SELECT indicator_id, period_end, value FROM indicators_target WHERE indicator_id IN ({ids})")
    _run(
        cursor,
        f"SELECT indicator_id, period_end, value, reported_by_id FROM indicators_actual WHERE indicator_id IN ({ids})",
    )
    _run(
        cursor,
        "SELECT r.id, r.period_end, r.progress, r.state, r.narrative FROM reports_report r WHERE r.measure_id = %s "
        "ORDER BY r.period_end DESC",
        [measure_id],
    )
    _run(
        cursor,
        "SELECT i.id, i.code, i.text, i.due FROM instructions_instruction i JOIN instructions_instruction_measures im "
        "ON im.instruction_id = i.id WHERE im.measure_id = %s",
        [measure_id],
    )
    _run(
        cursor,
        "SELECT * FROM plans_historicalmeasure WHERE id = %s ORDER BY history_date DESC LIMIT 31",
        [measure_id],
    )


def instructions(cursor, plan_id: int, page: int = PAGE) -> None:
    _run(cursor, "SELECT COUNT(*) FROM instructions_instruction WHERE plan_id = %s", [plan_id])
    rows = _run(
        cursor,
        "SELECT i.id, i.code, i.text, i.issued_on, i.due, v.status FROM instructions_instruction i "
        "JOIN assessment_instructionverdict v ON v.instruction_id = i.id WHERE i.plan_id = %s "
        f"ORDER BY i.due, i.code LIMIT {page}",
        [plan_id],
    )
    ids = _in(r[0] for r in rows)
    _run(
        cursor,
        "SELECT ie.instruction_id, a.name FROM instructions_instruction_executors ie JOIN reference_agency a ON "
        f"a.id = ie.agency_id WHERE ie.instruction_id IN ({ids})",
    )
    _run(cursor, f"SELECT instruction_id, measure_id FROM instructions_instruction_measures WHERE instruction_id IN ({ids})")
    _run(cursor, f"SELECT * FROM instructions_deadlinechange WHERE instruction_id IN ({ids})")


def api_measures(cursor, plan_id: int) -> None:
    _run(cursor, "SELECT COUNT(*) FROM plans_measure WHERE plan_id = %s", [plan_id])
    rows = _run(
        cursor,
        "SELECT m.*, v.* FROM plans_measure m JOIN assessment_measureverdict v ON v.measure_id = m.id "
        f"WHERE m.plan_id = %s ORDER BY m.code LIMIT {API_PAGE}",
        [plan_id],
    )
    ids = _in(r[0] for r in rows)
    for table in ("plans_measure_territories", "plans_measure_co_agencies"):
        _run(cursor, f"SELECT * FROM {table} WHERE measure_id IN ({ids})")
    _run(cursor, f"SELECT * FROM plans_facility WHERE measure_id IN ({ids})")


def api_instructions(cursor, plan_id: int) -> None:
    instructions(cursor, plan_id, API_PAGE)


def api_reports(cursor, plan_id: int) -> None:
    base = "FROM reports_report r JOIN plans_measure m ON m.id = r.measure_id WHERE m.plan_id = %s"
    _run(cursor, f"SELECT COUNT(*) {base}", [plan_id])
    rows = _run(cursor, f"SELECT r.* {base} ORDER BY r.period_end DESC, r.id DESC LIMIT {API_PAGE}", [plan_id])
    ids = _in(r[0] for r in rows)
    _run(cursor, f"SELECT * FROM reports_reportactual WHERE report_id IN ({ids})")
    _run(cursor, f"SELECT * FROM reports_reportattachment WHERE report_id IN ({ids})")


def api_facilities(cursor, plan_id: int) -> None:
    _run(cursor, "SELECT COUNT(*) FROM plans_facility WHERE plan_id = %s", [plan_id])
    _run(cursor, f"SELECT * FROM plans_facility WHERE plan_id = %s ORDER BY code LIMIT {API_PAGE}", [plan_id])


def api_indicators(cursor, plan_id: int) -> None:
    _run(cursor, "SELECT COUNT(*) FROM indicators_indicator WHERE plan_id = %s", [plan_id])
    rows = _run(cursor, f"SELECT * FROM indicators_indicator WHERE plan_id = %s ORDER BY code LIMIT {API_PAGE}", [plan_id])
    ids = _in(r[0] for r in rows)
    _run(cursor, f"SELECT * FROM indicators_target WHERE indicator_id IN ({ids})")
    _run(cursor, f"SELECT * FROM indicators_actual WHERE indicator_id IN ({ids})")


def plan_export(cursor, plan_id: int) -> None:
    """Every row the plan workbook carries."""
    for sql in (
        "SELECT * FROM plans_measure WHERE plan_id = %s",
        "SELECT mt.* FROM plans_measure_territories mt JOIN plans_measure m ON m.id = mt.measure_id WHERE m.plan_id = %s",
        "SELECT mc.* FROM plans_measure_co_agencies mc JOIN plans_measure m ON m.id = mc.measure_id WHERE m.plan_id = %s",
        "SELECT * FROM plans_facility WHERE plan_id = %s",
        "SELECT * FROM indicators_indicator WHERE plan_id = %s",
        "SELECT t.* FROM indicators_target t JOIN indicators_indicator i ON i.id = t.indicator_id WHERE i.plan_id = %s",
        "SELECT a.* FROM indicators_actual a JOIN indicators_indicator i ON i.id = a.indicator_id WHERE i.plan_id = %s",
        "SELECT * FROM instructions_event WHERE plan_id = %s",
        "SELECT * FROM instructions_instruction WHERE plan_id = %s",
        "SELECT e.* FROM instructions_instruction_executors e JOIN instructions_instruction i ON i.id = e.instruction_id "
        "WHERE i.plan_id = %s",
        "SELECT d.* FROM instructions_deadlinechange d JOIN instructions_instruction i ON i.id = d.instruction_id "
        "WHERE i.plan_id = %s",
    ):
        _run(cursor, sql, [plan_id])
