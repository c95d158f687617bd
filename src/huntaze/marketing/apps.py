from django.apps import AppConfig


class MarketingConfig(AppConfig):
    name = "huntaze.marketing"
    label = "marketing"
