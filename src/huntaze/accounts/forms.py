"""Forms of the account and settings pages. They check the shape of the input; the services
check the rules, and their errors are put back on the named fields by `add_domain_errors`."""

from __future__ import annotations

from collections.abc import Mapping

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from huntaze.accounts.models import User
from huntaze.core.errors import DomainError
from huntaze.core.models import Role

LANGUAGE_CHOICES = [("", _("Browser default")), ("en", "English"), ("fr", "Français")]


def add_domain_errors(
    form: forms.Form, error: DomainError, *, rename: Mapping[str, str] | None = None
) -> None:
    """Puts a service's field errors on the form's fields (renamed when the form calls the
    field differently); errors on fields the form lacks, or none at all, go on the form."""
    rename = rename or {}
    if not error.field_errors:
        form.add_error(None, error.message)
        return
    for field, messages in error.field_errors.items():
        name = rename.get(field, field)
        for message in messages:
            form.add_error(name if name in form.fields else None, message)


ROW_ID_MAX = 2**63 - 1  # a BigAutoField; larger numbers would overflow the database driver


class _IdField(forms.IntegerField):
    def __init__(self, *, hidden: bool = True) -> None:
        super().__init__(
            min_value=1,
            max_value=ROW_ID_MAX,
            widget=forms.HiddenInput if hidden else forms.NumberInput,
        )


class _NextField(forms.CharField):
    def __init__(self) -> None:
        super().__init__(required=False, max_length=2000, widget=forms.HiddenInput)


class SignupForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("E-mail"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        max_length=256,
        help_text=_("At least 10 characters, not only digits, not a common password."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    next = _NextField()

    def clean_password(self) -> str:
        """Every password rule at once with the other fields' errors (the sign-up service
        checks them again)."""
        password: str = self.cleaned_data["password"]
        candidate = User(
            email=self.cleaned_data.get("email", ""), name=self.cleaned_data.get("name", "")
        )
        validate_password(password, user=candidate)
        return password


class LoginForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        max_length=256,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    next = _NextField()


class PasswordResetRequestForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )


class _NewPasswordPair(forms.Form):
    new_password = forms.CharField(
        label=_("New password"),
        strip=False,
        max_length=256,
        help_text=_("At least 10 characters, not only digits, not a common password."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password_confirm = forms.CharField(
        label=_("New password, again"),
        strip=False,
        max_length=256,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("new_password"), cleaned.get("new_password_confirm")
        if first and second and first != second:
            self.add_error("new_password_confirm", _("The two passwords differ."))
        return cleaned


class SetPasswordForm(_NewPasswordPair):
    pass


class PasswordChangeForm(_NewPasswordPair):
    current_password = forms.CharField(
        label=_("Current password"),
        strip=False,
        max_length=256,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    field_order = ["current_password", "new_password", "new_password_confirm"]


class WorkspaceCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Workspace name"),
        max_length=120,
        help_text=_("Usually the creator's stage name."),
    )


class InvitationPickForm(forms.Form):
    invitation_id = _IdField()


class ProfileForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=120, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(
        label=_("E-mail"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES, required=False)
    current_password = forms.CharField(
        label=_("Current password"),
        required=False,
        strip=False,
        max_length=256,
        help_text=_("Needed only to change your e-mail."),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def __init__(self, *args: object, roles: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["role"].choices = roles  # type: ignore[attr-defined]
        if any(value == Role.CHATTER for value, _label in roles):
            self.fields["role"].initial = Role.CHATTER


class MemberRoleForm(forms.Form):
    membership_id = _IdField()
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class MemberForm(forms.Form):
    membership_id = _IdField()


class InvitationRevokeForm(forms.Form):
    invitation_id = _IdField()


class ApiKeyCreateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def __init__(self, *args: object, roles: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["role"].choices = roles  # type: ignore[attr-defined]


class ApiKeyRevokeForm(forms.Form):
    api_key_id = _IdField()


class WorkspaceSwitchForm(forms.Form):
    creator_id = _IdField(hidden=False)
    next = _NextField()
