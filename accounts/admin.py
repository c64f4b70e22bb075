from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.db.models import Model
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.admin import StaticDeviceAdmin as BaseStaticDeviceAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin as BaseTOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.admin_access import ReferenceDataAdminMixin, SuperuserOnlyAdminMixin, adopt_saved
from accounts.models import APIClient, FirmMembership, Organisation, User
from accounts.services import api_client_create, api_client_revoke, api_client_rotate


def _unique_email(value: str, *, instance: User | None) -> str:
    # The sign-in form lower-cases what people type, so two addresses differing only in case
    # would leave one of them unable to sign in.
    email = User.objects.normalize_email(value).lower()
    clash = User.objects.filter(email__iexact=email)
    if instance is not None and instance.pk:
        clash = clash.exclude(pk=instance.pk)
    if clash.exists():
        raise forms.ValidationError(_("A user with this email address already exists."))
    return email


class UserCreationForm(auth_forms.AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name", "role", "organisation")

    def clean_email(self) -> str:
        return _unique_email(self.cleaned_data["email"], instance=None)


class UserChangeForm(auth_forms.UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"

    def clean_email(self) -> str:
        return _unique_email(self.cleaned_data["email"], instance=self.instance)


class FirmMembershipInline(SuperuserOnlyAdminMixin, admin.StackedInline):
    model = FirmMembership
    fk_name = "user"
    extra = 0
    max_num = 1
    autocomplete_fields = ("firm",)
    readonly_fields = ("joined_at",)


@admin.register(User)
class UserAdmin(SuperuserOnlyAdminMixin, BaseUserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Profile"), {"fields": ("full_name", "role", "organisation", "language")}),
        (
            _("Permissions"),
            {
                "fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions"),
            },
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "email",
                    "full_name",
                    "role",
                    "organisation",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    list_display = (
        "email",
        "full_name",
        "role",
        "organisation",
        "firm",
        "is_staff",
        "is_superuser",
        "is_active",
    )
    list_filter = ("role", "is_staff", "is_superuser", "is_active", "organisation")
    list_select_related = ("organisation", "membership__firm")
    search_fields = ("email", "full_name")
    ordering = ("email",)
    readonly_fields = ("last_login", "date_joined")
    filter_horizontal = ("groups", "user_permissions")
    inlines = (FirmMembershipInline,)

    def get_inlines(self, request: HttpRequest, obj: Model | None) -> list:
        # A new user has no row to attach a membership to until the first save.
        return list(self.inlines) if obj is not None else []

    @admin.display(description=_("Firm"), ordering="membership__firm__name")
    def firm(self, user: User) -> str:
        membership = getattr(user, "membership", None)
        return membership.firm.name if membership is not None else ""


@admin.register(Organisation)
class OrganisationAdmin(SuperuserOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("name", "name_uk", "slug")
    search_fields = ("name", "name_uk", "slug")

    def get_prepopulated_fields(self, request: HttpRequest, obj: Model | None = None) -> dict:
        return {"slug": ("name",)} if obj is None else {}

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> tuple:
        # Requirements point at the slug itself, so renaming it would orphan them.
        if obj is not None and (obj.requirements.exists() or obj.members.exists()):
            return ("slug",)
        return ()


@admin.register(FirmMembership)
class FirmMembershipAdmin(SuperuserOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("user", "firm", "role", "joined_at")
    list_filter = ("role",)
    list_select_related = ("user", "firm")
    search_fields = ("user__email", "firm__name", "firm__companies_house_number")
    autocomplete_fields = ("user", "firm")
    readonly_fields = ("joined_at",)


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(SuperuserOnlyAdminMixin, BaseGroupAdmin):
    pass


class APIClientAddForm(forms.ModelForm):
    class Meta:
        model = APIClient
        fields = ("name", "scope", "firm", "expires_at")

    def clean(self) -> dict:
        data = super().clean() or {}
        if (data.get("scope") == APIClient.Scope.FIRM) != bool(data.get("firm")):
            raise forms.ValidationError(_("A firm token names one firm; a staff token names none."))
        return data


@admin.register(APIClient)
class APIClientAdmin(ReferenceDataAdminMixin, admin.ModelAdmin):
    """Tokens are created, rotated and revoked through the services; a token shows only once."""

    list_display = (
        "name",
        "scope",
        "firm",
        "token_prefix",
        "created_at",
        "expires_at",
        "revoked_at",
        "last_used_at",
    )
    list_filter = ("scope",)
    list_select_related = ("firm",)
    search_fields = ("name", "token_prefix", "firm__name", "firm__companies_house_number")
    actions = ("rotate_tokens", "revoke_clients")
    readonly_fields = (
        "token_prefix",
        "created_by",
        "created_at",
        "revoked_at",
        "last_used_at",
    )

    def get_form(self, request: HttpRequest, obj: Model | None = None, **kwargs: object) -> type:
        if obj is None:
            kwargs["form"] = APIClientAddForm
        return super().get_form(request, obj, **kwargs)  # type: ignore[arg-type]

    def get_fields(self, request: HttpRequest, obj: Model | None = None) -> tuple:
        if obj is None:
            return ("name", "scope", "firm", "expires_at")
        return ("name", "scope", "firm", "expires_at", *self.readonly_fields)

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> tuple:
        # The scope is the service user's role; changing it afterwards would desync the two.
        return ("scope", "firm", *self.readonly_fields) if obj is not None else ()

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        # Revoke instead: a deleted client would take its webhook delivery log with it.
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        client, token = api_client_create(
            name=obj.name,
            scope=obj.scope,
            firm=obj.firm,
            by=request.user,  # type: ignore[arg-type]
            expires_at=obj.expires_at,
        )
        adopt_saved(obj, client)
        self._show_token(request, client, token)

    def _show_token(self, request: HttpRequest, client: APIClient, token: str) -> None:
        self.message_user(
            request,
            _("Token for %(name)s (shown once, copy it now): %(token)s")
            % {"name": client.name, "token": token},
            messages.WARNING,
        )

    @admin.action(description=_("Rotate the token of the selected clients"))
    def rotate_tokens(self, request: HttpRequest, queryset: Any) -> None:
        for client in queryset.filter(revoked_at__isnull=True):
            self._show_token(request, client, api_client_rotate(client=client))

    @admin.action(description=_("Revoke the selected clients"))
    def revoke_clients(self, request: HttpRequest, queryset: Any) -> None:
        for client in queryset.filter(revoked_at__isnull=True):
            api_client_revoke(client=client)
        self.message_user(request, _("Revoked."), messages.SUCCESS)


# Second-factor devices (issue 7): a superuser resets a staff member's lost authenticator by
# deleting the device (the next sign-in enrols a new one). Keys and codes stay hidden
# (OTP_ADMIN_HIDE_SENSITIVE_DATA), and hub staff never manage anyone's devices.
admin.site.unregister(TOTPDevice)
admin.site.unregister(StaticDevice)


@admin.register(TOTPDevice)
class TOTPDeviceAdmin(SuperuserOnlyAdminMixin, BaseTOTPDeviceAdmin):
    pass


@admin.register(StaticDevice)
class StaticDeviceAdmin(SuperuserOnlyAdminMixin, BaseStaticDeviceAdmin):
    pass
