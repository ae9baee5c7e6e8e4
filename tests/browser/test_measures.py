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


PROGRESS_CHART = """() => {
    const canvas = document.querySelector("canvas[data-chart=progress]");
    const chart = canvas && window.Chart && Chart.getChart(canvas);
    if (!chart) return null;
    return {
        labels: chart.data.datasets.map((d) => d.label),
        points: Object.fromEntries(chart.data.datasets.map((d) => [d.label, d.data.length])),
        x: chart.options.scales.x.title.text, y: chart.options.scales.y.title.text,
        legend: chart.options.plugins.legend.display !== false,
    };
}"""


def test_every_measure_page_draws_planned_against_accepted_progress(visit):
    """The demo's 16 measures, each page in a real browser: a progress chart with a planned line, the
    accepted progress, labelled axes and a legend; the figures also as a table."""
    from baqylau.plans.models import Measure

    codes = list(Measure.objects.filter(plan__code=PLAN).order_by("code").values_list("code", flat=True))
    assert len(codes) == 16
    visit.login("viewer")
    page = visit.page
    for code in codes:
        visit.goto(f"/measures/{PLAN}/{code}/")
        page.wait_for_function(
            "() => window.Chart && Chart.getChart(document.querySelector('canvas[data-chart=progress]'))"
        )
        chart = page.evaluate(PROGRESS_CHART)
        assert chart is not None, code
        assert chart["points"]["planned"] >= 2, (code, chart)
        assert "accepted progress" in chart["labels"], (code, chart)
        assert chart["x"] and chart["y"] == "progress, %" and chart["legend"], (code, chart)
        expect(page.locator("details.data table tbody tr").first).to_be_attached()
        if code in ("W-03", "ED-02"):
            visit.shot(f"measure-{code}", both_widths=False)
    assert visit.page_errors == [] and visit.bad_responses == []
