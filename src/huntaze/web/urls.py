"""Page routes."""

from django.urls import include, path
from django.views.generic import RedirectView

from huntaze.web import ops, views_settings, views_workspace
from huntaze.web.views_home import home

urlpatterns = [
    path("health", ops.health, name="health"),
    path("health/ready", ops.health_ready, name="health-ready"),
    path("metrics", ops.metrics, name="metrics"),
    path("favicon.ico", RedirectView.as_view(url="/static/img/favicon.svg", permanent=True)),
    path("workspace/switch", views_workspace.switch, name="workspace-switch"),
    path("settings", views_settings.account, name="settings-account"),
    path("settings/team", views_settings.team, name="settings-team"),
    path("settings/billing", views_settings.billing, name="settings-billing"),
    path("settings/api-keys", views_settings.api_keys, name="settings-api-keys"),
    path("", RedirectView.as_view(url="/home", permanent=False), name="root"),
    path("home", home, name="home"),
    path("onlyfans/", include("huntaze.inbox.urls")),
    path("onlyfans/", include("huntaze.fans.urls")),
    path("onlyfans/", include("huntaze.commerce.urls")),
    path("analytics/", include("huntaze.analytics.urls")),
    path("", include("huntaze.accounts.urls")),
]
