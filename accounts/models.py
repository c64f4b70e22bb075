from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SUPPLIER = "SUPPLIER", _("Supplier")
    STAFF = "STAFF", _("Hub staff")
    REQUESTER = "REQUESTER", _("Requester")


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra: object) -> User:
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("role", Role.SUPPLIER)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.update(is_staff=True, is_superuser=True, role=Role.STAFF)
        return self._create(email, password, **extra)


class Organisation(models.Model):
    """A Ukrainian requesting organisation (MoD, procurement agency, a brigade's liaison)."""

    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    name_uk = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=200, blank=True)
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.SUPPLIER)
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
        help_text=_("Requesters only: the organisation whose requirements they see."),
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text=_("May sign in to the admin."))
    date_joined = models.DateTimeField(default=timezone.now)
    # The portal language the user signed in with or last chose; e-mails to them are written in
    # it. Empty until then: an e-mail goes in the language of whoever's action sent it.
    language = models.CharField(
        max_length=8,
        blank=True,
        choices=settings.LANGUAGES,
        help_text=_("E-mails to this user are written in this language."),
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=[r.value for r in Role]), name="user_role_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(organisation__isnull=True) | models.Q(role=Role.REQUESTER),
                name="user_organisation_only_for_requesters",
            ),
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def is_hub_staff(self) -> bool:
        return self.is_active and (self.role == Role.STAFF or self.is_superuser)

    @property
    def is_supplier(self) -> bool:
        return self.is_active and self.role == Role.SUPPLIER

    @property
    def is_requester(self) -> bool:
        return self.is_active and self.role == Role.REQUESTER


class FirmMembership(models.Model):
    """A supplier user's seat in one firm."""

    class FirmRole(models.TextChoices):
        ADMIN = "ADMIN", _("Administrator")
        MEMBER = "MEMBER", _("Member")

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="membership")
    firm = models.ForeignKey("firms.Firm", on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=8, choices=FirmRole.choices, default=FirmRole.MEMBER)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["firm", "user__email"]

    def __str__(self) -> str:
        return f"{self.user} @ {self.firm}"


class APIClient(models.Model):
    """A partner system's API token, acting through a linked service user.

    The service user carries the role (STAFF, or SUPPLIER with a seat in the firm), so every
    selector answers a token request exactly as it answers that role's browser session. Only a
    SHA-256 hash of the token is stored; the token itself is shown once, at creation or rotation.
    """

    class Scope(models.TextChoices):
        STAFF = "STAFF", _("Hub staff (everything staff may read)")
        FIRM = "FIRM", _("One firm (what its suppliers may read)")

    name = models.CharField(max_length=120)
    scope = models.CharField(max_length=8, choices=Scope.choices)
    firm = models.ForeignKey(
        "firms.Firm",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="api_clients",
    )
    user = models.OneToOneField(
        User, on_delete=models.PROTECT, related_name="api_client", editable=False
    )
    token_prefix = models.CharField(max_length=12, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = "API client"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(scope="STAFF", firm__isnull=True)
                | models.Q(scope="FIRM", firm__isnull=False),
                name="api_client_firm_iff_firm_scope",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.token_prefix}…)"

    def is_usable(self, now: datetime | None = None) -> bool:
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > (now or timezone.now())
