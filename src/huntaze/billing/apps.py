from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "huntaze.billing"
    label = "billing"
