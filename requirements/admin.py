from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.admin_access import (
    NoteActionForm,
    ReferenceDataAdminMixin,
    StaffSupportAdminMixin,
    SuperuserOnlyAdminMixin,
    adopt_saved,
    changed_fields,
)
from firms.codes import Certification
from firms.selectors import child_categories
from matching.triggers import rescore_capabilities_on_commit
from requirements import services
from requirements.flow import Status
from requirements.models import (
    REQUIREMENT_FIELDS,
    DuplicateDismissal,
    ExportRecord,
    FieldReport,
    Interest,
    ReportCondition,
    Requirement,
    RequirementEvent,
    RequirementTransition,
)


class RequirementForm(forms.ModelForm):
    required_certifications = forms.MultipleChoiceField(
        choices=Certification.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Requirement
        fields = (
            *REQUIREMENT_FIELDS,
            "source_organisation",
            "requesting_organisation",
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        needed_by = cleaned.get("needed_by")
        if self.instance.pk is None and needed_by is not None:
            # The same rule requirement_create applies, checked here so the admin shows it
            # beside the field instead of failing on save.
            probe = Requirement(status=Status.SUBMITTED, needed_by=needed_by)
            if problem := services.needed_by_problem(requirement=probe):
                self.add_error("needed_by", problem)
        return cleaned


class RequirementTransitionInline(SuperuserOnlyAdminMixin, admin.TabularInline):
    model = RequirementTransition
    extra = 0
    fields = ("at", "from_status", "to_status", "by", "actor", "note")
    readonly_fields = fields
    verbose_name_plural = _("history")

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


def _transition_action(to: str, description: str) -> Callable[..., None]:
    def action(
        modeladmin: RequirementAdmin, request: HttpRequest, queryset: QuerySet[Requirement]
    ) -> None:
        modeladmin.transition_selected(request, queryset, to)

    action.__name__ = f"move_to_{to.lower()}"
    return admin.action(description=description)(action)


@admin.register(Requirement)
class RequirementAdmin(SuperuserOnlyAdminMixin, admin.ModelAdmin):
    form = RequirementForm
    list_display = (
        "reference",
        "display_title",
        "category",
        "priority",
        "classification",
        "status",
        "needed_by",
        "requesting_organisation",
        "updated_at",
    )
    list_filter = (
        "status",
        "priority",
        "classification",
        ("category", admin.RelatedOnlyFieldListFilter),
        "requesting_organisation",
    )
    list_select_related = ("category", "requesting_organisation")
    search_fields = ("reference", "title", "title_uk", "source_organisation")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "reference",
                    "status",
                    "title",
                    "description",
                    "title_uk",
                    "description_uk",
                )
            },
        ),
        (
            _("The need"),
            {
                "fields": (
                    "category",
                    "quantity",
                    "unit",
                    "needed_by",
                    "max_unit_price_gbp",
                    "min_trl",
                    "required_certifications",
                    "itar_free_required",
                )
            },
        ),
        (
            _("Handling"),
            {
                "fields": (
                    "priority",
                    "classification",
                    "source_organisation",
                    "requesting_organisation",
                    "duplicate_of",
                )
            },
        ),
        (_("Record"), {"fields": ("created_by", "created_at", "updated_at", "scored_at")}),
    )
    inlines = (RequirementTransitionInline,)
    action_form = NoteActionForm
    actions = (
        _transition_action(Status.TRIAGED, _("Mark the selected requirements as triaged")),
        _transition_action(Status.OPEN, _("Open the selected requirements to suppliers")),
        _transition_action(Status.FULFILLED, _("Mark the selected requirements as fulfilled")),
        _transition_action(Status.CLOSED, _("Close (withdraw) the selected requirements")),
        _transition_action(Status.REJECTED, _("Reject the selected requirements (note = reason)")),
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> tuple:
        # The status moves only through the flow (the actions), so every step is recorded; a
        # new requirement starts as SUBMITTED. The reference is the key clients sync by.
        fixed = ("status", "duplicate_of", "created_by", "created_at", "updated_at", "scored_at")
        return ("reference", *fixed) if obj is not None else fixed

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        # Requirements are closed or rejected, never deleted: their history and the match
        # removals that clients sync depend on the row.
        return False

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "category":
            kwargs["queryset"] = child_categories()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Requirement, form: Any, change: bool) -> None:
        if change:
            services.requirement_update(requirement=obj, by=request.user, **changed_fields(form))
        else:
            adopt_saved(obj, services.requirement_create(by=request.user, **form.cleaned_data))

    def transition_selected(
        self, request: HttpRequest, queryset: QuerySet[Requirement], to: str
    ) -> None:
        note = request.POST.get("note", "").strip()
        moved = []
        for requirement in queryset.order_by("reference"):
            try:
                services.requirement_transition(
                    requirement=requirement, to=to, by=request.user, note=note
                )
            except ValidationError as exc:
                self.message_user(
                    request, f"{requirement.reference}: {' '.join(exc.messages)}", messages.ERROR
                )
            else:
                moved.append(requirement.reference)
        if moved:
            self.message_user(
                request,
                _("Moved to %(status)s: %(references)s")
                % {"status": Status(to).label, "references": ", ".join(moved)},
            )


@admin.register(RequirementTransition)
class RequirementTransitionAdmin(SuperuserOnlyAdminMixin, admin.ModelAdmin):
    """The audit trail: written only by the status flow."""

    list_display = ("requirement", "from_status", "to_status", "by", "actor", "at", "note")
    list_filter = ("to_status", "from_status")
    list_select_related = ("requirement", "by")
    search_fields = ("requirement__reference", "note", "actor", "by__email")
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(ReportCondition)
class ReportConditionAdmin(ReferenceDataAdminMixin, admin.ModelAdmin):
    list_display = ("code", "label_en", "label_uk")
    search_fields = ("code", "label_en", "label_uk")

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> tuple:
        # Filed reports name the condition by its code; keep it stable once used.
        if obj is not None and obj.reports.exists():
            return ("code",)
        return ()


@admin.register(FieldReport)
class FieldReportAdmin(SuperuserOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("capability", "firm", "requirement", "rating", "reported_on", "author_unit")
    list_filter = ("rating", "conditions", "reported_on")
    list_select_related = ("capability__firm", "requirement")
    search_fields = (
        "summary",
        "author_unit",
        "capability__reference",
        "capability__name",
        "capability__firm__name",
        "requirement__reference",
    )
    autocomplete_fields = ("capability", "requirement", "author")
    filter_horizontal = ("conditions",)
    date_hierarchy = "reported_on"

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> tuple:
        return ("capability", "created_at") if obj is not None else ("created_at",)

    @admin.display(description=_("firm"), ordering="capability__firm__name")
    def firm(self, report: FieldReport) -> str:
        return report.capability.firm.name

    def save_model(self, request: HttpRequest, obj: FieldReport, form: Any, change: bool) -> None:
        if not change:
            data = form.cleaned_data
            created = services.field_report_create(
                capability=data["capability"],
                rating=data["rating"],
                summary=data["summary"],
                reported_on=data["reported_on"],
                author=data.get("author"),
                author_unit=data.get("author_unit", ""),
                requirement=data.get("requirement"),
                conditions=tuple(data.get("conditions", ())),
            )
            adopt_saved(obj, created)
            return
        super().save_model(request, obj, form, change)
        # Ratings feed the capability's maturity score.
        rescore_capabilities_on_commit([obj.capability_id])

    def delete_model(self, request: HttpRequest, obj: FieldReport) -> None:
        capability_id = obj.capability_id
        super().delete_model(request, obj)
        rescore_capabilities_on_commit([capability_id])

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[FieldReport]) -> None:
        capability_ids = list(queryset.values_list("capability_id", flat=True))
        super().delete_queryset(request, queryset)
        rescore_capabilities_on_commit(capability_ids)


@admin.register(Interest)
class InterestAdmin(StaffSupportAdminMixin, admin.ModelAdmin):
    """Suppliers' expressions of interest and their notes, for hub staff to read."""

    list_display = ("requirement", "firm", "created_at", "withdrawn_at")
    list_filter = ("withdrawn_at",)
    search_fields = ("requirement__reference", "firm__name", "note")
    readonly_fields = (
        "requirement",
        "firm",
        "note",
        "by",
        "created_at",
        "updated_at",
        "withdrawn_at",
    )
    list_select_related = ("requirement", "firm")

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        # Every field is read-only: only a supplier's "express interest" writes a row.
        return False


class AuditReadOnlyAdminMixin(SuperuserOnlyAdminMixin):
    """Audit records written only by the services, read-only here. Superusers only, like the
    requirements themselves: hub staff read them in the portal (history, the export log)."""

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(RequirementEvent)
class RequirementEventAdmin(AuditReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("requirement", "action", "by", "at", "note")
    list_filter = ("action",)
    list_select_related = ("requirement", "by")
    search_fields = ("requirement__reference", "note", "by__email")
    date_hierarchy = "at"


@admin.register(DuplicateDismissal)
class DuplicateDismissalAdmin(AuditReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("first", "second", "by", "at")
    list_select_related = ("first", "second", "by")
    search_fields = ("first__reference", "second__reference")


@admin.register(ExportRecord)
class ExportRecordAdmin(AuditReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("at", "by", "kind", "requirement", "format", "language", "row_count")
    list_filter = ("kind", "format", "language")
    list_select_related = ("requirement", "by")
    search_fields = ("requirement__reference", "by__email")
    date_hierarchy = "at"
