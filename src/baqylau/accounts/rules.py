"""Who may do what: the one place the permission rules live.

Pages, the admin, the API and the command line all ask ``user.has_perm(name, obj)`` (django-rules'
ObjectPermissionBackend answers from here) and list what a user may see with ``visible_*``.

Roles: the project office administers everything; a reviewer accepts or returns reports; an agency
editor edits and reports only on measures and instructions where their agency is lead, co-executor or
executor, and sees only those; a viewer reads everything and changes nothing.
"""

import rules
from django.db.models import Q

from .roles import role_of


@rules.predicate
def is_office(user):
    return role_of(user).name == "office"


@rules.predicate
def is_reviewer(user):
    return role_of(user).name == "reviewer"


@rules.predicate
def is_agency_editor(user):
    return role_of(user).name == "agency_editor"


@rules.predicate
def has_role(user):
    return role_of(user).name is not None


def _agency(user):
    return role_of(user).agency_id


@rules.predicate
def executes_measure(user, measure):
    """The user's agency leads the measure or co-executes it. No object: the user may for some."""
    if measure is None:
        return _agency(user) is not None
    agency = _agency(user)
    return agency is not None and (
        measure.lead_agency_id == agency or measure.co_agencies.filter(pk=agency).exists()
    )


@rules.predicate
def executes_instruction(user, instruction):
    if instruction is None:
        return _agency(user) is not None
    agency = _agency(user)
    return agency is not None and instruction.executors.filter(pk=agency).exists()


@rules.predicate
def controls_instruction(user, instruction):
    """The user is the instruction's named controller. No object: the user controls some."""
    if instruction is None:
        return user.is_authenticated
    return instruction.controller_id is not None and instruction.controller_id == user.pk


@rules.predicate
def issued_instruction(user, instruction):
    if instruction is None:
        return user.is_authenticated
    return instruction.issuer_id is not None and instruction.issuer_id == user.pk


@rules.predicate
def reports_for_own_agency(user, report):
    if report is None:
        return _agency(user) is not None
    return report.agency_id == _agency(user) and (
        (report.measure_id and executes_measure(user, report.measure))
        or (report.instruction_id and executes_instruction(user, report.instruction))
    )


@rules.predicate
def report_is_editable(user, report):
    return report is None or report.state in ("draft", "returned")


@rules.predicate
def report_awaits_review(user, report):
    return report is None or report.state == "submitted"


# Reading: every role reads; agency editors read their own items (see visible_* below).
for model in ("plan", "measure", "facility"):
    rules.add_perm(f"plans.view_{model}", has_role)
rules.add_perm("plans.add_plan", is_office)
rules.add_perm("plans.change_plan", is_office)
rules.add_perm("plans.delete_plan", is_office)
rules.add_perm("plans.add_measure", is_office)
rules.add_perm("plans.change_measure", is_office | (is_agency_editor & executes_measure))
rules.add_perm("plans.delete_measure", is_office)
rules.add_perm("plans.add_facility", is_office)
rules.add_perm("plans.change_facility", is_office)
rules.add_perm("plans.delete_facility", is_office)

for app, models in {
    "reference": ("territory", "population", "sphere", "agency", "facilitykind"),
    "indicators": ("indicator", "target", "actual"),
    "instructions": ("event", "instruction", "deadlinechange"),
    "waterbalance": ("watersource", "watersourcestage", "waterzone", "waterassumption"),
}.items():
    for model in models:
        rules.add_perm(f"{app}.view_{model}", has_role)
        for action in ("add", "change", "delete"):
            rules.add_perm(f"{app}.{action}_{model}", is_office)
# An executing agency records indicator actuals for its own measures through its reports.
rules.add_perm("instructions.change_deadline", is_office)
# Instruction control (instructions/workflow.py): executors take it into work, report and ask for more
# time; the controller decides, and the project office for every instruction; the issuer or the office
# withdraws. A viewer or reviewer who is none of these does nothing.
rules.add_perm("instructions.execute_instruction", has_role & is_agency_editor & executes_instruction)
rules.add_perm("instructions.request_extension", has_role & is_agency_editor & executes_instruction)
rules.add_perm("instructions.control_instruction", has_role & (is_office | controls_instruction))
rules.add_perm("instructions.withdraw_instruction", has_role & (is_office | issued_instruction))

# The admin asks has_module_perms(app_label); django-rules answers it with the app label as the name.
for app in ("plans", "reference", "indicators", "instructions", "reports", "waterbalance"):
    rules.add_perm(app, has_role)
rules.add_perm("accounts", is_office)
# Who has which role and agency is the project office's business, as the user accounts are.
for action in ("view", "add", "change", "delete"):
    rules.add_perm(f"accounts.{action}_profile", is_office)
rules.add_perm("auth", is_office)
for model in ("user", "group"):
    for action in ("view", "add", "change", "delete"):
        rules.add_perm(f"auth.{action}_{model}", is_office)

# Notifications: contacts hold addresses and languages, the project office's to keep; the outbox is the
# office's; everyone with a role sees what was sent to them (the page lists only their own).
for model in ("contact", "reminderschedule"):
    for action in ("view", "add", "change", "delete"):
        rules.add_perm(f"notifications.{action}_{model}", is_office)
rules.add_perm("notifications", is_office)
rules.add_perm("notifications.view_outbox", is_office)
rules.add_perm("notifications.view_own", has_role)

rules.add_perm("reports.view_report", has_role)
rules.add_perm("reports.add_report", is_office | is_agency_editor)
rules.add_perm(
    "reports.change_report", is_office | (is_agency_editor & reports_for_own_agency & report_is_editable)
)
rules.add_perm(
    "reports.submit_report", is_office | (is_agency_editor & reports_for_own_agency & report_is_editable)
)
rules.add_perm("reports.review_report", (is_office | is_reviewer) & report_awaits_review)
rules.add_perm("reports.delete_report", is_office)
# Reporting on an item: the permission is asked with the measure or instruction as the object.
rules.add_perm("reports.report_on_measure", is_office | (is_agency_editor & executes_measure))
rules.add_perm("reports.report_on_instruction", is_office | (is_agency_editor & executes_instruction))


def sees_every_item(user) -> bool:
    """Whether the user's lists are whole plans (then stored whole-plan roll-ups answer for them)."""
    role = role_of(user)
    return role.name is not None and role.name != "agency_editor"


def measure_scope(user) -> Q:
    """Which measures the user sees: all, or for agency staff their agency's own."""
    role = role_of(user)
    if role.name == "agency_editor":
        return Q(lead_agency_id=role.agency_id) | Q(co_agencies__id=role.agency_id)
    return Q() if role.name else Q(pk__in=[])


def instruction_scope(user) -> Q:
    """Agency staff see what their agency executes, and what they control or issued themselves."""
    role = role_of(user)
    if role.name == "agency_editor":
        return Q(executors__id=role.agency_id) | Q(controller_id=user.pk) | Q(issuer_id=user.pk)
    return Q() if role.name else Q(pk__in=[])


def report_scope(user) -> Q:
    """Agency staff see the reports on the items their agency executes (its own and its partners')."""
    role = role_of(user)
    if role.name == "agency_editor":
        a = role.agency_id
        return (
            Q(agency_id=a)
            | Q(measure__lead_agency_id=a)
            | Q(measure__co_agencies__id=a)
            | Q(instruction__executors__id=a)
        )
    return Q() if role.name else Q(pk__in=[])


def _narrowed(queryset, scope: Q):
    """The queryset within ``scope``; DISTINCT only when the scope joins a to-many relation (an agency's
    items through co-executors), since on a whole plan it would make the database sort every row."""
    if scope == Q():
        return queryset
    return queryset.filter(scope).distinct()


def visible_measures(user, queryset=None):
    from baqylau.plans.models import Measure

    return _narrowed(queryset if queryset is not None else Measure.objects.all(), measure_scope(user))


def visible_instructions(user, queryset=None):
    from baqylau.instructions.models import Instruction

    return _narrowed(queryset if queryset is not None else Instruction.objects.all(), instruction_scope(user))


def visible_reports(user, queryset=None):
    from baqylau.reports.models import Report

    return _narrowed(queryset if queryset is not None else Report.objects.all(), report_scope(user))


def notification_scope(user) -> Q:
    """The notifications a user sees as theirs: sent to their own contact, to their agency's mailbox, or,
    for the project office, to the office's mailboxes. Never another agency's."""
    role = role_of(user)
    if role.name is None:
        return Q(pk__in=[])
    mine = Q(user_id=user.pk)
    if role.name == "agency_editor":
        return mine | Q(contact__agency_id=role.agency_id, contact__user__isnull=True)
    if role.name == "office":
        return mine | Q(contact__agency__isnull=True, contact__user__isnull=True)
    return mine


def visible_notifications(user, queryset=None):
    from baqylau.notifications.models import Notification

    return (queryset if queryset is not None else Notification.objects.all()).filter(notification_scope(user))
