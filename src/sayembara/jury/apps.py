from django.apps import AppConfig


class JuryConfig(AppConfig):
    name = "sayembara.jury"
    label = "jury"
