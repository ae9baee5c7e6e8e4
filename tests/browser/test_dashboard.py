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


FIRST_SCREEN = {"width": 1366, "height": 768}


def _within_first_screen(locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + min(box["height"], 40) <= FIRST_SCREEN["height"]


@pytest.mark.parametrize("language", ["en", "kk"])
def test_the_first_screen_answers_what_is_late_why_and_what_it_does_to_water(visit, language):
    """At 1366 x 768, without scrolling: the late items with their figures, the reason one click away,
    and what the late water measures cost the region."""
    board = _expected_dashboard()
    visit.page.set_viewport_size(FIRST_SCREEN)
    visit.login("viewer")
    page = visit.page
    if language != "en":
        with page.expect_navigation(wait_until="domcontentloaded"):
            page.select_option("header select#language", language)
    expect(page.locator("html")).to_have_attribute("lang", language)

    # What is late: the count agrees with the cards (one source), and the worst item shows its figures.
    cards = page.locator("section[aria-labelledby=h-status] ul.counts li strong").all_inner_texts()
    late_and_at_risk = int(cards[MEASURE_STATUSES.index("late")]) + int(
        cards[MEASURE_STATUSES.index("at_risk")]
    )
    assert board.attention_total == late_and_at_risk
    first = page.locator("section[aria-labelledby=h-late] tbody tr").first
    assert _within_first_screen(first)
    assert len(first.locator("td").all()) == 3  # measure, status, one line of figures
    expect(first.locator("td.figures")).to_contain_text(str(board.attention[0]["line"]["lateness"][:3]))
    assert _within_first_screen(page.locator("section[aria-labelledby=h-people]"))
    visit.shot(f"first-screen-{language}", both_widths=False, full_page=False)

    # Why: one click away, in place.
    why = first.locator("details.why")
    expect(why.locator("p")).to_be_hidden()
    why.locator("summary").click()
    expect(why.locator("p")).to_be_visible()
    expect(why.locator("p")).not_to_be_empty()

    # What it does to people: the water the late plant's delay costs, on the same screen.
    impact = page.locator("section[aria-labelledby=h-people] ul.impact li").first
    expect(impact).to_contain_text("W-03")
    assert _within_first_screen(impact)
    headline = page.locator("[data-headline]")
    assert _within_first_screen(headline)
    assert visit.page_errors == [] and visit.bad_responses == []


def test_filters_narrow_the_whole_dashboard(visit):
    visit.login("viewer")
    page = visit.page
    page.select_option("select#id_sphere", "water")
    with page.expect_navigation():
        page.locator("form.filters button[type=submit]").click()
    rows = page.locator("section[aria-labelledby=h-late] tbody tr td:first-child a")
    codes = rows.all_inner_texts()
    assert codes and all(code.startswith("W-") for code in codes)
    cards = page.locator("section[aria-labelledby=h-status] ul.counts li strong").all_inner_texts()
    assert sum(int(c) for c in cards) < _expected_dashboard().summary.total
    expect(page.locator("[data-headline]")).to_contain_text("measures")
    visit.shot("filtered-water")
