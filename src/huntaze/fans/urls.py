"""Fans CRM pages, mounted under /onlyfans/."""

from django.urls import path

from huntaze.fans import views

urlpatterns = [
    path("fans", views.fans_page, name="fans-list"),
    path("fans/export.csv", views.fans_export, name="fans-export"),
    path("fans/tags", views.fans_bulk_tags, name="fans-bulk-tags"),
    path("fans/<int:fan_id>", views.fan_profile, name="fans-profile"),
    path("fans/<int:fan_id>/timeline", views.fan_timeline, name="fans-timeline"),
]
