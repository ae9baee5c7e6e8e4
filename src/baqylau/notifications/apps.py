from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """Reminders before deadlines, the first day overdue, extensions and the office's weekly digest."""

    name = "baqylau.notifications"
    verbose_name = _("Notifications")
