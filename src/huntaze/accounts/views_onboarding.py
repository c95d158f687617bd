"""Onboarding (a first workspace, or an invitation) and the page behind an invitation link."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from huntaze.accounts.forms import InvitationPickForm, WorkspaceCreateForm, add_domain_errors
from huntaze.accounts.selectors import invitation_pending_for_email, invitation_preview
from huntaze.accounts.services import (
    invitation_accept,
    invitation_accept_pending,
    onboarding_create_workspace,
)
from huntaze.accounts.views_common import error_page, render_public, signed_in_user
from huntaze.core.errors import Conflict, NotFound, ValidationFailed


@login_required
@require_http_methods(["GET", "POST"])
def onboarding(request: HttpRequest) -> HttpResponse:
    if getattr(request, "actor", None) is not None:
        return redirect("/home")
    user = signed_in_user(request)
    form = WorkspaceCreateForm()
    pick_error = ""
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "create":
            form = WorkspaceCreateForm(request.POST)
            if form.is_valid():
                try:
                    onboarding_create_workspace(user=user, name=form.cleaned_data["name"])
                except ValidationFailed as error:
                    add_domain_errors(form, error)
                else:
                    messages.success(request, _("Your workspace is ready."))
                    return redirect("/home")
        elif action == "accept":
            pick = InvitationPickForm(request.POST)
            if not pick.is_valid():
                return error_page(request, status=400, message=_("Choose an invitation."))
            try:
                invitation_accept_pending(
                    user=user, invitation_id=pick.cleaned_data["invitation_id"]
                )
            except NotFound as error:
                return error_page(request, status=404, message=error.message)
            except (ValidationFailed, Conflict) as error:
                pick_error = error.message
            else:
                messages.success(request, _("You joined the workspace."))
                return redirect("/home")
        else:
            return error_page(request, status=400, message=_("Unknown action."))
    invitations = invitation_pending_for_email(email=user.email) if user.email_verified else []
    return render_public(
        request,
        "accounts/onboarding.html",
        {
            "form": form,
            "invitations": invitations,
            "email_verified": user.email_verified is not None,
            "pick_error": pick_error,
        },
    )


@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    try:
        summary = invitation_preview(token=token)
    except NotFound as error:
        return error_page(request, status=404, message=error.message)
    here = request.path
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"/login?{urlencode({'next': here})}")
        user = signed_in_user(request)
        try:
            invitation_accept(user=user, token=token)
        except NotFound as error:
            return error_page(request, status=404, message=error.message)
        except ValidationFailed as error:
            return error_page(request, status=403, message=error.message)
        except Conflict as error:
            return error_page(request, status=409, message=error.message)
        messages.success(
            request,
            _("You joined %(workspace)s. Choose it in the workspace menu when you have several.")
            % {"workspace": summary.creator_name},
        )
        return redirect("/home")
    signed_in_email = request.user.email if request.user.is_authenticated else ""  # type: ignore[union-attr]
    return render_public(
        request,
        "accounts/invitation.html",
        {
            "invitation": summary,
            "signed_in_email": signed_in_email,
            "email_matches": signed_in_email == summary.email,
            "signup_url": f"/signup?{urlencode({'next': here, 'email': summary.email})}",
            "login_url": f"/login?{urlencode({'next': here})}",
        },
    )
