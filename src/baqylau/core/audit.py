"""Every domain model's history records the interface of each change (see ``interface.py``)."""

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
