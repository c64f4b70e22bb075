"""Hub staff pages: the triage board and the requirement page (triage, status, match review)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.decorators import staff_required
from accounts.forms_util import posted
from firms import explain
from firms import services as firm_services
from firms.codes import VerificationState
from firms.models import Firm
from matching.loading import engine_config
from requirements import services
from requirements.models import Requirement
from requirements.selectors import (
    requirement_history,
    requirements_for_triage,
    requirements_visible_to,
)
from staff.forms import (
    FirmDecisionForm,
    MatchFilterForm,
    TransitionForm,
    TriageFilterForm,
    TriageForm,
)
from staff.selectors import certifications_by_firm, firms_for_verification, matches_for_review

TRIAGE_FIELDS = tuple(TriageForm.base_fields)


@staff_required
@require_GET
def triage_board(request: HttpRequest) -> HttpResponse:
    form = TriageFilterForm(request.GET or None)
    rows = list(requirements_for_triage(user=request.user, **form.filters()))
    return render(request, "staff/triage.html", {"form": form, "rows": rows})


def _apply_errors(form: forms.Form, error: ValidationError, fallback: str | None = None) -> None:
    for field, problems in getattr(error, "message_dict", {"__all__": error.messages}).items():
        target = field if field in form.fields else fallback
        for problem in problems:
            form.add_error(target, problem)


def _triage(request: HttpRequest, requirement: Requirement, form: TriageForm) -> bool:
    if not form.is_valid():
        return False
    fields = dict(form.cleaned_data)
    fields["title"] = fields["title"].strip()
    fields["description"] = fields["description"].strip()
    try:
        services.requirement_update(requirement=requirement, by=request.user, **fields)
    except ValidationError as error:
        _apply_errors(form, error)
        return False
    messages.success(request, _("The requirement is saved."))
    return True


def _move(request: HttpRequest, requirement: Requirement, form: TransitionForm) -> bool:
    if not form.is_valid():
        return False
    try:
        services.requirement_transition(
            requirement=requirement,
            to=form.cleaned_data["to"],
            by=request.user,
            note=form.cleaned_data["note"].strip(),
        )
    except ValidationError as error:
        _apply_errors(form, error, fallback="to")
        return False
    messages.success(request, _("The status is changed and recorded in the history."))
    return True


def _match_rows(request: HttpRequest, requirement: Requirement, filters: dict[str, Any]) -> list:
    matches = list(matches_for_review(user=request.user, requirement=requirement, **filters))
    held = certifications_by_firm(firm_ids={m.capability.firm_id for m in matches})
    config = engine_config()
    return [
        explain.Explained(
            match=match,
            why=explain.why_lines(match),
            blockers=explain.blocker_lines(
                match,
                held=held[match.capability.firm_id],
                today=config.today,
                wait_weeks=config.licence_wait_weeks,
            ),
        )
        for match in matches
    ]


@staff_required
@require_http_methods(["GET", "POST"])
def requirement_page(request: HttpRequest, reference: str) -> HttpResponse:
    requirement = get_object_or_404(requirements_visible_to(user=request.user), reference=reference)
    action = request.POST.get("action") if request.method == "POST" else None
    initial = {name: getattr(requirement, name) for name in TRIAGE_FIELDS}
    initial["category"] = requirement.category_id
    triage_form = TriageForm(posted(request) if action == "triage" else None, initial=initial)
    move_form = TransitionForm(
        posted(request) if action == "move" else None, status=requirement.status
    )
    if action == "triage" and _triage(request, requirement, triage_form):
        return redirect("staff:requirement", reference=reference)
    if action == "move" and _move(request, requirement, move_form):
        return redirect("staff:requirement", reference=reference)
    # A failed edit leaves unsaved values on the instance; show what is stored.
    requirement.refresh_from_db()
    filter_form = MatchFilterForm(request.GET or None)
    context = {
        "requirement": requirement,
        "triage_form": triage_form,
        "move_form": move_form,
        "history": requirement_history(requirement=requirement),
        "filter_form": filter_form,
        "rows": _match_rows(request, requirement, filter_form.filters()),
    }
    return render(request, "staff/requirement.html", context)


def _decide(request: HttpRequest, firm: Firm, action: str, note: str) -> None:
    if action == "verify":
        firm_services.firm_set_verification(
            firm=firm, state=VerificationState.VERIFIED, by=request.user, note=note
        )
        messages.success(request, _("%(firm)s is verified.") % {"firm": firm.name})
    elif action == "query":
        firm_services.firm_set_verification(
            firm=firm, state=VerificationState.QUERIED, by=request.user, note=note
        )
        messages.success(request, _("%(firm)s is queried.") % {"firm": firm.name})
    else:
        confirmed = action == "list_x_confirm"
        firm_services.firm_set_list_x(firm=firm, confirmed=confirmed, by=request.user)
        done = (
            _("List X confirmed for %(firm)s.") if confirmed else _("List X refused for %(firm)s.")
        )
        messages.success(request, done % {"firm": firm.name})


@staff_required
@require_http_methods(["GET", "POST"])
def firm_queue(request: HttpRequest) -> HttpResponse:
    form = FirmDecisionForm(posted(request))
    failed = None
    if request.method == "POST":
        firm = get_object_or_404(Firm, companies_house_number=request.POST.get("firm", ""))
        if form.is_valid():
            _decide(request, firm, form.cleaned_data["action"], form.cleaned_data["note"].strip())
            return redirect("staff:firms")
        failed = firm.companies_house_number
    context = {"firms": firms_for_verification(), "form": form, "failed": failed}
    return render(request, "staff/firms.html", context)
