from __future__ import annotations

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.admin_access import ReferenceDataAdminMixin, SuperuserOnlyAdminMixin
from matching.models import (
    EngineSettings,
    Match,
    Synonym,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)


@admin.register(Match)
class MatchAdmin(SuperuserOnlyAdminMixin, admin.ModelAdmin):
    """Engine output, for inspection: rows are recomputed, never hand-edited."""

    list_display = (
        "requirement",
        "capability",
        "firm",
        "score",
        "eligible",
        "removed",
        "engine_version",
        "computed_at",
    )
    list_filter = ("eligible", "removed", "engine_version")
    list_select_related = ("requirement", "capability__firm")
    search_fields = (
        "requirement__reference",
        "capability__reference",
        "capability__name",
        "capability__firm__name",
        "capability__firm__companies_house_number",
    )
    ordering = ("requirement", "removed", "-eligible", "-score", "capability")
    date_hierarchy = "computed_at"
    # Counting every row of a large match table on each page load is what makes it slow.
    show_full_result_count = False

    @admin.display(description=_("firm"), ordering="capability__firm__name")
    def firm(self, match: Match) -> str:
        return match.capability.firm.name

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    # A deleted row would vanish without the removal record syncing clients rely on.
    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(Synonym)
class SynonymAdmin(ReferenceDataAdminMixin, admin.ModelAdmin):
    list_display = ("terms", "active")
    list_filter = ("active",)
    search_fields = ("terms",)


@admin.register(EngineSettings)
class EngineSettingsAdmin(ReferenceDataAdminMixin, admin.ModelAdmin):
    """The single settings row the engine reads: edited in place, never added twice or deleted."""

    list_display = (
        "__str__",
        "relevance_weight",
        "category_weight",
        "capacity_weight",
        "timeliness_weight",
        "price_weight",
        "maturity_weight",
        "export_readiness_weight",
        "licence_wait_weeks",
        "updated_at",
    )
    fieldsets = (
        (
            _("Component weights"),
            {
                "fields": (
                    "relevance_weight",
                    "category_weight",
                    "capacity_weight",
                    "timeliness_weight",
                    "price_weight",
                    "maturity_weight",
                    "export_readiness_weight",
                ),
                "description": _("How much each component counts towards the score."),
            },
        ),
        (_("Export licences"), {"fields": ("licence_wait_weeks",)}),
        (_("Record"), {"fields": ("updated_at",)}),
    )
    readonly_fields = ("updated_at",)

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return super().has_add_permission(request) and not EngineSettings.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class _ReadOnlyLogMixin(ReferenceDataAdminMixin):
    """Delivery logs are written by the delivery task only; staff read them."""

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class WebhookAttemptInline(_ReadOnlyLogMixin, admin.TabularInline):
    model = WebhookAttempt
    extra = 0
    fields = ("number", "at", "status_code", "error", "duration_ms")
    readonly_fields = fields


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(_ReadOnlyLogMixin, admin.ModelAdmin):
    list_display = (
        "event_id",
        "endpoint",
        "client",
        "requirement",
        "state",
        "attempt_count",
        "status_code",
        "created_at",
        "delivered_at",
    )
    list_filter = ("state",)
    list_select_related = ("endpoint__client", "requirement")
    search_fields = ("event_id", "endpoint__url", "requirement__reference")
    inlines = (WebhookAttemptInline,)

    @admin.display(description=_("API client"), ordering="endpoint__client__name")
    def client(self, delivery: WebhookDelivery) -> str:
        return delivery.endpoint.client.name


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(ReferenceDataAdminMixin, admin.ModelAdmin):
    """Clients register endpoints through the API; staff may pause one (active) here."""

    list_display = ("url", "client", "active", "secret_id", "created_at", "secret_rotated_at")
    list_filter = ("active",)
    list_select_related = ("client",)
    search_fields = ("url", "client__name")
    fields = ("client", "url", "active", "secret_id", "created_at", "secret_rotated_at")
    readonly_fields = ("client", "url", "secret_id", "created_at", "secret_rotated_at")

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
