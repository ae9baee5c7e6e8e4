from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    """The pages people use every day: server-rendered templates, small progressive enhancement."""

    name = "baqylau.web"
    verbose_name = _("Web pages")

    def ready(self):
        # The admin's autocomplete (Select2) has no Kazakh of its own: web/static/admin/js/vendor/
        # select2/i18n/kk.js is ours, and the admin loads it once the language is in Django's table.
        from django.contrib.admin import widgets

        widgets.SELECT2_TRANSLATIONS.setdefault("kk", "kk")
