from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InstructionsConfig(AppConfig):
    name = "baqylau.instructions"
    verbose_name = _("Events and instructions")
