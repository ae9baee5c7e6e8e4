"""The open view of a published plan: no login, published fields only, nothing about people, cached."""

import csv
import datetime as dt
import io
import json

import pytest
from lxml import etree
from openpyxl import load_workbook

from baqylau.plans.models import Measure, Plan
from baqylau.reports.models import Report

PRIVATE = ("Private working note", "Reviewer's aside", "Ministry of Energy editor", "A. Example")


@pytest.fixture
def published(demo):
    Plan.objects.filter(pk=demo.pk).update(is_public=True)
    demo.refresh_from_db()
    return demo


@pytest.fixture
def reports(published, users):
    """An accepted report with a private narrative and comment, a draft and a returned one."""
    measure = published.measures.get(code="H-00")
    agency = users["energy"].profile.agency
    common = {"measure": measure, "agency": agency, "author": users["energy"]}
    accepted = Report.objects.create(
        **common,
        period_end=dt.date(2026, 6, 30),
        narrative="Private working note by A. Example",
        progress=10,
        state="accepted",
        review_comment="Reviewer's aside",
    )
    Report.objects.create(
        **common, period_end=dt.date(2026, 7, 31), narrative="Draft by A. Example", progress=55
    )
    Report.objects.create(
        **common,
        period_end=dt.date(2026, 5, 31),
        narrative="Returned by A. Example",
        progress=77,
        state="returned",
        review_comment="Reviewer's aside",
    )
    return accepted


def _get(client, path, **params):
    response = client.get(path, params, HTTP_ACCEPT_LANGUAGE="en")
    return response, response.content.decode("utf-8", "replace")


def _linked(html: str, plan, code: str) -> bool:
    return f'href="/public/{plan.code}/{code}/"' in html


def test_an_unpublished_plan_has_no_public_page_measure_or_download(client, demo):
    assert not demo.is_public
    for path in ("", "W-04/", "data.csv", "data.iati", "data.oc4ids", "data.xlsx"):
        assert client.get(f"/public/{demo.code}/{path}").status_code == 404, path


def test_a_published_plan_is_readable_without_login_and_shows_no_personal_data(client, published, reports):
    response, html = _get(client, f"/public/{published.code}/")
    assert response.status_code == 200 and "16 of 118 measures recorded" in html
    assert f'href="/public/{published.code}/W-04/"' in html  # a page per measure
    assert 'data-chart="status"' in html and 'data-map="facilities"' in html  # the charts and the map
    assert "Licence: Creative Commons Attribution 4.0" in html
    for fmt in ("csv", "xlsx", "iati", "oc4ids"):
        assert f"/public/{published.code}/data.{fmt}" in html
    for private in PRIVATE:
        assert private not in html
    assert 'href="/admin/' not in html and "Log out" not in html


def test_filters_by_sphere_territory_and_status_narrow_the_list(client, published):
    _, html = _get(client, f"/public/{published.code}/", sphere="water")
    water = set(published.measures.filter(sphere__code="water").values_list("code", flat=True))
    shown = {c for c in published.measures.values_list("code", flat=True) if _linked(html, published, c)}
    assert shown == water and f"{len(water)} measures shown" in html
    _, html = _get(client, f"/public/{published.code}/", territory="BEI")
    beineu = set(published.measures.filter(territories__code="BEI").values_list("code", flat=True))
    assert {c for c in beineu if _linked(html, published, c)} == beineu
    assert f"{len(beineu)} measure" in html
    _, html = _get(client, f"/public/{published.code}/", status="done")
    assert "badge s-late" not in html and "badge s-done" in html


def test_a_measure_page_shows_progress_over_time_status_in_words_facilities_and_published_report_parts(
    client, published, reports
):
    response, html = _get(client, f"/public/{published.code}/H-00/")
    assert response.status_code == 200
    chart = json.loads(html.split('id="progress-chart" type="application/json">')[1].split("</script>")[0])
    assert chart["planned"] and chart["actual"] and chart["due"]
    assert 'id="explanation"' in html
    # The accepted report's figure and period are published; its text, author and comment are not,
    # and drafts and returned reports are not there at all.
    assert "Accepted reports" in html and "10%" in html
    assert "55%" not in html and "77%" not in html
    for private in (*PRIVATE, "Draft by", "Returned by"):
        assert private not in html

    _, html = _get(client, f"/public/{published.code}/W-04/")
    facility_map = json.loads(html.split('id="public-map" type="application/json">')[1].split("</script>")[0])
    assert {f["code"] for f in facility_map["facilities"]} == {"KENDERLI"}
    assert facility_map["facilities"][0]["url"] == f"/public/{published.code}/W-04/"


def test_open_data_downloads_of_the_published_plan(client, published, reports):
    response = client.get(f"/public/{published.code}/data.csv")
    assert response["Content-Type"].startswith("text/csv") and 'rel="license"' in response["Link"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["code", "title", "sphere"] and len(rows) - 1 == published.measures.count()
    book = load_workbook(
        io.BytesIO(client.get(f"/public/{published.code}/data.xlsx").content), read_only=True
    )
    assert len(list(book["measures"].iter_rows())) - 1 == published.measures.count()
    iati = etree.fromstring(client.get(f"/public/{published.code}/data.iati").content)
    assert len(iati.findall("iati-activity")) == published.measures.count()
    package = json.loads(client.get(f"/public/{published.code}/data.oc4ids").content)
    assert len(package["projects"]) == published.facilities.count()
    everything = b"".join(
        client.get(f"/public/{published.code}/data.{fmt}").content for fmt in ("csv", "iati", "oc4ids")
    ).decode("utf-8", "replace")
    for private in PRIVATE:
        assert private not in everything
    assert client.get(f"/public/{published.code}/data.pdf").status_code == 404


def test_the_pages_are_cached_until_something_is_written(client, published, django_assert_max_num_queries):
    def content(response) -> bytes:  # the page less its header (the language form's token differs)
        return response.content.split(b'<main id="content">')[1]

    with django_assert_max_num_queries(18):
        first = content(client.get(f"/public/{published.code}/"))
    with django_assert_max_num_queries(2):  # the plan and the version: the content is cached
        assert content(client.get(f"/public/{published.code}/")) == first
    with django_assert_max_num_queries(20):
        client.get(f"/public/{published.code}/W-04/")
    with django_assert_max_num_queries(3):
        client.get(f"/public/{published.code}/W-04/")
    # A write (a new title) is a new version: the page shows it at once.
    measure = Measure.objects.get(plan=published, code="W-04")
    measure.title = "Kenderli plant, renamed"
    measure.save()
    assert (
        "Kenderli plant, renamed"
        in client.get(f"/public/{published.code}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )
