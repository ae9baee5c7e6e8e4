"""Swagger UI for the API, served by the product itself: it works with no internet and under the CSP."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_swagger_ui_lists_the_api_offline_and_breaks_no_policy(visit):
    csp_violations = []
    visit.page.on(
        "console",
        lambda m: csp_violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    visit.login("viewer")
    visit.goto("/api/v1/swagger/")
    page = visit.page
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Baqylau API")
    expect(page.locator(".opblock-tag-section").first).to_be_visible()
    expect(page.locator(".opblock-summary-path", has_text="/api/v1/measures/").first).to_be_visible()
    visit.shot("swagger", both_widths=False)
    # Nothing from a CDN (the dashboard shown after the login may still be asking for the map's tiles).
    assert [url for url in visit.refused if "tile.openstreetmap.org" not in url] == []
    # No script is refused: the page runs under script-src 'self'. (Swagger UI also sets one inline
    # style, which the policy refuses without harm: the page is drawn, as the screenshot shows.)
    assert [v for v in csp_violations if "script-src" in v] == []
    assert visit.page_errors == [] and visit.bad_responses == []
