"""The public view of a published plan in a browser, signed out: the plan page with its charts, map and
filters, a measure page with its progress over time, and the open-data downloads."""

import pytest
from playwright.sync_api import expect

from baqylau.plans.models import Plan

pytestmark = pytest.mark.browser
PLAN = "MNG-URGENT-2024"


@pytest.fixture
def published(site, settings):
    settings.MAP_TILE_ORIGIN = ""
    Plan.objects.filter(code=PLAN).update(is_public=True)


def test_a_visitor_reads_the_published_plan_and_a_measure_and_downloads_the_data(published, visit):
    page = visit.page
    visit.goto(f"/public/{PLAN}/")
    expect(page.locator("h1")).to_contain_text("Mangystau")
    expect(page.locator("main")).to_contain_text("16 of 118 measures recorded")
    expect(page.locator("header nav")).to_have_count(0)  # signed out: no navigation of the office
    expect(page.locator("div[data-map=facilities]")).to_have_attribute("data-outlines", "6")
    charts = page.evaluate(
        "() => [...document.querySelectorAll('canvas[data-chart]')]"
        ".map((c) => !!(window.Chart && Chart.getChart(c)))"
    )
    assert charts == [True, True]
    expect(page.locator(".open-data .licence")).to_contain_text("CC BY 4.0")
    visit.shot("public-plan")

    page.select_option("#id_sphere", "water")
    page.locator("form.filters button").click()
    expect(page.locator("main table.stack tbody tr")).to_have_count(5)
    visit.shot("public-plan-water", both_widths=False)

    page.locator("main table.stack tbody a", has_text="W-04").click()
    expect(page.locator("h1")).to_contain_text("W-04")
    expect(page.locator("#explanation")).not_to_be_empty()
    # The chart library loads at the end of the page: wait for it to draw (a loaded machine is slow).
    page.wait_for_function(
        "() => !!(window.Chart && Chart.getChart(document.querySelector('canvas[data-chart=progress]')))"
    )
    expect(page.locator("div[data-map=facilities]")).to_have_attribute("data-facilities", "1")
    visit.shot("public-measure")

    for fmt in ("csv", "xlsx", "iati", "oc4ids"):
        with page.expect_download() as download:
            page.locator(f"a[href$='data.{fmt}']").click()
        path = visit.keep(download.value)
        assert path.stat().st_size > 500, fmt
    assert visit.page_errors == [] and visit.own_console_errors() == [] and visit.bad_responses == []
    assert visit.refused == []  # nothing tried to leave the machine: no tiles are set
