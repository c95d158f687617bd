"""WebSocket routes."""

from django.urls import path

from huntaze.web.consumers import WorkspaceConsumer

websocket_urlpatterns = [path("ws/workspace/", WorkspaceConsumer.as_asgi())]
