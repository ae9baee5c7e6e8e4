"""The language switch in the header: Қазақша shows the plan's own data in Kazakh.

The interface's words are translated by another piece of work in progress, so the assertions are on the
page's language and on data-driven text; the interface words still in English are listed in
``test-artifacts/untranslated-kk.txt`` for whoever finishes the translation.
"""

import pytest
from playwright.sync_api import expect

from baqylau.plans.models import Measure, Plan

pytestmark = pytest.mark.browser
PLAN = "MNG-URGENT-2024"
UI_TEXT = (
    "header nav a, header .tools button, main h2, main th, main form button, main label, "
    "section[aria-labelledby=h-status] li"
)


def _ui_words(page) -> list[str]:
    """The interface's words on the page, and those its scripts draw into the charts and the map."""
    words = [" ".join(text.split()) for text in page.locator(UI_TEXT).all_inner_texts()]
    labels = page.evaluate("JSON.parse(document.getElementById('page-labels').textContent)")
    return words + list(labels.values())


def _switch_to(page, language: str) -> None:
    with page.expect_navigation(wait_until="domcontentloaded"):
        page.select_option("header select#language", language)
    expect(page.locator("html")).to_have_attribute("lang", language)


def test_kazakh_shows_the_plan_in_kazakh_and_back(visit, artifacts):
    plan = Plan.objects.get(code=PLAN)
    w01 = Measure.objects.get(plan=plan, code="W-01")
    visit.login("viewer")
    page = visit.page
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text(plan.title)
    english = _ui_words(page)

    _switch_to(page, "kk")
    expect(page).to_have_url(visit.url("/"))  # the switch comes back to the same page
    expect(page.locator("header select#language")).to_have_value("kk")
    expect(page.locator("h1")).to_have_text(plan.title_kk)
    first_late = page.locator("section[aria-labelledby=h-late] tbody tr").first
    late = Measure.objects.get(plan=plan, code=first_late.locator("a").inner_text())
    # The row shows the title cut to fit one line; the whole of it is the span's title, in Kazakh.
    expect(first_late.locator(".title")).to_have_attribute("title", late.title_kk)
    expect(first_late).to_contain_text(late.title_kk[:20])
    expect(first_late).not_to_contain_text(late.title[:20])
    kazakh = _ui_words(page)
    visit.shot("dashboard-kk")

    # The register: titles, spheres and agencies from the data, in Kazakh.
    visit.goto(f"/measures/?plan={PLAN}&sphere=water")
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    row = page.locator("main table tbody tr").filter(has_text="W-01")
    expect(row).to_contain_text(w01.title_kk)
    expect(row).to_contain_text(w01.sphere.name_kk)
    expect(row).to_contain_text(w01.lead_agency.name_kk)
    visit.shot("register-kk")

    untranslated = sorted({en for en, kk in zip(english, kazakh, strict=False) if en == kk and en.strip()})
    (artifacts / "untranslated-kk.txt").write_text(
        "Interface words on the dashboard still shown in English under Қазақша:\n"
        + ("".join(f"- {word}\n" for word in untranslated) or "(none)\n"),
        encoding="utf-8",
    )
    assert len(english) == len(kazakh)  # the same page, only its words differ

    _switch_to(page, "en")
    expect(page.locator("main table tbody tr").filter(has_text="W-01")).to_contain_text(w01.title)

    assert visit.page_errors == []
    assert visit.bad_responses == []
