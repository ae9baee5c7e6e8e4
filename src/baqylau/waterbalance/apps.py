from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WaterBalanceConfig(AppConfig):
    name = "baqylau.waterbalance"
    verbose_name = _("Water balance: sources, zones and assumptions")
