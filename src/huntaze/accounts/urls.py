"""Account pages: sign-up, login, verification, reset, onboarding, invitations, settings."""

urlpatterns: list = []
