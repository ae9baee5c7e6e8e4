"""What the security tests share: the admin change form as a browser posts it, and a snapshot of the data."""

from django.urls import reverse

from baqylau.indicators.models import Actual, Indicator
from baqylau.instructions.models import DeadlineChange, Event, Instruction
from baqylau.interop.models import WorkbookImportJob
from baqylau.plans.models import Facility, Measure, Plan
from baqylau.reference.models import Agency, Sphere, Territory
from baqylau.reports.models import Report

WATCHED = (Plan, Measure, Facility, Indicator, Actual, Event, Instruction, DeadlineChange, Report)
WATCHED += (Agency, Sphere, Territory)
UNAUDITED = (WorkbookImportJob,)  # rows without an audit history


def admin_url(obj, action="change"):
    meta = obj._meta
    args = [obj.pk] if action in ("change", "delete", "history") else []
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{action}", args=args)


def admin_form_data(client, url):
    """The admin form as the browser would post it back (every field, as loaded)."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
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


def snapshot() -> dict:
    """Every watched row with every value, and the history row counts: equal before and after = unchanged."""
    state = {}
    for model in WATCHED:
        state[model.__name__] = sorted(
            tuple(sorted((k, str(v)) for k, v in row.items())) for row in model.objects.values()
        )
        state[model.__name__ + ".history"] = model.history.count()
    for model in UNAUDITED:
        state[model.__name__] = sorted(
            tuple(sorted((k, str(v)) for k, v in r.items())) for r in model.objects.values()
        )
    return state
