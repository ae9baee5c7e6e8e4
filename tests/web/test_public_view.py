"""The open view of a published plan: no login, published fields only, nothing about people."""

import datetime as dt

from baqylau.plans.models import Plan
from baqylau.reports.models import Report


def test_an_unpublished_plan_has_no_public_page(client, demo):
    assert not demo.is_public
    assert client.get(f"/public/{demo.code}/").status_code == 404


def test_a_published_plan_is_readable_without_login_and_shows_no_personal_data(client, users, demo):
    Plan.objects.filter(pk=demo.pk).update(is_public=True)
    Report.objects.create(
        measure=demo.measures.get(code="H-00"),
        agency=users["energy"].profile.agency,
        period_end=dt.date(2026, 6, 30),
        narrative="Private working note by A. Example",
        progress=10,
        state="accepted",
        author=users["energy"],
        review_comment="Reviewer's aside",
    )
    response = client.get(f"/public/{demo.code}/", HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 200 and "16 of 118 measures recorded" in html and "W-04" in html
    for private in ("Private working note", "Reviewer's aside", "energy", "Ministry of Energy editor"):
        assert private not in html
    assert 'href="/admin/' not in html and "Log out" not in html


def test_the_public_page_queries_do_not_grow(client, demo, django_assert_max_num_queries):
    Plan.objects.filter(pk=demo.pk).update(is_public=True)
    with django_assert_max_num_queries(16):
        client.get(f"/public/{demo.code}/")
