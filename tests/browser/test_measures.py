"""The measures register: filters narrow it, and the export downloads what the user sees."""

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
PLAN = "MNG-URGENT-2024"


def _codes(page) -> list[str]:
    return page.locator("main table tbody tr td:first-child a").all_inner_texts()


def test_filters_narrow_the_register_and_the_export_downloads_the_filtered_view(visit):
    visit.login("viewer")
    page = visit.page
    visit.goto(f"/measures/?plan={PLAN}")
    everything = _codes(page)
    expect(page.locator("#result-count")).to_have_text(f"{len(everything)} measures")
    assert len(everything) >= 10
    visit.shot("register")

    # Sphere: water supply only.
    page.select_option("#id_sphere", "water")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(lambda url: "sphere=water" in url)
    water = _codes(page)
    assert 0 < len(water) < len(everything)
    assert all(code.startswith("W-") for code in water), water
    for sphere in page.locator("main table tbody tr td:nth-child(2) .muted").all_inner_texts():
        assert sphere.startswith("Water supply ·"), sphere
    visit.shot("register-water")

    # And late: fewer again, each row judged late.
    page.select_option("#status", "late")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(lambda url: "status=late" in url and "sphere=water" in url)
    late_water = _codes(page)
    assert 0 < len(late_water) < len(water)
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(len(late_water))
    for row in rows.all():
        expect(row.locator(".badge").first).to_have_class("badge s-late")
    expect(page.locator("#result-count")).to_have_text(
        f"{len(late_water)} measure" if len(late_water) == 1 else f"{len(late_water)} measures"
    )
    visit.shot("register-water-late")

    # The XLSX export holds exactly the filtered rows.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="XLSX").click()
    download = download_info.value
    assert download.suggested_filename.startswith(f"measures-{PLAN}-")
    assert download.suggested_filename.endswith(".xlsx")
    saved = visit.keep(download)
    assert saved.read_bytes()[:2] == b"PK"  # a zip, as every .xlsx
    sheet = load_workbook(saved, read_only=True).active
    header, *data = list(sheet.iter_rows(values_only=True))
    assert header[:2] == ("code", "title")
    assert sorted(row[header.index("code")] for row in data) == sorted(late_water)
    assert {row[header.index("status")] for row in data} == {"late"}

    assert visit.page_errors == []
    assert visit.bad_responses == []
