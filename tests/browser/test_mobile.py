"""At 375 px (a phone): no sideways scrolling of the whole page, and the navigation works by keyboard."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PAGE_WIDTH = "() => [document.documentElement.scrollWidth, window.innerWidth]"
FOCUSED = """() => { const el = document.activeElement, box = el.getBoundingClientRect();
    return {tag: el.tagName, text: el.innerText.trim(), href: el.getAttribute("href"),
            inNav: !!el.closest("header nav"), outline: getComputedStyle(el).outlineStyle,
            box: [box.left, box.top, box.right, box.bottom]}; }"""


def _fits(visit) -> None:
    scroll_width, inner_width = visit.page.evaluate(PAGE_WIDTH)
    assert scroll_width <= inner_width, f"the page is {scroll_width} px wide in a {inner_width} px window"


def _within_view(box, width) -> bool:
    left, top, right, bottom = box
    return left >= 0 and top >= 0 and right <= width and bottom > top


def test_dashboard_fits_a_phone_and_the_navigation_works_by_keyboard(phone):
    page = phone.page
    phone.goto("/")  # not logged in: to the login page
    expect(page.locator("#id_username")).to_be_visible()
    _fits(phone)
    phone.shot("login")
    phone.login("energy")
    facility_map = page.locator("div[data-map=facilities]")
    expect(facility_map).to_have_attribute("data-facilities", re.compile(r"^[1-9][0-9]*$"))
    expect(facility_map.locator('path.leaflet-interactive[d="M0 0"]')).to_have_count(0)  # all in view
    expect(page.locator("canvas[data-chart]")).to_have_count(3)
    _fits(phone)
    phone.shot("dashboard")

    # From the top of the page: the first Tab reaches the skip link, then on to the main navigation.
    focused = []
    for _ in range(4):
        page.keyboard.press("Tab")
        focused.append(page.evaluate(FOCUSED))
        if focused[-1]["inNav"]:
            break
    assert focused[0]["href"] == "#content" and _within_view(focused[0]["box"], 375), focused[0]
    first_link = focused[-1]
    assert first_link["inNav"], focused
    assert first_link["text"] == "Dashboard" and first_link["href"] == "/"
    assert _within_view(first_link["box"], 375), first_link
    assert first_link["outline"] != "none"  # the focus is visible
    phone.shot("keyboard-focus", both_widths=False, full_page=False)

    # The rest of the navigation follows in order, and Enter follows a link.
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED)["text"] == "Measures"
    page.keyboard.press("Enter")
    expect(page).to_have_url(phone.url("/measures/"))
    expect(page.locator("header nav a[aria-current=page]")).to_have_text("Measures")

    assert phone.page_errors == []
    assert phone.own_console_errors() == []


def test_pages_with_filters_fit_a_phone(phone):
    phone.login("office")
    too_wide = {}
    for path in ("/measures/", "/instructions/", "/water/"):
        phone.goto(path)
        # Measured before the screenshot, which resizes the page to 1300 px and back (charts shrink lazily).
        scroll_width, inner_width = phone.page.evaluate(PAGE_WIDTH)
        phone.shot(path.strip("/"))
        if scroll_width > inner_width:
            too_wide[path] = scroll_width
    assert too_wide == {}, f"pages wider than 375 px: {too_wide}"
