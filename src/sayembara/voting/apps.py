from django.apps import AppConfig


class VotingConfig(AppConfig):
    name = "sayembara.voting"
    label = "voting"
