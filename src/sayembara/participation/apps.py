from django.apps import AppConfig


class ParticipationConfig(AppConfig):
    name = "sayembara.participation"
    label = "participation"
