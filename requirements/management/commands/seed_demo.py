"""Load the demo data set of requirements/demo_data.py; running it again changes nothing."""

from __future__ import annotations

from base64 import b32decode
from collections import Counter
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services as account_services
from accounts.models import FirmMembership, Organisation, User
from firms import services as firm_services
from firms.codes import VerificationState
from firms.models import Capability, Firm
from requirements import demo_data
from requirements import services as requirement_services
from requirements.dates import kyiv_today
from requirements.flow import Status
from requirements.models import FieldReport, ReportCondition, Requirement

# The demo staff and admin accounts' authenticator key (base32, as an authenticator app takes it;
# README "Demo accounts"). Public on purpose, so anyone trying the demo can sign in: demo only.
DEMO_AUTHENTICATOR_KEY = "KYIVHUBDEMOSTAFFTOTPKEYNOTSECRET"


class DemoSeeder:
    """Creates whatever part of the demo data set is missing and never edits existing rows.

    Rows are found by their natural keys, so a second run (or a run after someone has
    edited the demo in the portal) leaves what is there alone.
    """

    def __init__(self, *, today: date, now: datetime) -> None:
        self.today = today
        self.now = now
        self.created: Counter[str] = Counter()
        self.users: dict[str, User] = {}

    def run(self) -> None:
        self.organisations()
        self.accounts()
        self.firms()
        self.memberships()
        self.requirements()
        self.field_reports()

    def organisations(self) -> None:
        for org in demo_data.ORGANISATIONS:
            _, created = Organisation.objects.get_or_create(
                slug=org.slug, defaults={"name": org.name, "name_uk": org.name_uk}
            )
            if created:
                self.created["organisations"] += 1

    def accounts(self) -> None:
        for account in demo_data.ACCOUNTS:
            user = User.objects.filter(email=account.email).first()
            if user is None:
                user = self._create_user(account)
                self.created["accounts"] += 1
            self.users[account.email] = user
            if user.is_hub_staff and not TOTPDevice.objects.filter(user=user).exists():
                account_services.authenticator_install(
                    user=user, key_hex=b32decode(DEMO_AUTHENTICATOR_KEY).hex()
                )
                self.created["authenticators"] += 1

    def _create_user(self, account: demo_data.DemoAccount) -> User:
        extra: dict[str, Any] = {"full_name": account.full_name}
        if account.is_superuser:
            return User.objects.create_superuser(account.email, account.password, **extra)
        if account.organisation:
            extra["organisation"] = Organisation.objects.get(slug=account.organisation)
        return User.objects.create_user(
            account.email, account.password, role=account.role, is_staff=account.is_staff, **extra
        )

    @property
    def staff(self) -> User:
        return self.users[demo_data.STAFF]

    def firms(self) -> None:
        for data in demo_data.FIRMS:
            firm = Firm.objects.filter(companies_house_number=data.companies_house_number).first()
            if firm is None:
                firm = self._create_firm(data)
                self.created["firms"] += 1
            existing = set(firm.capabilities.values_list("reference", flat=True))
            for capability in data.capabilities:
                if capability.reference not in existing:
                    self._create_capability(firm, capability)
                    self.created["capabilities"] += 1

    def _create_firm(self, data: demo_data.DemoFirm) -> Firm:
        firm = firm_services.firm_create(
            by=self.staff,
            companies_house_number=data.companies_house_number,
            name=data.name,
            postcode=data.postcode,
            employees=data.employees,
            annual_turnover_gbp=Decimal(data.turnover),
            website=data.website,
            description=data.description,
            list_x_claimed=data.list_x_claimed,
        )
        if data.state != VerificationState.UNVERIFIED:
            firm_services.firm_set_verification(
                firm=firm, state=data.state, by=self.staff, note=data.note
            )
        if data.list_x:
            firm_services.firm_set_list_x(firm=firm, confirmed=True, by=self.staff)
        if data.certifications:
            held = {
                code: None if days is None else self.today + timedelta(days=days)
                for code, days in data.certifications
            }
            firm_services.firm_set_certifications(firm=firm, held=held)
        return firm

    def _create_capability(self, firm: Firm, data: demo_data.DemoCapability) -> Capability:
        return firm_services.capability_create(
            firm=firm,
            by=self.staff,
            reference=data.reference,
            name=data.name,
            description=data.description,
            category_id=data.category,
            trl=data.trl,
            unit_price_gbp=None if data.price is None else Decimal(data.price),
            monthly_capacity=data.capacity,
            lead_time_weeks=data.lead_weeks,
            control_rating=data.rating,
            licence_status=data.licence,
            itar_free=data.itar_free,
            field_proven=data.field_proven,
            keywords=list(data.keywords),
            active=data.active,
        )

    def memberships(self) -> None:
        for account in demo_data.ACCOUNTS:
            if not account.firm:
                continue
            user = self.users[account.email]
            if FirmMembership.objects.filter(user=user).exists():
                continue
            FirmMembership.objects.create(
                user=user,
                firm=Firm.objects.get(companies_house_number=account.firm),
                role=FirmMembership.FirmRole.ADMIN,
            )
            self.created["firm memberships"] += 1

    def requirements(self) -> None:
        existing = set(Requirement.objects.values_list("reference", flat=True))
        for data in demo_data.REQUIREMENTS:
            if data.reference not in existing:
                self._create_requirement(data)
                self.created["requirements"] += 1

    def _requester_for(self, organisation: str) -> User:
        for account in demo_data.ACCOUNTS:
            if account.organisation == organisation:
                return self.users[account.email]
        # Organisations without a demo requester send their needs through hub staff.
        return self.staff

    def _create_requirement(self, data: demo_data.DemoRequirement) -> Requirement:
        requirement = requirement_services.requirement_create(
            by=self._requester_for(data.organisation),
            reference=data.reference,
            title=data.title,
            description=data.description,
            title_uk=data.title_uk,
            description_uk=data.description_uk,
            category_id=data.category,
            quantity=data.quantity,
            unit=data.unit,
            needed_by=self.today + timedelta(days=data.needed_in_days),
            max_unit_price_gbp=None if data.budget is None else Decimal(data.budget),
            min_trl=data.min_trl,
            required_certifications=list(data.certifications),
            itar_free_required=data.itar_free_required,
            priority=data.priority,
            classification=data.classification,
            source_organisation=data.source_organisation,
            requesting_organisation_id=data.organisation,
        )
        # New requirements must start in the future and walk the flow, so the demo reaches
        # FULFILLED, CLOSED and REJECTED the way real ones do, with the history to show for it.
        steps = demo_data.PATHS[data.status]
        for number, to in enumerate(steps, start=1):
            last = number == len(steps)
            requirement_services.requirement_transition(
                requirement=requirement,
                to=to,
                by=self.staff,
                note=data.final_note
                if last and data.final_note
                else demo_data.STEP_NOTES.get(to, ""),
                via_shortlist=to == Status.SHORTLISTED,
                duplicate_of=(
                    Requirement.objects.get(reference=data.duplicate_of)
                    if last and data.duplicate_of
                    else None
                ),
            )
        self._spread_history(requirement, data.submitted_days_ago)
        return requirement

    def _spread_history(self, requirement: Requirement, days_ago: int) -> None:
        """Date a new requirement's history over the days since it was submitted."""
        # Everything above happened a moment ago; a pipeline dashboard showing fifteen
        # requirements submitted and triaged in the same second would not look like a demo
        # of anything. Only rows created in this run are redated.
        start = self.now - timedelta(days=days_ago)
        transitions = list(requirement.transitions.order_by("at", "id"))
        gap = (self.now - start) / len(transitions)
        for index, transition in enumerate(transitions):
            transition.at = start + gap * index
            transition.save(update_fields=["at"])
        Requirement.objects.filter(pk=requirement.pk).update(
            created_at=start, updated_at=transitions[-1].at
        )

    def field_reports(self) -> None:
        conditions = {c.code: c for c in ReportCondition.objects.all()}
        for data in demo_data.FIELD_REPORTS:
            capability = Capability.objects.get(
                firm__companies_house_number=data.firm, reference=data.capability
            )
            # A report has no natural key of its own; its text is fixed in demo_data.
            if FieldReport.objects.filter(capability=capability, summary=data.summary).exists():
                continue
            missing = sorted(set(data.conditions) - set(conditions))
            if missing:
                raise CommandError(f"report conditions missing from the database: {missing}")
            requirement_services.field_report_create(
                capability=capability,
                rating=data.rating,
                summary=data.summary,
                reported_on=self.today - timedelta(days=data.days_ago),
                author=self.users[data.author],
                author_unit=data.author_unit,
                requirement=(
                    Requirement.objects.get(reference=data.requirement)
                    if data.requirement
                    else None
                ),
                conditions=tuple(conditions[code] for code in data.conditions),
            )
            self.created["field reports"] += 1


class Command(BaseCommand):
    help = (
        "Load a realistic demo data set (UK firms, capabilities, Ukrainian requirements, field "
        "reports and one account per role), with dates relative to today. Only what is "
        "missing is created, so running it again changes nothing."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        seeder = DemoSeeder(today=kyiv_today(), now=timezone.now())
        with transaction.atomic():
            seeder.run()
        if seeder.created:
            made = ", ".join(f"{count} {kind}" for kind, count in seeder.created.items())
            self.stdout.write(self.style.SUCCESS(f"Created {made}."))
        else:
            self.stdout.write("Demo data already present: nothing created.")
        self.stdout.write("\nDemo accounts (sign in with e-mail and password):")
        width = max(len(account.label) for account in demo_data.ACCOUNTS)
        email_width = max(len(account.email) for account in demo_data.ACCOUNTS)
        for account in demo_data.ACCOUNTS:
            self.stdout.write(
                f"  {account.label:<{width}}  {account.email:<{email_width}}  {account.password}"
            )
        self.stdout.write(
            "\nHub staff and the superuser confirm sign-in with a code from an authenticator app:"
            f"\n  add a time-based account with the key {DEMO_AUTHENTICATOR_KEY} (demo only)."
        )
