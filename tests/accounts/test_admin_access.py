"""The admin obeys the same rules: who may open it, and who may change what there."""

import datetime as dt

import pytest
from django.urls import reverse

from baqylau.instructions.models import Instruction
from baqylau.plans.models import Measure


def change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def form_data(client, url):
    """The change form as the browser would post it back (every field, as loaded)."""
    response = client.get(url)
    assert response.status_code == 200
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        data[name] = [str(v) for v in value] if isinstance(value, list | tuple) else str(value)
    for formset in response.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in management.fields:
            data[f"{management.prefix}-{name}"] = management[name].value()
        for i, inline_form in enumerate(formset.formset.forms):
            for name in inline_form.fields:
                value = inline_form[name].value()
                if value is not None:
                    data[f"{formset.formset.prefix}-{i}-{name}"] = str(value)
    return data


@pytest.mark.parametrize("username", ["energy", "akimat", "viewer"])
def test_agency_staff_and_viewers_do_not_enter_the_admin(client, users, username):
    client.force_login(users[username])
    response = client.get(change_url(Measure.objects.get(code="H-00")))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_a_reviewer_sees_a_measure_but_cannot_change_it(client, users):
    client.force_login(users["reviewer"])
    measure = Measure.objects.get(code="W-01")
    url = change_url(measure)
    data = form_data(client, url)
    data["completion_form"] = "changed by the reviewer"
    response = client.post(url, data)
    assert response.status_code == 403
    assert Measure.objects.get(pk=measure.pk).completion_form != "changed by the reviewer"


def test_the_office_changes_a_measure_and_the_history_says_so(client, users):
    client.force_login(users["office"])
    measure = Measure.objects.get(code="W-01")
    data = form_data(client, change_url(measure))
    data["completion_form"] = "plant in operation"
    response = client.post(change_url(measure), data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    stored = Measure.objects.get(pk=measure.pk)
    assert stored.completion_form == "plant in operation" and stored.version == measure.version + 1
    record = stored.history.first()
    assert (record.history_user, record.history_interface) == (users["office"], "admin")


def test_two_admin_tabs_on_one_measure_conflict_instead_of_overwriting(client, users):
    client.force_login(users["office"])
    measure = Measure.objects.get(code="W-01")
    first_tab, second_tab = form_data(client, change_url(measure)), form_data(client, change_url(measure))
    first_tab["completion_form"] = "first tab's words"
    assert client.post(change_url(measure), first_tab).status_code == 302
    second_tab["budget_source"] = "second tab's source"
    response = client.post(change_url(measure), second_tab)
    assert response.status_code == 200  # the form again, with the conflict and the user's input
    assert "changed after you opened it" in response.content.decode()
    assert "second tab&#x27;s source" in response.content.decode()
    stored = Measure.objects.get(pk=measure.pk)
    assert stored.completion_form == "first tab's words" and stored.budget_source != "second tab's source"


# --- an agency editor given the staff flag: the admin applies the same rules as the pages and the API ---


@pytest.fixture
def staff_energy(client, users):
    users["energy"].is_staff = True
    users["energy"].save()
    client.force_login(users["energy"])
    return client


def test_a_staff_agency_editor_changes_only_the_execution_fields_of_its_measure(staff_energy):
    measure = Measure.objects.get(code="H-00")  # led by the Ministry of Energy
    url = change_url(measure)
    data = form_data(staff_energy, url)
    data.update(title="Renamed by the ministry", due="2030-01-01", completion_form="pipes laid")
    response = staff_energy.post(url, data)
    assert response.status_code == 302
    stored = Measure.objects.get(pk=measure.pk)
    assert (stored.title, stored.due) == (measure.title, measure.due)  # office-only fields: untouched
    assert stored.completion_form == "pipes laid"


def test_a_staff_agency_editor_cannot_accept_its_own_draft_in_the_admin(staff_energy, users):
    from baqylau.reports.models import Report

    report = Report.objects.create(
        measure=Measure.objects.get(code="H-00"),
        agency=users["energy"].profile.agency,
        period_end=dt.date(2025, 12, 31),
        narrative="Done, we say",
        progress=100,
    )
    url = change_url(report)
    data = form_data(staff_energy, url)
    assert "state" in data
    data["state"] = "accepted"
    response = staff_energy.post(url, data)
    assert response.status_code == 200 and "not from draft to accepted" in response.content.decode()
    assert Report.objects.get(pk=report.pk).state == "draft"
    data["state"] = "submitted"  # the workflow's own step is allowed, through the workflow
    assert staff_energy.post(url, data).status_code == 302
    stored = Report.objects.get(pk=report.pk)
    assert stored.state == "submitted" and stored.submitted_on is not None
    # Submitted, it is no longer the agency's to change, let alone to accept.
    assert staff_energy.post(url, {**form_data_as_office(users, url), "state": "accepted"}).status_code == 403
    assert Report.objects.get(pk=report.pk).state == "submitted"


def form_data_as_office(users, url):
    from django.test import Client

    office = Client()
    office.force_login(users["office"])
    return form_data(office, url)


def test_the_office_moves_a_report_in_the_admin_only_along_the_workflow(client, users):
    from baqylau.reports.models import Report

    client.force_login(users["office"])
    report = Report.objects.create(
        measure=Measure.objects.get(code="H-00"),
        agency=users["energy"].profile.agency,
        period_end=dt.date(2025, 12, 31),
        narrative="Words",
    )
    url = change_url(report)
    data = form_data(client, url)
    data["state"] = "accepted"  # a draft is never accepted without being submitted
    response = client.post(url, data)
    assert response.status_code == 200 and "not from draft to accepted" in response.content.decode()
    data["state"] = "submitted"
    assert client.post(url, data).status_code == 302
    data = form_data(client, url)
    data["state"] = "returned"
    response = client.post(url, data)
    assert response.status_code == 200 and "Say why the report is returned." in response.content.decode()
    data["review_comment"] = "Give the km per district."
    assert client.post(url, data).status_code == 302
    stored = Report.objects.get(pk=report.pk)
    assert (stored.state, stored.reviewed_by) == ("returned", users["office"])


def test_a_staff_agency_editor_sees_only_its_own_items_in_the_admin(staff_energy):
    listed = staff_energy.get(reverse("admin:plans_measure_changelist"), {"all": ""})
    codes = {m.code for m in listed.context["cl"].result_list}
    assert "H-00" in codes and "W-01" not in codes  # W-01 belongs to the akimat
    other = Measure.objects.get(code="W-01")
    assert staff_energy.get(change_url(other)).status_code in (302, 404)
    assert staff_energy.get(reverse("admin:reports_report_add")).status_code == 200


def test_a_staff_agency_editor_cannot_add_a_report_on_another_agencys_measure(staff_energy, users):
    from baqylau.reports.models import Report

    akimat_measure = Measure.objects.get(code="W-01")
    response = staff_energy.post(
        reverse("admin:reports_report_add"),
        {
            "measure": akimat_measure.pk,
            "period_end": "2025-12-31",
            "narrative": "Not ours",
            "executed": "",
            "source": "",
            "estimate_note": "",
        },
    )
    assert response.status_code == 200
    assert not Report.objects.filter(narrative="Not ours").exists()


@pytest.mark.parametrize("model", [Measure, Instruction])
def test_an_admin_change_posted_without_its_version_is_a_conflict(client, users, model):
    client.force_login(users["office"])
    obj = model.objects.order_by("pk").first()
    url = change_url(obj)
    data = form_data(client, url)
    del data["opened_version"]
    before = (model.objects.get(pk=obj.pk).version, model.history.count())
    response = client.post(url, data)
    assert response.status_code == 200 and "was not sent" in response.content.decode()
    assert (model.objects.get(pk=obj.pk).version, model.history.count()) == before
