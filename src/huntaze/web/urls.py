"""Page routes."""

from django.urls import path

from huntaze.web import ops

urlpatterns = [
    path("health", ops.health, name="health"),
    path("health/ready", ops.health_ready, name="health-ready"),
    path("metrics", ops.metrics, name="metrics"),
]
