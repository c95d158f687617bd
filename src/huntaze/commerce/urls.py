"""PPV pages, mounted under /onlyfans/."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
