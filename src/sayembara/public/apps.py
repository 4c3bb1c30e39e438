from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "sayembara.public"
    label = "public"
