"""Accounts pages: sign-up, sign-in and its second factor for hub staff, the account page, and
the staff pages of API clients and requesters."""

from __future__ import annotations

import time
from base64 import b32encode
from datetime import timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import (
    url_has_allowed_host_and_scheme,
    urlencode,
    urlsafe_base64_decode,
    urlsafe_base64_encode,
)
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.i18n import set_language as django_set_language
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice
from qrcode import make as make_qr_code
from qrcode.image.svg import SvgPathFillImage
from rest_framework.throttling import BaseThrottle

from accounts import selectors, services
from accounts.decorators import staff_required
from accounts.emails import send_templated
from accounts.forms import (
    AuthenticatorSetUpForm,
    DeleteAccountForm,
    InvitationAcceptForm,
    SecondFactorForm,
    SignInForm,
    SignUpForm,
)
from accounts.forms_util import posted
from accounts.models import APIClient, Organisation, Role, User
from accounts.services import api_client_create, api_client_revoke, api_client_rotate
from firms.models import Firm


class APIClientForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=120, help_text=_("Who uses it, e.g. 'MoD liaison sync'.")
    )
    scope = forms.ChoiceField(label=_("Scope"), choices=APIClient.Scope.choices)
    firm = forms.ModelChoiceField(
        label=_("Firm"),
        queryset=Firm.objects.order_by("name"),
        required=False,
        help_text=_("Only for a firm token."),
    )
    expires_days = forms.IntegerField(
        label=_("Expires after (days)"),
        min_value=1,
        max_value=3650,
        required=False,
        help_text=_("Leave blank for a token that does not expire."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("scope") == APIClient.Scope.FIRM) != bool(data.get("firm")):
            self.add_error("firm", _("Choose a firm for a firm token, and none for a staff one."))
        return data


def _render(request: HttpRequest, form: APIClientForm, new_token: dict | None = None) -> Any:
    clients = APIClient.objects.select_related("firm", "created_by").order_by("-created_at")
    context = {"form": form, "clients": clients, "new_token": new_token}
    return render(request, "staff/api_clients.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def api_clients(request: HttpRequest) -> HttpResponse:
    """List, create, rotate and revoke API clients (hub staff)."""
    if not request.user.is_hub_staff:  # type: ignore[union-attr]
        raise PermissionDenied
    if request.method == "GET":
        return _render(request, APIClientForm())
    action = request.POST.get("action", "create")
    if action in ("rotate", "revoke"):
        client = get_object_or_404(APIClient, pk=request.POST.get("client"))
        if action == "revoke":
            api_client_revoke(client=client, by=request.user)  # type: ignore[arg-type]
            return _render(request, APIClientForm())
        token = api_client_rotate(client=client, by=request.user)  # type: ignore[arg-type]
        # Rendered, not redirected: the token is shown once and stored nowhere in clear.
        return _render(request, APIClientForm(), {"name": client.name, "token": token})
    form = APIClientForm(request.POST)
    if not form.is_valid():
        return _render(request, form)
    data = form.cleaned_data
    days = data.get("expires_days")
    try:
        client, token = api_client_create(
            name=data["name"],
            scope=data["scope"],
            firm=data.get("firm"),
            by=request.user,  # type: ignore[arg-type]
            expires_at=timezone.now() + timedelta(days=days) if days else None,
        )
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
        return _render(request, form)
    return _render(request, APIClientForm(), {"name": client.name, "token": token})


# Requesting organisations and their requesters (issue 6) ------------------------------------


class OrganisationForm(forms.Form):
    name = forms.CharField(
        label=_("Organisation name in English"),
        max_length=200,
        error_messages={"required": _("Enter the organisation's name")},
    )
    name_uk = forms.CharField(
        label=_("Organisation name in Ukrainian (optional)"), max_length=200, required=False
    )
    slug = forms.CharField(
        label=_("Short name (optional)"),
        max_length=64,
        required=False,
        help_text=_(
            "Latin letters, digits and hyphens, like mod-kyiv. Made from the name if left empty; "
            "it never changes once requirements use it."
        ),
    )


class RequesterInviteForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.order_by("name"),
        empty_label=_("Choose an organisation"),
        error_messages={
            "required": _("Choose the organisation the requester works for"),
            "invalid_choice": _("Choose the organisation the requester works for"),
        },
    )
    email = forms.EmailField(
        label=_("Requester's e-mail address"),
        help_text=_("We send an invitation to set a password to this address."),
        error_messages={
            "required": _("Enter the requester's e-mail address"),
            "invalid": _("Enter an e-mail address like name@example.gov.ua"),
        },
    )


def _organisations_with_requesters() -> Any:
    requesters = User.objects.filter(role=Role.REQUESTER).order_by("email")
    return (
        Organisation.objects.prefetch_related(Prefetch("members", queryset=requesters))
        .annotate(requirement_count=Count("requirements", distinct=True))
        .order_by("name")
    )


def _send_requester_invitation(request: HttpRequest, user: User, by: Any) -> None:
    path = reverse(
        "accounts:invitation-accept",
        args=[
            urlsafe_base64_encode(force_bytes(user.pk)),
            default_token_generator.make_token(user),
        ],
    )
    context = {
        "organisation": user.organisation,
        "by": by,
        "link": request.build_absolute_uri(path),
    }
    send_templated(user=user, template="requester_invitation", context=context)


def _requester_post(
    request: HttpRequest, org_form: OrganisationForm, invite_form: RequesterInviteForm
) -> bool:
    """Handle one of the page's two forms; True once it succeeded."""
    by: Any = request.user
    try:
        if request.POST.get("action") == "organisation":
            if not org_form.is_valid():
                return False
            organisation = services.organisation_create(by=by, **org_form.cleaned_data)
            messages.success(
                request,
                _("Organisation %(name)s is added.") % {"name": organisation.name},
            )
            return True
        if not invite_form.is_valid():
            return False
        user, _new = services.requester_invite(
            organisation=invite_form.cleaned_data["organisation"],
            email=invite_form.cleaned_data["email"],
            by=by,
        )
    except ValidationError as error:
        form = org_form if request.POST.get("action") == "organisation" else invite_form
        _copy_errors(form, error)
        return False
    _send_requester_invitation(request, user, by)
    messages.success(request, _("Invitation sent to %(email)s.") % {"email": user.email})
    return True


@staff_required
@require_http_methods(["GET", "POST"])
def requesters(request: HttpRequest) -> HttpResponse:
    """Requesting organisations, their requesters, and invitations to new ones (hub staff)."""
    action = request.POST.get("action") if request.method == "POST" else None
    org_form = OrganisationForm(request.POST if action == "organisation" else None)
    invite_form = RequesterInviteForm(request.POST if action == "invite" else None)
    if action in ("organisation", "invite") and _requester_post(request, org_form, invite_form):
        return redirect("staff-requesters")
    context = {
        "organisations": _organisations_with_requesters(),
        "org_form": org_form,
        "invite_form": invite_form,
    }
    return render(request, "staff/requesters.html", context)


# Sign-up, sign-in and account pages (issue 5) -------------------------------------------------


def _after_sign_in(request: HttpRequest, user: Any) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    if user.is_supplier:
        return reverse("portal:dashboard")
    if user.is_requester:
        return reverse("requester:requirements")
    if user.is_hub_staff and user.is_staff:
        return reverse("admin:index")
    return reverse("home")


_RATE_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
TOO_MANY_ATTEMPTS = _(
    "Too many attempts from your network in a short time. Wait a few minutes, then try again."
)


def _over_rate(request: HttpRequest, *, scope: str, rate: str) -> bool:
    """Count this POST against `rate` ("20/minute") for the client address; True once over it.

    A fixed window in the shared cache, so every web process counts towards the same limit;
    add() then incr() so that concurrent requests cannot overwrite each other's count."""
    limit, _slash, unit = rate.partition("/")
    period = _RATE_PERIODS[unit[0]]
    # DRF's rule for the client address (REST_FRAMEWORK NUM_PROXIES), as the API throttles use.
    address = BaseThrottle().get_ident(request)  # type: ignore[arg-type]
    key = f"rate:{scope}:{address}:{int(time.time()) // period}"
    cache.add(key, 0, timeout=period)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=period)
        count = 1
    return bool(count > int(limit))


def _refused(request: HttpRequest, template: str, form: forms.Form, **context: Any) -> HttpResponse:
    # The form is unbound (nothing in the refused POST is validated); the refusal is its error.
    form.errors[NON_FIELD_ERRORS] = form.error_class([TOO_MANY_ATTEMPTS], error_class="nonfield")
    return render(request, template, {"form": form, **context}, status=429)


@require_http_methods(["GET", "POST"])
def sign_up(request: HttpRequest) -> HttpResponse:
    """A supplier creates an account; it works once the e-mail address is confirmed."""
    if request.method == "POST" and _over_rate(
        request, scope="sign-up", rate=settings.HUB_SIGN_UP_RATE
    ):
        return _refused(request, "account/sign_up.html", SignUpForm())
    form = SignUpForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_sign_up(
                email=data["email"], password=data["password"], full_name=data["full_name"]
            )
        except ValidationError as error:
            _copy_errors(form, error)
        else:
            link = request.build_absolute_uri(
                reverse(
                    "accounts:verify-email",
                    args=[services.email_verification_token(user=user)],
                )
            )
            send_templated(user=user, template="verify_email", context={"link": link})
            return redirect("accounts:sign-up-done")
    return render(request, "account/sign_up.html", {"form": form})


def _copy_errors(form: forms.Form, error: ValidationError) -> None:
    for field, problems in error.message_dict.items():
        form.add_error(field if field in form.fields else None, problems)


@require_GET
def sign_up_done(request: HttpRequest) -> HttpResponse:
    return render(request, "account/sign_up_done.html")


@require_GET
def verify_email(request: HttpRequest, token: str) -> HttpResponse:
    user = services.user_verify_email(token=token)
    if user is None:
        return render(request, "account/verify_failed.html", status=400)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, _("Your e-mail address is confirmed. Now tell us about your firm."))
    return redirect("portal:firm-edit")


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and _over_rate(
        request, scope="sign-in", rate=settings.HUB_SIGN_IN_RATE
    ):
        # Unbound: a refused attempt is not even checked against the password.
        form = SignInForm(initial={"email": request.POST.get("email", "")}, request=request)
        next_url = request.POST.get("next", "")
        return _refused(request, "account/sign_in.html", form, next=next_url)
    form = SignInForm(posted(request), request=request)
    timed_out = request.session.pop("hub_timed_out", False)
    if request.method == "POST" and form.is_valid() and form.user is not None:
        login(request, form.user)
        if selectors.second_factor_required(user=form.user):
            return redirect(
                _with_next("accounts:second-factor", _after_sign_in(request, form.user))
            )
        return redirect(_after_sign_in(request, form.user))
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    context = {"form": form, "next": next_url, "timed_out": timed_out}
    return render(request, "account/sign_in.html", context)


def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch (a GET only redirects); a signed-in user's choice is also kept
    for their e-mails."""
    response = django_set_language(request)
    if request.method == "POST" and request.user.is_authenticated:
        services.language_remember(user=request.user, language=request.POST.get("language"))
    return response


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, _("You have signed out."))
    return redirect("home")


@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    try:
        pk = urlsafe_base64_decode(uidb64).decode()
    except (ValueError, UnicodeDecodeError):
        pk = ""
    user = User.objects.filter(pk=pk).first() if pk.isdigit() else None
    if user is None or not default_token_generator.check_token(user, token):
        return render(request, "account/verify_failed.html", status=400)
    form = InvitationAcceptForm(user, posted(request))
    requester = user.role == Role.REQUESTER
    if request.method == "POST" and form.is_valid():
        services.invitation_accept(
            user=user,
            password=form.cleaned_data["new_password1"],
            full_name=form.cleaned_data.get("full_name", ""),
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        if requester:
            messages.success(
                request,
                _("Welcome. You can now submit and follow your organisation's requirements."),
            )
            return redirect("requester:requirements")
        messages.success(request, _("Welcome. You have joined your firm on the hub."))
        return redirect("portal:dashboard")
    if requester:
        context = {"form": form, "organisation": user.organisation}
        return render(request, "requester/invitation_accept.html", context)
    return render(request, "account/invitation_accept.html", {"form": form})


@login_required
@require_GET
def account(request: HttpRequest) -> HttpResponse:
    context = {}
    if selectors.second_factor_required(user=request.user):
        context["recovery_codes_left"] = selectors.recovery_codes_left(user=request.user)
    return render(request, "account/account.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(posted(request))
    if request.method == "POST" and form.is_valid():
        user: Any = request.user
        logout(request)
        services.user_delete(user=user)
        messages.success(request, _("Your account has been deleted."))
        return redirect("home")
    return render(request, "account/delete.html", {"form": form})


# The second factor of hub staff (issue 7) ---------------------------------------------------


def _with_next(url_name: str, next_url: str) -> str:
    return (
        reverse(url_name) + "?" + urlencode({"next": next_url}) if next_url else reverse(url_name)
    )


def _wanted_next(request: HttpRequest) -> str:
    return request.POST.get("next") or request.GET.get("next") or ""


def _qr_code_svg(data: str) -> SafeString:
    """The otpauth:// link as an inline SVG QR code (no script, no image request: CSP-safe)."""
    image = make_qr_code(data, image_factory=SvgPathFillImage, box_size=20, border=2)
    # Safe: the SVG holds only the path qrcode drew; the link's text never appears in it.
    return mark_safe(image.to_string(encoding="unicode"))  # noqa: S308 - qrcode's own path


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def second_factor(request: HttpRequest) -> HttpResponse:
    """After the password, hub staff type a code from their authenticator app or a recovery code."""
    user: Any = request.user
    if not selectors.second_factor_pending(user):
        return redirect(_after_sign_in(request, user))
    if selectors.authenticator_of(user=user) is None:
        return redirect(_with_next("accounts:second-factor-setup", _wanted_next(request)))
    template = "account/second_factor.html"
    if request.method == "POST" and _over_rate(
        request, scope="second-factor", rate=settings.HUB_SIGN_IN_RATE
    ):
        return _refused(request, template, SecondFactorForm(user=user), next=_wanted_next(request))
    form = SecondFactorForm(posted(request), user=user)
    if request.method == "POST" and form.is_valid():
        otp_login(request, form.device)
        if isinstance(form.device, StaticDevice):
            left = selectors.recovery_codes_left(user=user)
            messages.warning(
                request,
                _(
                    "You used a recovery code. Recovery codes left: %(count)s. Create new ones "
                    "from your account page."
                )
                % {"count": left},
            )
        return redirect(_after_sign_in(request, user))
    return render(request, template, {"form": form, "next": _wanted_next(request)})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def second_factor_setup(request: HttpRequest) -> HttpResponse:
    """A staff member's first sign-in: add the hub to an authenticator app, confirm with a code,
    and receive recovery codes, shown once."""
    user: Any = request.user
    if not selectors.second_factor_pending(user):
        return redirect(_after_sign_in(request, user))
    if selectors.authenticator_of(user=user) is not None:
        return redirect(_with_next("accounts:second-factor", _wanted_next(request)))
    device = services.authenticator_enrolment(user=user)
    context = {
        "qr_code": _qr_code_svg(device.config_url),
        "secret": _grouped(b32encode(device.bin_key).decode()),
        "next": _wanted_next(request),
    }
    template = "account/second_factor_setup.html"
    if request.method == "POST" and _over_rate(
        request, scope="second-factor", rate=settings.HUB_SIGN_IN_RATE
    ):
        return _refused(request, template, AuthenticatorSetUpForm(user=user), **context)
    form = AuthenticatorSetUpForm(posted(request), user=user)
    if request.method == "POST" and form.is_valid():
        otp_login(request, form.device)
        # Rendered, not redirected: the codes are shown once (like a new API token).
        return render(
            request,
            "account/recovery_codes.html",
            {"codes": form.recovery_codes, "continue_to": _after_sign_in(request, user)},
        )
    return render(request, template, {"form": form, **context})


@staff_required
@never_cache
@require_POST
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """Hub staff replace their recovery codes; the old ones stop working at once."""
    codes = services.recovery_codes_issue(user=request.user)  # type: ignore[arg-type]
    context = {"codes": codes, "continue_to": reverse("accounts:account"), "replaced": True}
    return render(request, "account/recovery_codes.html", context)
