"""The supplier portal's pages: dashboard, firm profile, members, capabilities, uploads."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.tokens import default_token_generator
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import services as account_services
from accounts.decorators import firm_required, supplier_required
from accounts.emails import send_templated
from accounts.forms_util import posted, posted_files
from accounts.models import FirmMembership
from accounts.selectors import firm_of, members_of_firm
from firms import alerts, csv_upload, explain, selectors, services
from firms.forms import (
    AlertPreferenceForm,
    BarriersForm,
    CapabilityForm,
    CertificationsForm,
    CsvUploadForm,
    FirmForm,
    InviteForm,
)
from firms.models import AlertPreference, Capability, CapabilityDatasheet
from matching.loading import engine_config

CAPABILITY_FIELDS = [f for f in CapabilityForm.Meta.fields]


def _copy_errors(form: Any, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, problems in error.message_dict.items():
        form.add_error(field if field in form.fields else None, problems)


@firm_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """My firm, my capabilities, requirements that fit, field feedback."""
    firm = request.firm  # type: ignore[attr-defined]
    context: dict[str, Any] = {
        "firm": firm,
        "capabilities": selectors.capabilities_visible_to(user=request.user).filter(firm=firm),
        "reports": selectors.field_reports_for_firm(user=request.user)[:10],
        "barriers": selectors.barriers_of_firm(firm=firm),
    }
    if firm.is_verified:
        page, config = _page_number(request), engine_config()
        fits, more = selectors.fitting_requirements(user=request.user, page=page, config=config)
        if not fits and page > 1:
            # Past the last page (the standing shrank since the link was made): the first.
            return redirect("portal:dashboard")
        context["fits"] = explain.explain(
            fits,
            held=selectors.certifications_held(firm=firm),
            today=config.today,
            wait_weeks=config.licence_wait_weeks,
        )
        context["fits_page"], context["fits_more"] = page, more
        context["interests"] = selectors.interests_of_firm(firm=firm)
    return render(request, "portal/dashboard.html", context)


def _page_number(request: HttpRequest) -> int:
    try:
        number = int(request.GET.get("page", "1"))
    except ValueError:
        return 1
    # Bounded, so that an absurd number cannot become an OFFSET the database refuses.
    return min(max(number, 1), 10_000)


@supplier_required
@require_http_methods(["GET", "POST"])
def firm_edit(request: HttpRequest) -> HttpResponse:
    """Register the firm (first visit) or edit its profile."""
    firm = firm_of(user=request.user)
    form = FirmForm(posted(request), instance=firm)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in FirmForm.Meta.fields}
        try:
            if firm is None:
                services.firm_register(by=request.user, **fields)
                messages.success(
                    request,
                    _("Your firm is registered. Hub staff will verify it; add capabilities now."),
                )
            else:
                services.firm_update(firm=firm, by=request.user, **fields)
                messages.success(request, _("Your firm's profile is saved."))
        except ValidationError as error:
            _copy_errors(form, error)
        else:
            return redirect("portal:dashboard")
    return render(request, "portal/firm_form.html", {"form": form, "firm": firm})


def _is_firm_admin(request: HttpRequest, firm: Any) -> bool:
    return FirmMembership.objects.filter(
        firm=firm, user=request.user, role=FirmMembership.FirmRole.ADMIN
    ).exists()


@firm_required
@require_http_methods(["GET", "POST"])
def members(request: HttpRequest) -> HttpResponse:
    firm = request.firm  # type: ignore[attr-defined]
    is_admin = _is_firm_admin(request, firm)
    form = InviteForm(posted(request))
    if request.method == "POST":
        if not is_admin:
            raise PermissionDenied
        if form.is_valid():
            try:
                user, created = account_services.membership_invite(
                    firm=firm, email=form.cleaned_data["email"], by=request.user
                )
            except ValidationError as error:
                _copy_errors(form, error)
            else:
                _send_invitation(request, user, firm, created)
                messages.success(
                    request, _("Invitation sent to %(email)s.") % {"email": user.email}
                )
                return redirect("portal:members")
    context = {"firm": firm, "form": form, "is_admin": is_admin}
    context["members"] = members_of_firm(firm=firm)
    return render(request, "portal/members.html", context)


def _send_invitation(request: HttpRequest, user: Any, firm: Any, created: bool) -> None:
    if created:
        path = reverse(
            "accounts:invitation-accept",
            args=[
                urlsafe_base64_encode(force_bytes(user.pk)),
                default_token_generator.make_token(user),
            ],
        )
    else:
        path = reverse("accounts:sign-in")
    context = {"firm": firm, "by": request.user, "link": request.build_absolute_uri(path)}
    send_templated(user=user, template="invitation", context=context)


@firm_required
@require_POST
def member_remove(request: HttpRequest, pk: int) -> HttpResponse:
    firm = request.firm  # type: ignore[attr-defined]
    membership = get_object_or_404(FirmMembership.objects.select_related("user"), pk=pk, firm=firm)
    if not _is_firm_admin(request, firm):
        raise PermissionDenied
    try:
        account_services.membership_remove(membership=membership, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("%(email)s no longer has access.") % {"email": membership.user.email}
        )
    return redirect("portal:members")


@firm_required
@require_http_methods(["GET", "POST"])
def certifications(request: HttpRequest) -> HttpResponse:
    firm = request.firm  # type: ignore[attr-defined]
    form = CertificationsForm(posted(request), held=selectors.certifications_held(firm=firm))
    if request.method == "POST" and form.is_valid():
        services.firm_set_certifications(firm=firm, held=form.held())
        messages.success(request, _("Your certifications are saved."))
        return redirect("portal:dashboard")
    return render(request, "portal/certifications.html", {"form": form, "firm": firm})


@firm_required
@require_http_methods(["GET", "POST"])
def barriers(request: HttpRequest) -> HttpResponse:
    firm = request.firm  # type: ignore[attr-defined]
    form = BarriersForm(posted(request), current=selectors.barriers_of_firm(firm=firm))
    if request.method == "POST" and form.is_valid():
        services.firm_barriers_save(firm=firm, answers=form.answers(), by=request.user)
        messages.success(request, _("Your checklist is saved. Hub staff can see it and will help."))
        return redirect("portal:dashboard")
    return render(request, "portal/barriers.html", {"form": form, "firm": firm})


@firm_required
@require_GET
def capability_list(request: HttpRequest) -> HttpResponse:
    firm = request.firm  # type: ignore[attr-defined]
    rows = (
        selectors.capabilities_visible_to(user=request.user)
        .filter(firm=firm)
        .select_related("datasheet")
        .order_by("-active", "reference")
    )
    return render(request, "portal/capability_list.html", {"firm": firm, "capabilities": rows})


def _own_capability(request: HttpRequest, pk: int) -> Capability:
    firm = request.firm  # type: ignore[attr-defined]
    # Another firm's capability is simply not there: 404, never 403, so ids reveal nothing.
    return get_object_or_404(
        selectors.capabilities_visible_to(user=request.user).filter(firm=firm), pk=pk
    )


def _save_capability(request: HttpRequest, form: CapabilityForm, capability: Any) -> Any:
    fields = {name: form.cleaned_data[name] for name in CAPABILITY_FIELDS}
    with transaction.atomic():
        if capability is None:
            capability = services.capability_create(
                firm=request.firm,
                by=request.user,
                **fields,  # type: ignore[attr-defined]
            )
        else:
            capability = services.capability_update(
                capability=capability, by=request.user, **fields
            )
        upload = form.cleaned_data.get("datasheet")
        if upload:
            services.capability_datasheet_attach(
                capability=capability, upload=upload, by=request.user
            )
        elif upload is False:
            services.capability_datasheet_remove(capability=capability, by=request.user)
    return capability


def _capability_form(request: HttpRequest, capability: Capability | None) -> HttpResponse:
    firm = request.firm  # type: ignore[attr-defined]
    form = CapabilityForm(posted(request), posted_files(request), instance=capability, firm=firm)
    if request.method == "POST" and form.is_valid():
        try:
            saved = _save_capability(request, form, capability)
        except ValidationError as error:
            _copy_errors(form, error)
        else:
            messages.success(request, _("“%(name)s” is saved.") % {"name": saved.name})
            return redirect("portal:capabilities")
    sheet = (
        CapabilityDatasheet.objects.filter(capability=capability).first() if capability else None
    )
    context = {"form": form, "firm": firm, "capability": capability, "sheet": sheet}
    return render(request, "portal/capability_form.html", context)


@firm_required
@require_http_methods(["GET", "POST"])
def capability_create(request: HttpRequest) -> HttpResponse:
    return _capability_form(request, None)


@firm_required
@require_http_methods(["GET", "POST"])
def capability_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _capability_form(request, _own_capability(request, pk))


@firm_required
@require_POST
def capability_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    capability = _own_capability(request, pk)
    services.capability_set_active(
        capability=capability, active=not capability.active, by=request.user
    )
    if capability.active:
        messages.success(request, _("“%(name)s” is active again.") % {"name": capability.name})
    else:
        messages.success(
            request,
            _("“%(name)s” is deactivated and no longer matched.") % {"name": capability.name},
        )
    return redirect("portal:capabilities")


@require_GET
def datasheet(request: HttpRequest, pk: int) -> HttpResponse:
    """The PDF, to those who may see the capability: its firm's members and hub staff."""
    user: Any = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not (user.is_supplier or user.is_hub_staff):
        raise PermissionDenied
    capability = get_object_or_404(selectors.capabilities_visible_to(user=user), pk=pk)
    sheet = CapabilityDatasheet.objects.filter(capability=capability).first()
    if sheet is None:
        raise Http404
    response = FileResponse(
        sheet.file.open("rb"), content_type="application/pdf", filename=sheet.original_name
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@firm_required
@require_http_methods(["GET", "POST"])
def csv_upload_page(request: HttpRequest) -> HttpResponse:
    firm = request.firm  # type: ignore[attr-defined]
    form = CsvUploadForm(posted(request), posted_files(request))
    if request.method == "POST" and form.is_valid():
        try:
            job_id = services.capability_csv_upload_start(
                firm=firm, by=request.user, content=form.cleaned_data["file"].read()
            )
        except ValidationError as error:
            _copy_errors(form, error)
        else:
            return redirect("portal:csv-progress", job_id=job_id)
    context = {"form": form, "firm": firm, "columns": csv_upload.COLUMNS}
    return render(request, "portal/csv_upload.html", context)


@supplier_required
@require_GET
def csv_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(csv_upload.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="capabilities-template.csv"'
    return response


def _job_for(request: HttpRequest, job_id: str) -> dict[str, Any]:
    state = csv_upload.progress_get(job_id)
    if state is None or state.get("firm_id") != request.firm.pk:  # type: ignore[attr-defined]
        raise Http404
    total = state.get("total") or 0
    finished = state.get("state") in ("done", "failed")
    percent = 100 if finished else (90 * state.get("done", 0) // total if total else 5)
    return {**state, "percent": percent, "finished": finished}


@firm_required
@require_GET
def csv_progress(request: HttpRequest, job_id: str) -> HttpResponse:
    job = _job_for(request, job_id)
    return render(request, "portal/csv_progress.html", {"job": job, "job_id": job_id})


@never_cache
@firm_required
@require_GET
def csv_progress_json(request: HttpRequest, job_id: str) -> JsonResponse:
    job = _job_for(request, job_id)
    keys = ("state", "percent", "finished", "done", "total")
    return JsonResponse({key: job.get(key) for key in keys})


@supplier_required
@require_http_methods(["GET", "POST"])
def alert_preferences(request: HttpRequest) -> HttpResponse:
    current = AlertPreference.objects.filter(user=request.user).first()
    initial = {
        "daily_digest": current.daily_digest if current else True,
        "immediate_critical": current.immediate_critical if current else True,
    }
    form = AlertPreferenceForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        services.alert_preference_set(user=request.user, **form.cleaned_data)
        messages.success(request, _("Your e-mail alert choices are saved."))
        return redirect("accounts:account")
    return render(request, "portal/alerts.html", {"form": form})


@require_GET
def alerts_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """One click from an alert e-mail, no sign-in needed: the signed link names the user."""
    user = alerts.user_for_unsubscribe_token(token)
    if user is None:
        return render(request, "account/verify_failed.html", status=400)
    services.alert_unsubscribe(user=user)
    return render(request, "portal/unsubscribed.html")
