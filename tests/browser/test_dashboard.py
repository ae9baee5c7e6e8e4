"""The dashboard in a real browser: counts, the late/at-risk table, the charts, the map without tiles."""

import pytest
from django.contrib.auth.models import User
from django.utils import timezone, translation
from playwright.sync_api import expect

from baqylau.plans.models import Plan
from baqylau.web.dashboard import MEASURE_STATUSES, build_dashboard

pytestmark = pytest.mark.browser

MARKERS_SHOWN = """() => {
    const map = document.querySelector("div[data-map=facilities]");
    const singles = map.querySelectorAll("path.leaflet-interactive").length;
    const counts = [...map.querySelectorAll(".marker-cluster span")].map((s) => Number(s.textContent));
    const clustered = counts.reduce((n, c) => n + c, 0);
    return singles + clustered;
}"""


def markers_shown(page) -> int:
    return page.evaluate(MARKERS_SHOWN)


CHARTS_DRAWN = """() => [...document.querySelectorAll("canvas[data-chart]")].map((canvas) => {
    const chart = window.Chart && Chart.getChart(canvas);
    return {source: canvas.dataset.source, drawn: !!chart, width: canvas.width,
            points: chart ? chart.data.datasets.reduce((n, d) => n + d.data.length, 0) : 0};
})"""


def _expected_dashboard(username="viewer"):
    with translation.override("en"):
        plan = Plan.objects.get(code="MNG-URGENT-2024")
        return build_dashboard(plan, timezone.localdate(), User.objects.get(username=username))


def test_dashboard_shows_the_demo_plan_with_charts_and_map_without_tiles(visit):
    board = _expected_dashboard()
    visit.login("viewer")
    page = visit.page
    expect(page).to_have_url(visit.url("/"))
    expect(page.locator("h1")).to_contain_text("Mangystau")

    # Measures by status: the five counts, as the judgement gives them.
    counts = page.locator("section[aria-labelledby=h-status] ul.counts").first.locator("li strong")
    shown = [int(text) for text in counts.all_inner_texts()]
    assert shown == [board.summary.counts.get(status, 0) for status in MEASURE_STATUSES]
    assert sum(shown) == board.summary.total > 0

    # Late and at risk: one row per measure, worst first, each with its status badge.
    late_rows = page.locator("section[aria-labelledby=h-late] tbody tr")
    expect(late_rows).to_have_count(len(board.attention))
    assert len(board.attention) > 0
    for row, expected in zip(late_rows.all(), board.attention, strict=True):
        expect(row.locator("td").first.locator("a")).to_have_text(expected["measure"].code)
        status = expected["judgement"].status.value
        expect(row.locator(".badge")).to_have_class(f"badge s-{status.replace('_', '-')}")

    # The map: every facility with coordinates is a marker, although no tile can load.
    facility_map = page.locator("div[data-map=facilities]")
    expected_markers = len(board.charts["map"]["facilities"])
    assert expected_markers > 0
    expect(facility_map).to_have_attribute("data-facilities", str(expected_markers))
    # Markers that overlap are clustered: the single markers and the clusters' counts add up to them all.
    markers = facility_map.locator("path.leaflet-interactive")
    expect(markers.first).to_be_visible()
    assert markers_shown(page) == expected_markers
    # Leaflet draws a marker outside its view as "M0 0"; once the map has fitted them all, none is.
    expect(facility_map.locator('path.leaflet-interactive[d="M0 0"]')).to_have_count(0)

    # The charts: sphere, territory and water, each drawn by Chart.js with its data.
    charts = page.evaluate(CHARTS_DRAWN)
    assert [c["source"] for c in charts] == ["chart-sphere", "chart-territory", "chart-water"]
    assert all(c["drawn"] and c["width"] > 0 and c["points"] > 0 for c in charts), charts

    visit.shot("dashboard")
    markers.first.dispatch_event("click")  # markers overlap: a real click hits a neighbour
    expect(page.locator(".leaflet-popup-content a")).to_be_visible()
    visit.shot("dashboard-map-popup", both_widths=False)

    assert any("tile.openstreetmap.org" in url for url in visit.refused)  # the tiles were tried, and failed
    assert visit.page_errors == []
    assert visit.own_console_errors() == []
    assert visit.bad_responses == []
