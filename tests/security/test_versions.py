"""A write without the version it was opened at is refused as a conflict, on every door; nothing changes."""

import datetime as dt

import pytest

from baqylau.instructions.models import Instruction
from baqylau.plans.models import Measure
from baqylau.reports.models import Report

from .helpers import snapshot


@pytest.fixture
def draft(users):
    return Report.objects.create(
        measure=Measure.objects.get(code="H-00"),
        agency=users["energy"].profile.agency,
        period_end=dt.date(2025, 12, 31),
        narrative="First words",
        author=users["energy"],
    )


def test_a_report_edit_posted_without_its_version_is_a_conflict_not_a_500(client, users, draft):
    client.force_login(users["energy"])
    before = snapshot()
    data = {"period_end": "2025-12-31", "narrative": "Overwritten", "progress": "5"}
    response = client.post(f"/reports/{draft.pk}/edit/", data)
    assert response.status_code == 200
    assert "was not sent" in response.content.decode()
    assert snapshot() == before


def test_a_measure_edit_posted_without_its_version_is_a_conflict(client, users):
    client.force_login(users["energy"])
    measure = Measure.objects.get(code="H-00")
    before = snapshot()
    response = client.post(f"/measures/{measure.plan.code}/H-00/edit/", {"completion_form": "x"})
    assert response.status_code == 200 and "was not sent" in response.content.decode()
    assert snapshot() == before


def test_a_review_posted_without_its_version_is_refused(client, users, draft):
    Report.objects.filter(pk=draft.pk).update(state="submitted", submitted_on=dt.date(2026, 1, 2))
    client.force_login(users["reviewer"])
    before = snapshot()
    response = client.post(f"/review/{draft.pk}/", {"decision": "accept"}, follow=True)
    assert "was not sent" in response.content.decode()
    assert snapshot() == before


def _api_writes(draft):
    measure, instruction = Measure.objects.get(code="H-00"), Instruction.objects.get(code="I-02")
    yield "patch", f"/api/v1/measures/{measure.pk}/", {"budget_spent_kzt": "5"}
    yield "patch", f"/api/v1/reports/{draft.pk}/", {"narrative": "Overwritten"}
    yield "post", f"/api/v1/reports/{draft.pk}/submit/", {}
    yield "post", f"/api/v1/instructions/{instruction.pk}/deadline/", {"new_due": "2025-03-31", "reason": "x"}
    yield "patch", f"/api/v1/measures/{measure.pk}/", {"budget_spent_kzt": "5", "version": None}


def test_an_api_write_without_its_version_is_a_409_conflict(api, draft):
    for method, url, body in _api_writes(draft):
        before = snapshot()
        response = getattr(api["office"], method)(url, body)
        assert response.status_code == 409, (url, response.content)
        assert response.json()["code"] == "edit_conflict" and "not sent" in response.json()["detail"]
        assert snapshot() == before, url
