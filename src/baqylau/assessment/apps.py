from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    """Feeds the judging engine (``baqylau.judging``) from the database, keeps today's verdicts (the
    judgement store) and presents them."""

    name = "baqylau.assessment"
    verbose_name = _("Assessment: status, forecast and roll-ups")

    def ready(self):
        from . import signals  # noqa: F401  (connects the store's signal handlers)
