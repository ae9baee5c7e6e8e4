from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BriefingsConfig(AppConfig):
    """The weekly briefing: the plan's judgements as a PDF or DOCX document with charts."""

    name = "baqylau.briefings"
    verbose_name = _("Briefings")
