from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "sayembara.web"
    label = "web"
