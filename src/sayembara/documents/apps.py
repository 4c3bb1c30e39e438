from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "sayembara.documents"
    label = "documents"
