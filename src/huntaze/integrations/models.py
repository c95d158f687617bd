"""oauth_accounts (a person's sign-in accounts) and social_accounts (a creator's connected
platforms). Tokens are encrypted at rest."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from huntaze.core.crypto import EncryptedTextField
from huntaze.core.fields import Platform
from huntaze.core.tenancy import CreatorOwnedModel


class OAuthAccount(models.Model):
    """oauth_accounts and NextAuth's accounts: a user's identity at an OAuth provider."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="oauth_accounts"
    )
    provider = models.CharField(max_length=32)
    provider_account_id = models.CharField(max_length=128)
    access_token = EncryptedTextField(blank=True)
    refresh_token = EncryptedTextField(blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "oauth_accounts"
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "provider_account_id"], name="oauth_provider_account_unique"
            )
        ]


class SocialAccount(CreatorOwnedModel):
    """social_accounts (id, userId, platform, platformUserId, accessToken, refreshToken)."""

    platform = models.CharField(max_length=16, choices=Platform.choices)
    platform_user_id = models.CharField(max_length=128)
    username = models.CharField(max_length=120, blank=True)
    access_token = EncryptedTextField(blank=True)
    refresh_token = EncryptedTextField(blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    scopes = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=16, default="connected")

    class Meta:
        db_table = "social_accounts"
        constraints = [
            models.UniqueConstraint(
                fields=["creator", "platform", "platform_user_id"], name="social_account_unique"
            )
        ]
