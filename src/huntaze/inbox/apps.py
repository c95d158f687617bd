from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "huntaze.inbox"
    label = "inbox"
