"""Which writes can change a verdict, and what to re-judge when they happen.

Saves re-judge inside the writer's transaction (``store.touched``), so the store commits or rolls
back with the change. Deletions re-judge the plan after the commit instead: inside a cascading
delete, re-writing a verdict row would point at rows about to disappear. Bulk writers that bypass
signals (``bulk_create``, ``update()``) must call ``store.touched`` themselves, as the workbook
import does.
"""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

from baqylau.indicators.models import Indicator, Target
from baqylau.instructions.models import DeadlineChange, Instruction
from baqylau.plans.models import Facility, Measure, Plan
from baqylau.reference.models import Agency, Sphere, Territory
from baqylau.reports.models import Report

from . import store


def _after_commit(plan_id: int) -> None:
    def refresh():
        plan = Plan.objects.filter(pk=plan_id).first()
        if plan is not None:
            store.refresh_plan(plan)

    transaction.on_commit(refresh)


def _previous(model, instance, *fields):
    """The stored values of ``fields`` before this save (None for a new row)."""
    if instance.pk is None:
        return None
    return model._base_manager.filter(pk=instance.pk).values_list(*fields).first()


@receiver(pre_save, sender=Report)
def _report_before(sender, instance, raw=False, **kwargs):
    previous = None if raw else _previous(Report, instance, "state")
    instance._baqylau_was_accepted = bool(previous and previous[0] == Report.State.ACCEPTED)


@receiver(post_save, sender=Report)
def _report_saved(sender, instance, raw=False, **kwargs):
    # Only accepted reports feed judgements: a draft or a submission changes no verdict.
    if raw or not (
        instance.state == Report.State.ACCEPTED or getattr(instance, "_baqylau_was_accepted", False)
    ):
        return
    if instance.measure_id:
        store.touched(instance.measure.plan_id, measures=[instance.measure_id])
    else:
        store.touched(instance.instruction.plan_id, instructions=[instance.instruction_id])


@receiver(pre_save, sender=Measure)
def _measure_before(sender, instance, raw=False, **kwargs):
    previous = None if raw else _previous(Measure, instance, "parent_id")
    instance._baqylau_old_parent = previous[0] if previous else None


@receiver(post_save, sender=Measure)
def _measure_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    ids = [instance.pk, *filter(None, [getattr(instance, "_baqylau_old_parent", None)])]
    store.touched(instance.plan_id, measures=ids)


@receiver(m2m_changed, sender=Measure.territories.through)
@receiver(m2m_changed, sender=Measure.co_agencies.through)
def _measure_groups_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        store.touched(instance.plan_id, measures=[instance.pk])
    elif pk_set:
        for plan_id, pk in Measure.objects.filter(pk__in=pk_set).values_list("plan_id", "pk"):
            store.touched(plan_id, measures=[pk])


@receiver(pre_save, sender=Facility)
def _facility_before(sender, instance, raw=False, **kwargs):
    previous = None if raw else _previous(Facility, instance, "measure_id")
    instance._baqylau_old_measure = previous[0] if previous else None


@receiver(post_save, sender=Facility)
def _facility_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        ids = {instance.measure_id, getattr(instance, "_baqylau_old_measure", None)} - {None}
        store.touched(instance.plan_id, measures=ids)


@receiver(pre_save, sender=Indicator)
def _indicator_before(sender, instance, raw=False, **kwargs):
    previous = None if raw else _previous(Indicator, instance, "measure_id")
    instance._baqylau_old_measure = previous[0] if previous else None


@receiver(post_save, sender=Indicator)
def _indicator_saved(sender, instance, raw=False, **kwargs):
    ids = {instance.measure_id, getattr(instance, "_baqylau_old_measure", None)} - {None}
    if not raw and ids:
        store.touched(instance.plan_id, measures=ids)


@receiver(post_save, sender=Target)
def _target_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    owner = Indicator.objects.filter(pk=instance.indicator_id).values_list("plan_id", "measure_id").first()
    if owner and owner[1]:
        store.touched(owner[0], measures=[owner[1]])


@receiver(post_save, sender=Instruction)
def _instruction_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        store.touched(instance.plan_id, instructions=[instance.pk])


@receiver(m2m_changed, sender=Instruction.executors.through)
def _executors_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        store.touched(instance.plan_id, instructions=[instance.pk])
    elif pk_set:
        for plan_id, pk in Instruction.objects.filter(pk__in=pk_set).values_list("plan_id", "pk"):
            store.touched(plan_id, instructions=[pk])


@receiver(post_save, sender=DeadlineChange)
def _deadline_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        store.touched(instance.instruction.plan_id, instructions=[instance.instruction_id])


@receiver(post_save, sender=Plan)
def _plan_saved(sender, instance, raw=False, **kwargs):
    # Thresholds (tolerance, reporting interval, deadline near) change every verdict.
    if not raw:
        store.touched(instance.pk, whole=True)


@receiver(post_delete, sender=Measure)
@receiver(post_delete, sender=Facility)
@receiver(post_delete, sender=Indicator)
@receiver(post_delete, sender=Instruction)
def _item_deleted(sender, instance, **kwargs):
    _after_commit(instance.plan_id)


@receiver(post_delete, sender=Report)
def _report_deleted(sender, instance, **kwargs):
    if instance.state == Report.State.ACCEPTED:
        item = instance.measure_id and Measure.objects.filter(pk=instance.measure_id).first()
        item = item or (
            instance.instruction_id and Instruction.objects.filter(pk=instance.instruction_id).first()
        )
        if item:
            _after_commit(item.plan_id)


@receiver(post_delete, sender=Target)
def _target_deleted(sender, instance, **kwargs):
    plan_id = Indicator.objects.filter(pk=instance.indicator_id).values_list("plan_id", flat=True).first()
    if plan_id:
        _after_commit(plan_id)


@receiver(pre_save, sender=Sphere)
@receiver(pre_save, sender=Agency)
@receiver(pre_save, sender=Territory)
def _reference_before(sender, instance, raw=False, **kwargs):
    previous = None if raw else _previous(sender, instance, "code")
    instance._baqylau_code_changed = bool(previous and previous[0] != instance.code)


@receiver(post_save, sender=Sphere)
@receiver(post_save, sender=Agency)
@receiver(post_save, sender=Territory)
def _reference_saved(sender, instance, raw=False, **kwargs):
    # Roll-ups are keyed by code: a renamed code re-groups every plan.
    if not raw and getattr(instance, "_baqylau_code_changed", False):
        for plan_id in Plan.objects.values_list("pk", flat=True):
            store.touched(plan_id, whole=True)
