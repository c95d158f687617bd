"""Account writes: sign-up, e-mail verification, password reset, login lockout,
invitations and API keys."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import caches
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from huntaze.accounts.models import ApiKey, Invitation, SignupAnalytics, User
from huntaze.core.context import Actor
from huntaze.core.errors import Conflict, NotFound, RateLimited, ValidationFailed
from huntaze.core.models import Role
from huntaze.core.permissions import Permission
from huntaze.core.services import audit_log_add, creator_create, membership_add

API_KEY_PREFIX = "hz_"
INVITATION_TTL = timedelta(days=7)


def _sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def _check_email(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except DjangoValidationError as error:
        raise ValidationFailed.on_field("email", "Enter a valid e-mail address.") from error
    return email


def _check_password(password: str, user: User | None = None) -> None:
    try:
        validate_password(password, user=user)
    except DjangoValidationError as error:
        raise ValidationFailed(
            "Choose a stronger password.", field_errors={"password": list(error.messages)}
        ) from error


# Sign-up, verification, password reset --------------------------------------------------


def user_sign_up(
    *, email: str, password: str, name: str = "", session_id: str = "", landing_page: str = ""
) -> User:
    email = _check_email(email)
    name = name.strip()[:120]
    _check_password(password, User(email=email, name=name))
    try:
        with transaction.atomic():
            user = User.objects.create_user(email=email, password=password, name=name)
            SignupAnalytics.objects.create(
                session_id=session_id[:64],
                user=user,
                email=email,
                landing_page=landing_page[:255],
                method_selected="email",
                signup_completed=True,
            )
    except IntegrityError as error:
        raise ValidationFailed.on_field("email", "An account with this e-mail exists.") from error
    transaction.on_commit(lambda: user_send_verification(user=user))
    return user


def _user_token(user: User) -> str:
    return f"{urlsafe_base64_encode(force_bytes(user.pk))}.{default_token_generator.make_token(user)}"


def _user_from_token(token: str) -> User | None:
    uid_part, _, token_part = token.partition(".")
    try:
        user_id = int(force_str(urlsafe_base64_decode(uid_part)))
    except (ValueError, TypeError):
        return None
    user = User.objects.filter(pk=user_id).first()
    if user is None or not default_token_generator.check_token(user, token_part):
        return None
    return user


def user_send_verification(*, user: User) -> None:
    link = f"{settings.PUBLIC_URL}/verify-email/{_user_token(user)}"
    send_mail(
        subject="Confirm your e-mail for Huntaze",
        message=f"Hello {user.display_name},\n\nConfirm your address: {link}\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[user.email],
    )


def user_verify_email(*, token: str) -> User:
    user = _user_from_token(token)
    if user is None:
        raise ValidationFailed.on_field("token", "This link is invalid or has expired.")
    if user.email_verified is None:
        user.email_verified = timezone.now()
        user.save(update_fields=["email_verified"])
    return user


def user_request_password_reset(*, email: str) -> None:
    """Sends a reset link when the address is known; says nothing either way."""
    user = User.objects.filter(email=(email or "").strip().lower(), is_active=True).first()
    if user is None:
        return
    link = f"{settings.PUBLIC_URL}/password-reset/{_user_token(user)}"
    send_mail(
        subject="Reset your Huntaze password",
        message=f"Hello {user.display_name},\n\nChoose a new password: {link}\n"
        "If you did not ask for this, ignore this message.\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[user.email],
    )


def user_reset_password(*, token: str, password: str) -> User:
    user = _user_from_token(token)
    if user is None:
        raise ValidationFailed.on_field("token", "This link is invalid or has expired.")
    _check_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    login_failures_clear(email=user.email)
    return user


def user_update_profile(*, user: User, name: str, email: str, language: str) -> User:
    email = _check_email(email)
    if language not in {"", *(code for code, _label in settings.LANGUAGES)}:
        raise ValidationFailed.on_field("language", "Choose English, French or the browser's.")
    if User.objects.exclude(pk=user.pk).filter(email=email).exists():
        raise ValidationFailed.on_field("email", "An account with this e-mail exists.")
    fields = ["name", "language"]
    if email != user.email:
        user.email = email
        user.email_verified = None
        fields += ["email", "email_verified"]
    user.name = name.strip()[:120]
    user.language = language
    user.save(update_fields=fields)
    return user


def user_change_password(*, user: User, current_password: str, new_password: str) -> None:
    if not user.check_password(current_password):
        raise ValidationFailed.on_field("current_password", "The current password is wrong.")
    _check_password(new_password, user)
    user.set_password(new_password)
    user.save(update_fields=["password"])


# Login lockout ------------------------------------------------------------------------------


def _failure_key(email: str) -> str:
    return f"login-failures:{_sha256(email.strip().lower())}"


def login_check_allowed(*, email: str) -> None:
    failures = caches["counters"].get(_failure_key(email), 0)
    if failures >= settings.LOGIN_FAILURE_LIMIT:
        raise RateLimited(
            "Too many failed attempts. Try again in a few minutes or reset your password.",
            retry_after_s=settings.LOGIN_LOCKOUT_S,
        )


def login_failure_record(*, email: str) -> int:
    cache = caches["counters"]
    key = _failure_key(email)
    cache.add(key, 0, timeout=settings.LOGIN_LOCKOUT_S)
    try:
        return cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=settings.LOGIN_LOCKOUT_S)
        return 1


def login_failures_clear(*, email: str) -> None:
    caches["counters"].delete(_failure_key(email))


# Onboarding and invitations ------------------------------------------------------------------


def onboarding_create_workspace(*, user: User, name: str) -> int:
    with transaction.atomic():
        creator = creator_create(name=name, owner_id=user.pk)
        user.onboarding_completed = True
        user.save(update_fields=["onboarding_completed"])
    return creator.id


@dataclass(frozen=True, slots=True)
class CreatedInvitation:
    invitation_id: int
    token: str
    link: str


def invitation_create(*, actor: Actor, email: str, role: str) -> CreatedInvitation:
    actor.require(Permission.MANAGE_TEAM)
    email = _check_email(email)
    if role not in Role.values:
        raise ValidationFailed.on_field("role", "Choose a role.")
    if role == Role.OWNER and actor.role != Role.OWNER:
        raise ValidationFailed.on_field("role", "Only an owner can invite another owner.")
    if User.objects.filter(email=email, memberships__creator_id=actor.creator_id).exists():
        raise Conflict("This person is already in the team.")
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        Invitation.objects.for_creator(actor.creator_id).filter(
            email=email, accepted_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=timezone.now())
        invitation = Invitation.objects.create(
            creator_id=actor.creator_id,
            email=email,
            role=role,
            token_hash=_sha256(token),
            invited_by_id=actor.user_id,
            expires_at=timezone.now() + INVITATION_TTL,
        )
        audit_log_add(
            actor=actor,
            action="invitation.created",
            target_type="invitation",
            target_id=str(invitation.id),
            data={"email": email, "role": role},
        )
    link = f"{settings.PUBLIC_URL}/invitations/{token}"
    transaction.on_commit(
        lambda: send_mail(
            subject="You are invited to a Huntaze workspace",
            message=f"You were invited as {role}. Join here: {link}\n",
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[email],
        )
    )
    return CreatedInvitation(invitation_id=invitation.id, token=token, link=link)


def invitation_find(*, token: str) -> Invitation:
    invitation = (
        Invitation.all_creators.select_related("creator")
        .filter(token_hash=_sha256(token or ""))
        .first()
    )
    if (
        invitation is None
        or invitation.revoked_at is not None
        or invitation.accepted_at is not None
        or invitation.expires_at < timezone.now()
    ):
        raise NotFound("This invitation is invalid, used or expired.")
    return invitation


def invitation_accept(*, user: User, token: str) -> int:
    with transaction.atomic():
        invitation = invitation_find(token=token)
        if invitation.email != user.email:
            raise ValidationFailed.on_field(
                "token", "This invitation was sent to another e-mail address."
            )
        membership_add(creator_id=invitation.creator_id, user_id=user.pk, role=invitation.role)
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
        if not user.onboarding_completed:
            user.onboarding_completed = True
            user.save(update_fields=["onboarding_completed"])
    return invitation.creator_id


def invitation_revoke(*, actor: Actor, invitation_id: int) -> None:
    actor.require(Permission.MANAGE_TEAM)
    updated = (
        Invitation.objects.for_creator(actor.creator_id)
        .filter(id=invitation_id, accepted_at__isnull=True, revoked_at__isnull=True)
        .update(revoked_at=timezone.now())
    )
    if not updated:
        raise NotFound("No such pending invitation.")


# API keys --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CreatedApiKey:
    api_key_id: int
    name: str
    raw_key: str  # shown once, never stored


def api_key_create(*, actor: Actor, name: str, role: str | None = None) -> CreatedApiKey:
    actor.require(Permission.MANAGE_API_KEYS)
    name = (name or "").strip()
    if not name or len(name) > 80:
        raise ValidationFailed.on_field("name", "Give the key a name of 1 to 80 characters.")
    role = role or actor.role
    if role not in Role.values:
        raise ValidationFailed.on_field("role", "Choose a role.")
    if role == Role.OWNER and actor.role != Role.OWNER:
        raise ValidationFailed.on_field("role", "A key cannot have more rights than you.")
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    raw_key = f"{API_KEY_PREFIX}{prefix}_{secret}"
    with transaction.atomic():
        key = ApiKey.objects.create(
            creator_id=actor.creator_id,
            user_id=actor.user_id,
            name=name,
            prefix=prefix,
            key_hash=_sha256(raw_key),
            role=role,
        )
        audit_log_add(
            actor=actor, action="api_key.created", target_type="api_key", target_id=str(key.id)
        )
    return CreatedApiKey(api_key_id=key.id, name=name, raw_key=raw_key)


def api_key_revoke(*, actor: Actor, api_key_id: int) -> None:
    actor.require(Permission.MANAGE_API_KEYS)
    with transaction.atomic():
        updated = (
            ApiKey.objects.for_creator(actor.creator_id)
            .filter(id=api_key_id, revoked_at__isnull=True)
            .update(revoked_at=timezone.now())
        )
        if not updated:
            raise NotFound("No such active API key.")
        audit_log_add(
            actor=actor, action="api_key.revoked", target_type="api_key", target_id=str(api_key_id)
        )


def api_key_authenticate(*, raw_key: str) -> Actor | None:
    """The Actor an API key acts as; None for an unknown, revoked or malformed key, or one
    whose owner lost access to the creator."""
    if not raw_key.startswith(API_KEY_PREFIX):
        return None
    prefix, _, _secret = raw_key[len(API_KEY_PREFIX):].partition("_")
    key = (
        ApiKey.all_creators.filter(prefix=prefix, revoked_at__isnull=True)
        .select_related("user")
        .first()
    )
    if key is None or not hmac.compare_digest(key.key_hash, _sha256(raw_key)):
        return None
    if not key.user.is_active or not key.user.memberships.filter(creator_id=key.creator_id).exists():
        return None
    now = timezone.now()
    if key.last_used_at is None or now - key.last_used_at > timedelta(minutes=1):
        ApiKey.all_creators.filter(pk=key.pk).update(last_used_at=now)
    return Actor(creator_id=key.creator_id, user_id=key.user_id, role=key.role, via_api_key=True)
