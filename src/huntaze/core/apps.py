from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "huntaze.core"
    label = "core"

    def ready(self) -> None:
        from django.conf import settings

        from huntaze.core import signals
        from huntaze.core.logging import configure

        configure(log_format=settings.LOG_FORMAT, level=settings.LOG_LEVEL)
        signals.connect()
