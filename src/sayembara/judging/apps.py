from django.apps import AppConfig


class JudgingConfig(AppConfig):
    name = "sayembara.judging"
    label = "judging"
