"""Inbox pages, mounted under /onlyfans/."""

from django.urls import path

from huntaze.inbox import views

urlpatterns = [
    path("messages", views.messages_page, name="inbox-messages"),
    path("messages/rows", views.conversation_rows, name="inbox-rows"),
    path("messages/<int:conversation_id>", views.messages_page, name="inbox-conversation"),
    path("messages/<int:conversation_id>/row", views.conversation_row, name="inbox-row"),
    path("messages/<int:conversation_id>/older", views.older_messages, name="inbox-older"),
]
