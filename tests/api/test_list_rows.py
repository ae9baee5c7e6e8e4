"""A list page is read as rows and written by its serializer's compiled fields (api/rows.py); a detail
goes through the serializer itself. Every item of a list must be the same JSON, key for key and in the
same order, as its own detail: in every language, for every role, as of today and another date."""

import json

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework import serializers

from baqylau.api.rows import RowWriter
from baqylau.plans.models import Measure

LISTS = [
    ("measures", ""),
    ("measures", "as_of=2025-06-30"),
    ("measures", "as_of=2025-06-30&status=at_risk"),
    ("measures", "status=at_risk"),
    ("instructions", ""),
    ("instructions", "as_of=2024-11-30"),
    ("instructions", "as_of=2025-06-30&status=overdue"),
    ("reports", ""),
    ("facilities", ""),
    ("indicators", ""),
    ("events", ""),
    ("plans", ""),
    ("spheres", ""),
    ("facility-kinds", ""),
    ("territories", ""),
    ("agencies", ""),
]


def _text(body) -> str:
    return json.dumps(body, ensure_ascii=False)


@pytest.mark.parametrize(("kind", "query"), LISTS, ids=[f"{k}?{q}" for k, q in LISTS])
@pytest.mark.parametrize("role", ["office", "energy"])
def test_every_item_of_a_list_is_its_detail(api, many_rows, kind, query, role):
    client = api[role]
    page = client.get(f"/api/v1/{kind}/?page_size=500&{query}")
    assert page.status_code == 200, page.content
    items = page.json()["results"]
    assert items
    as_of = "&".join(p for p in query.split("&") if p.startswith("as_of="))
    for item in items:
        detail = client.get(f"/api/v1/{kind}/{item['id']}/?{as_of}")
        assert detail.status_code == 200, detail.content
        assert _text(item) == _text(detail.json())


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
@pytest.mark.parametrize("kind", ["measures", "instructions", "facilities", "indicators", "reports"])
def test_list_items_are_their_details_in_every_language(api, demo, kind, language):
    client = api["office"]
    items = client.get(f"/api/v1/{kind}/?page_size=20", HTTP_ACCEPT_LANGUAGE=language).json()["results"]
    for item in items:
        detail = client.get(f"/api/v1/{kind}/{item['id']}/", HTTP_ACCEPT_LANGUAGE=language).json()
        assert _text(item) == _text(detail)


def test_a_report_with_its_evidence_is_the_same_in_the_list(api, demo):
    """A nested list with a field that is not a column (each attachment's download address)."""
    w03 = Measure.objects.get(code="W-03")  # the Ministry of Energy co-executes it
    created = api["energy"].post(
        "/api/v1/reports/",
        {"measure": w03.pk, "period_end": timezone.localdate().isoformat(), "narrative": "In service."},
    )
    assert created.status_code == 201, created.content
    report = created.json()["id"]
    for name in ("act.pdf", "photo.png"):
        content = b"%PDF-1.4 act" if name.endswith(".pdf") else b"\x89PNG\r\n\x1a\n" + bytes(32)
        upload = api["energy"].post(
            f"/api/v1/reports/{report}/attachments/",
            {"file": SimpleUploadedFile(name, content)},
            format="multipart",
        )
        assert upload.status_code == 201, upload.content
    detail = api["energy"].get(f"/api/v1/reports/{report}/").json()
    assert len(detail["attachments"]) == 2
    listed = api["energy"].get(f"/api/v1/reports/?measure={w03.pk}&page_size=500").json()["results"]
    assert [_text(item) for item in listed if item["id"] == report] == [_text(detail)]


def test_a_field_a_list_cannot_read_as_a_column_must_say_how():
    class Unsaid(serializers.ModelSerializer):
        shout = serializers.SerializerMethodField()

        class Meta:
            model = Measure
            fields = ["id", "shout"]

        def get_shout(self, measure) -> str:
            return measure.code.upper()

    with pytest.raises(ImproperlyConfigured, match=r"Unsaid\.shout"):
        RowWriter(Unsaid)
