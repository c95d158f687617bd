"""URL routes: pages, the JSON API, operations."""

from django.urls import include, path

from huntaze.config.api import api

urlpatterns = [
    path("api/", api.urls),
    path("", include("huntaze.web.urls")),
]
