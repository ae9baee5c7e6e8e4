"""Claim, verdict, evidence: a claim of completion is accepted only with evidence, and the reviewer sees
the evidence apart from the claim before deciding (review queue, measure page, API)."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from baqylau.assessment.models import MeasureVerdict
from baqylau.indicators.models import Indicator
from baqylau.instructions.models import Instruction
from baqylau.plans.models import Facility, Measure
from baqylau.reports import workflow
from baqylau.reports.evidence import evidence_for
from baqylau.reports.models import Report, ReportActual, ReportAttachment

D = dt.date


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def submitted(users, code="W-03", progress=100, by="energy", **extra):
    item = {"measure": Measure.objects.get(code=code)} if code.startswith(("W", "H", "E")) else {
        "instruction": Instruction.objects.get(code=code)
    }  # fmt: skip
    report = Report.objects.create(
        **item, agency=users[by].profile.agency, period_end=D(2026, 11, 30),
        narrative="Both desalination units are in operation.", progress=progress, author=users[by],
        **extra,
    )  # fmt: skip
    workflow.submit(report, users[by], report.version)
    return report


def attach(report, name="act.pdf"):
    return ReportAttachment.objects.create(
        report=report, file=ContentFile(b"%PDF-1.4 act", name=name), original_name=name,
        content_type="application/pdf", size=12, extension=".pdf",
    )  # fmt: skip


def test_a_completion_without_evidence_is_refused_and_changes_nothing(users):
    report = submitted(users)
    verdict_before = MeasureVerdict.objects.get(measure__code="W-03").status
    with pytest.raises(workflow.TransitionRefused) as refused:
        workflow.accept(report, users["reviewer"], report.version)
    text = " ".join(refused.value.messages)
    assert "only with evidence" in text and "attach a document" in text
    assert "MAEK-DS" in text  # the facility without a commissioning date is named
    report.refresh_from_db()
    assert report.state == "submitted" and report.reviewed_by is None
    assert MeasureVerdict.objects.get(measure__code="W-03").status == verdict_before


def test_an_attached_act_is_evidence(users):
    report = submitted(users)
    attach(report)
    workflow.accept(report, users["reviewer"], report.version)
    assert report.state == "accepted"
    assert MeasureVerdict.objects.get(measure__code="W-03").status == "done"


def test_every_facility_commissioned_is_evidence(users):
    report = submitted(users)
    plant = Facility.objects.get(code="MAEK-DS")
    plant.commission_actual = D(2026, 11, 20)
    plant.save()
    workflow.accept(report, users["reviewer"], report.version)
    assert report.state == "accepted"


def test_a_commissioning_dated_in_the_future_is_not_evidence_yet(users):
    report = submitted(users)
    Facility.objects.filter(code="MAEK-DS").update(commission_actual=dt.date.today() + dt.timedelta(days=30))
    with pytest.raises(workflow.TransitionRefused):
        workflow.accept(report, users["reviewer"], report.version)


def test_the_indicator_at_its_target_is_evidence(users):
    """H-01's heat mains: 44 km replaced is the target; a 100% report carrying 44 km is backed."""
    report = submitted(users, code="H-01")
    Facility.objects.filter(measure__code="H-01").update(commission_actual=None)  # only the indicator counts
    km = Indicator.objects.get(code="HEAT-KM")
    ReportActual.objects.create(report=report, indicator=km, value=30)
    evidence = evidence_for([report])[report.pk]
    assert not evidence.indicator_reached
    with pytest.raises(workflow.TransitionRefused, match="44"):
        workflow.accept(report, users["reviewer"], report.version)
    ReportActual.objects.filter(report=report).update(value=44)
    report.refresh_from_db()
    workflow.accept(report, users["reviewer"], report.version)
    assert report.state == "accepted"


def test_progress_short_of_completion_needs_no_evidence(users):
    report = submitted(users, progress=60)
    workflow.accept(report, users["reviewer"], report.version)
    assert report.state == "accepted"


def test_an_instruction_reported_executed_needs_a_document(users):
    instruction = Instruction.objects.filter(executors=users["akimat"].profile.agency).first()
    report = submitted(users, code=instruction.code, progress=None, by="akimat", executed=True)
    with pytest.raises(workflow.TransitionRefused, match="attach a document"):
        workflow.accept(report, users["reviewer"], report.version)
    attach(report)
    workflow.accept(report, users["reviewer"], report.version)
    assert report.state == "accepted"


def test_the_review_queue_shows_claim_evidence_and_why_it_cannot_be_accepted(client, users):
    blocked = submitted(users)
    backed = submitted(users, code="W-04")
    attach(backed, "kenderli-act.pdf")
    client.force_login(users["reviewer"])
    page = client.get("/review/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    blocked_card = page[page.index(f'id="review-{blocked.pk}"') :]
    blocked_card = blocked_card[: blocked_card.index("</section>")]
    assert "Claim" in blocked_card and "Evidence" in blocked_card and "Verdict" in blocked_card
    assert "MAEK-DS" in blocked_card and "not commissioned" in blocked_card
    assert 'value="accept" disabled' in blocked_card and "only with evidence" in blocked_card
    backed_card = page[page.index(f'id="review-{backed.pk}"') :]
    backed_card = backed_card[: backed_card.index("</section>")]
    assert "kenderli-act.pdf" in backed_card and 'value="accept" disabled' not in backed_card


def test_the_review_queue_costs_the_same_queries_for_2_reports_and_for_12(client, users):
    client.force_login(users["reviewer"])
    for _ in range(2):
        submitted(users, progress=50)
    with CaptureQueriesContext(connection) as few:
        client.get("/review/")
    for _ in range(10):
        attach(submitted(users, progress=100))
    with CaptureQueriesContext(connection) as many:
        client.get("/review/")
    assert len(many) <= len(few)


def test_a_refused_acceptance_through_the_page_says_why(client, users):
    report = submitted(users)
    client.force_login(users["reviewer"])
    response = client.post(
        f"/review/{report.pk}/", {"decision": "accept", "opened_version": report.version, "comment": ""},
        HTTP_ACCEPT_LANGUAGE="en", follow=True,
    )  # fmt: skip
    assert "only with evidence" in response.content.decode()
    report.refresh_from_db()
    assert report.state == "submitted"


def test_the_measure_page_shows_claim_verdict_and_evidence_apart(client, users):
    report = submitted(users)
    attach(report, "maek-act.pdf")
    workflow.accept(report, users["reviewer"], report.version)
    client.force_login(users["office"])
    page = client.get("/measures/MNG-URGENT-2024/W-03/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    table = page[page.index('<table class="stack reports">') :]
    table = table[: table.index("</table>")]
    for heading in ("Claim", "Verdict", "Evidence"):
        assert f">{heading}</th>" in table
    assert "maek-act.pdf" in table and "Completion is backed by evidence." in table


def test_the_api_refuses_a_completion_without_evidence_and_says_why(api, users):
    report = submitted(users)
    response = api["reviewer"].post(
        f"/api/v1/reports/{report.pk}/accept/", {"version": report.version}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert "only with evidence" in str(response.json())
    report.refresh_from_db()
    assert report.state == "submitted"
