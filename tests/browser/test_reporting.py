"""An agency reports, the project office's reviewer accepts, and the measure's judgement follows.

W-03 (MAEK's desalination plants, co-executed by the Ministry of Energy) is the measure: it was due at
the end of 2025 with only 25% reported, so it is late; a 100% report makes it done. Its parent W-00 then
has every child done, yet stays open: it is the drinking-water goal, done only when the water model
shows every zone provided, and it still shows Tupkaragan short in the summer of 2027. H-00, which the
Ministry of Energy leads, has its only child done (H-01, September 2025) but waits for the network's
wear to reach 75%, so it stays among the items to report on.
"""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from baqylau.assessment.judgements import judge_plan
from baqylau.plans.models import Measure, Plan

pytestmark = pytest.mark.browser
PLAN = "MNG-URGENT-2024"
NARRATIVE = "Both desalination units of 24,000 m³/day in total are in operation at MAEK (browser test)."


def _judgement(page):
    return page.locator("section[aria-labelledby=h-judgement]")


def _status_badge(status: str) -> str:
    return f"badge s-{status.replace('_', '-')}"


def test_agency_reports_reviewer_accepts_and_the_measure_is_done(visit, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    page = visit.page
    today = timezone.localdate()
    measure_url = f"/measures/{PLAN}/W-03/"
    akimat_only = Measure.objects.get(plan__code=PLAN, code="W-01")
    before = judge_plan(Plan.objects.get(code=PLAN), today).measures["W-03"]
    assert before.status.value != "done" and before.progress == 25  # late since 2026: due end of 2025

    visit.login("energy")
    expect(page.locator("header nav")).to_contain_text("My reports")
    visit.goto(measure_url)
    expect(_judgement(page).locator(".badge").first).to_have_class(_status_badge(before.status.value))
    expect(_judgement(page)).to_contain_text("25%")
    visit.shot("measure-before")

    # My reports: the items of the Ministry of Energy that are not done.
    page.locator("header nav").get_by_role("link", name="My reports").click()
    expect(page).to_have_url(visit.url("/inbox/"))
    items = page.locator("main table").first.locator("tbody tr")
    expect(items.filter(has_text="W-03")).to_have_count(1)
    expect(items.filter(has_text="W-01")).to_have_count(0)  # the akimat's own: not shown
    expect(items.filter(has_text="H-00")).to_have_count(1)  # its pipes are done, its wear target not
    visit.shot("inbox-before")

    page.get_by_role("link", name="Report W-03").click()
    expect(page.locator("h1")).to_have_text("Report on W-03")
    page.fill("#id_period_end", today.isoformat())
    page.fill("#id_narrative", NARRATIVE)
    page.fill("#id_progress", "100")
    # A claim of completion is accepted only with evidence: the commissioning act.
    act = tmp_path / "maek-commissioning-act.pdf"
    act.write_bytes(b"%PDF-1.4\n% commissioning act (browser test)\n")
    page.set_input_files("#id_attachment", str(act))
    visit.shot("report-form")
    page.get_by_role("button", name="Submit for review").click()

    expect(page).to_have_url(visit.url("/inbox/"))
    expect(page.locator(".messages")).to_contain_text("Report submitted for review.")
    mine = page.locator("main table").nth(1).locator("tbody tr").filter(has_text="W-03")
    expect(mine).to_have_count(1)
    expect(mine.locator(".badge")).to_have_text("submitted")
    expect(mine).not_to_contain_text("Edit")  # a submitted report is no longer editable
    visit.shot("inbox-submitted")

    # Not its measure: the akimat's W-01 (co-executed by the Ministry of Industry only) does not exist for it.
    response = visit.goto(f"/reports/new/measure/{akimat_only.pk}/")
    assert response is not None and response.status == 404
    visit.shot("report-form-forbidden", both_widths=False)

    # Submitted, not yet accepted: the judgement has not moved.
    visit.goto(measure_url)
    expect(_judgement(page).locator(".badge").first).to_have_class(_status_badge(before.status.value))
    visit.logout()

    # The reviewer accepts it.
    visit.login("reviewer")
    page.locator("header nav").get_by_role("link", name="Review").click()
    expect(page).to_have_url(visit.url("/review/"))
    card = page.locator("main section.card").filter(has_text="W-03")
    expect(card).to_have_count(1)
    expect(card).to_contain_text(NARRATIVE)
    expect(card).to_contain_text("100%")
    expect(card).to_contain_text("Ministry of Energy")
    # The claim, the evidence and the verdict apart: the act is there to open before deciding.
    expect(card.locator("ul.evidence")).to_contain_text("maek-commissioning-act.pdf")
    expect(card).to_contain_text("Completion is backed by evidence.")
    visit.shot("review-queue")
    card.get_by_role("button", name="Accept").click()
    expect(page).to_have_url(visit.url("/review/"))
    expect(page.locator(".messages")).to_contain_text(re.compile(r"W-03 .*accepted"))
    expect(page.locator("main section.card").filter(has_text="W-03")).to_have_count(0)
    visit.shot("review-accepted")

    # The measure's page: the accepted report, and the judgement it brings.
    visit.goto(measure_url)
    expect(_judgement(page).locator(".badge").first).to_have_class(_status_badge("done"))
    expect(page.locator("#explanation")).to_contain_text("done")
    facts = _judgement(page).locator("dl.facts")
    expect(facts.locator("dt:has-text('Progress (accepted)') + dd")).to_have_text("100%")
    report_row = page.locator("main table tbody tr").filter(has_text=NARRATIVE)
    expect(report_row).to_have_count(1)
    expect(report_row).to_contain_text("accepted")
    visit.shot("measure-after")

    # Every child of W-00 is now done; the goal itself waits for the water model.
    visit.goto(f"/measures/{PLAN}/W-00/")
    expect(_judgement(page).locator(".badge").first).not_to_have_class(_status_badge("done"))
    expect(page.locator("#explanation")).to_contain_text("Tupkaragan")
    expect(page.locator("#explanation")).to_contain_text("child measures are 100% done")
    visit.shot("parent-after")

    assert visit.page_errors == []
    assert [r for r in visit.bad_responses if "/reports/new/" not in r] == []
