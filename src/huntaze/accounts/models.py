"""users (with NextAuth's account and session tables mapped to Django auth and sessions),
invitations, API keys and signup_analytics."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils.translation import gettext_lazy as _

from huntaze.core.models import Role
from huntaze.core.tenancy import CreatorOwnedModel


class AIPlan(models.TextChoices):
    FREE = "free", _("Free")
    PRO = "pro", _("Pro")
    AGENCY = "agency", _("Agency")


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("role", "admin")
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """users (id, email, name, password, email_verified, onboarding_completed, ai_plan, role)."""

    email = models.EmailField(unique=True)
    name = models.CharField(max_length=120, blank=True)
    email_verified = models.DateTimeField(null=True, blank=True)
    onboarding_completed = models.BooleanField(default=False)
    ai_plan = models.CharField(max_length=16, choices=AIPlan.choices, default=AIPlan.FREE)
    role = models.CharField(
        max_length=16, default="user", help_text="Platform role: user or admin."
    )
    language = models.CharField(max_length=8, blank=True, help_text="Empty: the browser's.")
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(auto_now_add=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []  # noqa: RUF012

    class Meta:
        db_table = "users"

    def __str__(self) -> str:
        return self.email

    @property
    def display_name(self) -> str:
        return self.display_name_of(name=self.name, email=self.email)

    @staticmethod
    def display_name_of(*, name: str, email: str) -> str:
        """The name shown for a user: their name, else the e-mail's local part."""
        return name or email.split("@")[0]


class Invitation(CreatorOwnedModel):
    email = models.EmailField()
    role = models.CharField(max_length=16, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "invitations"
        indexes = [models.Index(fields=["creator", "email"], name="invitation_creator_email")]


class ApiKey(CreatorOwnedModel):
    """Made in Settings, shown once, stored hashed, bound to one creator, revocable."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_keys"
    )
    name = models.CharField(max_length=80)
    prefix = models.CharField(max_length=16, unique=True)
    key_hash = models.CharField(max_length=64)
    role = models.CharField(max_length=16, choices=Role.choices)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "api_keys"


class SignupAnalytics(models.Model):
    session_id = models.CharField(max_length=64)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    email = models.EmailField(blank=True)
    landing_page = models.CharField(max_length=255, blank=True)
    method_selected = models.CharField(max_length=32, default="email")
    signup_completed = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "signup_analytics"
