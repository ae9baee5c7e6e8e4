from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "baqylau.core"
    verbose_name = "Baqylau core"
