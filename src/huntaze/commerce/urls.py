"""PPV pages, mounted under /onlyfans/."""

from django.urls import path

from huntaze.commerce import views

urlpatterns = [
    path("ppv", views.ppv_page_view, name="ppv"),
    path("ppv/<int:ppv_item_id>/cancel", views.ppv_cancel_view, name="ppv-cancel"),
]
