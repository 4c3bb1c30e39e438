from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "sayembara.accounts"
    label = "accounts"
