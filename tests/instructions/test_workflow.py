"""Instruction control from the users' side: every transition and every refusal (instructions/workflow)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from baqylau.core.locking import EditConflict
from baqylau.instructions import workflow
from baqylau.instructions.models import ExtensionRequest, Instruction
from baqylau.instructions.workflow import TransitionRefused
from baqylau.reference.models import Agency

D = dt.date
ISSUED, DUE = D(2025, 1, 10), D(2025, 3, 1)


def make(plan, code="I-T1", parent=None, due=DUE, issuer=None, controller=None, executors=("AKIMAT", "MNE")):
    agencies = [Agency.objects.get(code=c) for c in executors]
    instruction = Instruction(
        plan=plan,
        code=code,
        text="Test instruction",
        issued_on=ISSUED,
        issued_by="Akim",
        issuer=issuer,
        controller=controller,
        due=due,
        responsible=agencies[0],
        parent=parent,
    )
    instruction.full_clean()
    instruction.save()
    instruction.executors.set(agencies)
    return instruction


@pytest.fixture
def instruction(demo):
    return make(demo)


def fresh(instruction):
    return Instruction.objects.get(pk=instruction.pk)


def test_a_new_instruction_is_issued_with_its_due_as_the_original(instruction):
    assert instruction.state == "issued"
    assert instruction.original_due == DUE and instruction.due == DUE
    assert [a.code for a in instruction.co_executors()] == ["MNE"]


def test_executor_works_reports_and_the_office_removes_it_from_control(instruction, users):
    i = workflow.start(instruction, users["akimat"], instruction.version, on=D(2025, 1, 12))
    assert i.state == "in_progress"
    i = workflow.report_execution(
        fresh(i), users["akimat"], i.version, "done: plan amended", on=D(2025, 2, 1)
    )
    assert i.state == "reported"
    i = workflow.remove_from_control(fresh(i), users["office"], i.version, on=D(2025, 2, 3))
    i = fresh(i)
    assert (i.state, i.status, i.closed_on) == ("executed", "executed", D(2025, 2, 3))
    reasons = list(
        i.history.order_by("history_id").values_list("history_change_reason", "history_user__username")
    )
    assert reasons[-3:] == [
        ("start", "akimat"),
        ("report: done: plan amended", "akimat"),
        ("accept", "office"),
    ]


def test_the_controller_returns_it_with_a_reason_and_the_executor_reports_again(instruction, users):
    i = workflow.report_execution(instruction, users["akimat"], instruction.version, "done")
    with pytest.raises(TransitionRefused) as refused:
        workflow.return_for_rework(fresh(i), users["office"], i.version, "  ")
    assert "comment" in refused.value.message_dict
    i = workflow.return_for_rework(fresh(i), users["office"], i.version, "the plan is not amended yet")
    assert fresh(i).state == "returned"
    i = workflow.start(fresh(i), users["akimat"], i.version)
    i = workflow.report_execution(fresh(i), users["akimat"], i.version, "amended now")
    assert fresh(i).state == "reported"


def test_a_named_controller_decides_and_an_executor_or_other_user_may_not(demo, users):
    i = make(demo, controller=users["reviewer"])
    i = workflow.report_execution(i, users["akimat"], i.version, "done")
    for name in ("akimat", "energy", "viewer"):
        with pytest.raises(PermissionDenied):
            workflow.remove_from_control(fresh(i), users[name], i.version)
    other = make(demo, code="I-T2")
    other = workflow.report_execution(other, users["akimat"], other.version, "done")
    with pytest.raises(PermissionDenied):  # the reviewer controls the first one only
        workflow.remove_from_control(fresh(other), users["reviewer"], other.version)
    workflow.remove_from_control(fresh(i), users["reviewer"], i.version)
    assert fresh(i).status == "executed"


def test_only_executors_take_into_work_and_report(instruction, users):
    for name in ("energy", "viewer", "reviewer", "office"):
        with pytest.raises(PermissionDenied):
            workflow.start(fresh(instruction), users[name], instruction.version)
        with pytest.raises(PermissionDenied):
            workflow.report_execution(fresh(instruction), users[name], instruction.version, "done")


def test_reporting_needs_what_was_done_and_the_right_state(instruction, users):
    with pytest.raises(TransitionRefused) as refused:
        workflow.report_execution(instruction, users["akimat"], instruction.version, "")
    assert "comment" in refused.value.message_dict
    i = workflow.report_execution(fresh(instruction), users["akimat"], instruction.version, "done")
    with pytest.raises(TransitionRefused, match="not already reported"):
        workflow.report_execution(fresh(i), users["akimat"], i.version, "again")
    with pytest.raises(TransitionRefused, match="issued or returned"):
        workflow.start(fresh(i), users["akimat"], i.version)


def test_accepting_or_returning_needs_a_reported_execution(instruction, users):
    with pytest.raises(TransitionRefused, match="execution is reported"):
        workflow.remove_from_control(instruction, users["office"], instruction.version)
    with pytest.raises(TransitionRefused, match="execution is reported"):
        workflow.return_for_rework(instruction, users["office"], instruction.version, "no")


def test_a_stale_version_is_refused(instruction, users):
    workflow.start(fresh(instruction), users["akimat"], instruction.version)
    with pytest.raises(EditConflict):
        workflow.report_execution(instruction, users["akimat"], instruction.version, "done")


def test_the_issuer_or_the_office_withdraws_with_a_reason(demo, users):
    i = make(demo, issuer=users["reviewer"])
    for name in ("akimat", "energy", "viewer"):
        with pytest.raises(PermissionDenied):
            workflow.withdraw(fresh(i), users[name], i.version, "no longer needed")
    with pytest.raises(TransitionRefused) as refused:
        workflow.withdraw(fresh(i), users["reviewer"], i.version, "")
    assert "comment" in refused.value.message_dict
    i = workflow.withdraw(
        fresh(i), users["reviewer"], i.version, "overtaken by the new plan", on=D(2025, 2, 1)
    )
    assert (fresh(i).state, fresh(i).closed_on) == ("withdrawn", D(2025, 2, 1))
    with pytest.raises(TransitionRefused, match="on control"):
        workflow.withdraw(fresh(i), users["office"], fresh(i).version, "again")
    other = make(demo, code="I-T2")
    workflow.withdraw(other, users["office"], other.version, "duplicate")
    assert fresh(other).status == "withdrawn"


# --- delegation ---------------------------------------------------------------------------------------


def test_a_parent_is_removed_from_control_only_when_its_sub_instructions_are(instruction, users):
    child = make(
        instruction.plan, code="I-T1.1", parent=instruction, due=D(2025, 2, 20), executors=("AKIMAT",)
    )
    parent = workflow.report_execution(instruction, users["akimat"], instruction.version, "done")
    assert "accept" not in workflow.allowed_transitions(fresh(parent), users["office"])
    with pytest.raises(TransitionRefused, match=r"I-T1\.1"):
        workflow.remove_from_control(fresh(parent), users["office"], parent.version)
    with pytest.raises(TransitionRefused, match=r"I-T1\.1"):
        workflow.withdraw(fresh(parent), users["office"], parent.version, "no")
    child = workflow.report_execution(child, users["akimat"], child.version, "done")
    workflow.remove_from_control(fresh(child), users["office"], child.version)
    workflow.remove_from_control(fresh(parent), users["office"], parent.version)
    assert fresh(parent).status == "executed"


def test_a_sub_instruction_is_due_by_its_parent_and_delegation_cannot_loop(instruction):
    with pytest.raises(Exception, match="parent's due date"):
        make(instruction.plan, code="I-T1.1", parent=instruction, due=D(2025, 3, 2))
    child = make(instruction.plan, code="I-T1.1", parent=instruction, due=DUE)
    instruction.parent = child
    with pytest.raises(Exception, match="circle"):
        instruction.full_clean()


def test_what_was_ordered_at_issue_does_not_change(instruction):
    instruction.original_due = D(2025, 4, 1)
    with pytest.raises(Exception, match="ordered at issue"):
        instruction.full_clean()


# --- extensions ---------------------------------------------------------------------------------------


def test_an_executor_requests_an_extension_before_the_deadline_and_the_office_grants_it(instruction, users):
    request = workflow.request_extension(
        instruction, users["akimat"], D(2025, 4, 1), "the contractor needs another month", on=D(2025, 2, 20)
    )
    assert request.state == "requested" and request.due_then == DUE
    change = workflow.grant_extension(request, users["office"], on=D(2025, 2, 22))
    i, request = fresh(instruction), ExtensionRequest.objects.get(pk=request.pk)
    assert (i.due, i.original_due) == (D(2025, 4, 1), DUE)
    assert (change.old_due, change.new_due, change.reason) == (
        DUE,
        D(2025, 4, 1),
        "the contractor needs another month",
    )
    assert (request.state, request.decided_by, request.deadline_change) == (
        "granted",
        users["office"],
        change,
    )
    assert request.history.filter(state="granted", history_user=users["office"]).exists()


def test_an_extension_is_refused_with_a_reason(instruction, users):
    request = workflow.request_extension(
        instruction, users["akimat"], D(2025, 4, 1), "need time", on=D(2025, 2, 1)
    )
    with pytest.raises(TransitionRefused) as refused:
        workflow.refuse_extension(request, users["office"], "")
    assert "comment" in refused.value.message_dict
    workflow.refuse_extension(request, users["office"], "the term was agreed", on=D(2025, 2, 2))
    request.refresh_from_db()
    assert (request.state, request.decision_comment) == ("refused", "the term was agreed")
    assert fresh(instruction).due == DUE
    with pytest.raises(TransitionRefused, match="already decided"):
        workflow.grant_extension(request, users["office"])
    with pytest.raises(TransitionRefused, match="already decided"):
        workflow.refuse_extension(request, users["office"], "again")


@pytest.mark.parametrize(
    ("on", "proposed", "reason", "field"),
    [
        (D(2025, 3, 1), D(2025, 4, 1), "late", "on"),  # on the deadline is no longer before it
        (D(2025, 3, 5), D(2025, 4, 1), "late", "on"),
        (D(2025, 2, 1), D(2025, 3, 1), "same day", "proposed_due"),
        (D(2025, 2, 1), D(2025, 2, 15), "earlier", "proposed_due"),
        (D(2025, 2, 1), D(2025, 4, 1), "  ", "reason"),
    ],
)
def test_an_extension_request_is_refused_after_the_deadline_or_without_reason(
    instruction, users, on, proposed, reason, field
):
    with pytest.raises(TransitionRefused) as refused:
        workflow.request_extension(instruction, users["akimat"], proposed, reason, on=on)
    assert field in refused.value.message_dict
    assert not instruction.extension_requests.exists()


def test_only_executors_request_and_only_controllers_decide(instruction, users):
    for name in ("energy", "viewer", "reviewer", "office"):
        with pytest.raises(PermissionDenied):
            workflow.request_extension(instruction, users[name], D(2025, 4, 1), "time", on=D(2025, 2, 1))
    request = workflow.request_extension(
        instruction, users["akimat"], D(2025, 4, 1), "time", on=D(2025, 2, 1)
    )
    for name in ("akimat", "energy", "viewer", "reviewer"):
        with pytest.raises(PermissionDenied):
            workflow.grant_extension(request, users[name])
        with pytest.raises(PermissionDenied):
            workflow.refuse_extension(request, users[name], "no")


def test_one_request_at_a_time_and_only_on_control(instruction, users):
    workflow.request_extension(instruction, users["akimat"], D(2025, 4, 1), "time", on=D(2025, 2, 1))
    with pytest.raises(TransitionRefused) as refused:
        workflow.request_extension(instruction, users["akimat"], D(2025, 5, 1), "more", on=D(2025, 2, 2))
    assert "instruction" in refused.value.message_dict
    done = make(instruction.plan, code="I-T2")
    workflow.withdraw(done, users["office"], done.version, "duplicate")
    with pytest.raises(TransitionRefused, match="on control"):
        workflow.request_extension(fresh(done), users["akimat"], D(2025, 4, 1), "time", on=D(2025, 2, 1))


def test_a_sub_instruction_is_not_extended_beyond_its_parent(instruction, users):
    child = make(
        instruction.plan, code="I-T1.1", parent=instruction, due=D(2025, 2, 20), executors=("AKIMAT",)
    )
    with pytest.raises(TransitionRefused) as refused:
        workflow.request_extension(child, users["akimat"], D(2025, 3, 10), "time", on=D(2025, 2, 1))
    assert "proposed_due" in refused.value.message_dict
    workflow.request_extension(child, users["akimat"], D(2025, 3, 1), "time", on=D(2025, 2, 1))


def test_a_request_is_void_once_the_deadline_moved_or_the_instruction_closed(instruction, users):
    from baqylau.instructions.services import change_deadline

    request = workflow.request_extension(
        instruction, users["akimat"], D(2025, 4, 1), "time", on=D(2025, 2, 1)
    )
    change_deadline(fresh(instruction), D(2025, 3, 15), "the office moved it", D(2025, 2, 2))
    with pytest.raises(TransitionRefused, match="moved since"):
        workflow.grant_extension(request, users["office"], on=D(2025, 2, 3))
    i = fresh(instruction)
    workflow.withdraw(i, users["office"], i.version, "duplicate")
    request.refresh_from_db()
    with pytest.raises(TransitionRefused, match="no longer on control"):
        workflow.grant_extension(request, users["office"])


def test_the_other_side_is_told_of_an_extension_request_and_its_decision(instruction, users):
    """The workflow itself tells them: the office when an executor asks, the executors when it is
    decided (written to the outbox inside the same transaction, then sent by the queue)."""
    from baqylau.notifications.models import Contact, Notification
    from baqylau.reference.models import Agency

    Contact.objects.create(email="office@example.kz", language="ru")
    Contact.objects.create(agency=Agency.objects.get(code="AKIMAT"), email="akimat@example.kz", language="kk")
    request = workflow.request_extension(
        instruction, users["akimat"], D(2025, 4, 1), "the contractor needs another month", on=D(2025, 2, 20)
    )
    asked = Notification.objects.filter(rule="extension_requested")
    assert [n.recipient for n in asked] == ["office@example.kz"]
    workflow.refuse_extension(request, users["office"], "No: the term is the law's.", on=D(2025, 2, 21))
    told = Notification.objects.filter(rule="extension_decided")
    assert [n.recipient for n in told] == ["akimat@example.kz"]
    assert "No: the term is the law's." in told.get().body
