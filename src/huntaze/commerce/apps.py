from django.apps import AppConfig


class CommerceConfig(AppConfig):
    name = "huntaze.commerce"
    label = "commerce"
