"""E-mail verification (mail, link, resend) and the password reset flow."""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib.auth import SESSION_KEY

from huntaze.accounts.models import User
from tests.accounts.helpers import NEW_PASSWORD, PASSWORD, link_in
from tests.factories import UserFactory


def _without_csrf(content: bytes) -> bytes:
    """The page with its per-response CSRF tokens (masked differently each time) blanked."""
    return re.sub(rb'("X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[^"]+', rb"\\1", content)


SIGNUP = {"name": "Mia", "email": "mia@example.com", "password": NEW_PASSWORD}


# Verification ------------------------------------------------------------------------------------


def test_the_verification_link_confirms_the_address_even_after_a_login(
    client, db, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/signup", SIGNUP)
    link = link_in(mailoutbox[0], "/verify-email/")
    client.post("/logout")
    client.post("/login", {"email": "mia@example.com", "password": NEW_PASSWORD})

    response = client.get(link)

    assert response.status_code == 200
    assert b"mia@example.com is confirmed" in response.content
    assert User.objects.get().email_verified is not None


def test_a_tampered_verification_link_is_refused(
    client, db, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/signup", SIGNUP)
    link = link_in(mailoutbox[0], "/verify-email/")

    for bad in (link[:-2] + "xx", "/verify-email/garbage", "/verify-email/MQ.abc-def"):
        response = client.get(bad)
        assert response.status_code == 400
    assert User.objects.get().email_verified is None


def test_a_verification_link_cannot_reset_the_password(
    client, db, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/signup", SIGNUP)
    token = link_in(mailoutbox[0], "/verify-email/").removeprefix("/verify-email/")

    response = client.post(
        f"/password-reset/{token}",
        {"new_password": "another-long-pass-77", "new_password_confirm": "another-long-pass-77"},
    )

    assert response.status_code == 400
    assert User.objects.get().check_password(NEW_PASSWORD)


def test_resend_mails_a_new_link_once_a_minute(
    db, signed_in, mailoutbox, django_capture_on_commit_callbacks
):
    user = UserFactory(email="late@example.com", email_verified=None)
    client = signed_in(user)

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post("/verify-email/resend", {"next": "/settings"})
        second = client.post("/verify-email/resend", {"next": "https://evil.example"})

    assert first["Location"] == "/settings"
    assert second["Location"] == "/onboarding"
    assert [m.to for m in mailoutbox] == [["late@example.com"]]
    assert client.get(link_in(mailoutbox[0], "/verify-email/")).status_code == 200
    user.refresh_from_db()
    assert user.email_verified is not None


def test_resend_for_a_confirmed_address_sends_nothing(db, signed_in, mailoutbox):
    user = UserFactory(email="done@example.com")
    user.email_verified = user.date_joined
    user.save()

    signed_in(user).post("/verify-email/resend")

    assert mailoutbox == []


def test_resend_needs_a_signed_in_user(client, db, mailoutbox):
    response = client.post("/verify-email/resend")

    assert response.status_code == 302
    assert response["Location"].startswith("/login?next=")
    assert mailoutbox == []


# Password reset -----------------------------------------------------------------------------------


def test_the_reset_request_answers_the_same_whether_the_address_exists(client, db, mailoutbox):
    UserFactory(email="known@example.com")

    known = client.post("/password-reset", {"email": "known@example.com"})
    unknown = client.post("/password-reset", {"email": "unknown@example.com"})

    assert known.status_code == unknown.status_code == 200
    assert _without_csrf(known.content) == _without_csrf(unknown.content)
    assert [m.to for m in mailoutbox] == [["known@example.com"]]


def test_the_reset_request_needs_a_valid_address(client, db, mailoutbox):
    response = client.post("/password-reset", {"email": "nope"})

    assert response.context["form"].errors == {"email": ["Enter a valid email address."]}
    assert mailoutbox == []


def test_password_reset_flow(client, db, mailoutbox):
    user = UserFactory(email="known@example.com", email_verified=None)
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        client.post("/login", {"email": "known@example.com", "password": "wrong password!"})
    client.post("/password-reset", {"email": "known@example.com"})
    link = link_in(mailoutbox[0], "/password-reset/")

    assert client.get(link).status_code == 200
    response = client.post(
        link, {"new_password": NEW_PASSWORD, "new_password_confirm": NEW_PASSWORD}
    )

    assert response["Location"] == "/login"
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert not user.check_password(PASSWORD)
    assert user.email_verified is not None  # the link reached the mailbox
    # The lockout is lifted and the new password works; the link works only once.
    response = client.post("/login", {"email": "known@example.com", "password": NEW_PASSWORD})
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(user.pk)
    assert client.get(link).status_code == 400


def test_a_reset_with_differing_or_weak_passwords_changes_nothing(client, db, mailoutbox):
    user = UserFactory(email="known@example.com")
    client.post("/password-reset", {"email": "known@example.com"})
    link = link_in(mailoutbox[0], "/password-reset/")

    differing = client.post(
        link, {"new_password": NEW_PASSWORD, "new_password_confirm": NEW_PASSWORD + "x"}
    )
    weak = client.post(link, {"new_password": "password1", "new_password_confirm": "password1"})

    assert differing.context["form"].errors == {
        "new_password_confirm": ["The two passwords differ."]
    }
    assert weak.context["form"].errors == {
        "new_password": [
            "This password is too short. It must contain at least 10 characters.",
            "This password is too common.",
        ]
    }
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_an_invalid_reset_link_shows_a_way_to_ask_again(client, db):
    response = client.get("/password-reset/MQ.nope")

    assert response.status_code == 400
    assert b'href="/password-reset"' in response.content
