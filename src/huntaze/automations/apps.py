from django.apps import AppConfig


class AutomationsConfig(AppConfig):
    name = "huntaze.automations"
    label = "automations"
