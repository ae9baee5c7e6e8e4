from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferenceConfig(AppConfig):
    name = "baqylau.reference"
    verbose_name = _("Reference data: territories, spheres, agencies")
