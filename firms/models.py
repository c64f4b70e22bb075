from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import BaseConstraint, Q
from django.utils.translation import gettext_lazy as _

from firms import codes
from firms.codes import Certification, LicenceStatus, VerificationState

SME_MAX_EMPLOYEES = 250
SME_MAX_TURNOVER_GBP = Decimal("44000000")


class Category(models.Model):
    """The two-level capability taxonomy; requirements and capabilities carry a child code."""

    code = models.CharField(max_length=64, unique=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    label_en = models.CharField(max_length=120)
    label_uk = models.CharField(max_length=120)
    related = models.ManyToManyField(
        "self",
        through="CategoryRelation",
        symmetrical=False,
        blank=True,
        related_name="+",
        through_fields=("category", "related_to"),
    )

    class Meta:
        ordering = ["code"]
        verbose_name_plural = "categories"
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[A-Z][A-Z0-9_]*(\.[A-Z][A-Z0-9_]*)?$"),
                name="category_code_format",
            )
        ]

    def __str__(self) -> str:
        return f"{self.label_en} ({self.code})"

    @property
    def is_child(self) -> bool:
        return self.parent_id is not None

    def clean(self) -> None:
        if self.parent_id is None and "." in self.code:
            raise ValidationError({"parent": _("A PARENT.CHILD code needs its parent category.")})
        parent = self.parent if self.parent_id is not None else None
        if parent is not None:
            if parent.parent_id is not None:
                raise ValidationError({"parent": _("Categories have two levels only.")})
            if not self.code.startswith(parent.code + "."):
                raise ValidationError({"code": _("A child code starts with its parent's code.")})


class CategoryRelation(models.Model):
    """Staff-declared relation between two child categories (used both ways by matching)."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="relations")
    related_to = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["category", "related_to"], name="category_relation_once"
            ),
            models.CheckConstraint(
                condition=~Q(category=models.F("related_to")), name="category_relation_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category.code} ~ {self.related_to.code}"


class Firm(models.Model):
    companies_house_number = models.CharField(
        _("Companies House number"),
        max_length=8,
        unique=True,
        help_text=_("8 digits, or 2 capital letters and 6 digits, e.g. SC123456"),
    )
    name = models.CharField(max_length=200)
    postcode = models.CharField(max_length=8)
    employees = models.PositiveIntegerField(null=True, blank=True)
    annual_turnover_gbp = models.DecimalField(
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    website = models.URLField(blank=True)
    description = models.TextField(blank=True)
    list_x = models.BooleanField(
        "List X", default=False, help_text=_("Facility security clearance, confirmed by staff.")
    )
    list_x_claimed = models.BooleanField(
        default=False, help_text=_("The firm says it holds List X; staff have not confirmed yet.")
    )
    verification_state = models.CharField(
        max_length=12, choices=VerificationState.choices, default=VerificationState.UNVERIFIED
    )
    verification_note = models.TextField(blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(companies_house_number__regex=codes.COMPANIES_HOUSE_SQL),
                name="firm_companies_house_format",
            ),
            models.CheckConstraint(
                condition=Q(annual_turnover_gbp__isnull=True) | Q(annual_turnover_gbp__gte=0),
                name="firm_turnover_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(verification_state__in=[s.value for s in VerificationState]),
                name="firm_verification_state_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.companies_house_number})"

    @property
    def is_verified(self) -> bool:
        return self.verification_state == VerificationState.VERIFIED

    @property
    def is_sme(self) -> bool:
        """SME: fewer than 250 employees and turnover of at most £44m (unknown counts as small)."""
        small_staff = self.employees is None or self.employees < SME_MAX_EMPLOYEES
        small_turnover = (
            self.annual_turnover_gbp is None or self.annual_turnover_gbp <= SME_MAX_TURNOVER_GBP
        )
        return small_staff and small_turnover

    def clean(self) -> None:
        errors = {}
        self.postcode = codes.normalise_postcode(self.postcode)
        if problem := codes.companies_house_problem(self.companies_house_number):
            errors["companies_house_number"] = problem
        if problem := codes.postcode_problem(self.postcode):
            errors["postcode"] = problem
        if errors:
            raise ValidationError(errors)


class FirmCertification(models.Model):
    firm = models.ForeignKey(Firm, on_delete=models.CASCADE, related_name="certifications")
    code = models.CharField(max_length=32, choices=Certification.choices)
    expires_on = models.DateField(null=True, blank=True)
    reminder_sent_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["firm", "code"], name="firm_certification_once"),
            models.CheckConstraint(
                condition=Q(code__in=[c.value for c in Certification]),
                name="firm_certification_code_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.firm.name}: {self.get_code_display()}"


class Capability(models.Model):
    firm = models.ForeignKey(Firm, on_delete=models.CASCADE, related_name="capabilities")
    reference = models.CharField(max_length=64)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    category = models.ForeignKey(
        Category,
        to_field="code",
        db_column="category_code",
        on_delete=models.PROTECT,
        related_name="capabilities",
    )
    trl = models.PositiveSmallIntegerField(
        "TRL",
        validators=[MinValueValidator(1), MaxValueValidator(9)],
        help_text=_("Technology readiness level, 1-9"),
    )
    unit_price_gbp = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    monthly_capacity = models.PositiveIntegerField(
        validators=[MinValueValidator(1)], help_text=_("Units per month")
    )
    lead_time_weeks = models.PositiveSmallIntegerField()
    control_rating = models.CharField(max_length=24)
    licence_status = models.CharField(max_length=16, choices=LicenceStatus.choices)
    licence_reference = models.CharField(max_length=64, blank=True)
    licence_expiry = models.DateField(null=True, blank=True)
    itar_free = models.BooleanField("ITAR-free", default=False)
    field_proven = models.BooleanField(default=False)
    keywords = models.JSONField(default=list, blank=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    # Set by matching when this capability was last scored against all active requirements; the
    # sweep rescores rows whose data changed after it.
    scored_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["firm__name", "reference"]
        verbose_name_plural = "capabilities"
        constraints = [
            models.UniqueConstraint(
                fields=["firm", "reference"], name="capability_reference_per_firm"
            ),
            models.CheckConstraint(condition=Q(trl__gte=1, trl__lte=9), name="capability_trl_1_9"),
            models.CheckConstraint(
                condition=Q(monthly_capacity__gte=1), name="capability_capacity_at_least_1"
            ),
            models.CheckConstraint(
                condition=Q(lead_time_weeks__gte=0), name="capability_lead_time_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(unit_price_gbp__isnull=True) | Q(unit_price_gbp__gte=0),
                name="capability_price_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(reference__regex=codes.REFERENCE_SQL),
                name="capability_reference_format",
            ),
            models.CheckConstraint(
                condition=Q(control_rating__regex=codes.CONTROL_RATING_SQL),
                name="capability_control_rating_format",
            ),
            models.CheckConstraint(
                condition=Q(licence_status__in=[s.value for s in LicenceStatus]),
                name="capability_licence_status_valid",
            ),
            models.CheckConstraint(
                condition=(
                    Q(control_rating="NLR", licence_status=LicenceStatus.NOT_REQUIRED)
                    | (~Q(control_rating="NLR") & ~Q(licence_status=LicenceStatus.NOT_REQUIRED))
                ),
                name="capability_nlr_iff_not_required",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.reference})"

    def get_constraints(self) -> list[tuple[type[models.Model], Sequence[BaseConstraint]]]:
        """The constraints full_clean() validates: the unique one, not the check constraints.
        Each of those repeats, for rows written past the model, a rule a field validator or
        clean() already enforces with a message naming the field, and Django validates each
        with its own query: eight a call, about 15 ms, twice a save (form and service).
        tests/firms/test_models.py holds every one of them caught without its query."""
        return [
            (model, [c for c in constraints if not isinstance(c, models.CheckConstraint)])
            for model, constraints in super().get_constraints()
        ]

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if problem := codes.reference_problem(self.reference):
            errors["reference"] = problem
        if problem := codes.control_rating_problem(self.control_rating):
            errors["control_rating"] = problem
        elif problem := codes.licence_pairing_problem(self.control_rating, self.licence_status):
            errors["licence_status"] = problem
        if self.category_id:
            category = Category.objects.filter(code=self.category_id).first()
            if category is not None and not category.is_child:
                errors["category"] = "must be a child category (PARENT.CHILD), not a parent"
        if not isinstance(self.keywords, list) or not all(
            isinstance(k, str) for k in self.keywords
        ):
            errors["keywords"] = "must be a list of words or phrases"
        if errors:
            raise ValidationError(errors)


def _datasheet_path(instance: CapabilityDatasheet, filename: str) -> str:
    # A random name: the stored path never reveals the firm or the original file name.
    import uuid

    return f"datasheets/{instance.capability.firm_id}/{uuid.uuid4().hex}.pdf"


class CapabilityDatasheet(models.Model):
    """A capability's PDF datasheet, served only to those who may see the capability."""

    capability = models.OneToOneField(
        Capability, on_delete=models.CASCADE, related_name="datasheet"
    )
    file = models.FileField(upload_to=_datasheet_path, max_length=200)
    original_name = models.CharField(max_length=200)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.original_name


class FirmBarrier(models.Model):
    """One line of a firm's barriers checklist; staff see it and help."""

    class Topic(models.TextChoices):
        EXPORT_LICENCE = "EXPORT_LICENCE", _("Export licence")
        INSURANCE = "INSURANCE", _("Insurance for work in Ukraine")
        TRAVEL_SECURITY = "TRAVEL_SECURITY", _("Travel and security arrangements")

    class State(models.TextChoices):
        NOT_STARTED = "NOT_STARTED", _("Not started")
        IN_PROGRESS = "IN_PROGRESS", _("In progress")
        DONE = "DONE", _("Sorted")
        NEED_HELP = "NEED_HELP", _("We need help")

    firm = models.ForeignKey(Firm, on_delete=models.CASCADE, related_name="barriers")
    topic = models.CharField(max_length=20, choices=Topic.choices)
    state = models.CharField(max_length=12, choices=State.choices, default=State.NOT_STARTED)
    note = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["firm", "topic"]
        constraints = [
            models.UniqueConstraint(fields=["firm", "topic"], name="firm_barrier_once"),
        ]

    def __str__(self) -> str:
        return f"{self.firm.name}: {self.get_topic_display()}"


class AlertPreference(models.Model):
    """How a supplier user hears about newly active requirements that fit the firm."""

    user = models.OneToOneField(
        "accounts.User", on_delete=models.CASCADE, related_name="alert_preference"
    )
    daily_digest = models.BooleanField(_("Daily digest"), default=True)
    immediate_critical = models.BooleanField(_("At once for critical requirements"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_digest_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"alerts for {self.user}"


class AlertDelivery(models.Model):
    """One requirement told to one user, so nobody hears of the same requirement twice."""

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    requirement = models.ForeignKey(
        "requirements.Requirement", on_delete=models.CASCADE, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "requirement"], name="alert_once"),
        ]

    def __str__(self) -> str:
        return f"{self.requirement_id} to {self.user_id}"
