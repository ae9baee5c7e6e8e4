"""Done-when of instruction control, in the browser: the akimat asks for more time before the deadline,
the project office grants it, the akimat reports execution within the extended deadline, the office
removes the instruction from control, and the discipline page still counts it as on time only after
an extension."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from baqylau.instructions.models import Instruction
from baqylau.plans.models import Plan
from baqylau.reference.models import Agency

pytestmark = pytest.mark.browser
PLAN = "MNG-URGENT-2024"


def _on(page, form: str, day: dt.date) -> None:
    page.fill(f"form:has({form}) input[name=on]", day.isoformat())


def test_an_extension_granted_still_counts_as_on_time_only_after_it(visit):
    page, today = visit.page, timezone.localdate()
    days = lambda n: today + dt.timedelta(days=n)  # noqa: E731
    akimat = Agency.objects.get(code="AKIMAT")
    instruction = Instruction.objects.create(
        plan=Plan.objects.get(code=PLAN),
        code="I-BR",
        text="Submit the heating season readiness plan (browser test)",
        issued_on=days(-60),
        issued_by="Akim of the region",
        due=days(-30),
        responsible=akimat,
    )
    instruction.executors.set([akimat, Agency.objects.get(code="MEN")])
    url = f"/instructions/{PLAN}/I-BR/"

    # Forty days ago, ten days before the deadline, the akimat asked for more time.
    visit.login("akimat")
    visit.goto(url)
    expect(page.locator("#responsible")).to_contain_text("akimat", ignore_case=True)
    page.fill("input[name=proposed_due]", days(30).isoformat())
    page.fill("input[name=reason]", "The boiler inspection moved to next month")
    _on(page, "#do-request", days(-40))
    page.locator("#do-request").click()
    expect(page.locator("#pending")).to_contain_text("The boiler inspection moved")
    visit.shot("instruction-extension-requested")
    visit.logout()

    visit.login("office")
    visit.goto("/instructions/queue/")
    expect(page.locator("main")).to_contain_text("I-BR")
    visit.goto(url)
    _on(page, "#do-grant", days(-39))
    page.locator("#do-grant").click()
    expect(page.locator("#current-due")).not_to_have_text(page.locator("#original-due").inner_text())
    expect(page.locator("#explanation")).to_contain_text("extended once")
    visit.shot("instruction-extension-granted")
    visit.logout()

    # Executed five days ago: after the original deadline, within the extended one.
    visit.login("akimat")
    visit.goto(url)
    page.fill("form:has(#do-report) input[name=comment]", "Readiness plan approved")
    _on(page, "#do-report", days(-5))
    page.locator("#do-report").click()
    visit.logout()
    visit.login("office")
    visit.goto(url)
    _on(page, "#do-accept", days(-5))
    page.locator("#do-accept").click()
    expect(page.locator("#explanation")).to_contain_text("within the extended deadline")
    visit.shot("instruction-removed-from-control")

    visit.goto(f"/instructions/discipline/?plan={PLAN}&from={days(-31).isoformat()}")
    row = page.locator("#league tbody tr").first
    cells = row.locator("td")
    expect(cells.nth(2)).to_have_text("0")  # on time against the original deadline: no
    expect(cells.nth(3)).to_have_text("1")  # on time only after the extension: yes
    visit.shot("discipline")
