"""Inbox composer routes (scripts, vault files), mounted under /onlyfans/."""

from django.urls import path

from huntaze.inbox import views_composer

urlpatterns = [
    path("messages/scripts", views_composer.scripts_page, name="inbox-scripts"),
    path("messages/scripts/<int:script_id>", views_composer.script_edit, name="inbox-script"),
    path(
        "messages/scripts/<int:script_id>/delete",
        views_composer.script_remove,
        name="inbox-script-delete",
    ),
    path(
        "messages/vault/<int:media_id>/file",
        views_composer.vault_media_file,
        name="inbox-vault-file",
    ),
    path(
        "messages/vault/<int:media_id>/thumbnail",
        views_composer.vault_media_thumbnail,
        name="inbox-vault-thumbnail",
    ),
]
