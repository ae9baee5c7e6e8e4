"""The facility map on an intranet: outlines shipped with the product, no tiles, clusters, a legend,
popups with capacity and commissioning, and Leaflet's own words in the page's language."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from baqylau.plans.models import Facility

from .conftest import open_clusters

pytestmark = pytest.mark.browser
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


def element_shot(label: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"map-{label}.png"


@pytest.fixture
def no_tiles(settings):
    settings.MAP_TILE_ORIGIN = ""  # BAQYLAU_MAP_TILES=off


def test_without_a_tile_server_the_map_draws_the_region_and_districts_it_ships(no_tiles, visit):
    visit.login("viewer")
    page = visit.page
    facility_map = page.locator("div[data-map=facilities]")
    facility_map.scroll_into_view_if_needed()
    # The region and its five districts from the shipped GeoJSON; no request left the machine.
    expect(facility_map).to_have_attribute("data-outlines", "6")
    expect(facility_map.locator("path.outline-region")).to_have_count(1)
    expect(facility_map.locator("path.outline-district")).to_have_count(5)
    expect(facility_map.locator(".district-name")).to_contain_text(["Aktau city"])
    assert visit.refused == [] and not facility_map.locator("img.leaflet-tile").count()

    # Aktau's facilities overlap: they are one cluster with their count, coloured by the worst status.
    clusters = facility_map.locator(".marker-cluster")
    expect(clusters.first).to_be_visible()
    assert max(int(c.inner_text()) for c in clusters.all()) >= 2

    # The legend names every status colour.
    legend = page.locator("ul.map-legend li")
    expect(legend).to_have_text(
        [
            "late",
            "at risk",
            "on track",
            "not started",
            "done",
            "several facilities close together: zoom in or click",
        ]
    )
    facility_map.screenshot(path=str(element_shot("map-no-tiles")))

    # A facility's popup: its measure, status, capacity and commissioning (Kenderli's plant, W-04).
    kenderli = Facility.objects.get(code="KENDERLI")
    popup = page.locator(".leaflet-popup-content").last  # the one before fades out
    for marker in facility_map.locator("path.leaflet-interactive").all():
        marker.dispatch_event("click")
        page.wait_for_timeout(250)
        if popup.count() and kenderli.label in popup.inner_text():
            break
    else:
        pytest.fail("no marker opens Kenderli's popup")
    expect(popup).to_contain_text(f"{kenderli.label} ({kenderli.measure.code})")
    expect(popup).to_contain_text("status: done")
    expect(popup).to_contain_text("capacity: 50,000 m³/day")
    expect(popup).to_contain_text("commissioned: ")
    page.wait_for_timeout(300)  # the popup fades in
    facility_map.screenshot(path=str(element_shot("map-popup")))

    # Opened, the clusters give way to single markers: every facility is reachable.
    open_clusters(page)
    expect(clusters).to_have_count(0)
    facility_map.screenshot(path=str(element_shot("map-clusters-opened")))
    assert visit.page_errors == [] and visit.own_console_errors() == [] and visit.bad_responses == []


def test_the_map_speaks_kazakh(no_tiles, visit):
    visit.login("viewer")
    page = visit.page
    with page.expect_navigation(wait_until="domcontentloaded"):
        page.select_option("header select#language", "kk")
    expect(page.locator(".leaflet-control-zoom-in")).to_have_attribute("title", "Үлкейту")
    expect(page.locator(".leaflet-control-zoom-out")).to_have_attribute("title", "Кішірейту")
    expect(page.locator("ul.map-legend li").first).to_have_text("мерзімі өткен")
    page.locator("div[data-map=facilities]").screenshot(path=str(element_shot("map-kk")))
