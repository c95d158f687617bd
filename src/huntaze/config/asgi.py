"""ASGI entry point: HTTP through Django, WebSocket through Channels."""

from __future__ import annotations

import gc
import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huntaze.config.settings.local")
django.setup(set_prefix=False)

from huntaze.core.asgi_handler import SyncASGIHandler  # noqa: E402

django_asgi_app = SyncASGIHandler()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.urls import get_resolver  # noqa: E402

from huntaze.config.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
        ),
    }
)

# What start-up built (settings, apps, the URL patterns loaded here) lives as long as the
# process: out of the garbage collector's scans, so full collections stay short and slow
# requests rarer.
get_resolver().url_patterns  # noqa: B018 - imports every view module now
gc.collect()
gc.freeze()
