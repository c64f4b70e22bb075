"""Supplier-facing requirement page: how my kit stands, and expressing interest."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.decorators import firm_required
from accounts.forms_util import posted
from firms import explain
from firms.forms import InterestForm
from firms.selectors import certifications_held
from matching.loading import engine_config
from matching.selectors import matches_for_requirement
from requirements import services
from requirements.models import Interest
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
        list(
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
