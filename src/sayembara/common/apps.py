from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "sayembara.common"
    label = "common"
