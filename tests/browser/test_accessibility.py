"""An accessibility scan (axe-core: WCAG 2 A/AA rules and its best practices) of the pages people use,
as they are drawn.

The scan runs in the browser on the rendered page, charts and map included; any violation fails the
test with the rule, the element and axe's own help text.
"""

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
PLAN = "MNG-URGENT-2024"
RUN_AXE = """async () => {
    const rules = {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "best-practice"]}};
    const result = await axe.run(document, rules);
    return {
        checked: result.passes.length,
        violations: result.violations.map((v) => ({
            rule: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
        })),
    };
}"""
PAGES = {
    "viewer": ["/", f"/measures/?plan={PLAN}", f"/measures/{PLAN}/W-03/", "/instructions/", "/water/"],
    "energy": ["/inbox/"],
    "reviewer": ["/review/"],
}


def _violations(visit, path):
    visit.goto(path)
    visit.page.wait_for_load_state("networkidle")
    # Evaluated through the browser's devtools channel: the page's CSP (script-src 'self') stays as it is.
    visit.page.evaluate(AXE.read_text(encoding="utf-8") + "\n;window.axe = axe; true")
    result = visit.page.evaluate(RUN_AXE)
    assert result["checked"] > 10, (path, result)  # the scan really ran its rules on the page
    return result["violations"]


@pytest.mark.parametrize("user", sorted(PAGES))
def test_pages_have_no_accessibility_violations(visit, user):
    visit.login(user)
    found = {path: _violations(visit, path) for path in PAGES[user]}
    assert not any(found.values()), {path: v for path, v in found.items() if v}
