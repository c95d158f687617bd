"""Account writes: sign-up, login and its lockout, e-mail verification, password reset,
profile, onboarding, invitations, the team and API keys."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.cache import cache, caches
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from huntaze.accounts.models import ApiKey, Invitation, SignupAnalytics, User
from huntaze.accounts.selectors import role_within
from huntaze.core.context import Actor
from huntaze.core.errors import Conflict, NotFound, RateLimited, ValidationFailed
from huntaze.core.models import Role
from huntaze.core.permissions import Permission
from huntaze.core.selectors import membership_role, team_members
from huntaze.core.services import (
    audit_log_add,
    creator_create,
    forget_now_and_on_commit,
    membership_add,
    membership_remove,
    membership_set_role,
)

API_KEY_PREFIX = "hz_"
INVITATION_TTL = timedelta(days=7)
VERIFICATION_RESEND_INTERVAL_S = 60
PASSWORD_RESET_INTERVAL_S = 60
API_KEY_CACHE_TTL_S = 30


def _sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def _check_email(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except DjangoValidationError as error:
        raise ValidationFailed.on_field("email", "Enter a valid e-mail address.") from error
    return email


def _check_password(password: str, user: User | None = None, *, field: str = "password") -> None:
    try:
        validate_password(password, user=user)
    except DjangoValidationError as error:
        raise ValidationFailed(
            "Choose a stronger password.", field_errors={field: list(error.messages)}
        ) from error


# Tokens in e-mailed links ---------------------------------------------------------------------


class _EmailVerificationTokens(PasswordResetTokenGenerator):
    """Valid until PASSWORD_RESET_TIMEOUT for the address it was sent to. Unlike a reset
    token it survives logins (a new user signs in before opening the mail)."""

    key_salt = "huntaze.accounts.email_verification"

    def _make_hash_value(self, user: User, timestamp: int) -> str:  # type: ignore[override]
        return f"{user.pk}{user.email}{timestamp}"


class _PasswordResetTokens(PasswordResetTokenGenerator):
    """Django's reset token (void once the password or last login changes), with its own salt
    so a verification link can never reset a password."""

    key_salt = "huntaze.accounts.password_reset"


_verification_tokens = _EmailVerificationTokens()
_reset_tokens = _PasswordResetTokens()


def _user_token(user: User, generator: PasswordResetTokenGenerator) -> str:
    return f"{urlsafe_base64_encode(force_bytes(user.pk))}.{generator.make_token(user)}"


def _user_from_token(token: str, generator: PasswordResetTokenGenerator) -> User | None:
    uid_part, _, token_part = (token or "").partition(".")
    try:
        user_id = int(force_str(urlsafe_base64_decode(uid_part)))
    except (ValueError, TypeError):
        return None
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not generator.check_token(user, token_part):
        return None
    return user


# Sign-up, login, verification, password reset ---------------------------------------------------


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


def user_authenticate(*, email: str, password: str) -> User:
    """The user for these credentials. A locked address is refused before its password is
    even checked (RateLimited); a wrong pair counts towards the lockout (ValidationFailed)."""
    email = (email or "").strip().lower()
    login_check_allowed(email=email)
    user = authenticate(None, username=email, password=password)
    if not isinstance(user, User):
        failures = login_failure_record(email=email)
        if failures >= settings.LOGIN_FAILURE_LIMIT:
            login_check_allowed(email=email)  # raises the lockout message
        raise ValidationFailed("The e-mail or the password is wrong.")
    login_failures_clear(email=email)
    return user


def user_send_verification(*, user: User) -> None:
    link = f"{settings.PUBLIC_URL}/verify-email/{_user_token(user, _verification_tokens)}"
    send_mail(
        subject="Confirm your e-mail for Huntaze",
        message=f"Hello {user.display_name},\n\nConfirm your address: {link}\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[user.email],
    )


def user_resend_verification(*, user: User) -> None:
    """Sends the verification link again, at most once a minute."""
    if user.email_verified is not None:
        raise Conflict("Your e-mail address is already confirmed.")
    key = f"verification-resend:{user.pk}"
    if not caches["counters"].add(key, 1, timeout=VERIFICATION_RESEND_INTERVAL_S):
        raise RateLimited(
            "A link was sent less than a minute ago. Check your inbox, then try again.",
            retry_after_s=VERIFICATION_RESEND_INTERVAL_S,
        )
    transaction.on_commit(lambda: user_send_verification(user=user))


def user_verify_email(*, token: str) -> User:
    user = _user_from_token(token, _verification_tokens)
    if user is None:
        raise ValidationFailed.on_field("token", "This link is invalid or has expired.")
    if user.email_verified is None:
        user.email_verified = timezone.now()
        user.save(update_fields=["email_verified"])
    return user


def user_request_password_reset(*, email: str) -> None:
    """Sends a reset link when the address is known (at most one a minute); says nothing
    either way."""
    email = (email or "").strip().lower()
    user = User.objects.filter(email=email, is_active=True).first()
    if user is None:
        return
    if not caches["counters"].add(
        f"password-reset:{_sha256(email)}", 1, timeout=PASSWORD_RESET_INTERVAL_S
    ):
        return
    link = f"{settings.PUBLIC_URL}/password-reset/{_user_token(user, _reset_tokens)}"
    send_mail(
        subject="Reset your Huntaze password",
        message=f"Hello {user.display_name},\n\nChoose a new password: {link}\n"
        "If you did not ask for this, ignore this message.\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[user.email],
    )


def password_reset_token_check(*, token: str) -> bool:
    return _user_from_token(token, _reset_tokens) is not None


def user_reset_password(*, token: str, password: str) -> User:
    user = _user_from_token(token, _reset_tokens)
    if user is None:
        raise ValidationFailed.on_field("token", "This link is invalid or has expired.")
    _check_password(password, user)
    user.set_password(password)
    fields = ["password"]
    if user.email_verified is None:  # the link reached the mailbox: the address is proven
        user.email_verified = timezone.now()
        fields.append("email_verified")
    user.save(update_fields=fields)
    login_failures_clear(email=user.email)
    return user


def user_update_profile(
    *, user: User, name: str, email: str, language: str, current_password: str = ""
) -> User:
    """Name, e-mail and language. A new e-mail needs the current password, becomes
    unverified, and gets a verification link."""
    email = _check_email(email)
    if language not in {"", *(code for code, _label in settings.LANGUAGES)}:
        raise ValidationFailed.on_field("language", "Choose English, French or the browser's.")
    email_changed = email != user.email
    if email_changed:
        if not user.check_password(current_password or ""):
            raise ValidationFailed.on_field(
                "current_password", "Enter your current password to change your e-mail."
            )
        if User.objects.exclude(pk=user.pk).filter(email=email).exists():
            raise ValidationFailed.on_field("email", "An account with this e-mail exists.")
    fields = ["name", "language"]
    if email_changed:
        user.email = email
        user.email_verified = None
        fields += ["email", "email_verified"]
    user.name = name.strip()[:120]
    user.language = language
    try:
        with transaction.atomic():
            user.save(update_fields=fields)
    except IntegrityError as error:
        user.refresh_from_db()
        raise ValidationFailed.on_field("email", "An account with this e-mail exists.") from error
    if email_changed:
        transaction.on_commit(lambda: user_send_verification(user=user))
    return user


def user_change_password(*, user: User, current_password: str, new_password: str) -> None:
    if not user.check_password(current_password):
        raise ValidationFailed.on_field("current_password", "The current password is wrong.")
    _check_password(new_password, user, field="new_password")
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
    if not role_within(role, actor.role):
        raise ValidationFailed.on_field("role", "You cannot invite someone with more rights.")
    if User.objects.filter(email=email, memberships__creator_id=actor.creator_id).exists():
        raise ValidationFailed.on_field("email", "This person is already in the team.")
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


def _invitation_usable(invitation: Invitation | None) -> Invitation:
    if (
        invitation is None
        or invitation.revoked_at is not None
        or invitation.accepted_at is not None
        or invitation.expires_at < timezone.now()
    ):
        raise NotFound("This invitation is invalid, used or expired.")
    return invitation


def invitation_find(*, token: str) -> Invitation:
    return _invitation_usable(
        Invitation.all_creators.select_related("creator")
        .filter(token_hash=_sha256(token or ""))
        .first()
    )


def _invitation_join(*, user: User, invitation: Invitation) -> int:
    """Inside a transaction, with the invitation row locked."""
    if invitation.email != user.email:
        raise ValidationFailed.on_field(
            "token", "This invitation was sent to another e-mail address."
        )
    membership_add(creator_id=invitation.creator_id, user_id=user.pk, role=invitation.role)
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    fields = []
    if not user.onboarding_completed:
        user.onboarding_completed = True
        fields.append("onboarding_completed")
    if user.email_verified is None:  # the invitation reached this mailbox
        user.email_verified = timezone.now()
        fields.append("email_verified")
    if fields:
        user.save(update_fields=fields)
    audit_log_add(
        actor=Actor(creator_id=invitation.creator_id, user_id=user.pk, role=invitation.role),
        action="invitation.accepted",
        target_type="invitation",
        target_id=str(invitation.id),
    )
    return invitation.creator_id


def invitation_accept(*, user: User, token: str) -> int:
    """Joins the invitation's workspace; the token proves the invited mailbox."""
    with transaction.atomic():
        invitation = _invitation_usable(
            Invitation.all_creators.select_for_update()
            .filter(token_hash=_sha256(token or ""))
            .first()
        )
        return _invitation_join(user=user, invitation=invitation)


def invitation_accept_pending(*, user: User, invitation_id: int) -> int:
    """Joins from the onboarding list, which only a verified address may use."""
    if user.email_verified is None:
        raise ValidationFailed.on_field(
            "invitation_id", "Confirm your e-mail address before accepting an invitation."
        )
    with transaction.atomic():
        invitation = _invitation_usable(
            Invitation.all_creators.select_for_update()
            .filter(id=invitation_id, email=user.email)
            .first()
        )
        return _invitation_join(user=user, invitation=invitation)


def invitation_revoke(*, actor: Actor, invitation_id: int) -> None:
    actor.require(Permission.MANAGE_TEAM)
    with transaction.atomic():
        updated = (
            Invitation.objects.for_creator(actor.creator_id)
            .filter(id=invitation_id, accepted_at__isnull=True, revoked_at__isnull=True)
            .update(revoked_at=timezone.now())
        )
        if not updated:
            raise NotFound("No such pending invitation.")
        audit_log_add(
            actor=actor,
            action="invitation.revoked",
            target_type="invitation",
            target_id=str(invitation_id),
        )


# Team -------------------------------------------------------------------------------------------


def _team_member_role(*, actor: Actor, membership_id: int) -> tuple[int, str]:
    for membership in team_members(creator_id=actor.creator_id):
        if membership.id == membership_id:
            return membership.user_id, membership.role
    raise NotFound("No such member.")


def team_member_set_role(*, actor: Actor, membership_id: int, role: str) -> None:
    """Needs MANAGE_TEAM; nobody grants or takes away more rights than their own role has."""
    actor.require(Permission.MANAGE_TEAM)
    if role not in Role.values:
        raise ValidationFailed.on_field("role", "Choose a role.")
    _user_id, current = _team_member_role(actor=actor, membership_id=membership_id)
    if not role_within(role, actor.role) or not role_within(current, actor.role):
        raise ValidationFailed.on_field("role", "Only an owner can change an owner's role.")
    membership_set_role(actor=actor, membership_id=membership_id, role=role)


def team_member_remove(*, actor: Actor, membership_id: int) -> None:
    """Needs MANAGE_TEAM; only an owner removes an owner. The member's API keys for this
    workspace are revoked with the membership."""
    actor.require(Permission.MANAGE_TEAM)
    user_id, current = _team_member_role(actor=actor, membership_id=membership_id)
    if not role_within(current, actor.role):
        raise ValidationFailed.on_field("membership_id", "Only an owner can remove an owner.")
    with transaction.atomic():
        membership_remove(actor=actor, membership_id=membership_id)
        keys = ApiKey.objects.for_creator(actor.creator_id).filter(
            user_id=user_id, revoked_at__isnull=True
        )
        _api_keys_forget(list(keys.values_list("key_hash", flat=True)))
        keys.update(revoked_at=timezone.now())


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
    if not role_within(role, actor.role):
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
        keys = ApiKey.objects.for_creator(actor.creator_id).filter(
            id=api_key_id, revoked_at__isnull=True
        )
        hashes = list(keys.values_list("key_hash", flat=True))
        updated = keys.update(revoked_at=timezone.now())
        if not updated:
            raise NotFound("No such active API key.")
        _api_keys_forget(hashes)
        audit_log_add(
            actor=actor, action="api_key.revoked", target_type="api_key", target_id=str(api_key_id)
        )


def _api_key_cache_key(key_hash: str) -> str:
    return f"api-key:{key_hash}"


def _api_keys_forget(key_hashes: list[str]) -> None:
    for key_hash in key_hashes:
        forget_now_and_on_commit(_api_key_cache_key(key_hash))


def _api_key_entry(*, prefix: str, key_hash: str) -> dict[str, Any] | None:
    """The key's row as cached: looked up by its hash, so a cached entry proves the key."""
    cache_key = _api_key_cache_key(key_hash)
    entry: dict[str, Any] | None = cache.get(cache_key)
    if entry is not None:
        return entry
    row = (
        ApiKey.all_creators.filter(prefix=prefix, revoked_at__isnull=True)
        .values("id", "creator_id", "user_id", "key_hash", "role", "last_used_at")
        .annotate(user_is_active=F("user__is_active"))
        .first()
    )
    if row is None or not hmac.compare_digest(row["key_hash"], key_hash):
        return None  # misses are not cached: a key made later must work at once
    entry = dict(row)
    cache.set(cache_key, entry, API_KEY_CACHE_TTL_S)
    return entry


def api_key_authenticate(*, raw_key: str) -> Actor | None:
    """The Actor an API key acts as; None for an unknown, revoked or malformed key, or one
    whose owner lost access to the creator.

    A key never has more rights than its user has now: it acts with its own role while that
    role is within the user's current membership role, with the membership role once the
    user was demoted below the key, and not at all when the two roles only partly overlap
    (e.g. a chatter key of a user who is now an analyst).

    The key's row and the member's role are cached briefly; revoking a key, removing a
    member or changing a role forgets them at once."""
    if not raw_key.startswith(API_KEY_PREFIX):
        return None
    prefix, _, _secret = raw_key[len(API_KEY_PREFIX) :].partition("_")
    key_hash = _sha256(raw_key)
    key = _api_key_entry(prefix=prefix, key_hash=key_hash)
    if key is None or not key["user_is_active"]:
        return None
    member_role = membership_role(user_id=key["user_id"], creator_id=key["creator_id"])
    if member_role is None:
        return None
    if role_within(key["role"], member_role):
        role = key["role"]
    elif role_within(member_role, key["role"]):
        role = member_role
    else:
        return None
    now = timezone.now()
    last_used_at = key["last_used_at"]
    if last_used_at is None or now - last_used_at > timedelta(minutes=1):
        ApiKey.all_creators.filter(pk=key["id"]).update(last_used_at=now)
        cache.set(_api_key_cache_key(key_hash), {**key, "last_used_at": now}, API_KEY_CACHE_TTL_S)
    return Actor(creator_id=key["creator_id"], user_id=key["user_id"], role=role, via_api_key=True)
