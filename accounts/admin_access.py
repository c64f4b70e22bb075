"""Who may use which part of the Django admin, and the pieces every admin module shares.

DESIGN.md section 5: the admin serves superusers; hub staff use it only for reference data
(categories and their relations, synonyms, engine weights, report conditions, API clients).
Day-to-day staff work happens in the portal, where the services enforce the rules, so the
admin never relies on Django's per-model permission rows, which anyone with the user admin
could hand out.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin import helpers
from django.db.models import Model
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


class _AccessRuleMixin:
    """Answers every admin permission question with one rule, `may_use`."""

    def may_use(self, request: HttpRequest) -> bool:
        raise NotImplementedError

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.may_use(request)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self.may_use(request)

    # Inline admins pass the parent object as a second argument; model admins do not.
    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self.may_use(request)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self.may_use(request)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self.may_use(request)


class SuperuserOnlyAdminMixin(_AccessRuleMixin):
    """Firms, requirements, matches and accounts: superusers only (staff use the portal)."""

    def may_use(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and user.is_superuser)


class ReferenceDataAdminMixin(_AccessRuleMixin):
    """Reference data that hub staff maintain themselves, as well as superusers."""

    def may_use(self, request: HttpRequest) -> bool:
        user = request.user
        # is_hub_staff alone is not enough: a STAFF-role user must also be allowed into the
        # admin (is_staff), which the admin site checks before any model admin is asked.
        return bool(user.is_active and (user.is_superuser or user.is_hub_staff))


class NoteActionForm(helpers.ActionForm):
    """The admin's action bar with a note, for actions whose service records a reason."""

    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.TextInput(attrs={"size": 40}),
        help_text=_("Recorded with the change; a rejection needs one."),
    )


def adopt_saved(obj: Model, saved: Model) -> None:
    """Point the admin's unsaved form instance at the row a service created.

    Services build and save their own instance; the admin still holds the form's copy and
    uses it afterwards for inlines, many-to-many fields, the log entry and the redirect.
    """
    obj.pk = saved.pk
    obj.refresh_from_db()


def changed_fields(form: Any) -> dict[str, Any]:
    """The fields a model form changed, as keyword arguments for an update service."""
    data = form.cleaned_data
    return {name: data[name] for name in form.changed_data if name in data}


class StaffSupportAdminMixin(ReferenceDataAdminMixin):
    """Records hub staff read and help with until their portal pages exist (interest, barriers):
    they may view and change them, never add or delete what a supplier wrote."""

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)
