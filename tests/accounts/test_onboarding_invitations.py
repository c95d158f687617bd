"""Onboarding (a first workspace, or a pending invitation) and invitation links."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import quote

from django.test import Client
from django.utils import timezone

from huntaze.accounts.models import Invitation, User
from huntaze.core.models import AuditLog, Creator, Membership
from tests.accounts.helpers import NEW_PASSWORD, link_in
from tests.factories import MembershipFactory, UserFactory


def _invite(client_a, email: str, role: str, mailoutbox, capture) -> str:
    """Owner A invites `email`; returns the invitation link's path."""
    with capture(execute=True):
        response = client_a.post(
            "/settings/team", {"action": "invite", "email": email, "role": role}
        )
    assert response.status_code == 302
    return link_in(mailoutbox[-1], "/invitations/")


# Onboarding -----------------------------------------------------------------------------------------


def test_onboarding_needs_a_signed_in_user(client, db):
    response = client.get("/onboarding")

    assert response["Location"] == "/login?next=/onboarding"


def test_onboarding_creates_a_creator_with_its_owner(db, signed_in):
    user = UserFactory(onboarding_completed=False)
    client = signed_in(user)

    assert client.get("/onboarding").status_code == 200
    response = client.post("/onboarding", {"action": "create", "name": "  Luna Star "})

    assert response["Location"] == "/home"
    creator = Creator.objects.get()
    assert (creator.name, creator.slug) == ("Luna Star", "luna-star")
    assert list(Membership.objects.values_list("user_id", "creator_id", "role")) == [
        (user.id, creator.id, "owner")
    ]
    user.refresh_from_db()
    assert user.onboarding_completed is True
    assert AuditLog.objects.for_creator(creator.id).get().action == "creator.created"


def test_onboarding_without_a_name_names_the_field_and_creates_nothing(db, signed_in):
    user = UserFactory(onboarding_completed=False)

    response = signed_in(user).post("/onboarding", {"action": "create", "name": "   "})

    assert response.status_code == 200
    assert response.context["form"].errors == {"name": ["This field is required."]}
    assert Creator.objects.count() == 0
    assert Membership.objects.count() == 0
    user.refresh_from_db()
    assert user.onboarding_completed is False


def test_onboarding_of_a_member_goes_home(client_a):
    response = client_a.post("/onboarding", {"action": "create", "name": "Second"})

    assert response["Location"] == "/home"
    assert Creator.objects.count() == 1


def test_onboarding_shows_and_accepts_invitations_of_a_confirmed_address(
    client_a, creator_a, signed_in, mailoutbox, django_capture_on_commit_callbacks
):
    _invite(
        client_a, "joiner@example.com", "analyst", mailoutbox, django_capture_on_commit_callbacks
    )
    joiner = UserFactory(email="joiner@example.com", email_verified=timezone.now())
    client = signed_in(joiner)

    page = client.get("/onboarding")
    [invitation] = page.context["invitations"]
    assert (invitation.creator_name, invitation.role) == ("Creator A", "analyst")

    response = client.post(
        "/onboarding", {"action": "accept", "invitation_id": invitation.invitation_id}
    )

    assert response["Location"] == "/home"
    assert Membership.objects.get(user=joiner).role == "analyst"
    assert Invitation.objects.for_creator(creator_a.id).get().accepted_at is not None


def test_an_unconfirmed_address_neither_sees_nor_accepts_invitations(
    client_a, creator_a, signed_in, mailoutbox, django_capture_on_commit_callbacks
):
    _invite(
        client_a, "joiner@example.com", "manager", mailoutbox, django_capture_on_commit_callbacks
    )
    invitation = Invitation.objects.for_creator(creator_a.id).get()
    joiner = UserFactory(email="joiner@example.com", email_verified=None)
    client = signed_in(joiner)

    assert client.get("/onboarding").context["invitations"] == []
    response = client.post("/onboarding", {"action": "accept", "invitation_id": invitation.id})

    assert response.status_code == 200
    assert response.context["pick_error"] == (
        "Confirm your e-mail address before accepting an invitation."
    )
    assert not Membership.objects.filter(user=joiner).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_onboarding_cannot_accept_someone_elses_invitation(
    client_a, creator_a, signed_in, mailoutbox, django_capture_on_commit_callbacks
):
    _invite(
        client_a, "joiner@example.com", "manager", mailoutbox, django_capture_on_commit_callbacks
    )
    invitation = Invitation.objects.for_creator(creator_a.id).get()
    other = UserFactory(email="other@example.com", email_verified=timezone.now())

    response = signed_in(other).post(
        "/onboarding", {"action": "accept", "invitation_id": invitation.id}
    )

    assert response.status_code == 404
    assert not Membership.objects.filter(user=other).exists()


def test_onboarding_with_a_bad_action_is_a_400(db, signed_in):
    client = signed_in(UserFactory())

    assert client.post("/onboarding", {"action": "explode"}).status_code == 400
    assert client.post("/onboarding", {"action": "accept", "invitation_id": "x"}).status_code == 400


# Invitation links -----------------------------------------------------------------------------------


def test_an_invitation_link_shows_the_workspace_and_role_and_offers_sign_up(
    client_a, mailoutbox, django_capture_on_commit_callbacks
):
    client = Client()  # anonymous (client_a is the signed-in default client)
    link = _invite(
        client_a, "new@example.com", "chatter", mailoutbox, django_capture_on_commit_callbacks
    )

    response = client.get(link)

    assert response.status_code == 200
    assert b"Join Creator A" in response.content
    assert b"new@example.com is invited as Chatter." in response.content
    assert response.context["signup_url"] == (
        f"/signup?next={quote(link, safe='')}&email=new%40example.com"
    )
    assert response.context["login_url"] == f"/login?next={quote(link, safe='')}"


def test_a_new_person_signs_up_from_the_link_and_joins(
    client_a, creator_a, mailoutbox, django_capture_on_commit_callbacks
):
    client = Client()  # anonymous (client_a is the signed-in default client)
    link = _invite(
        client_a, "new@example.com", "chatter", mailoutbox, django_capture_on_commit_callbacks
    )

    signup = client.post(
        "/signup",
        {"name": "New", "email": "new@example.com", "password": NEW_PASSWORD, "next": link},
    )
    assert signup["Location"] == link
    response = client.post(link)

    assert response["Location"] == "/home"
    user = User.objects.get(email="new@example.com")
    assert Membership.objects.get(user=user).role == "chatter"
    assert user.onboarding_completed is True
    assert user.email_verified is not None  # the invitation reached this mailbox
    assert [a.action for a in AuditLog.objects.for_creator(creator_a.id).order_by("id")] == [
        "invitation.created",
        "invitation.accepted",
    ]
    assert client.get(link).status_code == 404  # used


def test_accepting_needs_the_invited_address(
    client_a, creator_a, signed_in, mailoutbox, django_capture_on_commit_callbacks
):
    link = _invite(
        client_a, "invited@example.com", "manager", mailoutbox, django_capture_on_commit_callbacks
    )
    stranger = UserFactory(email="stranger@example.com")
    client = signed_in(stranger)

    page = client.get(link)
    response = client.post(link)

    assert page.context["email_matches"] is False
    assert b"You are logged in as stranger@example.com" in page.content
    assert response.status_code == 403
    assert not Membership.objects.filter(user=stranger).exists()
    assert Invitation.objects.for_creator(creator_a.id).get().accepted_at is None


def test_an_anonymous_accept_goes_to_login_and_back(
    client_a, creator_a, mailoutbox, django_capture_on_commit_callbacks
):
    client = Client()  # anonymous (client_a is the signed-in default client)
    link = _invite(
        client_a, "invited@example.com", "manager", mailoutbox, django_capture_on_commit_callbacks
    )

    response = client.post(link)

    assert response["Location"] == f"/login?next={quote(link, safe='')}"
    assert Membership.objects.filter(creator=creator_a).count() == 1


def test_an_existing_member_of_another_workspace_joins_a_second_one(
    client_a,
    creator_a,
    creator_b,
    owner_b,
    signed_in,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    link = _invite(
        client_a, owner_b.email, "manager", mailoutbox, django_capture_on_commit_callbacks
    )

    response = signed_in(owner_b, creator_b).post(link)

    assert response["Location"] == "/home"
    assert sorted(Membership.objects.filter(user=owner_b).values_list("creator_id", "role")) == [
        (creator_a.id, "manager"),
        (creator_b.id, "owner"),
    ]


def test_unknown_revoked_and_expired_invitations_are_404(
    client_a, creator_a, mailoutbox, django_capture_on_commit_callbacks
):
    client = Client()  # anonymous (client_a is the signed-in default client)
    link = _invite(
        client_a, "x@example.com", "chatter", mailoutbox, django_capture_on_commit_callbacks
    )
    invitation = Invitation.objects.for_creator(creator_a.id).get()

    assert client.get("/invitations/not-a-token").status_code == 404
    Invitation.objects.for_creator(creator_a.id).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert client.get(link).status_code == 404
    Invitation.objects.for_creator(creator_a.id).update(
        expires_at=timezone.now() + timedelta(days=1), revoked_at=timezone.now()
    )
    assert client.get(link).status_code == 404
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_accepting_twice_as_a_member_is_a_conflict(
    client_a, creator_a, member_of, signed_in, mailoutbox, django_capture_on_commit_callbacks
):
    link = _invite(
        client_a, "dup@example.com", "chatter", mailoutbox, django_capture_on_commit_callbacks
    )
    user = UserFactory(email="dup@example.com")
    MembershipFactory(user=user, creator=creator_a, role="analyst")  # joined meanwhile

    response = signed_in(user).post(link)

    assert response.status_code == 409
    assert Membership.objects.get(user=user).role == "analyst"
    assert Invitation.objects.for_creator(creator_a.id).get().accepted_at is None
