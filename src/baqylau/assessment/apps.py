from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    """Feeds the judging engine (``baqylau.judging``) from the database and presents its verdicts."""

    name = "baqylau.assessment"
    verbose_name = _("Assessment: status, forecast and roll-ups")
