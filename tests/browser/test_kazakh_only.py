"""Kazakh pages hold no Russian or English words: the product, the admin and the API's pages.

The interface's visible text (headings, labels, table headers, buttons, links of the navigation, the
map's and charts' words) is scanned for words that the English or Russian catalogues use and the Kazakh
one does not: a word Django or a library left untranslated, or that fell back to Russian, shows up here.
Data text is not the interface's (a plan's sources are quoted as published), so the scan reads the
interface's elements only. What was found is also written to ``test-artifacts/foreign-words-kk.txt``.
"""

import gettext
import re
from functools import cache
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

UI = (
    "header nav a, header .tools button, main h1, main h2, main h3, main th, main label, main button, "
    "main caption, main dt, main legend, .map-legend li, #content-main th, #content-main caption, "
    "#content-main label, #content-main h2, #nav-sidebar a, #user-tools a, #site-name, .submit-row input, "
    ".breadcrumbs"
)
# Names and codes that are the same in every language (and words the Kazakh catalogue itself uses).
SAME_EVERYWHERE = {
    *("baqylau", "api", "json", "csv", "xlsx", "iati", "oc4ids", "openapi", "yaml", "token", "url", "http"),
    *("https", "kzt", "html", "xml", "get", "post", "put", "patch", "delete", "mng", "urgent", "demo"),
    *("geoboundaries", "leaflet", "openstreetmap"),
}
WORD = re.compile(r"[A-Za-zА-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]{3,}")


CODE = re.compile(r"\b[A-Z0-9]+(?:-[A-Z0-9]+)*\b|^\s*\S+ — ", re.MULTILINE)  # HEAT-MAIN-AKT, "water — …"


def _words(texts) -> set[str]:
    return {w.lower() for text in texts for w in WORD.findall(text)}


def _interface_words(texts) -> set[str]:
    """As _words, less the data's codes (upper case, or the code before a name: "water — Сумен …")."""
    return _words(CODE.sub(" ", text) for text in texts)


def _catalogue(language: str) -> dict:
    """The product's compiled catalogue (``make messages`` builds it): msgid -> msgstr."""
    path = Path(settings.LOCALE_PATHS[0]) / language / "LC_MESSAGES" / "django.mo"
    with path.open("rb") as mo:
        return gettext.GNUTranslations(mo)._catalog


def _msgids(catalogue: dict) -> list[str]:
    ids = [key[0] if isinstance(key, tuple) else key for key in catalogue]
    return [i.split("\x04")[-1] for i in ids if i]  # without the context


@cache
def foreign_words() -> frozenset[str]:
    """Words of the English msgids and of the Russian translations that Kazakh does not use."""
    kk, ru = _catalogue("kk"), _catalogue("ru")
    kazakh = _words(kk.values())
    english = _words(_msgids(kk))
    russian = _words(ru.values())
    return frozenset((english | russian) - kazakh - SAME_EVERYWHERE)


def _foreign_on_page(page) -> list[str]:
    # Code (paths, field and object names of the API) is the same in every language: left out.
    texts = page.locator(UI).evaluate_all(
        "(els) => els.map((e) => { const c = e.cloneNode(true);"
        " c.querySelectorAll('code, select, option').forEach((x) => x.remove()); return c.textContent; })"
    )
    texts += page.locator("[title]").evaluate_all("(els) => els.map((e) => e.title)")
    found = _interface_words(texts) & foreign_words()
    return sorted(f"{w} «{next(t for t in texts if w in t.lower())[:80].strip()}»" for w in found)


PRODUCT = ["/", "/measures/?plan=MNG-URGENT-2024", "/instructions/?plan=MNG-URGENT-2024", "/water/",
           "/measures/MNG-URGENT-2024/W-04/", "/review/", "/plans/import/"]  # fmt: skip
ADMIN = ["/admin/", "/admin/plans/measure/", "/admin/plans/facility/", "/admin/reports/report/"]
API = ["/api/v1/docs/"]


def test_kazakh_pages_have_no_russian_or_english_left(visit, artifacts):
    from baqylau.plans.models import Measure

    visit.login("office")
    page = visit.page
    page.wait_for_load_state("load")
    page.select_option("header select#language", "kk")
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    measure = Measure.objects.get(plan__code="MNG-URGENT-2024", code="W-04")
    pages = [*PRODUCT, *ADMIN, f"/admin/plans/measure/{measure.pk}/change/", *API]
    report = {}
    for path in pages:
        visit.goto(path)
        expect(page.locator("html")).to_have_attribute("lang", "kk")
        found = _foreign_on_page(page)
        if found:
            report[path] = found
    visit.goto("/admin/")
    visit.shot("admin-kk", both_widths=False)
    visit.goto("/api/v1/docs/")
    visit.shot("api-docs-kk", both_widths=False, full_page=False)
    lines = [f"{path}: {', '.join(words)}" for path, words in report.items()]
    (artifacts / "foreign-words-kk.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert report == {}, "\n".join(lines)


def test_the_wrong_password_message_is_kazakh_on_a_kazakh_login_page(visit):
    page = visit.page
    visit.goto("/accounts/login/")
    page.wait_for_load_state("load")
    page.select_option("header select#language", "kk")
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    page.fill("#id_username", "viewer")
    page.fill("#id_password", "not the password")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main .alert")).to_contain_text("Дұрыс пайдаланушы аты мен құпия сөзді енгізіңіз")
    assert not (_interface_words([page.locator("main .alert").inner_text()]) & foreign_words())
    visit.shot("login-wrong-password-kk", both_widths=False)
