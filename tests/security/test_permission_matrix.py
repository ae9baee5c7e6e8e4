"""The permission matrix: every role x every action (page, admin with and without the staff flag, API,
``--user`` command) x an item of the actor's own agency and of another agency, as one table.

The item is the akimat's: measure W-01 (led by the akimat), instruction I-05 (the akimat alone executes it)
and reports of the akimat on W-01. So ``own`` is the akimat's editor and ``other`` the Ministry of
Energy's, for whom those items do not exist (404) and never appear in a list.

Outcomes: ``ok`` 200 (201 for an API create), ``done`` a successful form post (302, the data changed),
``login`` a redirect to the login page, ``admin-login`` to the admin's, ``401``, ``403``, ``404``, ``400``.
Every refused write leaves the database unchanged; every allowed one changes it.

The table is complete by construction: ``test_every_route_and_command_has_a_row`` enumerates the URLconf
(the pages, the API router, the admin of every registered model) and the management commands that take
``--user``, and fails on any that no row names, so a new route or action cannot arrive without its row.
"""

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command, get_commands, load_command_class
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from baqylau.indicators.models import Indicator
from baqylau.instructions.models import Event, ExtensionRequest, Instruction
from baqylau.interop.models import WorkbookImportJob
from baqylau.notifications.models import Notification
from baqylau.plans.editing import OFFICE_FIELDS
from baqylau.plans.models import Measure
from baqylau.reports.models import Report, ReportAttachment

from .helpers import snapshot

ROLES = ("office", "reviewer", "own", "other", "viewer", "anonymous")
USERNAMES = {
    "office": "office",
    "reviewer": "reviewer",
    "own": "akimat",
    "other": "energy",
    "viewer": "viewer",
}


@dataclass
class World:
    """The items every cell acts on, created fresh for each cell (each test rolls back)."""

    measure: Measure
    instruction: Instruction
    event: Event
    draft: Report
    submitted: Report
    attachment: ReportAttachment
    job: WorkbookImportJob
    facility_id: int
    indicator_id: int
    indicator_code: str
    extension: ExtensionRequest  # the akimat's pending request on I-06 (the akimat alone executes it)


@pytest.fixture
def world(users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    measure = Measure.objects.get(code="W-01")
    akimat = users["akimat"].profile.agency
    common = {
        "measure": measure,
        "agency": akimat,
        "period_end": dt.date(2025, 12, 31),
        "author": users["akimat"],
    }
    draft = Report.objects.create(narrative="Draft of the akimat", **common)
    submitted = Report.objects.create(
        narrative="Submitted by the akimat",
        state="submitted",
        submitted_on=dt.date(2026, 1, 5),
        progress=40,
        **common,
    )
    attachment = ReportAttachment.objects.create(
        report=draft,
        file=SimpleUploadedFile("act.pdf", b"%PDF-1.4 test"),
        original_name="act.pdf",
        content_type="application/pdf",
        size=13,
        extension=".pdf",
    )
    # A reminder that failed for good, for the office's "send again".
    Notification.objects.create(
        rule="overdue",
        plan=measure.plan,
        item_key="instruction:I-05",
        day=dt.date(2025, 1, 1),
        recipient="akimat@example.kz",
        language="kk",
        subject="I-05",
        body="I-05",
        state="failed",
        attempts=8,
        last_error="SMTPServerDisconnected",
    )
    job = WorkbookImportJob.objects.create(
        upload=SimpleUploadedFile("plan.xlsx", b"PK"), original_name="plan.xlsx", user=users["office"]
    )
    # An indicator of one of the akimat's measures that the Ministry of Energy takes no part in.
    indicator = (
        Indicator.objects.filter(measure__lead_agency=akimat)
        .exclude(measure__co_agencies=users["energy"].profile.agency)
        .order_by("pk")
        .first()
    )
    return World(
        measure=measure,
        instruction=Instruction.objects.get(code="I-05"),
        event=Event.objects.get(code="EV-2024-VISIT"),
        draft=draft,
        submitted=submitted,
        attachment=attachment,
        job=job,
        facility_id=measure.facilities.first().pk,
        indicator_id=indicator.pk,
        indicator_code=indicator.code,
        extension=ExtensionRequest.objects.create(
            instruction=Instruction.objects.get(code="I-06"),
            requested_on=dt.date(2024, 11, 1),
            requested_by=users["akimat"],
            due_then=dt.date(2024, 12, 31),
            proposed_due=dt.date(2025, 6, 30),
            reason="Matrix: the contractor needs time",
        ),
    )


def web_client(users, role: str, staff: bool | None = None) -> Client:
    client = Client()
    if role != "anonymous":
        user = users[USERNAMES[role]]
        if staff is not None and user.is_staff != staff:
            user.is_staff = staff
            user.save()
        client.force_login(user)
    return client


def api_client(tokens, role: str) -> APIClient:
    client = APIClient()
    client.default_format = "json"
    if role != "anonymous":
        client.credentials(HTTP_AUTHORIZATION=f"Token {tokens[USERNAMES[role]]}")
    return client


# --- the rows --------------------------------------------------------------------------------------------


@dataclass
class Row:
    name: str
    routes: tuple[str, ...]  # the URL names it covers
    call: Callable  # (client, world) -> response
    expected: dict[str, str]  # role -> outcome
    api: bool = False
    write: bool = False
    hidden: Callable | None = None  # (world) -> a text another agency's user must not see in the answer


def everyone(outcome="ok", anonymous="login", **roles):
    return {role: roles.get(role, outcome) for role in ROLES[:-1]} | {"anonymous": anonymous}


def edit_measure_data(w):
    """The edit form as posted: the office's form has every field of the plan's terms, an agency's fewer."""
    fields = {f: getattr(w.measure, f) for f in OFFICE_FIELDS}
    data = {name: "" if value is None else str(value) for name, value in fields.items()}
    return {**data, "completion_form": "Changed in the matrix", "opened_version": w.measure.version}


def report_data(w):
    return {"period_end": "2026-06-30", "narrative": "Matrix report", "progress": "10"}


def edited_report_data(w):
    return {**report_data(w), "narrative": "Edited in the matrix", "opened_version": w.draft.version}


PAGES = [
    Row(
        "instruction page",
        ("web:instruction",),
        lambda c, w: c.get(f"/instructions/{w.measure.plan.code}/{w.instruction.code}/"),
        everyone(other="404"),
    ),
    Row(
        "instruction page: a workflow step (executors take it into work)",
        ("web:instruction_act",),
        lambda c, w: c.post(
            f"/instructions/{w.measure.plan.code}/{w.instruction.code}/act/",
            {"action": "start", "opened_version": w.instruction.version},
        ),
        everyone("403", own="done", other="404"),
        write=True,
    ),
    Row(
        "instructions on control (executors' inbox, controllers' queue)",
        ("web:instruction_queue",),
        lambda c, w: c.get("/instructions/queue/"),
        everyone("403", office="ok", own="ok", other="ok"),
    ),
    Row(
        "execution discipline page",
        ("web:discipline",),
        lambda c, w: c.get("/instructions/discipline/"),
        everyone(),
    ),
    Row(
        "dashboard",
        ("web:dashboard",),
        lambda c, w: c.get("/"),
        everyone(),
        hidden=lambda w: f"/measures/{w.measure.plan.code}/{w.measure.code}/",
    ),
    Row(
        "briefing download",
        ("web:briefing",),
        lambda c, w: c.get("/briefing/", {"format": "docx", "lang": "en"}),
        everyone(),
    ),
    Row(
        "notifications sent to me", ("notifications:mine",), lambda c, w: c.get("/notifications/"), everyone()
    ),
    Row(
        "notification outbox",
        ("notifications:outbox",),
        lambda c, w: c.get("/notifications/outbox/"),
        everyone("403", office="ok"),
    ),
    Row(
        "send failed notifications again",
        ("notifications:retry",),
        lambda c, w: c.post("/notifications/outbox/retry/"),
        everyone("403", office="done"),
        write=True,
    ),
    Row(
        "measure register",
        ("web:measures",),
        lambda c, w: c.get("/measures/"),
        everyone(),
        hidden=lambda w: f"/measures/{w.measure.plan.code}/{w.measure.code}/",
    ),
    Row(
        "register CSV export",
        (),
        lambda c, w: c.get("/measures/", {"export": "csv"}),
        everyone(),
        hidden=lambda w: f"{w.measure.code},",
    ),
    Row(
        "measure page",
        ("web:measure",),
        lambda c, w: c.get(f"/measures/{w.measure.plan.code}/W-01/"),
        everyone(other="404"),
    ),
    Row(
        "measure edit form",
        ("web:measure_edit",),
        lambda c, w: c.get(f"/measures/{w.measure.plan.code}/W-01/edit/"),
        everyone("403", office="ok", own="ok", other="404"),
    ),
    Row(
        "measure edit post",
        ("web:measure_edit",),
        lambda c, w: c.post(f"/measures/{w.measure.plan.code}/W-01/edit/", edit_measure_data(w)),
        everyone("403", office="done", own="done", other="404"),
        write=True,
    ),
    Row(
        "instruction register",
        ("web:instructions",),
        lambda c, w: c.get("/instructions/"),
        everyone(),
        hidden=lambda w: f">{w.instruction.code}<",
    ),
    Row(
        "event page",
        ("web:event",),
        lambda c, w: c.get(f"/events/{w.event.plan.code}/{w.event.code}/"),
        everyone(),
        hidden=lambda w: f">{w.instruction.code}<",
    ),
    Row("water what-if", ("web:water",), lambda c, w: c.get("/water/"), everyone()),
    Row(
        "public page of an unpublished plan",
        ("web:public_plan",),
        lambda c, w: c.get(f"/public/{w.measure.plan.code}/"),
        everyone("404", anonymous="404"),
    ),
    Row(
        "public measure page of an unpublished plan",
        ("web:public_measure",),
        lambda c, w: c.get(f"/public/{w.measure.plan.code}/{w.measure.code}/"),
        everyone("404", anonymous="404"),
    ),
    Row(
        "open-data download of an unpublished plan",
        ("web:public_download",),
        lambda c, w: c.get(f"/public/{w.measure.plan.code}/data.csv"),
        everyone("404", anonymous="404"),
    ),
    Row(
        "inbox",
        ("web:inbox",),
        lambda c, w: c.get("/inbox/"),
        everyone("403", office="ok", own="ok", other="ok"),
        hidden=lambda w: f"/measures/{w.measure.plan.code}/{w.measure.code}/",
    ),
    Row(
        "report form",
        ("web:report_new",),
        lambda c, w: c.get(f"/reports/new/measure/{w.measure.pk}/"),
        everyone("403", office="ok", own="ok", other="404"),
    ),
    Row(
        "report post",
        ("web:report_new",),
        lambda c, w: c.post(f"/reports/new/measure/{w.measure.pk}/", report_data(w)),
        everyone("403", office="done", own="done", other="404"),
        write=True,
    ),
    Row(
        "report edit form",
        ("web:report_edit",),
        lambda c, w: c.get(f"/reports/{w.draft.pk}/edit/"),
        everyone("403", office="ok", own="ok", other="404"),
    ),
    Row(
        "report edit post",
        ("web:report_edit",),
        lambda c, w: c.post(f"/reports/{w.draft.pk}/edit/", edited_report_data(w)),
        everyone("403", office="done", own="done", other="404"),
        write=True,
    ),
    Row(
        "review queue",
        ("web:review",),
        lambda c, w: c.get("/review/"),
        everyone("403", office="ok", reviewer="ok"),
    ),
    Row(
        "review decision",
        ("web:review_decide",),
        lambda c, w: c.post(
            f"/review/{w.submitted.pk}/", {"decision": "accept", "opened_version": w.submitted.version}
        ),
        everyone("403", office="done", reviewer="done"),
        write=True,
    ),
    Row(
        "attachment",
        ("web:attachment",),
        lambda c, w: c.get(f"/attachments/{w.attachment.pk}/"),
        everyone(other="404"),
    ),
    Row(
        "workbook upload form",
        ("web:import_upload",),
        lambda c, w: c.get("/plans/import/"),
        everyone("403", office="ok"),
    ),
    Row(
        "workbook upload",
        ("web:import_upload",),
        lambda c, w: c.post(
            "/plans/import/", {"workbook": SimpleUploadedFile("x.xlsx", b"not a workbook"), "dry_run": "on"}
        ),
        everyone("403", office="done"),
        write=True,
    ),
    Row(
        "import job",
        ("web:import_job",),
        lambda c, w: c.get(f"/plans/import/{w.job.pk}/"),
        everyone("403", office="ok"),
    ),
    Row(
        "workbook download",
        ("web:workbook_download",),
        lambda c, w: c.get(f"/plans/{w.measure.plan.code}/workbook.xlsx"),
        everyone("403", office="ok"),
    ),
    Row("login page", ("login",), lambda c, w: c.get("/accounts/login/"), everyone(anonymous="ok")),
    Row(
        "logout",
        ("logout",),
        lambda c, w: c.post("/accounts/logout/"),
        everyone("login"),
    ),
    Row(
        "language",
        ("set_language",),
        lambda c, w: c.post("/i18n/setlang/", {"language": "kk"}),
        everyone("redirect", anonymous="redirect"),
    ),
    Row("health", ("healthz",), lambda c, w: c.get("/healthz"), everyone(anonymous="ok")),
    Row("API reference page", ("api:docs",), lambda c, w: c.get("/api/v1/docs/"), everyone()),
    Row("Swagger UI", ("api:swagger",), lambda c, w: c.get("/api/v1/swagger/"), everyone()),
    Row(
        "admin index",
        ("admin:index",),
        lambda c, w: c.get("/admin/"),
        everyone("admin-login", office="ok", reviewer="ok", anonymous="admin-login"),
    ),
]


def api_everyone(outcome="ok", **roles):
    return everyone(outcome, anonymous="401", **roles)


def api_list(name, path, hidden=None):
    return Row(
        f"API {name} list",
        (f"api:{name}-list",),
        lambda c, w: c.get(path),
        api_everyone(),
        api=True,
        hidden=hidden,
    )


def api_detail(name, path_of, scoped: bool):
    return Row(
        f"API {name} detail",
        (f"api:{name}-detail",),
        lambda c, w: c.get(path_of(w)),
        api_everyone(other="404" if scoped else "ok"),
        api=True,
    )


API = [
    Row("API root", ("api:api-root",), lambda c, w: c.get("/api/v1/"), api_everyone(), api=True),
    Row(
        "API schema",
        ("api:schema",),
        lambda c, w: c.get("/api/v1/schema/"),
        everyone(anonymous="ok"),
        api=True,
    ),
    Row(
        "API unknown address",
        (),
        lambda c, w: c.get("/api/v1/nowhere/"),
        everyone("404", anonymous="404"),
        api=True,
    ),
    api_list("plan", "/api/v1/plans/"),
    api_list("measure", "/api/v1/measures/", hidden=lambda w: '"code":"W-01"'),
    api_list("facility", "/api/v1/facilities/", hidden=lambda w: '"measure_code":"W-01"'),
    api_list("indicator", "/api/v1/indicators/", hidden=lambda w: f'"code":"{w.indicator_code}"'),
    api_list("event", "/api/v1/events/"),
    api_list("instruction", "/api/v1/instructions/", hidden=lambda w: '"code":"I-05"'),
    api_list("report", "/api/v1/reports/", hidden=lambda w: '"item_code":"W-01"'),
    api_list("sphere", "/api/v1/spheres/"),
    api_list("facilitykind", "/api/v1/facility-kinds/"),
    api_list("territory", "/api/v1/territories/"),
    api_list("agency", "/api/v1/agencies/"),
    api_detail("plan", lambda w: f"/api/v1/plans/{w.measure.plan_id}/", scoped=False),
    api_detail("measure", lambda w: f"/api/v1/measures/{w.measure.pk}/", scoped=True),
    api_detail("facility", lambda w: f"/api/v1/facilities/{w.facility_id}/", scoped=True),
    api_detail("indicator", lambda w: f"/api/v1/indicators/{w.indicator_id}/", scoped=True),
    api_detail("event", lambda w: f"/api/v1/events/{w.event.pk}/", scoped=False),
    api_detail("instruction", lambda w: f"/api/v1/instructions/{w.instruction.pk}/", scoped=True),
    api_detail("report", lambda w: f"/api/v1/reports/{w.draft.pk}/", scoped=True),
    api_detail("sphere", lambda w: f"/api/v1/spheres/{w.measure.sphere_id}/", scoped=False),
    api_detail("facilitykind", lambda w: "/api/v1/facility-kinds/1/", scoped=False),
    api_detail("territory", lambda w: f"/api/v1/territories/{w.measure.plan.region_id}/", scoped=False),
    api_detail("agency", lambda w: f"/api/v1/agencies/{w.measure.lead_agency_id}/", scoped=False),
    Row(
        "API measure: execution field",
        ("api:measure-detail",),
        lambda c, w: c.patch(
            f"/api/v1/measures/{w.measure.pk}/", {"budget_source": "matrix", "version": w.measure.version}
        ),
        api_everyone("403", office="ok", own="ok", other="404"),
        api=True,
        write=True,
    ),
    Row(
        "API measure: plan field",
        ("api:measure-detail",),
        lambda c, w: c.patch(
            f"/api/v1/measures/{w.measure.pk}/", {"due": "2030-01-01", "version": w.measure.version}
        ),
        api_everyone("403", office="ok", other="404"),
        api=True,
        write=True,
    ),
    Row(
        "API report: create",
        ("api:report-list",),
        lambda c, w: c.post(
            "/api/v1/reports/", {"measure": w.measure.pk, "period_end": "2026-06-30", "narrative": "API"}
        ),
        api_everyone("403", office="ok", own="ok", other="400"),
        api=True,
        write=True,
    ),
    Row(
        "API report: change draft",
        ("api:report-detail",),
        lambda c, w: c.patch(
            f"/api/v1/reports/{w.draft.pk}/", {"narrative": "API edit", "version": w.draft.version}
        ),
        api_everyone("403", office="ok", own="ok", other="404"),
        api=True,
        write=True,
    ),
    Row(
        "API report: attach a file",
        ("api:report-attachments",),
        lambda c, w: c.post(
            f"/api/v1/reports/{w.draft.pk}/attachments/",
            {"file": SimpleUploadedFile("act.pdf", b"%PDF-1.4 matrix")},
            format="multipart",
        ),
        api_everyone("403", office="ok", own="ok", other="404"),
        api=True,
        write=True,
    ),
    Row(
        "API report: submit",
        ("api:report-submit",),
        lambda c, w: c.post(f"/api/v1/reports/{w.draft.pk}/submit/", {"version": w.draft.version}),
        api_everyone("403", office="ok", own="ok", other="404"),
        api=True,
        write=True,
    ),
    Row(
        "API report: accept",
        ("api:report-accept",),
        lambda c, w: c.post(f"/api/v1/reports/{w.submitted.pk}/accept/", {"version": w.submitted.version}),
        api_everyone("403", office="ok", reviewer="ok", other="404"),
        api=True,
        write=True,
    ),
    Row(
        "API report: return",
        ("api:report-return",),
        lambda c, w: c.post(
            f"/api/v1/reports/{w.submitted.pk}/return/",
            {"version": w.submitted.version, "comment": "Per district."},
        ),
        api_everyone("403", office="ok", reviewer="ok", other="404"),
        api=True,
        write=True,
    ),
    Row(
        "API instruction: deadline",
        ("api:instruction-deadline",),
        lambda c, w: c.post(
            f"/api/v1/instructions/{w.instruction.pk}/deadline/",
            {"new_due": "2025-03-31", "reason": "Matrix", "version": w.instruction.version},
        ),
        api_everyone("403", office="ok", other="404"),
        api=True,
        write=True,
    ),
    Row(
        "API instruction: workflow transition (executors take it into work)",
        ("api:instruction-transition",),
        lambda c, w: c.post(
            f"/api/v1/instructions/{w.instruction.pk}/transition/",
            {"action": "start", "version": w.instruction.version},
        ),
        api_everyone("403", own="ok", other="404"),
        api=True,
        write=True,
    ),
    Row(
        "API instruction: request an extension (executors)",
        ("api:instruction-request-extension",),
        lambda c, w: c.post(
            f"/api/v1/instructions/{w.instruction.pk}/request-extension/",
            {"proposed_due": "2025-06-30", "reason": "Matrix", "on": "2024-11-01"},
        ),
        api_everyone("403", own="ok", other="404"),
        api=True,
        write=True,
    ),
    Row(
        "API instruction: decide an extension (the controller: the office)",
        ("api:instruction-decide-extension",),
        lambda c, w: c.post(
            f"/api/v1/instructions/{w.extension.instruction_id}/decide-extension/",
            {"request": w.extension.pk, "decision": "grant", "on": "2024-11-02"},
        ),
        api_everyone("403", office="ok", other="404"),
        api=True,
        write=True,
    ),
    Row(
        "API discipline league table",
        ("api:discipline",),
        lambda c, w: c.get("/api/v1/discipline/", {"plan": w.measure.plan.code}),
        api_everyone(),
        api=True,
        hidden=lambda w: '"key":"AKIMAT"',
    ),
]

ROWS = PAGES + API

OUTCOME = {200: "ok", 201: "ok", 204: "ok", 400: "400", 401: "401", 403: "403", 404: "404"}


def outcome_of(response, write: bool) -> str:
    code = response.status_code
    if code == 302:
        location = response["Location"]
        if location.startswith("/accounts/login/"):
            return "login"
        if location.startswith("/admin/login/"):
            return "admin-login"
        return "done" if write else "redirect"
    return OUTCOME.get(code, str(code))


def check_cell(row, role, world, users, tokens) -> str | None:
    """Run one cell, inside a savepoint rolled back afterwards; None when it answers as the table says."""
    with transaction.atomic():
        try:
            client = api_client(tokens, role) if row.api else web_client(users, role)
            before = snapshot() if row.write else None
            response = row.call(client, world)
            expected, got = row.expected[role], outcome_of(response, row.write)
            if got != expected:
                return f"{row.name} / {role}: expected {expected}, got {got} ({response.status_code})"
            if row.write and (snapshot() != before) != (expected in ("done", "ok")):
                return f"{row.name} / {role}: " + (
                    "allowed, no change" if expected in ("done", "ok") else "refused, yet data changed"
                )
            if row.hidden and expected == "ok":
                body = b"".join(response.streaming_content) if response.streaming else response.content
                shown = row.hidden(world) in body.decode("utf-8-sig")
                if shown != (role != "other"):
                    what = "another agency's item is listed" if shown else "its own item is missing"
                    return f"{row.name} / {role}: {what}"
            return None
        finally:
            transaction.set_rollback(True)


# One test per row over every role, each cell in its own savepoint: fast, and each failure named by its cell.
@pytest.mark.parametrize("row", ROWS, ids=[row.name for row in ROWS])
def test_permission_row(row, world, users, tokens):
    wrong = [check_cell(row, role, world, users, tokens) for role in ROLES]
    assert not [w for w in wrong if w], "\n".join(w for w in wrong if w)


# --- the admin, with and without the staff flag ------------------------------------------------------------

DOMAIN = {
    "reference.territory",
    "reference.sphere",
    "reference.facilitykind",
    "reference.agency",
    "plans.plan",
    "plans.measure",
    "plans.facility",
    "indicators.indicator",
    "instructions.event",
    "instructions.instruction",
    "reports.report",
    "waterbalance.watersource",
    "waterbalance.waterzone",
    "waterbalance.waterassumption",
}
OFFICE_ONLY = {
    "accounts.profile",
    "auth.user",
    "auth.group",
    "notifications.contact",  # addresses and languages: the office's to keep
    "notifications.reminderschedule",
}
# Scoped by agency: another agency's item is not in its lists and its change page does not exist for it.
SCOPED = {
    "plans.measure": "W-01",
    "plans.facility": None,
    "indicators.indicator": None,
    "instructions.instruction": "I-05",
    "reports.report": None,
}


def admin_policy(label: str, role: str) -> dict[str, str]:
    """What each admin view answers a staff user of this role: view pages, the add page, the delete page."""
    if label in DOMAIN:
        view = "ok"
    elif label in OFFICE_ONLY:
        view = "ok" if role == "office" else "403"
    else:  # the libraries' own models (login attempts, tokens, task results): a superuser's, nobody's here
        view = "403"
    add = (
        "ok"
        if (role == "office" and view == "ok") or (label == "reports.report" and role in ("own", "other"))
        else "403"
    )
    delete = "ok" if role == "office" and view == "ok" else "403"
    item = view
    if label in SCOPED and role == "other":
        item = "hidden"
    return {
        "changelist": view,
        "add": add,
        "change": item,
        "history": item,
        "version": item,
        "password": view,  # a user's password: the office's, as the users are
        "delete": delete,  # refused before the admin looks for the item, so it tells nothing
    }


def admin_object(model, world):
    label = model._meta.label_lower
    objects = {
        "plans.measure": world.measure,
        "instructions.instruction": world.instruction,
        "reports.report": world.draft,
        "plans.facility": world.measure.facilities.first(),
        "indicators.indicator": Indicator.objects.get(pk=world.indicator_id),
    }
    return objects.get(label) or model._default_manager.order_by("pk").first()


def admin_outcome(response) -> str:
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith(("/admin/login/", "/accounts/login/")):
            return "admin-login"  # the site's login for anonymous users, the admin's for users without staff
        return "hidden"  # the admin's "doesn't exist" redirect
    if response.status_code == 404:
        return "hidden"
    return OUTCOME.get(response.status_code, str(response.status_code))


ADMIN_MODELS = sorted(admin.site._registry, key=lambda m: m._meta.label_lower)


@pytest.mark.parametrize("model", ADMIN_MODELS, ids=lambda m: m._meta.label_lower)
def test_admin_with_the_staff_flag(model, world, users):
    """Every role, given the staff flag, on every admin view of the model (each role in a savepoint)."""
    for role in ROLES[:-1]:
        with transaction.atomic():
            try:
                check_admin_cell(model, role, world, users)
            finally:
                transaction.set_rollback(True)


def check_admin_cell(model, role, world, users):
    client = web_client(users, role, staff=True)
    meta = model._meta
    obj = admin_object(model, world)
    expected = admin_policy(meta.label_lower, role)
    urls = {
        "changelist": reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"),
        "add": reverse(f"admin:{meta.app_label}_{meta.model_name}_add"),
    }
    if obj is not None:
        for view in ("change", "history", "delete"):
            urls[view] = reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=[obj.pk])
        record = obj.history.order_by("pk").first() if hasattr(obj, "history") else None
        if record is not None:  # one version from the audit history, as the history page links it
            urls["version"] = reverse(
                f"admin:{meta.app_label}_{meta.model_name}_simple_history", args=[obj.pk, record.pk]
            )
        if meta.label_lower == "auth.user":
            urls["password"] = reverse("admin:auth_user_password_change", args=[obj.pk])
    before = snapshot()
    got = {view: admin_outcome(client.get(url)) for view, url in urls.items()}
    assert got == {view: expected[view] for view in urls}, role
    if obj is not None and not (role == "office" and meta.label_lower in OFFICE_ONLY):
        # Posting the delete confirmation deletes only where the policy allows it (the office deleting
        # accounts is left out: the item may be the office's own account).
        response = client.post(urls["delete"], {"post": "yes"})
        deleted = not model._default_manager.filter(pk=obj.pk).exists()
        assert deleted == (expected["delete"] == "ok" and response.status_code == 302 and _deletable(obj)), (
            role
        )
    if expected["delete"] != "ok":
        assert snapshot() == before, role


def _deletable(obj) -> bool:
    from django.contrib.admin.utils import NestedObjects

    collector = NestedObjects(using="default")
    collector.collect([obj])
    return not collector.protected and not getattr(collector, "restricted_objects", {})


@pytest.mark.parametrize("role", ROLES)
def test_without_the_staff_flag_no_role_enters_any_admin_page(role, world, users):
    client = web_client(users, role, staff=False)
    for model in ADMIN_MODELS:
        meta = model._meta
        obj = admin_object(model, world)
        urls = [reverse(f"admin:{meta.app_label}_{meta.model_name}_{v}") for v in ("changelist", "add")]
        if obj is not None:
            urls += [
                reverse(f"admin:{meta.app_label}_{meta.model_name}_{v}", args=[obj.pk])
                for v in ("change", "delete")
            ]
        for url in urls:
            assert admin_outcome(client.get(url)) == "admin-login", url
    before = snapshot()
    client.post(reverse("admin:plans_measure_change", args=[world.measure.pk]), {"title": "x"})
    assert snapshot() == before


@pytest.mark.parametrize("role", ROLES[:-1])
def test_the_admins_delete_action_deletes_only_for_the_office(role, world, users):
    client = web_client(users, role, staff=True)
    before = snapshot()
    response = client.post(
        reverse("admin:reports_report_changelist"),
        {"action": "delete_selected", "_selected_action": [world.draft.pk], "post": "yes"},
    )
    deleted = not Report.objects.filter(pk=world.draft.pk).exists()
    assert deleted == (role == "office"), response.status_code
    if role != "office":
        assert snapshot() == before


# --- commands acting as a user ------------------------------------------------------------------------------

USER_COMMANDS = {"import_plan": {"office": True}}


@pytest.mark.parametrize("role", ROLES[:-1])
def test_import_plan_acting_as_a_user_obeys_the_rules(role, demo, users, tmp_path):
    from baqylau.interop.workbook import export_workbook

    export_workbook(demo, tmp_path / "plan.xlsx")
    args = ("import_plan", str(tmp_path / "plan.xlsx"), "--dry-run", "--user", USERNAMES[role])
    if USER_COMMANDS["import_plan"].get(role):
        call_command(*args, stdout=io.StringIO())
    else:
        with pytest.raises(CommandError, match="may not do this"):
            call_command(*args, stdout=io.StringIO())


# --- completeness ------------------------------------------------------------------------------------------

# Routes that are not actions on the product's data, each with the reason.
NOT_ACTIONS = {
    "admin:login": "the admin's login form",
    "admin:logout": "the admin's logout",
    "admin:password_change": "a user's own password",
    "admin:password_change_done": "a confirmation page",
    "admin:autocomplete": "the admin's search, scoped by each model admin's queryset",
    "admin:jsi18n": "the admin's JavaScript catalogue",
    "admin:view_on_site": "a redirect to a model's page",
    "admin:app_list": "an index of the models one may see",
    "api:None": "the JSON 404 for any other API address (row: API unknown address)",
    "admin:None": "the admin's catch-all, which redirects to its login or answers 404",
}


def _route_names():
    names = set()

    def walk(resolver, namespace):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern, ":".join(filter(None, [namespace, pattern.namespace])))
            elif isinstance(pattern, URLPattern):
                names.add(":".join(filter(None, [namespace, str(pattern.name)])))

    walk(get_resolver(), "")
    return names


def test_every_route_and_command_has_a_row():
    covered = {route for row in ROWS for route in row.routes} | set(NOT_ACTIONS)
    for model in admin.site._registry:  # the admin of every model is swept by the admin tests above
        meta = model._meta
        covered |= {
            f"admin:{meta.app_label}_{meta.model_name}_{v}"
            for v in ("changelist", "add", "change", "delete", "history", "simple_history", "password_change")
        }
    missing = sorted(_route_names() - covered)
    assert not missing, f"routes without a row in the permission matrix: {missing}"
    acting = set()
    for name, app in get_commands().items():
        if not app.startswith("baqylau"):
            continue
        parser = load_command_class(app, name).create_parser("baqylau", name)
        if any("--user" in action.option_strings for action in parser._actions):
            acting.add(name)
    assert acting == set(USER_COMMANDS), "commands taking --user without a row (or a row for none)"
