from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "sayembara.common"
    label = "common"

    def ready(self) -> None:
        from sayembara.common import checks  # noqa: F401  (registers the system checks)
