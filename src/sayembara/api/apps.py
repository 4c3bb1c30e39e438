from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "sayembara.api"
    label = "sayembara_api"
    verbose_name = "API"
