"""What the late water measures cost the region, in sentences: for the water page and the dashboard.

The figures come from the water model (``waterbalance.services.delay_costs``) as the judgements of the
same date see it; this module only words them.
"""

from django.utils.translation import gettext as _

from baqylau.assessment.water import late_water_costs
from baqylau.waterbalance.models import WaterSourceStage
from baqylau.web.templatetags.baqylau import whole


def delay_texts(plan, as_of, reader) -> list[str]:
    """One sentence for each late water measure's delay: the deficit it causes or the reserve it removes."""
    stages = WaterSourceStage.objects.filter(water_source__region=plan.region, facility__measure__plan=plan)
    measure_ids = set(stages.values_list("facility__measure_id", flat=True))
    verdicts = reader.measures_by_id(measure_ids)
    late = {j.key for j in verdicts.values() if j.status.value == "late"}
    return [delay_sentence(cost) for cost in late_water_costs(plan, as_of, late, reader)] if late else []


def delay_sentence(cost) -> str:
    params = {
        "measure": cost.measure,
        "facility": cost.facility,
        "capacity": whole(cost.capacity_m3_day),
        "summer": cost.summer,
    }
    if cost.deficit_now > cost.deficit_on_time + 0.5:
        return _(
            "%(measure)s late: without %(facility)s's %(capacity)s m³/day the region's summer-%(summer)s "
            "deficit rises from %(before)s to %(after)s m³/day"
        ) % {**params, "before": whole(cost.deficit_on_time), "after": whole(cost.deficit_now)}
    return _(
        "%(measure)s late: without %(facility)s's %(capacity)s m³/day the region's summer-%(summer)s "
        "reserve falls from %(before)s to %(after)s m³/day"
    ) % {**params, "before": whole(cost.reserve_on_time), "after": whole(cost.reserve_now)}
