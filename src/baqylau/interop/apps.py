from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InteropConfig(AppConfig):
    name = "baqylau.interop"
    verbose_name = _("Interchange: plan workbook, IATI, OC4IDS, Decidim")
