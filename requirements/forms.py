"""Requester forms: a requirement (submit and edit), withdrawing it, and a field report."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from firms.codes import Certification
from firms.forms import DATE_WIDGET, grouped_category_choices
from firms.models import Category
from requirements.dates import kyiv_today
from requirements.flow import Priority
from requirements.models import ReportCondition, Requirement

TRL_CHOICES = [("", _("Choose a level"))] + [(str(n), str(n)) for n in range(1, 10)]
RATING_CHOICES = [
    ("5", _("5 – excellent")),
    ("4", _("4 – good")),
    ("3", _("3 – acceptable")),
    ("2", _("2 – poor")),
    ("1", _("1 – failed")),
]


def _ukrainian() -> bool:
    return (get_language() or "").startswith("uk")


class RequirementForm(forms.Form):
    """The requirement fields a requester knows (DESIGN.md section 3), in Ukrainian, English or
    both; hub staff add the rest at triage."""

    title_uk = forms.CharField(
        label=_("Title in Ukrainian"),
        max_length=300,
        required=False,
        help_text=_("A short name for what you need. Give it in Ukrainian, English or both."),
        widget=forms.TextInput(attrs={"lang": "uk"}),
    )
    description_uk = forms.CharField(
        label=_("Description in Ukrainian"),
        required=False,
        help_text=_("What it must do, where and how it will be used."),
        widget=forms.Textarea(attrs={"rows": 5, "lang": "uk"}),
    )
    title = forms.CharField(
        label=_("Title in English"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"lang": "en"}),
    )
    description = forms.CharField(
        label=_("Description in English"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "lang": "en"}),
    )
    category = forms.ChoiceField(
        label=_("Category"),
        help_text=_("The kind of kit or service you need"),
        error_messages={
            "required": _("Choose a category"),
            "invalid_choice": _("Choose a category"),
        },
    )
    quantity = forms.IntegerField(
        label=_("Quantity"),
        min_value=1,
        max_value=10_000_000,
        error_messages={
            "required": _("Enter how many you need"),
            "invalid": _("Enter the quantity as a whole number, like 200"),
            "min_value": _("The quantity must be 1 or more"),
            "max_value": _("The quantity must be 10,000,000 or fewer"),
        },
    )
    unit = forms.CharField(
        label=_("Unit"),
        max_length=40,
        help_text=_("What the quantity counts, like units, sets or kits"),
        error_messages={"required": _("Enter the unit, like units, sets or kits")},
    )
    needed_by = forms.DateField(
        label=_("Needed by"),
        help_text=_("The latest date the kit is useful to you"),
        widget=forms.DateInput(**DATE_WIDGET),  # type: ignore[arg-type]
        error_messages={
            "required": _("Enter the date it is needed by"),
            "invalid": _("Enter a real date, like 2026-11-30"),
        },
    )
    max_unit_price_gbp = forms.DecimalField(
        label=_("Highest price per unit in pounds (optional)"),
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
        help_text=_("Leave empty if there is no set budget"),
        error_messages={
            "invalid": _("Enter the price as a number, like 2500"),
            "min_value": _("The price cannot be negative"),
            "max_decimal_places": _("Enter the price with no more than 2 decimal places"),
        },
    )
    min_trl = forms.ChoiceField(
        label=_("Lowest technology readiness level (TRL) you accept"),
        choices=TRL_CHOICES,
        help_text=_("1 is an idea, 9 is proven in operations"),
        error_messages={
            "required": _("Choose a technology readiness level from 1 to 9"),
            "invalid_choice": _("Choose a technology readiness level from 1 to 9"),
        },
    )
    required_certifications = forms.MultipleChoiceField(
        label=_("Certifications suppliers must hold (optional)"),
        choices=Certification.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    itar_free_required = forms.BooleanField(
        label=_("The kit must be free of US ITAR-controlled parts"), required=False
    )
    priority = forms.ChoiceField(
        label=_("How urgent is it?"),
        choices=Priority.choices,
        widget=forms.RadioSelect,
        help_text=_("Your suggestion; hub staff confirm the priority when they review it"),
        error_messages={
            "required": _("Choose how urgent it is"),
            "invalid_choice": _("Choose how urgent it is"),
        },
    )
    source_organisation = forms.CharField(
        label=_("Unit or agency behind the need (optional)"),
        max_length=200,
        required=False,
        help_text=_("For example a brigade or a regional administration"),
    )

    def __init__(self, *args: Any, instance: Requirement | None = None, **kwargs: Any) -> None:
        if instance is not None:
            initial = {name: getattr(instance, name) for name in self.base_fields}
            initial["category"] = instance.category_id
            initial["min_trl"] = str(instance.min_trl)
            kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = grouped_category_choices()

    def sections(self) -> list[tuple[Any, list[Any]]]:
        """The form's fields in the sections the page shows them in."""
        groups = [
            (_("What you need"), ["title_uk", "description_uk", "title", "description"]),
            (_("Kind and amount"), ["category", "quantity", "unit", "needed_by", "priority"]),
            (
                _("What suppliers must meet"),
                ["min_trl", "max_unit_price_gbp", "required_certifications", "itar_free_required"],
            ),
            (_("Who needs it"), ["source_organisation"]),
        ]
        return [(title, [self[name] for name in names]) for title, names in groups]

    def clean_category(self) -> Category:
        category = Category.objects.filter(
            code=self.cleaned_data.get("category"), parent__isnull=False
        ).first()
        if category is None:
            raise forms.ValidationError(_("Choose a category"))
        return category

    def clean_min_trl(self) -> int:
        return int(self.cleaned_data["min_trl"])

    def clean_needed_by(self) -> Any:
        value = self.cleaned_data["needed_by"]
        if value <= kyiv_today():
            raise forms.ValidationError(_("The date it is needed by must be in the future"))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("title", "title_uk", "description", "description_uk", "unit"):
            if isinstance(data.get(name), str):
                data[name] = data[name].strip()
        if not (data.get("title_uk") or data.get("title")):
            self.add_error("title_uk", _("Enter a title in Ukrainian or English"))
        if not (data.get("description_uk") or data.get("description")):
            self.add_error("description_uk", _("Enter a description in Ukrainian or English"))
        return data

    def fields_for_service(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.base_fields}


class WithdrawForm(forms.Form):
    note = forms.CharField(
        label=_("Why are you withdrawing it? (optional)"),
        required=False,
        max_length=2000,
        help_text=_("Hub staff see this in the requirement's history"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class _CapabilityChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} – {obj.firm.name}"


class _RequirementChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        title = obj.title_uk if _ukrainian() and obj.title_uk else obj.display_title
        return f"{obj.reference}: {title}"


class _ConditionChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.label_uk if _ukrainian() and obj.label_uk else obj.label_en)


class FieldReportForm(forms.Form):
    capability = _CapabilityChoice(
        label=_("Which kit are you reporting on?"),
        queryset=None,
        empty_label=_("Choose the kit"),
        help_text=_("Kit shortlisted for your organisation's requirements"),
        error_messages={
            "required": _("Choose the kit you are reporting on"),
            "invalid_choice": _(
                "Choose kit that was shortlisted for one of your organisation's requirements"
            ),
        },
    )
    requirement = _RequirementChoice(
        label=_("Requirement it was delivered for (optional)"),
        queryset=None,
        required=False,
        empty_label=_("None"),
        error_messages={
            "invalid_choice": _("Choose one of your organisation's requirements, or none")
        },
    )
    rating = forms.TypedChoiceField(
        label=_("How well did it perform?"),
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a rating from 1 to 5"),
            "invalid_choice": _("Choose a rating from 1 to 5"),
        },
    )
    conditions = _ConditionChoice(
        label=_("Conditions it was used in (optional)"),
        queryset=ReportCondition.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    summary = forms.CharField(
        label=_("What happened"),
        max_length=5000,
        help_text=_("How it performed, what failed, what the crews ask for"),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Describe how the kit performed")},
    )
    reported_on = forms.DateField(
        label=_("Date of the report"),
        widget=forms.DateInput(**DATE_WIDGET),  # type: ignore[arg-type]
        error_messages={
            "required": _("Enter the date of the report"),
            "invalid": _("Enter a real date, like 2026-11-30"),
        },
    )
    author_unit = forms.CharField(
        label=_("Your unit (optional)"),
        max_length=200,
        required=False,
        help_text=_("Only hub staff see it. Suppliers never learn who filed a report."),
    )

    def __init__(self, *args: Any, capabilities: Any, requirements: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["capability"].queryset = capabilities  # type: ignore[attr-defined]
        self.fields["requirement"].queryset = requirements  # type: ignore[attr-defined]
        self.fields["conditions"].queryset = ReportCondition.objects.order_by("code")  # type: ignore[attr-defined]
        self.fields["reported_on"].initial = kyiv_today()

    def clean_summary(self) -> str:
        value = str(self.cleaned_data.get("summary", "")).strip()
        if not value:
            raise forms.ValidationError(_("Describe how the kit performed"))
        return value

    def clean_reported_on(self) -> Any:
        value = self.cleaned_data["reported_on"]
        if value > kyiv_today():
            raise forms.ValidationError(_("The date cannot be in the future"))
        return value
