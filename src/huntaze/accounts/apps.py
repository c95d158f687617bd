from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "huntaze.accounts"
    label = "accounts"
