"""Account pages: sign-up, login, verification, reset, onboarding, invitations.

The Settings pages and the workspace switch need the workspace layer, so they live in
`huntaze.web` (views_settings, views_workspace)."""

from django.urls import path

from huntaze.accounts import views_auth, views_onboarding

urlpatterns = [
    path("signup", views_auth.signup, name="signup"),
    path("login", views_auth.login_view, name="login"),
    path("logout", views_auth.logout_view, name="logout"),
    path("verify-email/resend", views_auth.verify_email_resend, name="verify-email-resend"),
    path("verify-email/<str:token>", views_auth.verify_email, name="verify-email"),
    path("password-reset", views_auth.password_reset_request, name="password-reset"),
    path(
        "password-reset/<str:token>",
        views_auth.password_reset_confirm,
        name="password-reset-confirm",
    ),
    path("onboarding", views_onboarding.onboarding, name="onboarding"),
    path("invitations/<str:token>", views_onboarding.invitation, name="invitation"),
]
