import datetime as dt

from django.shortcuts import render
from django.utils.translation import gettext as _

from baqylau.waterbalance import report
from baqylau.waterbalance.inputs import MissingInputs
from baqylau.waterbalance.models import WaterSourceStage
from baqylau.waterbalance.services import WhatIf, WhatIfError, region_balance
from baqylau.web.context import page_scope
from baqylau.web.labels import chart_labels


def _what_if(request) -> WhatIf | None:
    code = request.GET.get("facility", "")
    date, capacity = request.GET.get("date", ""), request.GET.get("capacity", "")
    if not code or not (date or capacity):
        return None
    return WhatIf.parse(f"{code}={date or capacity}")


def water(request):
    """The water balance, and what moving or resizing a facility would do to it. Nothing is saved."""
    scope = page_scope(request)
    region = scope.plan.region
    facilities = (
        WaterSourceStage.objects.filter(water_source__region=region, facility__isnull=False)
        .select_related("facility", "water_source")
        .order_by("facility__code")
    )
    start, end = dt.date(scope.as_of.year - 3, 1, 1), dt.date(scope.as_of.year + 2, 12, 31)
    context = {
        "nav": "water",
        "plan": scope.plan,
        "as_of": scope.as_of,
        "stages": facilities,
        "chosen": request.GET.get("facility", ""),
        "date": request.GET.get("date", ""),
        "capacity": request.GET.get("capacity", ""),
        "chart_labels": chart_labels(),
    }
    try:
        change = _what_if(request)
        comparison = region_balance(region, start, end, change)
    except WhatIfError as error:
        context["error"] = str(error)
        comparison = region_balance(region, start, end)
    except MissingInputs:
        context["error"] = _("No water model for this region.")
        comparison = None
    if comparison:
        base, changed = comparison.base, comparison.changed
        context.update(
            summers=report.summers(comparison),
            what_if=comparison.what_if,
            chart={
                "months": [str(m) for m in base.months],
                "demand": [round(v) for v in base.total("demand")],
                # What the sources can deliver (not only what was used): the margin a delay eats shows.
                "supply": [round(v) for v in base.total("delivered")],
                "what_if_supply": [round(v) for v in changed.total("delivered")] if changed else None,
            },
        )
    template = "web/partials/water_result.html" if request.headers.get("HX-Request") else "web/water.html"
    return render(request, template, context)
