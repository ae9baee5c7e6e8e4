from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    """The pages people use every day: server-rendered templates, small progressive enhancement."""

    name = "baqylau.web"
    verbose_name = _("Web pages")
