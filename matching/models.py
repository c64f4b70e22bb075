from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from matching.engine import DEFAULT_WEIGHTS


class Match(models.Model):
    """A stored (requirement, capability) result; `removed` rows are kept for syncing clients."""

    # No index of its own: the unique (requirement, capability) index serves every lookup.
    requirement = models.ForeignKey(
        "requirements.Requirement",
        on_delete=models.CASCADE,
        related_name="matches",
        db_index=False,
    )
    # Looked up through the (capability_category, capability) index, never on its own (see
    # Meta.indexes), and without a database-level constraint: PostgreSQL would check each
    # inserted row against the capability table at commit and, with no index led by this
    # column, scan the whole table for every deleted capability. Django's collector still
    # deletes a capability's rows with it (capabilities are deleted only in the admin).
    capability = models.ForeignKey(
        "firms.Capability",
        on_delete=models.CASCADE,
        related_name="matches",
        db_index=False,
        db_constraint=False,
    )
    # The capability's category code when the row was written (empty on rows made before it
    # was recorded). It leads the capability-side index so that one requirement's rows, which
    # are nearly all in its own and related categories, land on a few hundred index pages
    # instead of one page per row; readers match it against every category code (FIELD_CODES).
    capability_category = models.CharField(max_length=64, blank=True, default="")
    score = models.FloatField()
    eligible = models.BooleanField()
    blockers = models.JSONField(default=list)
    breakdown = models.JSONField(default=list)
    engine_version = models.CharField(max_length=32)
    # Not indexed on its own: every reader filters on a requirement or a firm's capabilities
    # first, and each index is paid for on every one of the millions of upserted rows.
    computed_at = models.DateTimeField()
    removed = models.BooleanField(default=False)
    # Rows outside a requirement's top list (a supplier's standing) are stored as numbers: the
    # blocker codes, and each component's value in thousandths, comma-separated in COMPONENTS
    # order. Their reasons are written when the row is read (matching.selectors.with_reasons),
    # which keeps a rescore that rewrites a few thousand of them inside its time budget.
    explained = models.BooleanField(default=True)
    components = models.CharField(max_length=80, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["requirement", "capability"], name="match_once"),
            models.CheckConstraint(
                condition=Q(score__gte=0, score__lte=100), name="match_score_0_100"
            ),
        ]
        # A requirement's rows come from the unique index (a few thousand at most, sorted in
        # the query); a firm's from the (category, capability) index. Neither holds a column a
        # rescore rewrites (the category only with the capability's own category), so
        # PostgreSQL can update a row in place (HOT) without touching an index.
        indexes = [
            models.Index(
                fields=["capability_category", "capability"], name="match_field_capability"
            )
        ]

    def __str__(self) -> str:
        return f"{self.requirement_id}/{self.capability_id}: {self.score}"


class ScoringContext(models.Model):
    """What a requirement's last rescore read of the corpus: enough to explain its rows later.

    BM25 reads the corpus only through the query terms' document frequencies, the document
    count and the total length, so these few numbers let a web process write exactly the
    reasons a worker would, without loading the capability index."""

    requirement = models.OneToOneField(
        "requirements.Requirement", on_delete=models.CASCADE, related_name="scoring_context"
    )
    doc_count = models.PositiveIntegerField()
    total_length = models.PositiveBigIntegerField()
    doc_freq = models.JSONField(default=dict)
    computed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"context of {self.requirement_id}"


class WebhookEndpoint(models.Model):
    """A URL an API client registered to hear when its visible match lists change."""

    client = models.ForeignKey(
        "accounts.APIClient", on_delete=models.CASCADE, related_name="webhooks"
    )
    url = models.URLField(max_length=500)
    # Kept readable because signing needs it; shown to the client only at creation/rotation.
    secret = models.CharField(max_length=64, editable=False)
    # Changes with every rotation and travels with each delivery, so a receiver knows which
    # secret signed it while it swaps over.
    secret_id = models.CharField(max_length=16, editable=False)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    secret_rotated_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["client", "id"]

    def __str__(self) -> str:
        return self.url


class WebhookDelivery(models.Model):
    """One event sent to one endpoint, with its outcome; `attempts` holds every try."""

    class State(models.TextChoices):
        PENDING = "PENDING", _("Pending")
        DELIVERED = "DELIVERED", _("Delivered")
        FAILED = "FAILED", _("Failed")

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event_id = models.UUIDField(db_index=True)
    requirement = models.ForeignKey(
        "requirements.Requirement", on_delete=models.CASCADE, related_name="+"
    )
    payload = models.JSONField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempt_count = models.PositiveSmallIntegerField(default=0)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "webhook deliveries"
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "event_id"], name="webhook_event_once"),
        ]

    def __str__(self) -> str:
        return f"{self.event_id} -> {self.endpoint_id}: {self.state}"


class WebhookAttempt(models.Model):
    """One HTTP try of a delivery: what the receiver answered, or why it could not."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempts")
    number = models.PositiveSmallIntegerField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["delivery", "number"]

    def __str__(self) -> str:
        return f"{self.delivery_id} #{self.number}: {self.status_code or self.error[:40]}"


class Synonym(models.Model):
    """A group of words or phrases matching treats as the same (UAV = drone = UAS)."""

    terms = models.CharField(
        max_length=500,
        help_text=_("Comma-separated equivalent terms, e.g. 'uav, drone, uas'."),
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["terms"]

    def __str__(self) -> str:
        return self.terms

    @property
    def term_list(self) -> list[str]:
        return [t.strip().lower() for t in self.terms.split(",") if t.strip()]

    def clean(self) -> None:
        if len(self.term_list) < 2:
            raise ValidationError({"terms": _("Give at least two terms separated by commas.")})


class EngineSettings(models.Model):
    """The single row of tunable matching settings; staff edit it in the admin."""

    relevance_weight = models.FloatField(
        default=DEFAULT_WEIGHTS["relevance"], validators=[MinValueValidator(0)]
    )
    category_weight = models.FloatField(
        default=DEFAULT_WEIGHTS["category"], validators=[MinValueValidator(0)]
    )
    capacity_weight = models.FloatField(
        default=DEFAULT_WEIGHTS["capacity"], validators=[MinValueValidator(0)]
    )
    timeliness_weight = models.FloatField(
        default=DEFAULT_WEIGHTS["timeliness"], validators=[MinValueValidator(0)]
    )
    price_weight = models.FloatField(
        default=DEFAULT_WEIGHTS["price"], validators=[MinValueValidator(0)]
    )
    maturity_weight = models.FloatField(
        default=DEFAULT_WEIGHTS["maturity"], validators=[MinValueValidator(0)]
    )
    export_readiness_weight = models.FloatField(
        default=DEFAULT_WEIGHTS["export_readiness"], validators=[MinValueValidator(0)]
    )
    licence_wait_weeks = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text=_("Blank: the LICENCE_WAIT_WEEKS setting (4 weeks, the SIEL processing target)."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "engine settings"
        verbose_name_plural = "engine settings"

    def __str__(self) -> str:
        return "Matching engine settings"

    def weights(self) -> dict[str, float]:
        return {
            "relevance": self.relevance_weight,
            "category": self.category_weight,
            "capacity": self.capacity_weight,
            "timeliness": self.timeliness_weight,
            "price": self.price_weight,
            "maturity": self.maturity_weight,
            "export_readiness": self.export_readiness_weight,
        }

    def clean(self) -> None:
        if sum(self.weights().values()) <= 0:
            raise ValidationError(_("At least one weight must be above zero."))
