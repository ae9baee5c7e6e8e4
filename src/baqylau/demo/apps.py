from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "baqylau.demo"
    verbose_name = "Mangystau demo data"
