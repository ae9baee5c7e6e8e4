"""The small things a newcomer tripped on: the login page says what Baqylau is, the register counts the
plan's measures like the dashboard, phone cards name their fields, the header holds one line at 1366 px."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_the_login_page_says_what_baqylau_is(visit):
    visit.goto("/accounts/login/")
    expect(visit.page.locator("main p.intro")).to_contain_text("plan of measures")
    visit.shot("login")


def test_the_register_counts_recorded_against_declared_measures(visit):
    visit.login("viewer")
    visit.goto("/measures/?plan=MNG-URGENT-2024&sphere=water")
    expect(visit.page.locator("#recorded")).to_have_text("(16 of 118 measures recorded)")


def test_phone_cards_label_their_fields(phone):
    phone.login("viewer")
    phone.goto("/measures/?plan=MNG-URGENT-2024")
    cell = phone.page.locator("main table.stack tbody tr").first.locator("td[data-label]").first
    label = cell.evaluate("(td) => getComputedStyle(td, '::before').content")
    assert label == '"Measure: "'
    phone.shot("register-phone", both_widths=False)


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_header_does_not_wrap_at_1366_px(chromium, site, request, language):
    from .conftest import _open

    visit = _open(chromium, site, request, 1366)
    visit.login("office")  # the office sees every link of the navigation
    if language != "en":
        visit.page.wait_for_load_state("load")  # the switch submits itself once the page's script runs
        visit.page.select_option("header select#language", language)
        expect(visit.page.locator("html")).to_have_attribute("lang", language)
    header = visit.page.locator("header.site")
    height = header.evaluate("(h) => h.getBoundingClientRect().height")
    brand = visit.page.locator("header.site .brand").evaluate("(b) => b.getBoundingClientRect().height")
    assert height < 2 * brand + 24, f"the header wraps in {language}: {height}px"
    # Nor does anything stick out of it: "Log out" is the last thing, and it is inside the window.
    right = visit.page.locator("header.site .tools form button").last.evaluate(
        "(b) => b.getBoundingClientRect().right"
    )
    assert right <= 1366, f"the header's end is cut off in {language}: {right}px"
    header.screenshot(path=str(visit.shot(f"header-{language}", both_widths=False, full_page=False)[0]))
