"""Supplier forms: the firm profile, capabilities, certifications, uploads, barriers, alerts."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from firms import codes, csv_upload
from firms.codes import Certification, LicenceStatus
from firms.models import Capability, Category, Firm, FirmBarrier

DATE_WIDGET = {"format": "%Y-%m-%d", "attrs": {"type": "date"}}


def grouped_category_choices() -> list[tuple[str, Any]]:
    """Child categories grouped under their parent's label, in the reader's language."""
    # Plain values, not Category rows: every capability and requirement form builds this list.
    rows = Category.objects.filter(parent__isnull=False).values_list(
        "code", "label_en", "label_uk", "parent__code", "parent__label_en", "parent__label_uk"
    )
    ukrainian = (get_language() or "").startswith("uk")
    groups: dict[str, tuple[str, list[tuple[str, str]]]] = {}
    for code, en, uk, parent, parent_en, parent_uk in sorted(rows, key=lambda r: (r[3], r[0])):
        label, children = groups.setdefault(parent, (parent_uk if ukrainian else parent_en, []))
        children.append((code, uk if ukrainian else en))
    return [("", _("Choose a category")), *groups.values()]


class _FormErrorsFirst:
    """Model.clean() repeats, in English, problems the form already explained in the reader's
    language; a field keeps only the form's own message."""

    def _update_errors(self, errors: Any) -> None:
        if hasattr(errors, "error_dict"):
            own = set(self.errors)  # type: ignore[attr-defined]
            errors.error_dict = {k: v for k, v in errors.error_dict.items() if k not in own}
            if not errors.error_dict:
                return
        super()._update_errors(errors)  # type: ignore[misc]


class FirmForm(_FormErrorsFirst, forms.ModelForm):
    # Longer than stored so that spaces and typos reach the clean_ methods' clear messages.
    companies_house_number = forms.CharField(
        label=_("Companies House number"),
        max_length=20,
        help_text=_("8 characters, like 01234567 or SC123456"),
        error_messages={"required": _("Enter your Companies House number")},
    )
    postcode = forms.CharField(
        label=_("Postcode"),
        max_length=20,
        help_text=_("The postcode of your registered office, like GL1 2EH"),
        error_messages={"required": _("Enter your postcode")},
    )
    website = forms.URLField(
        label=_("Website (optional)"),
        required=False,
        assume_scheme="https",
        help_text=_("For example https://www.example.co.uk"),
        error_messages={"invalid": _("Enter a web address like https://www.example.co.uk")},
    )

    class Meta:
        model = Firm
        fields = [
            "name",
            "companies_house_number",
            "postcode",
            "employees",
            "annual_turnover_gbp",
            "website",
            "description",
            "list_x_claimed",
        ]
        labels = {
            "name": _("Firm name"),
            "companies_house_number": _("Companies House number"),
            "postcode": _("Postcode"),
            "employees": _("Number of employees (optional)"),
            "annual_turnover_gbp": _("Annual turnover in pounds (optional)"),
            "website": _("Website (optional)"),
            "description": _("What your firm does (optional)"),
            "list_x_claimed": _("We hold List X (facility security clearance)"),
        }
        help_texts = {
            "companies_house_number": _("8 characters, like 01234567 or SC123456"),
            "postcode": _("The postcode of your registered office, like GL1 2EH"),
            "annual_turnover_gbp": _(
                "Firms with fewer than 250 staff and up to £44m count as SMEs"
            ),
            "website": _("For example https://www.example.co.uk"),
            "list_x_claimed": _("Hub staff confirm List X before it counts."),
        }
        error_messages = {"name": {"required": _("Enter your firm's name")}}
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def clean_companies_house_number(self) -> str:
        value = "".join(str(self.cleaned_data.get("companies_house_number", "")).split()).upper()
        if not value:
            raise forms.ValidationError(_("Enter your Companies House number"))
        if len(value) != 8:
            raise forms.ValidationError(
                _("Companies House number must be 8 characters, like 01234567 or SC123456")
            )
        if codes.companies_house_problem(value):
            raise forms.ValidationError(
                _(
                    "Companies House number must be 8 digits, or 2 capital letters "
                    "followed by 6 digits, like SC123456"
                )
            )
        taken = Firm.objects.filter(companies_house_number=value)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(
                _(
                    "A firm with this Companies House number is already registered. "
                    "Ask its administrator to invite you."
                )
            )
        return value

    def clean_postcode(self) -> str:
        value = codes.normalise_postcode(str(self.cleaned_data.get("postcode", "")))
        if not value:
            raise forms.ValidationError(_("Enter your postcode"))
        if codes.postcode_problem(value):
            raise forms.ValidationError(_("Enter a real UK postcode, like GL1 2EH"))
        return value


class CapabilityForm(_FormErrorsFirst, forms.ModelForm):
    category = forms.ChoiceField(
        label=_("Category"),
        help_text=_("The kind of kit or service this is"),
        error_messages={"required": _("Choose a category")},
    )
    keywords = forms.CharField(
        label=_("Keywords (optional)"),
        required=False,
        help_text=_("Words buyers might search for, separated by commas"),
    )
    datasheet = forms.FileField(
        label=_("Datasheet (optional)"),
        required=False,
        help_text=_("A PDF of up to 10 MB. Only your firm and hub staff can open it."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    class Meta:
        model = Capability
        fields = [
            "reference",
            "name",
            "description",
            "category",
            "trl",
            "unit_price_gbp",
            "monthly_capacity",
            "lead_time_weeks",
            "control_rating",
            "licence_status",
            "licence_reference",
            "licence_expiry",
            "itar_free",
            "field_proven",
            "keywords",
        ]
        labels = {
            "reference": _("Your reference"),
            "name": _("Name"),
            "description": _("Description (optional)"),
            "trl": _("Technology readiness level (TRL)"),
            "unit_price_gbp": _("Unit price in pounds (optional)"),
            "monthly_capacity": _("Units you can make per month"),
            "lead_time_weeks": _("Lead time in weeks"),
            "control_rating": _("Export control rating"),
            "licence_status": _("Export licence status"),
            "licence_reference": _("Licence reference (optional)"),
            "licence_expiry": _("Licence expiry date (optional)"),
            "itar_free": _("ITAR-free (no US ITAR-controlled parts)"),
            "field_proven": _("Already used in the field"),
        }
        help_texts = {
            "reference": _("Your own code for it, like QX-4. Letters, digits, '.', '_' or '-'."),
            "trl": _("1 is an idea, 9 is proven in operations"),
            "monthly_capacity": _("At least 1"),
            "lead_time_weeks": _("From order to delivery, before any export licence wait"),
            "control_rating": _(
                "NLR if no licence is needed; otherwise a UK Military List entry like ML10, "
                "PL5001, or a dual-use entry like 5A002.a"
            ),
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "licence_expiry": forms.DateInput(**DATE_WIDGET),  # type: ignore[arg-type]
            "trl": forms.Select(choices=[("", "")] + [(n, str(n)) for n in range(1, 10)]),
        }
        error_messages = {
            "reference": {"required": _("Enter your reference for this capability")},
            "control_rating": {"required": _("Enter the export control rating, or NLR")},
            "name": {"required": _("Enter a name for this capability")},
            "trl": {"required": _("Choose a technology readiness level from 1 to 9")},
            "monthly_capacity": {"required": _("Enter how many units you can make per month")},
            "lead_time_weeks": {"required": _("Enter the lead time in weeks")},
            "licence_status": {"required": _("Choose an export licence status")},
        }

    def __init__(self, *args: Any, firm: Firm, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.firm = firm
        self.instance.firm = firm
        self.fields["category"].choices = grouped_category_choices()
        self.fields["licence_status"].choices = [("", _("Choose a status"))] + list(
            LicenceStatus.choices
        )
        if self.instance.pk:
            self.initial["category"] = self.instance.category_id
            self.initial["keywords"] = ", ".join(self.instance.keywords or [])

    def groups(self) -> list[tuple[Any, list[Any]]]:
        """The form's fields in the sections the page shows them in."""
        return [
            (_("What it is"), ["reference", "name", "description", "category", "keywords"]),
            (
                _("Readiness, price and supply"),
                ["trl", "field_proven", "unit_price_gbp", "monthly_capacity", "lead_time_weeks"],
            ),
            (
                _("Export control"),
                [
                    "control_rating",
                    "licence_status",
                    "licence_reference",
                    "licence_expiry",
                    "itar_free",
                ],
            ),
        ]

    def sections(self) -> list[tuple[Any, list[Any]]]:
        return [(title, [self[name] for name in names]) for title, names in self.groups()]

    def clean_reference(self) -> str:
        value = str(self.cleaned_data.get("reference", "")).strip()
        if codes.reference_problem(value):
            raise forms.ValidationError(
                _("Enter a reference of 1 to 64 letters, digits, '.', '_' or '-'")
            )
        taken = Capability.objects.filter(firm=self.firm, reference=value)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("You already have a capability with this reference"))
        return value

    def clean_category(self) -> Category:
        code = self.cleaned_data.get("category")
        category = Category.objects.filter(code=code, parent__isnull=False).first()
        if category is None:
            raise forms.ValidationError(_("Choose a category"))
        return category

    def clean_control_rating(self) -> str:
        value = str(self.cleaned_data.get("control_rating", "")).strip()
        value = value if value[:1].isdigit() else value.upper()
        if codes.control_rating_problem(value):
            raise forms.ValidationError(
                _("Enter a control rating such as NLR, ML10, PL5001 or 5A002.a")
            )
        return value

    def clean_keywords(self) -> list[str]:
        text = str(self.cleaned_data.get("keywords") or "")
        return [word.strip() for word in text.replace(";", ",").split(",") if word.strip()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        rating, status = data.get("control_rating"), data.get("licence_status")
        if rating and status and codes.licence_pairing_problem(rating, status):
            self.add_error(
                "licence_status",
                _(
                    "Choose 'Not required' for an NLR item, and another status for an item "
                    "with a control rating"
                ),
            )
        return data


class CertificationsForm(forms.Form):
    """One tick box and an optional expiry date per certification."""

    def __init__(self, *args: Any, held: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = []
        for code, label in Certification.choices:
            self.fields[f"held_{code}"] = forms.BooleanField(
                label=label, required=False, initial=code in held
            )
            self.fields[f"expires_{code}"] = forms.DateField(
                label=_("%(name)s expiry date (optional)") % {"name": label},
                required=False,
                initial=held.get(code),
                widget=forms.DateInput(**DATE_WIDGET),  # type: ignore[arg-type]
            )
            self.rows.append((self[f"held_{code}"], self[f"expires_{code}"]))

    def held(self) -> dict[str, Any]:
        return {
            code: self.cleaned_data.get(f"expires_{code}")
            for code in Certification.values
            if self.cleaned_data.get(f"held_{code}")
        }


class CsvUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8 CSV with the template's columns, up to 5 MB"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
        error_messages={"required": _("Choose a CSV file to upload")},
    )

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        upload.seek(0)
        head = upload.read(csv_upload.SNIFF_BYTES)
        upload.seek(0)
        problem = csv_upload.upload_problem(name=upload.name or "", head=head)
        if problem:
            raise forms.ValidationError(problem, code="invalid")
        return upload


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("Colleague's e-mail address"),
        error_messages={"required": _("Enter your colleague's e-mail address")},
    )


class BarriersForm(forms.Form):
    def __init__(self, *args: Any, current: dict[str, FirmBarrier], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = []
        for topic, label in FirmBarrier.Topic.choices:
            row = current.get(topic)
            self.fields[f"state_{topic}"] = forms.ChoiceField(
                label=label,
                choices=FirmBarrier.State.choices,
                initial=row.state if row else FirmBarrier.State.NOT_STARTED,
                widget=forms.RadioSelect,
            )
            self.fields[f"note_{topic}"] = forms.CharField(
                label=_("Notes for hub staff (optional)"),
                required=False,
                initial=row.note if row else "",
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.rows.append((self[f"state_{topic}"], self[f"note_{topic}"]))

    def answers(self) -> dict[str, tuple[str, str]]:
        return {
            topic: (self.cleaned_data[f"state_{topic}"], self.cleaned_data[f"note_{topic}"])
            for topic in FirmBarrier.Topic.values
        }


class AlertPreferenceForm(forms.Form):
    daily_digest = forms.BooleanField(
        label=_("A daily e-mail of new requirements that fit my firm"), required=False
    )
    immediate_critical = forms.BooleanField(
        label=_("An e-mail straight away when a critical requirement fits my firm"),
        required=False,
    )


class InterestForm(forms.Form):
    note = forms.CharField(
        label=_("Note for hub staff (optional)"),
        required=False,
        max_length=2000,
        help_text=_("For example which capability you would offer, and how soon"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
