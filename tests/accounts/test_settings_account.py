"""Settings › Account: name, e-mail, language, password."""

from __future__ import annotations

from django.contrib.auth import SESSION_KEY
from django.utils import timezone

from huntaze.accounts.models import User
from tests.accounts.helpers import NEW_PASSWORD, PASSWORD, link_in
from tests.factories import UserFactory


def _profile(**changes):
    return {
        "action": "profile",
        "name": "Owner A",
        "email": "owner.a@example.com",
        "language": "",
        "current_password": "",
        **changes,
    }


def test_the_account_page_needs_a_signed_in_member(client, db, signed_in):
    assert client.get("/settings")["Location"] == "/login?next=%2Fsettings"
    assert signed_in(UserFactory()).get("/settings")["Location"] == "/onboarding"


def test_the_account_page_shows_the_profile(client_a, owner_a):
    response = client_a.get("/settings")

    assert response.status_code == 200
    assert response.context["profile_form"].initial == {
        "name": owner_a.name,
        "email": "owner.a@example.com",
        "language": "",
    }


def test_name_and_language_are_saved(client_a, owner_a):
    response = client_a.post("/settings", _profile(name="  Ana Owner ", language="fr"))

    assert response["Location"] == "/settings"
    owner_a.refresh_from_db()
    assert (owner_a.name, owner_a.language) == ("Ana Owner", "fr")
    # The chosen language is used from the next page on.
    assert client_a.get("/settings").context["LANGUAGE_CODE"] == "fr"


def test_a_bad_language_names_the_field_and_changes_nothing(client_a, owner_a):
    old_name = owner_a.name

    response = client_a.post("/settings", _profile(name="Changed", language="de"))

    assert response.status_code == 200
    assert response.context["profile_form"].errors == {
        "language": ["Select a valid choice. de is not one of the available choices."]
    }
    owner_a.refresh_from_db()
    assert (owner_a.name, owner_a.language) == (old_name, "")


def test_changing_the_email_needs_the_current_password(client_a, owner_a, mailoutbox):
    old_name = owner_a.name

    response = client_a.post(
        "/settings", _profile(name="New", email="new@example.com", current_password="wrong")
    )

    assert response.status_code == 200
    assert response.context["profile_form"].errors == {
        "current_password": ["Enter your current password to change your e-mail."]
    }
    owner_a.refresh_from_db()
    assert (owner_a.email, owner_a.name) == ("owner.a@example.com", old_name)
    assert mailoutbox == []


def test_a_new_email_is_unconfirmed_and_gets_a_link(
    client_a, owner_a, mailoutbox, django_capture_on_commit_callbacks
):
    owner_a.email_verified = timezone.now()
    owner_a.save()

    with django_capture_on_commit_callbacks(execute=True):
        response = client_a.post(
            "/settings", _profile(email="New@Example.com", current_password=PASSWORD)
        )

    assert response["Location"] == "/settings"
    owner_a.refresh_from_db()
    assert (owner_a.email, owner_a.email_verified) == ("new@example.com", None)
    assert [m.to for m in mailoutbox] == [["new@example.com"]]
    assert client_a.get(link_in(mailoutbox[0], "/verify-email/")).status_code == 200


def test_a_taken_email_names_the_field_and_changes_nothing(client_a, owner_a, owner_b):
    response = client_a.post(
        "/settings", _profile(email="owner.b@example.com", current_password=PASSWORD)
    )

    assert response.context["profile_form"].errors == {
        "email": ["An account with this e-mail exists."]
    }
    owner_a.refresh_from_db()
    assert owner_a.email == "owner.a@example.com"


def test_the_password_is_changed_and_the_session_kept(client_a, owner_a):
    response = client_a.post(
        "/settings",
        {
            "action": "password",
            "current_password": PASSWORD,
            "new_password": NEW_PASSWORD,
            "new_password_confirm": NEW_PASSWORD,
        },
    )

    assert response["Location"] == "/settings"
    owner_a.refresh_from_db()
    assert owner_a.check_password(NEW_PASSWORD)
    assert client_a.get("/settings").status_code == 200
    assert client_a.session[SESSION_KEY] == str(owner_a.pk)


def test_a_wrong_current_password_or_weak_new_one_changes_nothing(client_a, owner_a):
    wrong = client_a.post(
        "/settings",
        {
            "action": "password",
            "current_password": "not it at all",
            "new_password": NEW_PASSWORD,
            "new_password_confirm": NEW_PASSWORD,
        },
    )
    weak = client_a.post(
        "/settings",
        {
            "action": "password",
            "current_password": PASSWORD,
            "new_password": "12345678901",
            "new_password_confirm": "12345678901",
        },
    )

    assert wrong.context["password_form"].errors == {
        "current_password": ["The current password is wrong."]
    }
    assert weak.context["password_form"].errors == {
        "new_password": ["This password is too common.", "This password is entirely numeric."]
    }
    assert User.objects.get(pk=owner_a.pk).check_password(PASSWORD)


def test_an_unknown_action_is_a_400(client_a):
    assert client_a.post("/settings", {"action": "nope"}).status_code == 400
