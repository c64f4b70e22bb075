from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import Count, Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.admin_access import (
    NoteActionForm,
    ReferenceDataAdminMixin,
    StaffSupportAdminMixin,
    SuperuserOnlyAdminMixin,
    adopt_saved,
    changed_fields,
)
from firms import services
from firms.codes import VerificationState
from firms.models import (
    Capability,
    Category,
    CategoryRelation,
    Firm,
    FirmBarrier,
    FirmCertification,
)
from firms.selectors import child_categories


class CategoryRelationInline(ReferenceDataAdminMixin, admin.TabularInline):
    model = CategoryRelation
    fk_name = "category"
    extra = 1
    autocomplete_fields = ("related_to",)
    verbose_name = _("related category")
    verbose_name_plural = _("related categories (matching scores these as close)")


@admin.register(Category)
class CategoryAdmin(ReferenceDataAdminMixin, admin.ModelAdmin):
    list_display = ("code", "label_en", "label_uk", "parent")
    list_filter = (("parent", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("parent",)
    search_fields = ("code", "label_en", "label_uk")
    inlines = (CategoryRelationInline,)

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> tuple:
        # Codes never change once used: they are stored on capabilities and requirements and
        # travel in import files and the API. A parent's code is part of its children's codes.
        if obj is not None and self.code_in_use(obj):
            return ("code",)
        return ()

    @staticmethod
    def code_in_use(category: Category) -> bool:
        return (
            category.children.exists()
            or category.capabilities.exists()
            or category.requirements.exists()
        )

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "parent":
            kwargs["queryset"] = Category.objects.filter(parent__isnull=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(CategoryRelation)
class CategoryRelationAdmin(ReferenceDataAdminMixin, admin.ModelAdmin):
    list_display = ("category", "related_to")
    list_select_related = ("category", "related_to")
    search_fields = (
        "category__code",
        "related_to__code",
        "category__label_en",
        "related_to__label_en",
    )
    autocomplete_fields = ("category", "related_to")


class FirmCertificationInline(SuperuserOnlyAdminMixin, admin.TabularInline):
    model = FirmCertification
    extra = 0
    fields = ("code", "expires_on", "reminder_sent_on")
    readonly_fields = ("reminder_sent_on",)


class CapabilityInline(SuperuserOnlyAdminMixin, admin.TabularInline):
    """A firm's capabilities as links: each is edited on its own page, which rescores it."""

    model = Capability
    extra = 0
    fields = ("reference", "name", "category", "trl", "licence_status", "active")
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(Firm)
class FirmAdmin(SuperuserOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "name",
        "companies_house_number",
        "postcode",
        "verification_state",
        "list_x",
        "list_x_claimed",
        "sme",
        "employees",
        "capability_count",
        "updated_at",
    )
    list_filter = ("verification_state", "list_x", "list_x_claimed")
    search_fields = ("name", "companies_house_number", "postcode")
    fieldsets = (
        (
            None,
            {"fields": ("companies_house_number", "name", "postcode", "website", "description")},
        ),
        (_("Size"), {"fields": ("employees", "annual_turnover_gbp")}),
        (
            _("Verification and clearance"),
            {
                "fields": (
                    "verification_state",
                    "verification_note",
                    "verified_at",
                    "list_x",
                    "list_x_claimed",
                ),
                "description": _(
                    "Use the actions on the firm list to verify, query or confirm List X."
                ),
            },
        ),
        (_("Record"), {"fields": ("created_at", "updated_at")}),
    )
    # Verification and List X go through the services (actions below), never the form.
    readonly_fields = (
        "verification_state",
        "verification_note",
        "verified_at",
        "list_x",
        "created_at",
        "updated_at",
    )
    inlines = (FirmCertificationInline, CapabilityInline)
    action_form = NoteActionForm
    actions = ("verify", "query", "confirm_list_x", "remove_list_x")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Firm]:
        return super().get_queryset(request).annotate(_capability_count=Count("capabilities"))

    @admin.display(description=_("capabilities"), ordering="_capability_count")
    def capability_count(self, firm: Firm) -> int:
        return firm._capability_count  # type: ignore[attr-defined]

    @admin.display(description="SME", boolean=True)
    def sme(self, firm: Firm) -> bool:
        return firm.is_sme

    def save_model(self, request: HttpRequest, obj: Firm, form: Any, change: bool) -> None:
        if change:
            services.firm_update(firm=obj, by=request.user, **changed_fields(form))
        else:
            adopt_saved(obj, services.firm_create(by=request.user, **form.cleaned_data))

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not FirmCertification:
            super().save_formset(request, form, formset, change)
            return
        # Unsaved: fills in what the admin's change message reports. The write itself goes
        # through the service, which rescores the firm's capabilities against the new set.
        formset.save(commit=False)
        held = {
            data["code"]: data.get("expires_on")
            for data in (f.cleaned_data for f in formset.forms)
            if data.get("code") and not data.get("DELETE")
        }
        services.firm_set_certifications(firm=form.instance, held=held)

    def _set_verification(
        self, request: HttpRequest, queryset: QuerySet[Firm], state: str, note: str
    ) -> None:
        for firm in queryset:
            services.firm_set_verification(firm=firm, state=state, by=request.user, note=note)
        self.message_user(
            request,
            ngettext(
                "%(count)d firm is now %(state)s.",
                "%(count)d firms are now %(state)s.",
                len(queryset),
            )
            % {"count": len(queryset), "state": VerificationState(state).label},
        )

    @admin.action(description=_("Verify the selected firms"))
    def verify(self, request: HttpRequest, queryset: QuerySet[Firm]) -> None:
        self._set_verification(
            request, queryset, VerificationState.VERIFIED, request.POST.get("note", "").strip()
        )

    @admin.action(description=_("Query the selected firms (the note is shown to them)"))
    def query(self, request: HttpRequest, queryset: QuerySet[Firm]) -> None:
        note = request.POST.get("note", "").strip()
        if not note:
            self.message_user(
                request, _("Write a note saying what the firm needs to clear up."), messages.ERROR
            )
            return
        self._set_verification(request, queryset, VerificationState.QUERIED, note)

    @admin.action(description=_("Confirm List X for the selected firms"))
    def confirm_list_x(self, request: HttpRequest, queryset: QuerySet[Firm]) -> None:
        for firm in queryset:
            services.firm_set_list_x(firm=firm, confirmed=True, by=request.user)
        self.message_user(
            request, _("List X confirmed for %(count)d firm(s).") % {"count": len(queryset)}
        )

    @admin.action(description=_("Remove or refuse List X for the selected firms"))
    def remove_list_x(self, request: HttpRequest, queryset: QuerySet[Firm]) -> None:
        for firm in queryset:
            services.firm_set_list_x(firm=firm, confirmed=False, by=request.user)
        self.message_user(
            request, _("List X removed for %(count)d firm(s).") % {"count": len(queryset)}
        )


@admin.register(FirmCertification)
class FirmCertificationAdmin(SuperuserOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("firm", "code", "expires_on", "reminder_sent_on")
    list_filter = ("code",)
    list_select_related = ("firm",)
    search_fields = ("firm__name", "firm__companies_house_number")
    autocomplete_fields = ("firm",)
    date_hierarchy = "expires_on"

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> tuple:
        return ("firm", "reminder_sent_on") if obj is not None else ("reminder_sent_on",)

    def save_model(
        self, request: HttpRequest, obj: FirmCertification, form: Any, change: bool
    ) -> None:
        # The service replaces the firm's whole set and rescores its capabilities; a renamed
        # code drops the old row because the set is built without it.
        held = {c.code: c.expires_on for c in obj.firm.certifications.exclude(pk=obj.pk)}
        held[obj.code] = obj.expires_on
        services.firm_set_certifications(firm=obj.firm, held=held)
        adopt_saved(obj, obj.firm.certifications.get(code=obj.code))

    def delete_model(self, request: HttpRequest, obj: FirmCertification) -> None:
        held = {c.code: c.expires_on for c in obj.firm.certifications.exclude(pk=obj.pk)}
        services.firm_set_certifications(firm=obj.firm, held=held)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[FirmCertification]) -> None:
        for certification in queryset.select_related("firm"):
            self.delete_model(request, certification)


@admin.register(Capability)
class CapabilityAdmin(SuperuserOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "reference",
        "name",
        "firm",
        "category",
        "trl",
        "unit_price_gbp",
        "monthly_capacity",
        "lead_time_weeks",
        "control_rating",
        "licence_status",
        "active",
    )
    list_filter = (
        ("category", admin.RelatedOnlyFieldListFilter),
        "licence_status",
        "active",
        "field_proven",
        "itar_free",
    )
    list_select_related = ("firm", "category")
    search_fields = (
        "reference",
        "name",
        "description",
        "firm__name",
        "firm__companies_house_number",
    )
    autocomplete_fields = ("firm",)
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "firm",
                    "reference",
                    "name",
                    "description",
                    "category",
                    "keywords",
                    "active",
                )
            },
        ),
        (
            _("Readiness and supply"),
            {
                "fields": (
                    "trl",
                    "field_proven",
                    "unit_price_gbp",
                    "monthly_capacity",
                    "lead_time_weeks",
                )
            },
        ),
        (
            _("Export control"),
            {
                "fields": (
                    "control_rating",
                    "licence_status",
                    "licence_reference",
                    "licence_expiry",
                    "itar_free",
                )
            },
        ),
        (_("Record"), {"fields": ("created_at", "updated_at", "scored_at")}),
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> tuple:
        fixed = ("created_at", "updated_at", "scored_at")
        # A capability belongs to one firm for life; its reference is unique only per firm.
        return ("firm", *fixed) if obj is not None else fixed

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "category":
            # Capabilities always carry a PARENT.CHILD code (DESIGN.md section 3).
            kwargs["queryset"] = child_categories()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Capability, form: Any, change: bool) -> None:
        if change:
            services.capability_update(capability=obj, by=request.user, **changed_fields(form))
        else:
            fields = {k: v for k, v in form.cleaned_data.items() if k != "firm"}
            created = services.capability_create(firm=obj.firm, by=request.user, **fields)
            adopt_saved(obj, created)


@admin.register(FirmBarrier)
class FirmBarrierAdmin(StaffSupportAdminMixin, admin.ModelAdmin):
    """The firms' barriers checklists: hub staff see who needs help and note what they did."""

    list_display = ("firm", "topic", "state", "updated_at")
    list_filter = ("topic", "state")
    search_fields = ("firm__name", "firm__companies_house_number", "note")
    readonly_fields = ("firm", "topic", "updated_at")
    fields = ("firm", "topic", "state", "note", "updated_at")
    list_select_related = ("firm",)
