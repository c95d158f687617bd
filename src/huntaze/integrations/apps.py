from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "huntaze.integrations"
    label = "integrations"
