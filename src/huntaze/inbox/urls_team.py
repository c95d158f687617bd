"""Inbox team pages (review log, chatter restriction, split), under /onlyfans/."""

from django.urls import URLPattern, path

from huntaze.inbox import views_team

urlpatterns: list[URLPattern] = [
    path("messages/review", views_team.review_page, name="inbox-review"),
    path(
        "messages/review/restriction", views_team.restriction_set, name="inbox-review-restriction"
    ),
    path("messages/review/split", views_team.split, name="inbox-review-split"),
]
