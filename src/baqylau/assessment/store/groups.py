"""The groups a measure or an instruction counts in: plan, sphere, territories, agencies."""

from collections.abc import Collection

from baqylau.instructions.models import Instruction
from baqylau.plans.models import Measure, Plan

MEASURE_GROUPINGS = ("plan", "sphere", "territory", "agency")
INSTRUCTION_GROUPINGS = ("plan", "agency")


def measure_groups(plan: Plan, ids: Collection[int] | None = None) -> dict[int, dict[str, list[str]]]:
    """Each measure's groups: its plan, its sphere, every territory it covers, its lead and
    co-executing agencies (a measure counts once in each of its groups)."""
    measures = Measure.objects.filter(plan=plan)
    territories = Measure.territories.through.objects.filter(measure__plan=plan)
    co_agencies = Measure.co_agencies.through.objects.filter(measure__plan=plan)
    if ids is not None:
        measures = measures.filter(pk__in=ids)
        territories = territories.filter(measure_id__in=ids)
        co_agencies = co_agencies.filter(measure_id__in=ids)
    groups = {
        pk: {"plan": [plan.code], "sphere": [sphere], "territory": [], "agency": [lead]}
        for pk, sphere, lead in measures.values_list("pk", "sphere__code", "lead_agency__code")
    }
    for measure_id, code in territories.order_by("territory__code").values_list(
        "measure_id", "territory__code"
    ):
        groups[measure_id]["territory"].append(code)
    for measure_id, code in co_agencies.order_by("agency__code").values_list("measure_id", "agency__code"):
        if code not in groups[measure_id]["agency"]:
            groups[measure_id]["agency"].append(code)
    return groups


def instruction_groups(plan: Plan, ids: Collection[int] | None = None) -> dict[int, dict[str, list[str]]]:
    """Each instruction's groups: its plan and its executing agencies."""
    executors = Instruction.executors.through.objects.filter(instruction__plan=plan)
    instructions = Instruction.objects.filter(plan=plan)
    if ids is not None:
        executors = executors.filter(instruction_id__in=ids)
        instructions = instructions.filter(pk__in=ids)
    groups = {pk: {"plan": [plan.code], "agency": []} for pk in instructions.values_list("pk", flat=True)}
    for instruction_id, code in executors.order_by("agency__code").values_list(
        "instruction_id", "agency__code"
    ):
        groups[instruction_id]["agency"].append(code)
    return groups
