"""Page routes."""

from django.urls import include, path

from huntaze.web import ops

urlpatterns = [
    path("health", ops.health, name="health"),
    path("health/ready", ops.health_ready, name="health-ready"),
    path("metrics", ops.metrics, name="metrics"),
    path("", include("huntaze.accounts.urls")),
]
