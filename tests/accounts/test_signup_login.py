"""Sign-up, login with its lockout, logout."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY

from huntaze.accounts.models import SignupAnalytics, User
from tests.accounts.helpers import PASSWORD
from tests.factories import MembershipFactory, UserFactory

GOOD = {"name": "Mia Rossi", "email": "Mia@Example.com", "password": "violet-harbour-tangerine-42"}


# Sign-up ------------------------------------------------------------------------------------------


def test_signup_creates_the_user_signs_in_and_mails_a_verification_link(
    client, db, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/signup", GOOD)

    assert response.status_code == 302
    assert response["Location"] == "/onboarding"
    user = User.objects.get()
    assert (user.email, user.name, user.email_verified, user.onboarding_completed) == (
        "mia@example.com",
        "Mia Rossi",
        None,
        False,
    )
    assert user.password.startswith("md5$")  # test hasher; production: see test_password_hashers
    assert user.check_password(GOOD["password"])
    assert client.session[SESSION_KEY] == str(user.pk)
    assert SignupAnalytics.objects.filter(user=user, signup_completed=True).count() == 1
    assert [m.to for m in mailoutbox] == [["mia@example.com"]]
    assert "/verify-email/" in mailoutbox[0].body


def test_signup_page_renders(client, db):
    response = client.get("/signup?email=a@example.com&next=/invitations/abc")

    assert response.status_code == 200
    assert response.context["form"].initial == {
        "email": "a@example.com",
        "next": "/invitations/abc",
    }
    assert b'name="password"' in response.content


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"email": "not-an-email"}, {"email": ["Enter a valid email address."]}),
        ({"email": ""}, {"email": ["This field is required."]}),
        ({"name": ""}, {"name": ["This field is required."]}),
        (
            {"name": "x" * 121},
            {"name": ["Ensure this value has at most 120 characters (it has 121)."]},
        ),
        (
            {"password": "short"},
            {
                "password": [
                    "This password is too short. It must contain at least 10 characters.",
                ]
            },
        ),
        (
            {"name": "", "email": "nope", "password": "password"},
            {
                "name": ["This field is required."],
                "email": ["Enter a valid email address."],
                "password": [
                    "This password is too short. It must contain at least 10 characters.",
                    "This password is too common.",
                ],
            },
        ),
        (
            {"password": "1234567890123"},
            {
                "password": [
                    "This password is too common.",
                    "This password is entirely numeric.",
                ]
            },
        ),
    ],
)
def test_signup_with_bad_input_names_the_field_and_creates_no_user(
    client, db, mailoutbox, changes, errors
):
    response = client.post("/signup", {**GOOD, **changes})

    assert response.status_code == 200
    assert response.context["form"].errors == errors
    assert User.objects.count() == 0
    assert SignupAnalytics.objects.count() == 0
    assert mailoutbox == []
    assert SESSION_KEY not in client.session


def test_signup_with_a_taken_email_names_the_field_and_changes_nothing(client, db, mailoutbox):
    existing = UserFactory(email="mia@example.com", name="First Mia")

    response = client.post("/signup", {**GOOD, "email": "MIA@example.com"})

    assert response.status_code == 200
    assert response.context["form"].errors == {"email": ["An account with this e-mail exists."]}
    assert list(User.objects.values_list("id", "name")) == [(existing.id, "First Mia")]
    assert SignupAnalytics.objects.count() == 0
    assert mailoutbox == []


def test_signup_goes_to_a_local_next_only(client, db):
    response = client.post("/signup", {**GOOD, "next": "/invitations/tok"})
    assert response["Location"] == "/invitations/tok"

    client.post("/logout")
    response = client.post(
        "/signup", {**GOOD, "email": "other@example.com", "next": "https://evil.example/x"}
    )
    assert response["Location"] == "/onboarding"


# Login ---------------------------------------------------------------------------------------------


def test_login_of_a_member_goes_home(client, owner_a):
    response = client.post("/login", {"email": "Owner.A@example.com", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/home"
    assert client.session[SESSION_KEY] == str(owner_a.pk)


def test_login_without_a_workspace_goes_to_onboarding(client, db):
    UserFactory(email="new@example.com")

    response = client.post("/login", {"email": "new@example.com", "password": PASSWORD})

    assert response["Location"] == "/onboarding"


@pytest.mark.parametrize(
    ("next_value", "location"),
    [
        ("/settings/team?tab=1", "/settings/team?tab=1"),
        ("https://evil.example/steal", "/home"),
        ("//evil.example/steal", "/home"),
        ("/\\evil.example", "/home"),
        ("javascript:alert(1)", "/home"),
        ("", "/home"),
    ],
)
def test_login_honours_next_only_for_local_paths(client, owner_a, next_value, location):
    response = client.post(
        "/login", {"email": owner_a.email, "password": PASSWORD, "next": next_value}
    )

    assert response["Location"] == location


def test_login_page_keeps_a_local_next(client, db):
    response = client.get("/login?next=/settings")

    assert response.status_code == 200
    assert response.context["form"].initial == {"next": "/settings"}


def test_login_with_a_wrong_password_is_refused(client, owner_a):
    response = client.post("/login", {"email": owner_a.email, "password": "wrong password!"})

    assert response.status_code == 200
    assert response.context["form"].errors == {"__all__": ["The e-mail or the password is wrong."]}
    assert SESSION_KEY not in client.session


def test_login_with_missing_fields_names_them(client, db):
    response = client.post("/login", {"email": "", "password": ""})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "email": ["This field is required."],
        "password": ["This field is required."],
    }


def test_login_locks_the_address_after_the_failure_limit(client, owner_a, monkeypatch):
    limit = settings.LOGIN_FAILURE_LIMIT
    for _ in range(limit - 1):
        response = client.post("/login", {"email": owner_a.email, "password": "wrong password!"})
        assert response.status_code == 200

    response = client.post("/login", {"email": owner_a.email, "password": "wrong password!"})
    assert response.status_code == 429
    assert response.context["form"].errors == {
        "__all__": ["Too many failed attempts. Try again in a few minutes or reset your password."]
    }

    # While locked, even the right password is refused, and it is not even checked.
    def password_must_not_be_checked(*args, **kwargs):
        raise AssertionError("the password was checked during a lockout")

    monkeypatch.setattr("huntaze.accounts.services.authenticate", password_must_not_be_checked)
    response = client.post("/login", {"email": owner_a.email, "password": PASSWORD})

    assert response.status_code == 429
    assert response["Retry-After"] == str(settings.LOGIN_LOCKOUT_S)
    assert b"Too many failed attempts" in response.content
    assert SESSION_KEY not in client.session


def test_a_success_clears_earlier_failures(client, owner_a):
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        client.post("/login", {"email": owner_a.email, "password": "wrong password!"})
    client.post("/login", {"email": owner_a.email, "password": PASSWORD})
    client.post("/logout")

    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        response = client.post("/login", {"email": owner_a.email, "password": "wrong password!"})
        assert response.status_code == 200

    response = client.post("/login", {"email": owner_a.email, "password": PASSWORD})
    assert response.status_code == 302


def test_an_inactive_user_cannot_log_in(client, creator_a):
    user = UserFactory(email="gone@example.com", is_active=False)
    MembershipFactory(user=user, creator=creator_a, role="chatter")

    response = client.post("/login", {"email": "gone@example.com", "password": PASSWORD})

    assert response.status_code == 200
    assert SESSION_KEY not in client.session


def test_a_signed_in_visitor_of_the_login_page_goes_home(client_a):
    response = client_a.get("/login")

    assert response["Location"] == "/home"


# Logout -------------------------------------------------------------------------------------------


def test_logout_needs_a_post(client_a):
    assert client_a.get("/logout").status_code == 405
    assert SESSION_KEY in client_a.session

    response = client_a.post("/logout")

    assert response["Location"] == "/login"
    assert SESSION_KEY not in client_a.session
