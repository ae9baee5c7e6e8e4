import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from baqylau.core.locking import EditConflict
from baqylau.plans.models import Measure
from baqylau.reports import workflow
from baqylau.reports.models import Report

D = dt.date


@pytest.fixture
def draft(users):
    return Report.objects.create(
        measure=Measure.objects.get(code="H-00"),
        agency=users["energy"].profile.agency,
        period_end=D(2025, 12, 31),
        narrative="Wear reduced on the main network.",
        progress=60,
        author=users["energy"],
    )


def test_submit_then_accept(draft, users):
    workflow.submit(draft, users["energy"], draft.version, on=D(2026, 1, 5))
    assert draft.state == "submitted" and draft.submitted_on == D(2026, 1, 5)
    assert workflow.allowed_transitions(draft, users["reviewer"]) == ["accept", "return"]
    assert workflow.allowed_transitions(draft, users["energy"]) == []
    workflow.accept(draft, users["reviewer"], draft.version, on=D(2026, 1, 9))
    draft.refresh_from_db()
    assert (draft.state, draft.reviewed_by, draft.reviewed_on) == (
        "accepted",
        users["reviewer"],
        D(2026, 1, 9),
    )


def test_returned_report_goes_back_to_its_author_and_can_be_resubmitted(draft, users):
    workflow.submit(draft, users["energy"], draft.version)
    with pytest.raises(workflow.TransitionRefused, match="Say why"):
        workflow.return_for_rework(draft, users["reviewer"], draft.version, comment="  ")
    workflow.return_for_rework(draft, users["reviewer"], draft.version, comment="Give the km replaced.")
    assert draft.state == "returned" and draft.review_comment == "Give the km replaced."
    assert workflow.allowed_transitions(draft, users["energy"]) == ["submit"]
    workflow.submit(draft, users["energy"], draft.version)
    assert draft.state == "submitted"


@pytest.mark.parametrize(
    ("state", "action"),
    [
        ("draft", "accept"),
        ("draft", "return"),
        ("accepted", "submit"),
        ("accepted", "accept"),
        ("accepted", "return"),
        ("submitted", "submit"),
        ("returned", "accept"),
    ],
)
def test_refused_transitions(draft, users, state, action):
    Report.objects.filter(pk=draft.pk).update(state=state, review_comment="x")
    draft.refresh_from_db()
    with pytest.raises(workflow.TransitionRefused, match="Only a"):
        workflow.transition(draft, users["office"], action, draft.version, comment="why")
    draft.refresh_from_db()
    assert draft.state == state


def test_other_agencies_and_viewers_cannot_move_a_report(draft, users):
    for name in ("akimat", "viewer", "reviewer"):
        with pytest.raises(PermissionDenied):
            workflow.submit(draft, users[name], draft.version)
    workflow.submit(draft, users["energy"], draft.version)
    for name in ("energy", "akimat", "viewer"):
        with pytest.raises(PermissionDenied):
            workflow.accept(draft, users[name], draft.version)


def test_a_stale_review_is_refused_and_says_who_acted(draft, users):
    workflow.submit(draft, users["energy"], draft.version)
    opened_at = draft.version
    other_tab = Report.objects.get(pk=draft.pk)
    workflow.return_for_rework(other_tab, users["office"], opened_at, comment="Incomplete.")
    with pytest.raises(EditConflict) as conflict:
        workflow.accept(draft, users["reviewer"], opened_at)
    assert Report.objects.get(pk=draft.pk).state == "returned"
    assert "changed after you opened it" in conflict.value.message


def _report_with_values(users, indicators, period_end):
    measure = indicators[0].measure
    report = Report.objects.create(
        measure=measure,
        agency=measure.lead_agency,
        period_end=period_end,
        narrative="Values for every indicator.",
        progress=50,
        state="submitted",
        submitted_on=period_end,
    )
    from baqylau.reports.models import ReportActual

    ReportActual.objects.bulk_create(ReportActual(report=report, indicator=i, value=7) for i in indicators)
    return report


def test_accepting_a_report_costs_the_same_queries_for_3_values_and_for_120(users, django_assert_num_queries):
    """120 values with their history are more parameters than SQLite's old limit of 999 per statement:
    still one statement each, and every value's history says who, how and through which interface."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from baqylau.core.interface import interface
    from baqylau.indicators.models import Actual, Indicator

    measure = Measure.objects.get(code="ED-02")
    indicators = [
        Indicator.objects.create(
            plan=measure.plan, code=f"Q-{n:03}", name=f"Q {n}", unit="pcs", measure=measure
        )
        for n in range(120)
    ]
    # An actual already there for one of them: it is updated, the others created.
    Actual.objects.create(indicator=indicators[0], period_end=D(2026, 3, 31), value=1)
    workflow.accept(
        _report_with_values(users, indicators[:1], D(2026, 1, 31)), users["reviewer"], 1
    )  # warm-up
    counts = []
    for values, period in ((3, D(2026, 3, 31)), (120, D(2026, 3, 31))):
        report = _report_with_values(users, indicators[:values], period)
        with CaptureQueriesContext(connection) as queries, interface("web"):
            workflow.accept(report, users["reviewer"], report.version)
        counts.append(len(queries))
    assert counts[0] == counts[1]
    actuals = Actual.objects.filter(indicator__in=indicators, period_end=D(2026, 3, 31))
    assert actuals.count() == 120 and {a.value for a in actuals} == {7}
    history = Actual.history.filter(
        indicator__in=indicators, period_end=D(2026, 3, 31), history_user=users["reviewer"]
    )
    assert history.filter(history_type="+").count() == 119  # created by the two reports
    assert history.filter(history_type="~").count() == 1 + 3  # updated: the one there, then the first three
    assert set(history.values_list("history_interface", flat=True)) == {"web"}
    latest = {h.id: h.value for h in history.order_by("history_date", "history_id")}
    assert {a.pk: a.value for a in actuals} == latest
