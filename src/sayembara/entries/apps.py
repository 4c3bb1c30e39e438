from django.apps import AppConfig


class EntriesConfig(AppConfig):
    name = "sayembara.entries"
    label = "entries"
