"""Settings pages: account, team, billing, API keys."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from huntaze.accounts.forms import (
    ApiKeyCreateForm,
    ApiKeyRevokeForm,
    InvitationRevokeForm,
    InviteForm,
    MemberForm,
    MemberRoleForm,
    PasswordChangeForm,
    ProfileForm,
    add_domain_errors,
)
from huntaze.accounts.models import AIPlan
from huntaze.accounts.selectors import (
    api_key_list,
    invitation_pending_list,
    role_within,
    roles_within,
)
from huntaze.accounts.services import (
    api_key_create,
    api_key_revoke,
    invitation_create,
    invitation_revoke,
    team_member_remove,
    team_member_set_role,
    user_change_password,
    user_update_profile,
)
from huntaze.accounts.views_common import signed_in_user
from huntaze.billing.selectors import workspace_ai_usage_month
from huntaze.core.context import Actor
from huntaze.core.errors import Conflict, ValidationFailed
from huntaze.core.models import Role
from huntaze.core.pages import workspace_page
from huntaze.core.permissions import Permission
from huntaze.core.selectors import team_members


def _actor(request: HttpRequest) -> Actor:
    actor = getattr(request, "actor", None)
    if not isinstance(actor, Actor):
        raise TypeError("a workspace page needs request.actor")
    return actor


def _bad_request(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "web/error.html", {"status": 400, "message": message}, status=400)


# Account ------------------------------------------------------------------------------------------


@sensitive_post_parameters("current_password", "new_password", "new_password_confirm")
@require_http_methods(["GET", "POST"])
@workspace_page()
def account(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    profile_form = ProfileForm(
        initial={"name": user.name, "email": user.email, "language": user.language}
    )
    password_form = PasswordChangeForm()
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "profile":
            profile_form = ProfileForm(request.POST)
            if profile_form.is_valid():
                data = profile_form.cleaned_data
                try:
                    user_update_profile(
                        user=user,
                        name=data["name"],
                        email=data["email"],
                        language=data["language"],
                        current_password=data["current_password"],
                    )
                except ValidationFailed as error:
                    add_domain_errors(profile_form, error)
                else:
                    messages.success(request, _("Your account is saved."))
                    return redirect("/settings")
        elif action == "password":
            password_form = PasswordChangeForm(request.POST)
            if password_form.is_valid():
                data = password_form.cleaned_data
                try:
                    user_change_password(
                        user=user,
                        current_password=data["current_password"],
                        new_password=data["new_password"],
                    )
                except ValidationFailed as error:
                    add_domain_errors(password_form, error)
                else:
                    update_session_auth_hash(request, user)
                    messages.success(request, _("Your password is changed."))
                    return redirect("/settings")
        else:
            return _bad_request(request, _("Unknown action."))
    return render(
        request,
        "settings/account.html",
        {"profile_form": profile_form, "password_form": password_form, "account": user},
    )


# Team ---------------------------------------------------------------------------------------------


def _team_context(actor: Actor, invite_form: InviteForm) -> dict[str, Any]:
    can_manage = actor.can(Permission.MANAGE_TEAM)
    members = [
        {
            "membership": membership,
            "role_label": Role(membership.role).label,
            "is_you": membership.user_id == actor.user_id,
            "editable": can_manage and role_within(membership.role, actor.role),
        }
        for membership in team_members(creator_id=actor.creator_id)
    ]
    return {
        "members": members,
        "invitations": list(invitation_pending_list(creator_id=actor.creator_id))
        if can_manage
        else [],
        "can_manage": can_manage,
        "grantable_roles": roles_within(ceiling=actor.role),
        "invite_form": invite_form,
    }


@require_http_methods(["GET", "POST"])
@workspace_page()
def team(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    grantable = roles_within(ceiling=actor.role)
    invite_form = InviteForm(roles=grantable)
    if request.method == "POST":
        actor.require(Permission.MANAGE_TEAM)
        action = request.POST.get("action")
        if action == "invite":
            invite_form = InviteForm(request.POST, roles=grantable)
            if invite_form.is_valid():
                try:
                    invitation_create(
                        actor=actor,
                        email=invite_form.cleaned_data["email"],
                        role=invite_form.cleaned_data["role"],
                    )
                except (ValidationFailed, Conflict) as error:
                    add_domain_errors(invite_form, error)
                else:
                    messages.success(
                        request,
                        _("Invitation sent to %(email)s.")
                        % {"email": invite_form.cleaned_data["email"]},
                    )
                    return redirect("/settings/team")
        elif action in ("set_role", "remove", "revoke_invitation"):
            return _team_change(request, actor, action)
        else:
            return _bad_request(request, _("Unknown action."))
    return render(request, "settings/team.html", _team_context(actor, invite_form))


def _team_change(request: HttpRequest, actor: Actor, action: str) -> HttpResponse:
    """Role change, removal, invitation revoke: a message, then back to the team page. A
    NotFound (another workspace's row) becomes a 404 page in `workspace_page`."""
    form: MemberRoleForm | MemberForm | InvitationRevokeForm
    if action == "set_role":
        form = MemberRoleForm(request.POST)
    elif action == "remove":
        form = MemberForm(request.POST)
    else:
        form = InvitationRevokeForm(request.POST)
    if not form.is_valid():
        return _bad_request(request, _("Some fields are missing or not valid."))
    data = form.cleaned_data
    try:
        if action == "set_role":
            team_member_set_role(
                actor=actor, membership_id=data["membership_id"], role=data["role"]
            )
            done = _("The role is changed.")
        elif action == "remove":
            team_member_remove(actor=actor, membership_id=data["membership_id"])
            done = _("The member is removed.")
        else:
            invitation_revoke(actor=actor, invitation_id=data["invitation_id"])
            done = _("The invitation is revoked.")
    except (ValidationFailed, Conflict) as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect("/settings/team")


# Billing ------------------------------------------------------------------------------------------


@require_http_methods(["GET"])
@workspace_page(Permission.VIEW_BILLING)
def billing(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    user = signed_in_user(request)
    return render(
        request,
        "settings/billing.html",
        {
            "ai_plan": AIPlan(user.ai_plan).label,
            "usage": workspace_ai_usage_month(creator_id=actor.creator_id),
        },
    )


# API keys -----------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@workspace_page(Permission.MANAGE_API_KEYS)
def api_keys(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    grantable = roles_within(ceiling=actor.role)
    create_form = ApiKeyCreateForm(roles=grantable, initial={"role": actor.role})
    created = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "create":
            create_form = ApiKeyCreateForm(request.POST, roles=grantable)
            if create_form.is_valid():
                try:
                    created = api_key_create(
                        actor=actor,
                        name=create_form.cleaned_data["name"],
                        role=create_form.cleaned_data["role"],
                    )
                except ValidationFailed as error:
                    add_domain_errors(create_form, error)
                else:
                    create_form = ApiKeyCreateForm(roles=grantable, initial={"role": actor.role})
        elif action == "revoke":
            revoke_form = ApiKeyRevokeForm(request.POST)
            if not revoke_form.is_valid():
                return _bad_request(request, _("Choose a key."))
            api_key_revoke(actor=actor, api_key_id=revoke_form.cleaned_data["api_key_id"])
            messages.success(request, _("The key is revoked."))
            return redirect("/settings/api-keys")
        else:
            return _bad_request(request, _("Unknown action."))
    response = render(
        request,
        "settings/api_keys.html",
        {
            "keys": list(api_key_list(creator_id=actor.creator_id)[:200]),
            "create_form": create_form,
            "created": created,
        },
    )
    if created is not None:
        response["Cache-Control"] = "no-store"  # the raw key is shown once, never cached
    return response
