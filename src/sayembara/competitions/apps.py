from django.apps import AppConfig


class CompetitionsConfig(AppConfig):
    name = "sayembara.competitions"
    label = "competitions"
