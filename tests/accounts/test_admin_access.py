"""The admin obeys the same rules: who may open it, and who may change what there."""

import pytest
from django.urls import reverse

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
