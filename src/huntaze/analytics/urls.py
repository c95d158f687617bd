"""Analytics pages, mounted under /analytics/."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
