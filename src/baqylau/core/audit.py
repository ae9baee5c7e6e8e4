"""Every domain model's history records the interface of each change (see ``interface.py``)."""

from collections.abc import Sequence

from django.db import models
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

from .interface import current_interface


class InterfaceAudit(models.Model):
    """Fields added to every historical model."""

    history_interface = models.CharField(_("interface"), max_length=10, default="system")

    class Meta:
        abstract = True


def audited(**kwargs) -> HistoricalRecords:
    """``history = audited()`` on a model: its full history, with the interface of each change."""
    return HistoricalRecords(bases=[InterfaceAudit], **kwargs)


@receiver(pre_create_historical_record)
def _record_interface(sender, history_instance, **kwargs):
    history_instance.history_interface = current_interface.get()


def bulk_history(objects: Sequence[models.Model], history_type: str, user=None) -> int:
    """History rows for objects written in bulk (``bulk_create`` "+" or ``bulk_update`` "~"), as
    django-simple-history's ``bulk_create_with_history`` writes them, with the interface of the change,
    in one statement however many objects: their values converted by the fields themselves."""
    from django.db import connection
    from django.utils import timezone

    from .bulk import bulk_insert

    if not objects:
        return 0
    history = type(objects[0]).history.model
    tracked = list(history.tracked_fields)
    extra = {
        "history_date": timezone.now(),
        "history_user": getattr(user, "pk", None),
        "history_change_reason": "",
        "history_type": history_type,
        "history_interface": current_interface.get(),
    }
    fields = [f.name for f in tracked] + list(extra)
    fixed = tuple(
        history._meta.get_field(name).get_db_prep_save(value, connection) for name, value in extra.items()
    )
    rows = [
        tuple(f.get_db_prep_save(getattr(obj, f.attname), connection) for f in tracked) + fixed
        for obj in objects
    ]
    return bulk_insert(history, fields, rows)
