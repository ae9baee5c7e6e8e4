"""Who a user is in the plan: their role and, for agency staff, their agency."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from baqylau.core.audit import audited
from baqylau.reference.models import Agency


class Profile(models.Model):
    class Role(models.TextChoices):
        OFFICE = "office", _("project office administrator")
        REVIEWER = "reviewer", _("reviewer")
        AGENCY_EDITOR = "agency_editor", _("agency editor")
        VIEWER = "viewer", _("viewer")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.VIEWER)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    history = audited()

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="agency_editor") | models.Q(agency__isnull=False),
                name="agency_editor_has_agency",
                violation_error_message=_("An agency editor must belong to an agency."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user.get_username()} ({self.get_role_display()})"
