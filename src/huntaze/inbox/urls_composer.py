"""Inbox composer routes (scripts, vault, PPV)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
