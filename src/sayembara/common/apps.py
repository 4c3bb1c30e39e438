from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "sayembara.common"
    label = "common"

    def ready(self) -> None:
        from django.urls import register_converter

        from sayembara.common import checks  # noqa: F401  (registers the system checks)
        from sayembara.common.params import IdConverter

        # Before any URL configuration is read: every pattern writes <id:pk>.
        register_converter(IdConverter, "id")
