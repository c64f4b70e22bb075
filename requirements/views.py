"""Requirement pages: the supplier's (how my kit stands, expressing interest) and the
Ukrainian requester's (their organisation's requirements, the shortlist, field reports)."""

from __future__ import annotations

from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from accounts.decorators import View, firm_required
from accounts.forms_util import posted
from firms import explain
from firms.forms import InterestForm
from firms.selectors import certifications_held
from matching.loading import engine_config
from matching.selectors import matches_for_requirement, with_reasons
from requirements import selectors, services
from requirements.flow import Status
from requirements.forms import FieldReportForm, RequirementForm, WithdrawForm
from requirements.models import Interest, Requirement
from requirements.selectors import requirements_visible_to


@firm_required
@require_http_methods(["GET", "POST"])
def requirement_detail(request: HttpRequest, reference: str) -> HttpResponse:
    firm: Any = request.firm  # type: ignore[attr-defined]
    requirement = get_object_or_404(requirements_visible_to(user=request.user), reference=reference)
    interest = Interest.objects.filter(requirement=requirement, firm=firm).first()
    form = InterestForm(posted(request), initial={"note": interest.note if interest else ""})
    if request.method == "POST" and form.is_valid():
        note = form.cleaned_data["note"]
        try:
            if request.POST.get("action") == "withdraw":
                services.interest_withdraw(
                    requirement=requirement, firm=firm, by=request.user, note=note
                )
                messages.success(request, _("Your interest is withdrawn."))
            else:
                services.interest_express(
                    requirement=requirement, firm=firm, by=request.user, note=note
                )
                messages.success(request, _("Hub staff can now see your interest and note."))
        except ValidationError as error:
            form.add_error("note", error.messages)
        else:
            return redirect("portal:requirement", reference=reference)
    config = engine_config()
    rows = explain.explain(
        with_reasons(
            matches_for_requirement(user=request.user, requirement=requirement).select_related(
                "requirement__category"
            )
        ),
        held=certifications_held(firm=firm),
        today=config.today,
        wait_weeks=config.licence_wait_weeks,
    )
    context = {"requirement": requirement, "rows": rows, "interest": interest, "form": form}
    return render(request, "portal/requirement.html", context)


# The Ukrainian requester's pages (issue 6) -------------------------------------------------

# What each status means to the person who submitted the requirement.
STATUS_MEANING = {
    Status.SUBMITTED: gettext_lazy(
        "Hub staff have not reviewed it yet. You can still change or withdraw it."
    ),
    Status.TRIAGED: gettext_lazy(
        "Hub staff have reviewed it and are preparing it for UK suppliers."
    ),
    Status.OPEN: gettext_lazy("UK suppliers can see it and are being matched against it."),
    Status.SHORTLISTED: gettext_lazy("Hub staff have shortlisted suppliers. See them below."),
    Status.FULFILLED: gettext_lazy("The need has been met."),
    Status.CLOSED: gettext_lazy("It is closed: withdrawn, or merged into another requirement."),
    Status.REJECTED: gettext_lazy("Hub staff could not take it forward. The history says why."),
}


def requester_required(view: View) -> View:
    """Requester pages: anonymous visitors go to sign-in, other roles get 403."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user: Any = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not user.is_requester or user.organisation_id is None:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _own_requirement(request: HttpRequest, reference: str) -> Requirement:
    return get_object_or_404(requirements_visible_to(user=request.user), reference=reference)


def _copy_errors(form: Any, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, problems in error.message_dict.items():
        form.add_error(field if field in form.fields else None, problems)


@requester_required
@require_GET
def requester_requirements(request: HttpRequest) -> HttpResponse:
    """The organisation's requirements, newest first, with their status."""
    rows = requirements_visible_to(user=request.user).order_by("-created_at", "reference")
    context = {"rows": rows, "organisation": request.user.organisation}  # type: ignore[union-attr]
    return render(request, "requester/requirements.html", context)


@requester_required
@require_http_methods(["GET", "POST"])
def requester_requirement_create(request: HttpRequest) -> HttpResponse:
    form = RequirementForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            requirement = services.requirement_submit(by=request.user, **form.fields_for_service())
        except ValidationError as error:
            _copy_errors(form, error)
        else:
            messages.success(
                request,
                _("Your requirement %(reference)s is submitted. Hub staff will review it.")
                % {"reference": requirement.reference},
            )
            return redirect("requester:requirement", reference=requirement.reference)
    return render(request, "requester/requirement_form.html", {"form": form})


def _refuse_if_not_submitted(request: HttpRequest, requirement: Requirement) -> bool:
    if requirement.status == Status.SUBMITTED:
        return False
    messages.error(request, services.requirement_not_submitted_error().messages[0])
    return True


@requester_required
@require_http_methods(["GET", "POST"])
def requester_requirement_edit(request: HttpRequest, reference: str) -> HttpResponse:
    requirement = _own_requirement(request, reference)
    if _refuse_if_not_submitted(request, requirement):
        return redirect("requester:requirement", reference=reference)
    form = RequirementForm(posted(request), instance=requirement)
    if request.method == "POST" and form.is_valid():
        try:
            services.requirement_requester_update(
                requirement=requirement, by=request.user, **form.fields_for_service()
            )
        except ValidationError as error:
            if getattr(error, "code", None) == "not_submitted":
                messages.error(request, error.messages[0])
                return redirect("requester:requirement", reference=reference)
            _copy_errors(form, error)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect("requester:requirement", reference=reference)
    context = {"form": form, "requirement": requirement}
    return render(request, "requester/requirement_form.html", context)


@requester_required
@require_http_methods(["GET", "POST"])
def requester_requirement_withdraw(request: HttpRequest, reference: str) -> HttpResponse:
    requirement = _own_requirement(request, reference)
    if _refuse_if_not_submitted(request, requirement):
        return redirect("requester:requirement", reference=reference)
    form = WithdrawForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.requirement_withdraw(
                requirement=requirement, by=request.user, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Requirement %(reference)s is withdrawn.") % {"reference": reference},
            )
        return redirect("requester:requirement", reference=reference)
    context = {"form": form, "requirement": requirement}
    return render(request, "requester/withdraw.html", context)


@requester_required
@require_GET
def requester_requirement(request: HttpRequest, reference: str) -> HttpResponse:
    """Status, history and, once published, the shortlist of one of the organisation's needs."""
    requirement = _own_requirement(request, reference)
    context = {
        "requirement": requirement,
        "meaning": STATUS_MEANING.get(requirement.status, ""),
        "history": selectors.requirement_history(requirement=requirement),
        "shortlist": list(
            selectors.shortlist_published_for(user=request.user, requirement=requirement)
        ),
        "editable": requirement.status == Status.SUBMITTED,
    }
    return render(request, "requester/requirement.html", context)


def _preselected(request: HttpRequest, form_requirements: Any) -> dict[str, Any]:
    initial: dict[str, Any] = {}
    capability = request.GET.get("capability", "")
    if capability.isdigit():
        initial["capability"] = int(capability)
    reference = request.GET.get("requirement", "")
    if reference:
        chosen = form_requirements.filter(reference=reference).first()
        if chosen is not None:
            initial["requirement"] = chosen.pk
    return initial


@requester_required
@require_http_methods(["GET", "POST"])
def requester_field_report(request: HttpRequest) -> HttpResponse:
    """File a field report on kit shortlisted for one of the organisation's requirements."""
    capabilities = selectors.capabilities_reportable_by(user=request.user)
    requirements = selectors.requirements_with_published_shortlist(user=request.user)
    form = FieldReportForm(
        posted(request),
        capabilities=capabilities,
        requirements=requirements,
        initial=_preselected(request, requirements),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.field_report_file(
                by=request.user,
                capability=data["capability"],
                requirement=data.get("requirement"),
                rating=data["rating"],
                conditions=tuple(data.get("conditions") or ()),
                summary=data["summary"],
                reported_on=data["reported_on"],
                author_unit=data.get("author_unit", ""),
            )
        except ValidationError as error:
            _copy_errors(form, error)
        else:
            messages.success(
                request,
                _("Thank you. Your field report is filed; the supplier will not see who sent it."),
            )
            target = data.get("requirement")
            if target is not None:
                return redirect("requester:requirement", reference=target.reference)
            return redirect("requester:requirements")
    context = {"form": form, "has_kit": capabilities.exists()}
    return render(request, "requester/field_report_form.html", context)
