"""The permission matrix at the rules layer: every role against every write action on real demo items.

H-00 is led by the Ministry of Energy (the `energy` user) with the akimat co-executing; W-01 (KOS-2) is
led by the akimat with the Ministry of Industry and Construction as co-executor.
"""

import pytest

from baqylau.accounts.rules import visible_instructions, visible_measures, visible_reports
from baqylau.instructions.models import Instruction
from baqylau.plans.models import Facility, Measure, Plan
from baqylau.reports.models import Report

ROLES = ("office", "reviewer", "energy", "akimat", "viewer")


def allowed(users, perm, obj=None):
    return {name for name in ROLES if users[name].has_perm(perm, obj)}


def test_editing_a_measure(users):
    assert allowed(users, "plans.change_measure", Measure.objects.get(code="E-01")) == {"office"}  # KazAzot
    assert allowed(users, "plans.change_measure", Measure.objects.get(code="W-01")) == {"office", "akimat"}


def test_co_executors_may_edit_too(users):
    # H-01: akimat leads, the Ministry of Energy co-executes.
    assert allowed(users, "plans.change_measure", Measure.objects.get(code="H-01")) == {
        "office",
        "energy",
        "akimat",
    }


@pytest.mark.parametrize(
    "perm",
    [
        "plans.add_measure",
        "plans.delete_measure",
        "plans.change_plan",
        "plans.change_facility",
        "instructions.change_instruction",
        "instructions.change_deadline",
        "reference.change_agency",
        "waterbalance.change_waterassumption",
        "indicators.change_target",
    ],
)
def test_only_the_office_administers(users, perm):
    obj = {
        "plans.change_plan": Plan.objects.first(),
        "plans.change_facility": Facility.objects.first(),
        "instructions.change_instruction": Instruction.objects.get(code="I-01"),
    }.get(perm)
    assert allowed(users, perm, obj) == {"office"}


def test_reporting_on_items(users):
    assert allowed(users, "reports.report_on_measure", Measure.objects.get(code="H-00")) == {
        "office",
        "energy",
        "akimat",
    }
    assert allowed(users, "reports.report_on_measure", Measure.objects.get(code="W-01")) == {
        "office",
        "akimat",
    }
    one_week = Instruction.objects.get(code="I-01")  # executors: akimat, Ministry of National Economy
    assert allowed(users, "reports.report_on_instruction", one_week) == {"office", "akimat"}


def test_editing_and_reviewing_reports(users):
    draft = Report.objects.create(
        measure=Measure.objects.get(code="H-00"),
        agency=users["energy"].profile.agency,
        period_end="2025-12-31",
        narrative="n",
        progress=10,
    )
    assert allowed(users, "reports.change_report", draft) == {"office", "energy"}
    assert allowed(users, "reports.review_report", draft) == set()  # not submitted yet
    draft.state = Report.State.SUBMITTED
    assert allowed(users, "reports.change_report", draft) == {"office"}
    assert allowed(users, "reports.review_report", draft) == {"office", "reviewer"}
    draft.state = Report.State.ACCEPTED
    assert allowed(users, "reports.review_report", draft) == set()


def test_a_user_without_a_profile_may_do_nothing(users, django_user_model):
    stranger = django_user_model.objects.create_user("stranger", password="x")
    assert not stranger.has_perm("plans.view_measure")
    assert not stranger.has_perm("plans.change_measure", Measure.objects.get(code="H-00"))
    assert not visible_measures(stranger).exists()


def test_agency_staff_see_only_their_own_items(users):
    energy = set(visible_measures(users["energy"]).values_list("code", flat=True))
    assert energy == set(
        Measure.objects.filter(lead_agency__code="MEN").values_list("code", flat=True)
    ) | set(Measure.objects.filter(co_agencies__code="MEN").values_list("code", flat=True))
    assert "W-01" not in energy and "H-00" in energy
    assert set(visible_instructions(users["akimat"]).values_list("code", flat=True)) >= {"I-01", "I-02"}
    assert not visible_instructions(users["energy"]).exists()  # no instruction names the Ministry of Energy
    assert visible_measures(users["viewer"]).count() == Measure.objects.count()
    # Agency staff see the reports on items their agency executes: the akimat co-executes KMG's Kenderli.
    seen = visible_reports(users["akimat"])
    assert set(seen.values_list("agency__code", flat=True)) == {"AKIMAT", "KMG"}
    assert set(visible_reports(users["energy"]).values_list("measure__code", flat=True)) <= set(energy)


@pytest.mark.parametrize(
    ("username", "allowed_to"),
    [("office", True), ("reviewer", False), ("energy", False), ("akimat", False), ("viewer", False)],
)
def test_commands_acting_for_a_user_obey_the_rules(users, tmp_path, username, allowed_to):
    from django.core.management import CommandError, call_command

    from baqylau.plans.models import Measure

    workbook = tmp_path / "plan.xlsx"
    call_command("export_plan", "--plan", "MNG-URGENT-2024", "-o", str(workbook))
    Measure.objects.filter(code="W-01").update(completion_form="changed")
    if allowed_to:
        call_command("import_plan", str(workbook), "--user", username, "--no-progress")
        record = Measure.objects.get(code="W-01").history.first()
        assert (
            Measure.objects.get(code="W-01").completion_form != "changed"
            and record.history_user == users[username]
        )
    else:
        with pytest.raises(CommandError, match="may not do this"):
            call_command("import_plan", str(workbook), "--user", username, "--no-progress")
        assert Measure.objects.get(code="W-01").completion_form == "changed"
