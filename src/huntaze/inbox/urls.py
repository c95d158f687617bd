"""Inbox pages, mounted under /onlyfans/."""

from django.urls import path

from huntaze.inbox import urls_composer, urls_team, views, views_context

urlpatterns = [
    path("messages", views.messages_page, name="inbox-messages"),
    path("messages/rows", views.conversation_rows, name="inbox-rows"),
    path("messages/<int:conversation_id>", views.messages_page, name="inbox-conversation"),
    path("messages/<int:conversation_id>/pane", views.conversation_pane, name="inbox-pane"),
    path("messages/<int:conversation_id>/row", views.conversation_row, name="inbox-row"),
    path("messages/<int:conversation_id>/older", views.older_messages, name="inbox-older"),
    path("messages/fans/<int:fan_id>/panel", views_context.fan_panel, name="inbox-fan-panel"),
    path("messages/fans/<int:fan_id>/notes", views_context.note_add, name="inbox-note-add"),
    path(
        "messages/fans/<int:fan_id>/notes/<int:note_id>",
        views_context.note_update,
        name="inbox-note-update",
    ),
    path(
        "messages/fans/<int:fan_id>/notes/<int:note_id>/pin",
        views_context.note_pin,
        name="inbox-note-pin",
    ),
    path(
        "messages/fans/<int:fan_id>/notes/<int:note_id>/delete",
        views_context.note_delete,
        name="inbox-note-delete",
    ),
    path("messages/fans/<int:fan_id>/tags", views_context.tags_set, name="inbox-fan-tags"),
    path("messages/fans/<int:fan_id>/memory", views_context.memory_set, name="inbox-fan-memory"),
]

urlpatterns += urls_team.urlpatterns + urls_composer.urlpatterns
