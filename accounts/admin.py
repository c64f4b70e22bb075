from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.db.models import Model
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.admin_access import SuperuserOnlyAdminMixin
from accounts.models import FirmMembership, Organisation, User


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
        (_("Profile"), {"fields": ("full_name", "role", "organisation")}),
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
