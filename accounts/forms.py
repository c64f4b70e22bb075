"""Sign-up, sign-in and account forms (the pages in accounts/views.py)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.password_validation import validate_password
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts import selectors, services
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
        if not selectors.second_factor_required(user=user):
            # Staff failures are forgiven only once the second factor passes too, or a password
            # holder could reset the count between guesses at the code.
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


LOCKED = _("Too many failed attempts. This account is locked for 15 minutes.")


class _SecondFactorCodeForm(forms.Form):
    """A code typed at the second-factor step; wrong codes count towards the sign-in lock-out."""

    code = forms.CharField(max_length=40, strip=True)
    wrong_code_message: Any = ""

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.device: Any = None
        self.recovery_codes: list[str] = []

    def clean_code(self) -> str:
        code = str(self.cleaned_data["code"])
        email = self.user.email
        if services.sign_in_locked(email=email):
            raise forms.ValidationError(LOCKED, code="locked")
        if not self.check(code):
            locked = services.sign_in_failed(email=email)
            raise forms.ValidationError(
                LOCKED if locked else self.wrong_code_message, code="locked" if locked else "wrong"
            )
        services.sign_in_succeeded(email=email)
        return code

    def check(self, code: str) -> bool:
        raise NotImplementedError


class SecondFactorForm(_SecondFactorCodeForm):
    code = forms.CharField(
        label=_("Security code"),
        help_text=_(
            "The 6-digit code your authenticator app shows for the hub now, or one of your "
            "recovery codes."
        ),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"}
        ),
        error_messages={"required": _("Enter the code from your authenticator app")},
    )
    wrong_code_message = _(
        "Enter the code your authenticator app shows now, or a recovery code you have not used."
    )

    def check(self, code: str) -> bool:
        self.device = services.second_factor_verify(user=self.user, code=code)
        return self.device is not None


class AuthenticatorSetUpForm(_SecondFactorCodeForm):
    code = forms.CharField(
        label=_("Code from your authenticator app"),
        help_text=_("After adding the hub to the app, type the 6-digit code it shows."),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
        error_messages={"required": _("Enter the code from your authenticator app")},
    )
    wrong_code_message = _(
        "Enter the 6-digit code your authenticator app shows now for the hub. If it keeps "
        "failing, check the time on your phone is set automatically."
    )

    def check(self, code: str) -> bool:
        confirmed = services.authenticator_confirm(user=self.user, code=code)
        if confirmed is None:
            return False
        self.device, self.recovery_codes = confirmed
        return True
