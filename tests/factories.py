from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from accounts.models import FirmMembership, Organisation, Role, User
from firms.codes import LicenceStatus, VerificationState
from firms.models import Capability, Category, Firm, FirmCertification
from requirements.flow import Classification, Priority, Status
from requirements.models import FieldReport, Requirement


def category(code: str) -> Category:
    return Category.objects.get(code=code)


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"org-{n}")
    name = factory.Sequence(lambda n: f"Brigade liaison {n}")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.test")
    role = Role.SUPPLIER
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class StaffFactory(UserFactory):
    role = Role.STAFF
    is_staff = True


class RequesterFactory(UserFactory):
    role = Role.REQUESTER
    organisation = factory.SubFactory(OrganisationFactory)


class FirmFactory(DjangoModelFactory):
    class Meta:
        model = Firm

    companies_house_number = factory.Sequence(lambda n: f"{10000000 + n:08d}")
    name = factory.Sequence(lambda n: f"Test Engineering {n} Ltd")
    postcode = "GL1 2EH"
    employees = 40
    annual_turnover_gbp = Decimal("3000000")
    verification_state = VerificationState.VERIFIED


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = FirmMembership

    user = factory.SubFactory(UserFactory)
    firm = factory.SubFactory(FirmFactory)
    role = FirmMembership.FirmRole.ADMIN


class CertificationFactory(DjangoModelFactory):
    class Meta:
        model = FirmCertification

    firm = factory.SubFactory(FirmFactory)
    code = "ISO9001"
    expires_on = None


class CapabilityFactory(DjangoModelFactory):
    class Meta:
        model = Capability

    firm = factory.SubFactory(FirmFactory)
    reference = factory.Sequence(lambda n: f"CAP-{n}")
    name = "Quad interceptor airframe"
    description = "Carbon quadcopter airframe for high-speed pursuit of one-way attack drones."
    category = factory.LazyFunction(lambda: category("UAS.INTERCEPTOR"))
    trl = 7
    unit_price_gbp = Decimal("1800")
    monthly_capacity = 400
    lead_time_weeks = 5
    control_rating = "ML10"
    licence_status = LicenceStatus.SIEL_HELD
    itar_free = True
    field_proven = False
    keywords = factory.LazyFunction(lambda: ["interceptor", "shahed"])
    active = True


class RequirementFactory(DjangoModelFactory):
    class Meta:
        model = Requirement

    reference = factory.Sequence(lambda n: f"UA-TEST-{n:04d}")
    title = "Interceptor drones against Shahed-type attack drones"
    description = "Fast quadcopter interceptors to defend energy sites from attack drones at night."
    category = factory.LazyFunction(lambda: category("UAS.INTERCEPTOR"))
    quantity = 1000
    unit = "units"
    needed_by = factory.LazyFunction(lambda: dt.date.today() + dt.timedelta(days=365))
    max_unit_price_gbp = Decimal("5000")
    min_trl = 6
    required_certifications = factory.LazyFunction(list)
    itar_free_required = True
    priority = Priority.CRITICAL
    classification = Classification.OFFICIAL
    status = Status.OPEN


class FieldReportFactory(DjangoModelFactory):
    class Meta:
        model = FieldReport

    capability = factory.SubFactory(CapabilityFactory)
    rating = 4
    summary = "Worked through two weeks of heavy jamming near Pokrovsk."
    reported_on = factory.LazyFunction(dt.date.today)
    author_unit = "Test brigade"
