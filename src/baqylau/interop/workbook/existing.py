"""What the database already holds for an import: every record a workbook row may match or name.

Loaded once, up front, a few queries per model, so checking and writing never query per row.
Reference data (territories, agencies, spheres) is global; the rest belongs to the plan.
"""

from __future__ import annotations

from collections import defaultdict

from django.contrib.auth import get_user_model

from baqylau.indicators.models import Actual, Indicator, Target
from baqylau.instructions.models import DeadlineChange, Event, Instruction
from baqylau.plans.models import Facility, Measure, Plan
from baqylau.reference.models import Agency, FacilityKind, Population, Sphere, Territory


class Existing:
    def __init__(self, plan: Plan | None):
        self.plan = plan
        self.records: dict[str, dict] = {
            "territories": {t.code: t for t in Territory.objects.all()},
            "agencies": {a.code: a for a in Agency.objects.all()},
            "spheres": {s.code: s for s in Sphere.objects.all()},
            "facility_kinds": {k.code: k for k in FacilityKind.objects.all()},
            "plan": {plan.code: plan} if plan else {},
        }
        # Controllers are named by username; loaded only to resolve them (never exported).
        self.user_ids: dict[str, int] = dict(
            get_user_model().objects.filter(is_active=True).values_list("username", "pk")
        )
        self.population: dict[int, list[Population]] = defaultdict(list)
        for population in Population.objects.order_by("territory_id", "on"):
            self.population[population.territory_id].append(population)
        if plan is None:
            for name in ("measures", "facilities", "indicators", "targets", "actuals", "events"):
                self.records[name] = {}
            self.records["instructions"] = {}
            self.records["deadline_changes"] = {}
            self.deadline_changes: dict[str, list[DeadlineChange]] = {}
            return
        self.records["measures"] = {m.code: m for m in Measure.objects.filter(plan=plan)}
        self.records["facilities"] = {f.code: f for f in Facility.objects.filter(plan=plan)}
        indicators = {i.code: i for i in Indicator.objects.filter(plan=plan)}
        self.records["indicators"] = indicators
        indicator_code = {i.pk: code for code, i in indicators.items()}
        self.records["targets"] = {
            (indicator_code[t.indicator_id], t.period_end): t
            for t in Target.objects.filter(indicator__plan=plan)
        }
        self.records["actuals"] = {
            (indicator_code[a.indicator_id], a.period_end): a
            for a in Actual.objects.filter(indicator__plan=plan)
        }
        self.records["events"] = {e.code: e for e in Event.objects.filter(plan=plan)}
        instructions = {i.code: i for i in Instruction.objects.filter(plan=plan)}
        self.records["instructions"] = instructions
        instruction_code = {i.pk: code for code, i in instructions.items()}
        self.deadline_changes = defaultdict(list)
        changes = {}
        for change in DeadlineChange.objects.filter(instruction__plan=plan).order_by("changed_on", "pk"):
            code = instruction_code[change.instruction_id]
            self.deadline_changes[code].append(change)
            changes[(code, change.changed_on, change.old_due, change.new_due)] = change
        self.records["deadline_changes"] = changes

    def has(self, sheet: str, key) -> bool:
        return key in self.records[sheet]

    def get(self, sheet: str, key):
        return self.records[sheet].get(key)

    def parent_codes(self, sheet: str) -> dict[str, str | None]:
        """Code -> parent code for the territories or measures in the database."""
        records = self.records[sheet]
        by_pk = {r.pk: code for code, r in records.items()}
        return {code: by_pk.get(r.parent_id) for code, r in records.items()}

    def m2m(self, model, field: str) -> dict[int, dict[int, int]]:
        """For the plan's rows of ``model``: row id -> {member id: through-row id}."""
        result: dict[int, dict[int, int]] = defaultdict(dict)
        if self.plan is None:
            return result
        through = getattr(model, field).through
        source = getattr(model, field).field.m2m_field_name()
        target = getattr(model, field).field.m2m_reverse_field_name()
        rows = through.objects.filter(**{f"{source}__plan": self.plan}).values_list(
            "id", f"{source}_id", f"{target}_id"
        )
        for through_id, owner, member in rows:
            result[owner][member] = through_id
        return result
