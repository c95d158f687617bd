from django.apps import AppConfig


class AiConfig(AppConfig):
    name = "huntaze.ai"
    label = "ai"
