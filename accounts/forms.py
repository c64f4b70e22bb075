"""Sign-up, sign-in and account forms (the pages in accounts/views.py)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.password_validation import validate_password
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts import services
from accounts.models import User


class SignUpForm(forms.Form):
    full_name = forms.CharField(label=_("Your full name"), max_length=200, required=False)
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("We will send a link to this address to confirm it is yours."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = forms.CharField(
        label=_("Create a password"),
        help_text=_("At least 10 characters. Avoid common words and numbers only."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
    )
    accept_privacy = forms.BooleanField(
        label=_("I have read the privacy notice"),
        error_messages={"required": _("Confirm you have read the privacy notice")},
    )

    def clean_email(self) -> str:
        email = str(self.cleaned_data["email"]).strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _("An account with this e-mail address already exists. Sign in instead.")
            )
        return email

    def clean_password(self) -> str:
        password = str(self.cleaned_data["password"])
        validate_password(password, User(email=self.data.get("email", "")))
        return password


class SignInForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, request: HttpRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        self.user: Any = None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        email, password = data.get("email"), data.get("password")
        if not email or not password:
            return data
        if services.sign_in_locked(email=email):
            raise forms.ValidationError(
                _(
                    "Too many failed attempts. This account is locked for 15 minutes; "
                    "try again later or reset your password."
                ),
                code="locked",
            )
        user = authenticate(self.request, email=email, password=password)
        if user is None and _is_unverified(email, password):
            raise forms.ValidationError(
                _("Confirm your e-mail address first: open the link we sent you."),
                code="unverified",
            )
        if user is None:
            locked = services.sign_in_failed(email=email)
            message = (
                _("Too many failed attempts. This account is locked for 15 minutes.")
                if locked
                else _("Enter a correct e-mail address and password. Both are case-sensitive.")
            )
            self.add_error("password", message)
            return data
        services.sign_in_succeeded(email=email)
        self.user = user
        return data


def _is_unverified(email: str, password: str) -> bool:
    user = User.objects.filter(email__iexact=email, is_active=False).first()
    return user is not None and user.check_password(password)


class InvitationAcceptForm(SetPasswordForm):
    full_name = forms.CharField(label=_("Your full name"), max_length=200, required=False)
    field_order = ["full_name", "new_password1", "new_password2"]


class DeleteAccountForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand my account will be deleted and cannot be recovered"),
        error_messages={"required": _("Tick the box to confirm you want to delete your account")},
    )
