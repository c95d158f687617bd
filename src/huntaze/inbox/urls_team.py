"""Inbox team pages (assignment, review log)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
