from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from firms import codes
from requirements.flow import Classification, Priority, Status

# A requirement's fields in the interchange contract (DESIGN.md section 3) that staff edit and
# the API shows, in contract order.
REQUIREMENT_FIELDS: tuple[str, ...] = (
    "reference",
    "title",
    "description",
    "title_uk",
    "description_uk",
    "category",
    "quantity",
    "unit",
    "needed_by",
    "max_unit_price_gbp",
    "min_trl",
    "required_certifications",
    "itar_free_required",
    "priority",
    "classification",
)


class Requirement(models.Model):
    reference = models.CharField(max_length=64, unique=True)
    title = models.CharField(max_length=300, blank=True)
    description = models.TextField(blank=True)
    title_uk = models.CharField(_("Title (Ukrainian)"), max_length=300, blank=True)
    description_uk = models.TextField(_("Description (Ukrainian)"), blank=True)
    category = models.ForeignKey(
        "firms.Category",
        to_field="code",
        db_column="category_code",
        on_delete=models.PROTECT,
        related_name="requirements",
    )
    quantity = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    unit = models.CharField(max_length=40)
    needed_by = models.DateField()
    max_unit_price_gbp = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    min_trl = models.PositiveSmallIntegerField(
        "Minimum TRL", validators=[MinValueValidator(1), MaxValueValidator(9)]
    )
    required_certifications = models.JSONField(default=list, blank=True)
    itar_free_required = models.BooleanField("ITAR-free required", default=False)
    priority = models.CharField(max_length=10, choices=Priority.choices)
    classification = models.CharField(max_length=20, choices=Classification.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    source_organisation = models.CharField(max_length=200, blank=True)
    requesting_organisation = models.ForeignKey(
        "accounts.Organisation",
        to_field="slug",
        db_column="requesting_organisation_slug",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="requirements",
    )
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    # Last time matching scored this requirement against all active capabilities (see Capability).
    scored_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # Lowest stored score in this requirement's top list (eligible / near misses), kept by matching
    # so a capability rescore can tell whether it enters that list without ranking everything.
    match_floor_eligible = models.FloatField(null=True, blank=True, editable=False)
    match_floor_blocked = models.FloatField(null=True, blank=True, editable=False)
    # When matching first stored an eligible match for it: the pipeline's "time to first match".
    first_eligible_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "reference"]
        indexes = [models.Index(fields=["status", "priority"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(reference__regex=codes.REFERENCE_SQL),
                name="requirement_reference_format",
            ),
            models.CheckConstraint(
                condition=Q(quantity__gte=1), name="requirement_quantity_at_least_1"
            ),
            models.CheckConstraint(
                condition=Q(min_trl__gte=1, min_trl__lte=9), name="requirement_min_trl_1_9"
            ),
            models.CheckConstraint(
                condition=Q(max_unit_price_gbp__isnull=True) | Q(max_unit_price_gbp__gte=0),
                name="requirement_budget_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in Status]), name="requirement_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(priority__in=[p.value for p in Priority]),
                name="requirement_priority_valid",
            ),
            models.CheckConstraint(
                condition=Q(classification__in=[c.value for c in Classification]),
                name="requirement_classification_valid",
            ),
            models.CheckConstraint(
                condition=~Q(title="", title_uk=""), name="requirement_has_a_title"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.display_title}"

    @property
    def display_title(self) -> str:
        return self.title or self.title_uk

    @property
    def is_active(self) -> bool:
        return self.status in (Status.OPEN, Status.SHORTLISTED)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if problem := codes.reference_problem(self.reference):
            errors["reference"] = problem
        if not (self.title or self.title_uk):
            errors["title"] = "a title in English or Ukrainian is required"
        if not (self.description or self.description_uk):
            errors["description"] = "a description in English or Ukrainian is required"
        certs = self.required_certifications
        valid = set(codes.Certification.values)
        if not isinstance(certs, list) or any(c not in valid for c in certs):
            errors["required_certifications"] = (
                "must be a list of certification codes: " + ", ".join(sorted(valid))
            )
        if self.category_id:
            from firms.models import Category

            category = Category.objects.filter(code=self.category_id).first()
            if category is not None and not category.is_child:
                errors["category"] = "must be a child category (PARENT.CHILD), not a parent"
        if errors:
            raise ValidationError(errors)


class RequirementTransition(models.Model):
    """One step in a requirement's history: who moved it, when, from what, to what, and why."""

    requirement = models.ForeignKey(
        Requirement, on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField(max_length=12, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor = models.CharField(
        max_length=120,
        blank=True,
        help_text=_("Who acted when not a user, e.g. an import command."),
    )
    note = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.requirement.reference}: {self.from_status or '-'} -> {self.to_status}"


class ReportCondition(models.Model):
    """Operating conditions a field report can name (staff-editable reference data)."""

    code = models.CharField(max_length=32, unique=True)
    label_en = models.CharField(max_length=120)
    label_uk = models.CharField(max_length=120)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.label_en


class FieldReport(models.Model):
    """How delivered kit performed at the front; the author is never shown to suppliers."""

    capability = models.ForeignKey(
        "firms.Capability", on_delete=models.CASCADE, related_name="field_reports"
    )
    requirement = models.ForeignKey(
        Requirement, null=True, blank=True, on_delete=models.SET_NULL, related_name="field_reports"
    )
    rating = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    conditions = models.ManyToManyField(ReportCondition, blank=True, related_name="reports")
    summary = models.TextField()
    reported_on = models.DateField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="field_reports",
    )
    author_unit = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reported_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5), name="field_report_rating_1_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.capability} rated {self.rating}"

    def clean(self) -> None:
        if not (self.summary or "").strip():
            raise ValidationError({"summary": "a summary of how the kit performed is required"})


class Interest(models.Model):
    """A supplier firm's interest in a requirement, with a note that hub staff read."""

    requirement = models.ForeignKey(Requirement, on_delete=models.CASCADE, related_name="interests")
    firm = models.ForeignKey("firms.Firm", on_delete=models.CASCADE, related_name="interests")
    note = models.TextField(blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(fields=["requirement", "firm"], name="interest_once_per_firm"),
        ]

    def __str__(self) -> str:
        return f"{self.firm} in {self.requirement.reference}"

    @property
    def is_current(self) -> bool:
        return self.withdrawn_at is None


class ShortlistEntry(models.Model):
    """A capability hub staff put forward for a requirement, with the note they give it.

    Entries are drafted while the requirement is OPEN; publishing stamps `published_at` on every
    entry at once, and only published entries are shown to the requester."""

    requirement = models.ForeignKey(Requirement, on_delete=models.CASCADE, related_name="shortlist")
    capability = models.ForeignKey(
        "firms.Capability", on_delete=models.CASCADE, related_name="shortlist_entries"
    )
    note = models.TextField(blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["requirement", "added_at", "id"]
        verbose_name_plural = "shortlist entries"
        constraints = [
            models.UniqueConstraint(
                fields=["requirement", "capability"], name="shortlist_capability_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.requirement.reference}: {self.capability}"


class RequirementEvent(models.Model):
    """A staff action on a requirement that is not a status move (those are transitions)."""

    class Action(models.TextChoices):
        TRIAGED_EDIT = "TRIAGED_EDIT", _("Triage edit")
        EDITED = "EDITED", _("Edited")
        SHORTLIST_ADD = "SHORTLIST_ADD", _("Added to the shortlist")
        SHORTLIST_REMOVE = "SHORTLIST_REMOVE", _("Removed from the shortlist")
        SHORTLIST_PUBLISH = "SHORTLIST_PUBLISH", _("Shortlist published")
        MERGED = "MERGED", _("Duplicate merged")
        DUPLICATE_DISMISSED = "DUPLICATE_DISMISSED", _("Not a duplicate")
        EXPORT = "EXPORT", _("Exported")

    requirement = models.ForeignKey(Requirement, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=24, choices=Action.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    note = models.TextField(blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.requirement.reference}: {self.action}"


class DuplicateDismissal(models.Model):
    """Staff decided two requirements are not duplicates; the pair is not suggested again.

    The pair is stored once, lower id first, so either page's dismissal covers both."""

    first = models.ForeignKey(Requirement, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Requirement, on_delete=models.CASCADE, related_name="+")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="duplicate_dismissal_once"),
            models.CheckConstraint(
                condition=Q(first__lt=models.F("second")), name="duplicate_dismissal_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_id} is not {self.second_id}"


class ExportRecord(models.Model):
    """The audit log of staff exports: who downloaded what, in which format and language."""

    class Kind(models.TextChoices):
        MATCHES = "MATCHES", _("Match list")
        SHORTLIST = "SHORTLIST", _("Shortlist")
        GAPS = "GAPS", _("Capability gaps")

    class Format(models.TextChoices):
        CSV = "CSV", "CSV"
        XLSX = "XLSX", "XLSX"

    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Free text beyond the choices, so other staff exports can log here too.
    kind = models.CharField(max_length=32, choices=Kind.choices)
    requirement = models.ForeignKey(
        Requirement, null=True, blank=True, on_delete=models.SET_NULL, related_name="exports"
    )
    format = models.CharField(max_length=8, choices=Format.choices)
    language = models.CharField(max_length=8)
    row_count = models.PositiveIntegerField()
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.format} by {self.by_id} at {self.at}"
