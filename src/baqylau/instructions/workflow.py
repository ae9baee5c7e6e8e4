"""The control workflow of an instruction, and of a request to extend its deadline.

    issued -> in progress -> execution reported -> removed from control (accepted by the controller)
                                               \\-> returned -> in progress / execution reported ...
    any state on control -> withdrawn (by the issuer or the office)
    extension requested (before the current due, with a reason) -> granted (new due, reason kept)
                                                                 -> refused

Executors (the agencies named on the instruction) start, report and request; the controller (a user, or
the project office when none is named) accepts, returns, grants and refuses; the issuer or the office
withdraws; nobody else (``accounts/rules.py``). Every transition checks the rule and the state, saves
with optimistic locking and leaves an audit row naming the user and the transition, so a page, the admin,
the API and the command line cannot take an instruction where it may not go. A parent is removed from
control only when every sub-instruction delegated from it is executed or withdrawn.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from baqylau.core.locking import save_versioned

from .models import DeadlineChange, ExtensionRequest, Instruction
from .services import change_deadline

Stage, Status = Instruction.Stage, Instruction.Status
ON_CONTROL = {Stage.ISSUED, Stage.IN_PROGRESS, Stage.REPORTED, Stage.RETURNED}

# name: (states it starts from, the state it leads to, the permission asked with the instruction)
TRANSITIONS = {
    "start": ({Stage.ISSUED, Stage.RETURNED}, Stage.IN_PROGRESS, "instructions.execute_instruction"),
    "report": (
        {Stage.ISSUED, Stage.IN_PROGRESS, Stage.RETURNED},
        Stage.REPORTED,
        "instructions.execute_instruction",
    ),
    "accept": ({Stage.REPORTED}, Status.EXECUTED, "instructions.control_instruction"),
    "return": ({Stage.REPORTED}, Stage.RETURNED, "instructions.control_instruction"),
    "withdraw": (ON_CONTROL, Status.WITHDRAWN, "instructions.withdraw_instruction"),
}

WRONG_STATE = {
    "start": gettext_lazy(
        "Only an issued or returned instruction can be taken into work; this one is %(state)s."
    ),
    "report": gettext_lazy(
        "Execution can be reported only while the instruction is on control and not already reported; "
        "this one is %(state)s."
    ),
    "accept": gettext_lazy(
        "Only an instruction whose execution is reported can be removed from control; this one is %(state)s."
    ),
    "return": gettext_lazy(
        "Only an instruction whose execution is reported can be returned; this one is %(state)s."
    ),
    "withdraw": gettext_lazy("Only an instruction on control can be withdrawn; this one is %(state)s."),
}
NEEDS_COMMENT = {
    "report": gettext_lazy("Say what was done (the execution report)."),
    "return": gettext_lazy("Say why the execution is not accepted."),
    "withdraw": gettext_lazy("Say why the instruction is withdrawn."),
}
STATE_LABELS = {**dict(Stage.choices), **dict(Status.choices)}


class TransitionRefused(ValidationError):
    pass


def state_label(instruction: Instruction) -> str:
    return str(STATE_LABELS[instruction.state])


def allowed_transitions(instruction: Instruction, user) -> list[str]:
    """What ``user`` may do to ``instruction`` now (the buttons a page shows)."""
    allowed = [
        name
        for name, (sources, _target, perm) in TRANSITIONS.items()
        if instruction.state in sources and user.has_perm(perm, instruction)
    ]
    if "accept" in allowed and open_children(instruction):
        allowed.remove("accept")
    return allowed


def open_children(instruction: Instruction) -> list[str]:
    """Codes of the sub-instructions still on control (a parent is executed only when they are not)."""
    return list(
        instruction.children.filter(status=Status.OPEN).order_by("code").values_list("code", flat=True)
    )


@transaction.atomic
def transition(
    instruction: Instruction,
    user,
    name: str,
    expected_version: int,
    comment: str = "",
    on: dt.date | None = None,
) -> Instruction:
    sources, target, perm = TRANSITIONS[name]
    if instruction.state not in sources:
        raise TransitionRefused(WRONG_STATE[name] % {"state": state_label(instruction)})
    if not user.has_perm(perm, instruction):
        raise PermissionDenied(_("You may not do this to this instruction."))
    comment = comment.strip()
    if name in NEEDS_COMMENT and not comment:
        raise TransitionRefused({"comment": str(NEEDS_COMMENT[name])})
    on = on or timezone.localdate()
    if on < instruction.issued_on:
        raise TransitionRefused({"on": _("The date is before the instruction was issued.")})
    if name == "accept":
        waiting = open_children(instruction)
        if waiting:
            raise TransitionRefused(
                _(
                    "The sub-instructions %(codes)s are still on control; "
                    "the parent is executed only when they are."
                )
                % {"codes": ", ".join(waiting)}
            )
    if name == "withdraw":
        waiting = open_children(instruction)
        if waiting:
            raise TransitionRefused(
                _("Withdraw or close the sub-instructions %(codes)s first.") % {"codes": ", ".join(waiting)}
            )
    if target in (Status.EXECUTED, Status.WITHDRAWN):
        instruction.status, instruction.closed_on = target, on
    else:
        instruction.stage = target
    instruction._history_user = user
    instruction._change_reason = f"{name}: {comment}"[:100] if comment else name
    save_versioned(instruction, expected_version)
    return instruction


def start(instruction, user, expected_version, on=None):
    return transition(instruction, user, "start", expected_version, on=on)


def report_execution(instruction, user, expected_version, comment, on=None):
    return transition(instruction, user, "report", expected_version, comment=comment, on=on)


def remove_from_control(instruction, user, expected_version, comment="", on=None):
    return transition(instruction, user, "accept", expected_version, comment=comment, on=on)


def return_for_rework(instruction, user, expected_version, comment, on=None):
    return transition(instruction, user, "return", expected_version, comment=comment, on=on)


def withdraw(instruction, user, expected_version, comment, on=None):
    return transition(instruction, user, "withdraw", expected_version, comment=comment, on=on)


# --- extensions ---------------------------------------------------------------------------------------


@transaction.atomic
def request_extension(
    instruction: Instruction, user, proposed_due: dt.date, reason: str, on: dt.date | None = None
) -> ExtensionRequest:
    """An executor asks for a later deadline: before the current one, with a reason, one at a time."""
    if not user.has_perm("instructions.request_extension", instruction):
        raise PermissionDenied(_("Only an executor of the instruction may request an extension."))
    on = on or timezone.localdate()
    instruction = Instruction.objects.select_for_update().get(pk=instruction.pk)
    if not instruction.on_control:
        raise TransitionRefused(
            _("Only an instruction on control can be extended; this one is %(state)s.")
            % {"state": state_label(instruction)}
        )
    errors = {}
    if not reason.strip():
        errors["reason"] = _("Say why more time is needed.")
    if on >= instruction.due:
        errors["on"] = _("An extension is requested before the deadline, %(date)s; it has passed.") % {
            "date": instruction.due.isoformat()
        }
    if proposed_due <= instruction.due:
        errors["proposed_due"] = _("The new deadline must be later than the current one, %(date)s.") % {
            "date": instruction.due.isoformat()
        }
    elif instruction.parent_id and proposed_due > instruction.parent.due:
        errors["proposed_due"] = _(
            "A sub-instruction is due by its parent's due date, %(date)s; ask the parent's controller first."
        ) % {"date": instruction.parent.due.isoformat()}
    if instruction.extension_requests.filter(state=ExtensionRequest.State.REQUESTED).exists():
        errors["instruction"] = _("An extension request is already awaiting a decision.")
    if errors:
        raise TransitionRefused(errors)
    request = ExtensionRequest(
        instruction=instruction,
        requested_on=on,
        requested_by=user,
        due_then=instruction.due,
        proposed_due=proposed_due,
        reason=reason.strip(),
    )
    request._history_user = user
    request.save()
    profile = getattr(user, "profile", None)
    _notifications().extension_requested(
        instruction, proposed_due, request.reason, getattr(profile, "agency", None), on
    )
    return request


def _notifications():
    """The reminders' rules for extensions: the other side is told (imported late: notifications
    reads instructions, not the other way round at import time)."""
    from baqylau.notifications import reminders

    return reminders


def _decidable(request: ExtensionRequest, user) -> None:
    if request.state != ExtensionRequest.State.REQUESTED:
        raise TransitionRefused(
            _("This request was already decided: %(state)s.") % {"state": request.get_state_display()}
        )
    if not user.has_perm("instructions.control_instruction", request.instruction):
        raise PermissionDenied(_("Only the controller or the project office decides on an extension."))
    if not request.instruction.on_control:
        raise TransitionRefused(_("The instruction is no longer on control."))


def _claim(request: ExtensionRequest, state: str) -> None:
    """Decide once: two controllers deciding at the same moment cannot both succeed."""
    claimed = ExtensionRequest.objects.filter(pk=request.pk, state=ExtensionRequest.State.REQUESTED).update(
        state=state
    )
    if not claimed:
        raise TransitionRefused(_("This request was decided meanwhile."))


@transaction.atomic
def grant_extension(
    request: ExtensionRequest, user, comment: str = "", on: dt.date | None = None
) -> DeadlineChange:
    """The deadline moves to the proposed date; the request's reason is kept with the change."""
    _decidable(request, user)
    on = on or timezone.localdate()
    if on < request.requested_on:
        raise TransitionRefused({"on": _("A decision cannot come before the request.")})
    instruction = Instruction.objects.select_for_update().get(pk=request.instruction_id)
    if instruction.due != request.due_then:
        raise TransitionRefused(_("The deadline moved since the request; it must be made again."))
    if instruction.parent_id and request.proposed_due > instruction.parent.due:
        raise TransitionRefused(
            _("A sub-instruction is due by its parent's due date, %(date)s.")
            % {"date": instruction.parent.due.isoformat()}
        )
    _claim(request, ExtensionRequest.State.GRANTED)
    instruction._history_user = user
    instruction._change_reason = "extension granted"
    change = change_deadline(
        instruction,
        request.proposed_due,
        request.reason,
        on,
        decided_by=user.get_full_name() or user.get_username(),
    )
    request.refresh_from_db()
    request.decided_on, request.decided_by, request.decision_comment = on, user, comment.strip()
    request.deadline_change = change
    request._history_user = user
    request.save()
    _notifications().extension_decided(instruction, True, request.proposed_due, request.decision_comment, on)
    return change


@transaction.atomic
def refuse_extension(
    request: ExtensionRequest, user, comment: str, on: dt.date | None = None
) -> ExtensionRequest:
    _decidable(request, user)
    if not comment.strip():
        raise TransitionRefused({"comment": _("Say why the extension is refused.")})
    on = on or timezone.localdate()
    if on < request.requested_on:
        raise TransitionRefused({"on": _("A decision cannot come before the request.")})
    _claim(request, ExtensionRequest.State.REFUSED)
    request.refresh_from_db()
    request.decided_on, request.decided_by, request.decision_comment = on, user, comment.strip()
    request._history_user = user
    request.save()
    _notifications().extension_decided(request.instruction, False, None, request.decision_comment, on)
    return request
