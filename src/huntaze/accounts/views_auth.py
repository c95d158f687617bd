"""Public account pages: sign-up, login, logout, e-mail verification, password reset."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from huntaze.accounts.forms import (
    LoginForm,
    PasswordResetRequestForm,
    SetPasswordForm,
    SignupForm,
    add_domain_errors,
)
from huntaze.accounts.services import (
    password_reset_token_check,
    user_authenticate,
    user_request_password_reset,
    user_resend_verification,
    user_reset_password,
    user_sign_up,
    user_verify_email,
)
from huntaze.accounts.views_common import render_public, safe_next_path, signed_in_user
from huntaze.core.errors import Conflict, RateLimited, ValidationFailed
from huntaze.core.selectors import workspaces_of_user


def _landing(user_id: int) -> str:
    return "/home" if workspaces_of_user(user_id=user_id) else "/onboarding"


@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
@never_cache
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(safe_next_path(request.GET.get("next")) or _landing(request.user.pk))
    if request.method == "POST":
        form = SignupForm(request.POST)
        if form.is_valid():
            next_path = safe_next_path(form.cleaned_data["next"])
            try:
                user = user_sign_up(
                    email=form.cleaned_data["email"],
                    password=form.cleaned_data["password"],
                    name=form.cleaned_data["name"],
                    session_id=request.session.session_key or "",
                    landing_page=next_path or "",
                )
            except ValidationFailed as error:
                add_domain_errors(form, error)
            else:
                login(request, user)
                messages.success(
                    request,
                    _("Welcome! We sent a link to %(email)s to confirm it.")
                    % {"email": user.email},
                )
                return redirect(next_path or "/onboarding")
    else:
        form = SignupForm(
            initial={
                "email": request.GET.get("email", "")[:254],
                "next": safe_next_path(request.GET.get("next")) or "",
            }
        )
    return render_public(request, "accounts/signup.html", {"form": form})


@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and request.method == "GET":
        return redirect(safe_next_path(request.GET.get("next")) or _landing(request.user.pk))
    status, retry_after_s = 200, 0
    if request.method == "POST":
        form = LoginForm(request.POST)
        if form.is_valid():
            try:
                user = user_authenticate(
                    email=form.cleaned_data["email"], password=form.cleaned_data["password"]
                )
            except RateLimited as error:
                form.add_error(None, error.message)
                status, retry_after_s = 429, error.retry_after_s
            except ValidationFailed as error:
                add_domain_errors(form, error)
            else:
                login(request, user)
                return redirect(safe_next_path(form.cleaned_data["next"]) or _landing(user.pk))
    else:
        form = LoginForm(initial={"next": safe_next_path(request.GET.get("next")) or ""})
    response = render_public(request, "accounts/login.html", {"form": form}, status=status)
    if status == 429:
        response["Retry-After"] = str(retry_after_s)
    return response


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect(safe_next_path(request.POST.get("next")) or "/login")


@require_http_methods(["GET"])
def verify_email(request: HttpRequest, token: str) -> HttpResponse:
    try:
        user = user_verify_email(token=token)
    except ValidationFailed:
        return render_public(request, "accounts/verify_email_failed.html", status=400)
    return render_public(request, "accounts/verify_email_done.html", {"verified_email": user.email})


@login_required
@require_POST
def verify_email_resend(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    try:
        user_resend_verification(user=user)
    except Conflict as error:
        messages.info(request, error.message)
    except RateLimited as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("We sent a new link to %(email)s.") % {"email": user.email})
    return redirect(safe_next_path(request.POST.get("next")) or _landing(user.pk))


@require_http_methods(["GET", "POST"])
def password_reset_request(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = PasswordResetRequestForm(request.POST)
        if form.is_valid():
            user_request_password_reset(email=form.cleaned_data["email"])
            return render_public(request, "accounts/password_reset_sent.html")
    else:
        form = PasswordResetRequestForm()
    return render_public(request, "accounts/password_reset_request.html", {"form": form})


@sensitive_post_parameters("new_password", "new_password_confirm")
@require_http_methods(["GET", "POST"])
@never_cache
def password_reset_confirm(request: HttpRequest, token: str) -> HttpResponse:
    if not password_reset_token_check(token=token):
        return render_public(request, "accounts/password_reset_invalid.html", status=400)
    if request.method == "POST":
        form = SetPasswordForm(request.POST)
        if form.is_valid():
            try:
                user_reset_password(token=token, password=form.cleaned_data["new_password"])
            except ValidationFailed as error:
                if "token" in error.field_errors:
                    return render_public(
                        request, "accounts/password_reset_invalid.html", status=400
                    )
                add_domain_errors(form, error, rename={"password": "new_password"})
            else:
                if request.user.is_authenticated:
                    logout(request)
                messages.success(request, _("Your password was changed. Log in with it now."))
                return redirect("/login")
    else:
        form = SetPasswordForm()
    return render_public(request, "accounts/password_reset_confirm.html", {"form": form})
