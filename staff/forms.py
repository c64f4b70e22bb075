"""Staff forms: triage filters, the triage edit, status moves and the match review filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from firms.models import Category
from requirements import flow
from requirements.flow import Classification, Priority, Status

AGES = [
    ("", _("Any age")),
    ("7", _("Older than a week")),
    ("14", _("Older than two weeks")),
    ("30", _("Older than a month")),
]


class CategoryField(forms.ModelChoiceField):
    """Child categories by their label in the reader's language; the code is the value."""

    def __init__(self, **kwargs: Any) -> None:
        queryset = Category.objects.filter(parent__isnull=False).order_by("code")
        super().__init__(queryset=queryset, to_field_name="code", **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        ukrainian = (get_language() or "").startswith("uk")
        return str(obj.label_uk if ukrainian and obj.label_uk else obj.label_en)


class TriageFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *Status.choices]
    )
    priority = forms.ChoiceField(
        label=_("Priority"), required=False, choices=[("", _("Any priority")), *Priority.choices]
    )
    category = CategoryField(label=_("Category"), required=False, empty_label=_("Any category"))
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        required=False,
        queryset=Organisation.objects.order_by("name"),
        to_field_name="slug",
        empty_label=_("Any organisation"),
    )
    age = forms.ChoiceField(label=_("Age"), required=False, choices=AGES)

    def filters(self) -> dict[str, Any]:
        data = self.cleaned_data if self.is_valid() else {}
        category, organisation = data.get("category"), data.get("organisation")
        return {
            "status": data.get("status", ""),
            "priority": data.get("priority", ""),
            "category": category.code if category else "",
            "organisation": organisation.slug if organisation else "",
            "older_than_days": int(data["age"]) if data.get("age") else None,
        }


class TriageForm(forms.Form):
    category = CategoryField(label=_("Category"))
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices)
    classification = forms.ChoiceField(label=_("Classification"), choices=Classification.choices)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1)
    unit = forms.CharField(label=_("Unit"), max_length=40)
    needed_by = forms.DateField(
        label=_("Needed by"),
        help_text=_("For example 2027-03-31"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    title = forms.CharField(
        label=_("Title in English"),
        max_length=300,
        required=False,
        help_text=_("Required before the requirement opens. Matching reads the English text."),
    )
    description = forms.CharField(
        label=_("Description in English"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class MoveToField(forms.ChoiceField):
    """The next status; SHORTLISTED is refused with a pointer to the shortlist's publish button."""

    def validate(self, value: Any) -> None:
        if value == Status.SHORTLISTED:
            raise forms.ValidationError(
                _(
                    "Only publishing the shortlist moves a requirement to Shortlisted: "
                    "use Publish the shortlist below."
                ),
                code="publish_shortlist",
            )
        super().validate(value)


class TransitionForm(forms.Form):
    to = MoveToField(label=_("Move to"), widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        help_text=_("Recorded in the history. A rejection needs a reason."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, status: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(Status.choices)
        # Only publishing a shortlist moves a requirement to SHORTLISTED.
        to: Any = self.fields["to"]
        to.choices = [
            (code, labels[code]) for code in flow.allowed_from(status) if code != Status.SHORTLISTED
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("to") == Status.REJECTED and not data.get("note", "").strip():
            self.add_error("note", _("Give the reason for rejecting this requirement."))
        return data


class MatchFilterForm(forms.Form):
    eligible = forms.BooleanField(label=_("Eligible only"), required=False)
    verified = forms.BooleanField(label=_("Verified firms only"), required=False)
    sme = forms.BooleanField(label=_("SMEs only"), required=False)
    interested = forms.BooleanField(label=_("Interested firms only"), required=False)
    min_score = forms.FloatField(
        label=_("Minimum score"), required=False, min_value=0, max_value=100
    )

    def filters(self) -> dict[str, Any]:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "eligible_only": bool(data.get("eligible")),
            "verified_only": bool(data.get("verified")),
            "sme_only": bool(data.get("sme")),
            "interested_only": bool(data.get("interested")),
            "min_score": data.get("min_score"),
        }


class FirmDecisionForm(forms.Form):
    ACTIONS = ("verify", "query", "list_x_confirm", "list_x_refuse")

    firm = forms.CharField(widget=forms.HiddenInput)
    action = forms.ChoiceField(choices=[(a, a) for a in ACTIONS], widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Note to the firm"),
        required=False,
        help_text=_("The firm sees this note. A query needs one."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("action") == "query" and not data.get("note", "").strip():
            self.add_error("note", _("Say what the firm needs to clarify."))
        return data


class ShortlistAddForm(forms.Form):
    capability = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Note for the shortlist"),
        required=False,
        help_text=_("Why this capability: shown to the requester once published."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ShortlistRemoveForm(forms.Form):
    note = forms.CharField(
        label=_("Reason for removing"),
        required=False,
        help_text=_("Recorded in the history."),
        widget=forms.TextInput,
    )


class PublishForm(forms.Form):
    note = forms.CharField(
        label=_("Note for the history"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class MergeForm(forms.Form):
    note = forms.CharField(
        label=_("Why they are the same"),
        help_text=_("Recorded in both histories."),
        widget=forms.TextInput,
        error_messages={"required": _("Say why these requirements are the same.")},
    )

    def clean_note(self) -> str:
        note = str(self.cleaned_data.get("note", "")).strip()
        if not note:
            raise forms.ValidationError(_("Say why these requirements are the same."))
        return note


EXPORT_LANGUAGES = [("en", _("English")), ("uk", _("Ukrainian"))]


class ExportForm(forms.Form):
    format = forms.ChoiceField(
        label=_("File format"),
        choices=[("csv", "CSV"), ("xlsx", "XLSX (Excel)")],
        initial="xlsx",
    )
    language = forms.ChoiceField(
        label=_("Language of the file"), choices=EXPORT_LANGUAGES, initial="en"
    )
