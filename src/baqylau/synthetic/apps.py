from django.apps import AppConfig


class SyntheticConfig(AppConfig):
    name = "baqylau.synthetic"
    verbose_name = "Synthetic data for benchmarks"
