import datetime as dt

from django.shortcuts import render
from django.utils.translation import gettext as _

from baqylau.assessment.reading import PlanReader
from baqylau.assessment.water import plan_water
from baqylau.waterbalance import report
from baqylau.waterbalance.inputs import MissingInputs
from baqylau.waterbalance.services import WhatIf, WhatIfError
from baqylau.web.context import page_scope
from baqylau.web.labels import chart_labels
from baqylau.web.water_impact import delay_texts


def _what_if(request) -> WhatIf | None:
    code = request.GET.get("facility", "")
    date, capacity = request.GET.get("date", ""), request.GET.get("capacity", "")
    if not code or not (date or capacity):
        return None
    return WhatIf.parse(f"{code}={date or capacity}")


def water(request):
    """The water balance, and what moving or resizing a facility would do to it. Nothing is saved."""
    scope = page_scope(request)
    reader = PlanReader(scope.plan, scope.as_of)
    start, end = dt.date(scope.as_of.year - 3, 1, 1), dt.date(scope.as_of.year + 2, 12, 31)
    context = {
        "nav": "water",
        "plan": scope.plan,
        "as_of": scope.as_of,
        "chosen": request.GET.get("facility", ""),
        "date": request.GET.get("date", ""),
        "capacity": request.GET.get("capacity", ""),
        "chart_labels": chart_labels(),
    }
    try:
        change = _what_if(request)
        comparison = plan_water(scope.plan, scope.as_of, start, end, change, reader)
    except WhatIfError as error:
        context["error"] = str(error)
        comparison = plan_water(scope.plan, scope.as_of, start, end, reader=reader)
    except MissingInputs:
        context["error"] = _("No water model for this region.")
        comparison = None
    if comparison:
        base, changed = comparison.base, comparison.changed
        context.update(
            summers=report.summers(comparison),
            what_if=comparison.what_if,
            assumed=comparison.assumed,
            delays=delay_texts(scope.plan, scope.as_of, reader),
            chart={
                "months": [str(m) for m in base.months],
                "demand": [round(v) for v in base.total("demand")],
                # What the sources can deliver (not only what was used): the margin a delay eats shows.
                "supply": [round(v) for v in base.total("delivered")],
                "what_if_supply": [round(v) for v in changed.total("delivered")] if changed else None,
                "as_of": scope.as_of.strftime("%Y-%m"),
            },
        )
    template = "web/partials/water_result.html" if request.headers.get("HX-Request") else "web/water.html"
    return render(request, template, context)
