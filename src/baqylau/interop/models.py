"""A plan workbook import run in the background, so a large file shows its progress on the page."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class WorkbookImportJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        REFUSED = "refused", _("refused")
        FAILED = "failed", _("failed")

    FINISHED = (Status.DONE, Status.REFUSED, Status.FAILED)

    upload = models.FileField(_("workbook"), upload_to="imports/")
    original_name = models.CharField(_("file name"), max_length=255)
    plan_code = models.CharField(_("plan"), max_length=40, blank=True)
    dry_run = models.BooleanField(_("check only"), default=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    language = models.CharField(max_length=10, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    stage = models.CharField(_("stage"), max_length=20, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    result = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("workbook import")
        verbose_name_plural = _("workbook imports")

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def outcome_label(self) -> str:
        """What a person reads: a finished check that found problems failed, though the job itself ran;
        an import that changed nothing says so."""
        if self.status == self.Status.DONE and self.result.get("problems"):
            return gettext("failed validation")
        if self.status == self.Status.DONE and self.unchanged:
            return gettext("nothing changed")
        return self.get_status_display()

    @property
    def unchanged(self) -> bool:
        """A finished import (not a check) that created and updated nothing."""
        return (
            self.status == self.Status.DONE
            and not self.result.get("problems")
            and not self.result.get("dry_run")
            and not any(self.result.get("created", {}).values())
            and not any(self.result.get("updated", {}).values())
        )

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0
