"""Hub staff pages: the triage board and the requirement page (triage, status, match review)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import staff_required
from accounts.forms_util import posted
from firms import explain
from firms import services as firm_services
from firms.codes import VerificationState
from firms.models import Firm
from matching.loading import engine_config
from matching.selectors import with_reasons
from requirements import services
from requirements.models import ExportRecord, Requirement, ShortlistEntry
from requirements.selectors import (
    likely_duplicates,
    requirement_timeline,
    requirements_for_triage,
    requirements_visible_to,
)
from staff import exports
from staff.forms import (
    ExportForm,
    FirmDecisionForm,
    MatchFilterForm,
    MergeForm,
    PublishForm,
    ShortlistAddForm,
    ShortlistRemoveForm,
    TransitionForm,
    TriageFilterForm,
    TriageForm,
)
from staff.selectors import (
    certifications_by_firm,
    export_log,
    firms_for_verification,
    matches_for_review,
    shortlist_for_review,
)

TRIAGE_FIELDS = tuple(TriageForm.base_fields)
# The publish form's note sits on the page beside the status move's note: ids of its own, or
# its label would point at the other form's field.
PUBLISH_IDS = "id_publish_%s"


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


# The review page shows the best of the list; the exports carry all of it.
MATCH_REVIEW_ROWS = 100


def _match_rows(request: HttpRequest, requirement: Requirement, filters: dict[str, Any]) -> list:
    listed = matches_for_review(user=request.user, requirement=requirement, **filters)
    matches = with_reasons(listed[:MATCH_REVIEW_ROWS])
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


def _requirement_of(request: HttpRequest, reference: str) -> Requirement:
    return get_object_or_404(requirements_visible_to(user=request.user), reference=reference)


def _render_requirement(
    request: HttpRequest, requirement: Requirement, **forms_in_error: Any
) -> HttpResponse:
    """The requirement page; a form that failed is passed in bound, to show its errors."""
    # A failed edit leaves unsaved values on the instance; show what is stored.
    requirement.refresh_from_db()
    initial = {name: getattr(requirement, name) for name in TRIAGE_FIELDS}
    initial["category"] = requirement.category_id
    filter_form = MatchFilterForm(request.GET or None)
    rows = _match_rows(request, requirement, filter_form.filters())
    duplicates = likely_duplicates(requirement=requirement)
    failed_merge = forms_in_error.get("merge_reference")
    duplicate_rows = [
        (
            duplicate,
            forms_in_error["merge_form"]
            if failed_merge == duplicate.requirement.reference
            else MergeForm(auto_id=f"id_merge_{duplicate.requirement.pk}_%s"),
        )
        for duplicate in duplicates
    ]
    failed_add = forms_in_error.get("add_capability")
    for row in rows:
        capability_id = row.match.capability_id
        row.add_form = (  # type: ignore[attr-defined]
            forms_in_error["add_form"]
            if failed_add == capability_id
            else ShortlistAddForm(
                initial={"capability": capability_id}, auto_id=f"id_add_{capability_id}_%s"
            )
        )
    context = {
        "requirement": requirement,
        "triage_form": forms_in_error.get("triage_form") or TriageForm(initial=initial),
        "move_form": forms_in_error.get("move_form") or TransitionForm(status=requirement.status),
        "history": requirement_timeline(requirement=requirement),
        "duplicates": duplicate_rows,
        "filter_form": filter_form,
        "rows": rows,
        "rows_total": len(rows)
        if len(rows) < MATCH_REVIEW_ROWS
        else matches_for_review(
            user=request.user, requirement=requirement, **filter_form.filters()
        ).count(),
        "shortlist": list(shortlist_for_review(requirement=requirement)),
        "shortlist_editable": requirement.status in services.SHORTLIST_EDITABLE,
        "shortlist_error": forms_in_error.get("shortlist_error"),
        "publish_form": forms_in_error.get("publish_form") or PublishForm(auto_id=PUBLISH_IDS),
        "remove_form": ShortlistRemoveForm(),
        "export_matches_form": forms_in_error.get("export_form")
        or ExportForm(auto_id="id_export_matches_%s"),
        "export_shortlist_form": ExportForm(auto_id="id_export_shortlist_%s"),
        "errors_at_top": [
            form
            for key, form in forms_in_error.items()
            if key.endswith("_form") and key not in ("triage_form", "move_form")
        ],
    }
    return render(request, "staff/requirement.html", context)


@staff_required
@require_http_methods(["GET", "POST"])
def requirement_page(request: HttpRequest, reference: str) -> HttpResponse:
    requirement = _requirement_of(request, reference)
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "triage":
        triage_form = TriageForm(posted(request))
        if _triage(request, requirement, triage_form):
            return redirect("staff:requirement", reference=reference)
        return _render_requirement(request, requirement, triage_form=triage_form)
    if action == "move":
        move_form = TransitionForm(posted(request), status=requirement.status)
        if _move(request, requirement, move_form):
            return redirect("staff:requirement", reference=reference)
        return _render_requirement(request, requirement, move_form=move_form)
    return _render_requirement(request, requirement)


def _back(reference: str, anchor: str) -> HttpResponse:
    return redirect(reverse("staff:requirement", args=[reference]) + anchor)


@staff_required
@require_POST
def shortlist_add(request: HttpRequest, reference: str) -> HttpResponse:
    requirement = _requirement_of(request, reference)
    form = ShortlistAddForm(request.POST)
    if form.is_valid():
        entry = matches_for_review(user=request.user, requirement=requirement).filter(
            capability_id=form.cleaned_data["capability"]
        )
        match = entry.first()
        if match is None:
            raise Http404
        try:
            services.shortlist_add(
                requirement=requirement,
                capability=match.capability,
                by=request.user,
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            _apply_errors(form, error, fallback="note")
        else:
            messages.success(
                request,
                _("%(capability)s is on the shortlist.") % {"capability": match.capability.name},
            )
            return _back(reference, "#shortlist")
    return _render_requirement(
        request, requirement, add_form=form, add_capability=form.cleaned_data.get("capability")
    )


@staff_required
@require_POST
def shortlist_remove(request: HttpRequest, reference: str, entry_id: int) -> HttpResponse:
    requirement = _requirement_of(request, reference)
    entry = get_object_or_404(ShortlistEntry, pk=entry_id, requirement=requirement)
    form = ShortlistRemoveForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.shortlist_remove(requirement=requirement, entry=entry, by=request.user, note=note)
    except ValidationError as error:
        return _render_requirement(request, requirement, shortlist_error=" ".join(error.messages))
    messages.success(request, _("The capability is off the shortlist."))
    return _back(reference, "#shortlist")


@staff_required
@require_POST
def shortlist_publish(request: HttpRequest, reference: str) -> HttpResponse:
    requirement = _requirement_of(request, reference)
    form = PublishForm(request.POST, auto_id=PUBLISH_IDS)
    if form.is_valid():
        try:
            services.shortlist_publish(
                requirement=requirement, by=request.user, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            _apply_errors(form, error, fallback="note")
        else:
            messages.success(
                request,
                _("The shortlist is published and the introductions are e-mailed."),
            )
            return _back(reference, "#shortlist")
    return _render_requirement(request, requirement, publish_form=form)


def _other_of(request: HttpRequest, requirement: Requirement, other: str) -> Requirement:
    found = requirements_visible_to(user=request.user).filter(reference=other).first()
    if found is None or found.pk == requirement.pk:
        raise Http404
    return found


@staff_required
@require_POST
def duplicate_merge(request: HttpRequest, reference: str, other: str) -> HttpResponse:
    """Close the other requirement as a duplicate of this one (this one is kept)."""
    kept = _requirement_of(request, reference)
    duplicate = _other_of(request, kept, other)
    form = MergeForm(request.POST, auto_id=f"id_merge_{duplicate.pk}_%s")
    if form.is_valid():
        try:
            services.requirement_merge(
                duplicate=duplicate, kept=kept, by=request.user, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            _apply_errors(form, error, fallback="note")
        else:
            messages.success(
                request,
                _("%(duplicate)s is closed as a duplicate of %(kept)s.")
                % {"duplicate": duplicate.reference, "kept": kept.reference},
            )
            return _back(reference, "#duplicates")
    return _render_requirement(request, kept, merge_form=form, merge_reference=duplicate.reference)


@staff_required
@require_POST
def duplicate_dismiss(request: HttpRequest, reference: str, other: str) -> HttpResponse:
    requirement = _requirement_of(request, reference)
    services.duplicate_dismiss(
        requirement=requirement, other=_other_of(request, requirement, other), by=request.user
    )
    messages.success(
        request, _("%(other)s is no longer suggested as a duplicate.") % {"other": other}
    )
    return _back(reference, "#duplicates")


EXPORT_KINDS = {"matches": ExportRecord.Kind.MATCHES, "shortlist": ExportRecord.Kind.SHORTLIST}


@staff_required
@require_GET
def requirement_export(request: HttpRequest, reference: str, kind: str) -> HttpResponse:
    requirement = _requirement_of(request, reference)
    if kind not in EXPORT_KINDS:
        raise Http404
    form = ExportForm(request.GET, auto_id=f"id_export_{kind}_%s")
    if not form.is_valid():
        return _render_requirement(request, requirement, export_form=form)
    file_format, language = form.cleaned_data["format"], form.cleaned_data["language"]
    if kind == "matches":
        filters = MatchFilterForm(request.GET).filters()
        matches = list(matches_for_review(user=request.user, requirement=requirement, **filters))
        table = exports.match_table(requirement=requirement, matches=matches, language=language)
    else:
        entries = list(shortlist_for_review(requirement=requirement))
        scores = dict(
            matches_for_review(user=request.user, requirement=requirement).values_list(
                "capability_id", "score"
            )
        )
        table = exports.shortlist_table(
            requirement=requirement, entries=entries, scores=scores, language=language
        )
    services.export_record(
        by=request.user,
        kind=EXPORT_KINDS[kind],
        requirement=requirement,
        file_format=file_format.upper(),
        language=language,
        row_count=len(table.rows),
    )
    if file_format == "csv":
        body, content_type = exports.csv_bytes(table), "text/csv; charset=utf-8"
    else:
        body = exports.xlsx_bytes(table)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = HttpResponse(body, content_type=content_type)
    filename = f"{requirement.reference}-{kind}-{language}.{file_format}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@staff_required
@require_GET
def export_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(export_log(), 50).get_page(request.GET.get("page"))
    return render(request, "staff/exports.html", {"page": page})


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
