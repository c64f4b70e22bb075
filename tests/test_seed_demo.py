from __future__ import annotations

import io

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command

from accounts.models import FirmMembership, Organisation, Role, User
from firms.models import Capability, Firm, FirmCertification
from requirements import demo_data
from requirements.dates import kyiv_today
from requirements.models import FieldReport, Requirement, RequirementTransition

MODELS = (
    Organisation,
    User,
    FirmMembership,
    Firm,
    FirmCertification,
    Capability,
    Requirement,
    RequirementTransition,
    FieldReport,
)


def _seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.fixture
def output(db):
    return _seed()


def _snapshot():
    return {
        "counts": {model.__name__: model.objects.count() for model in MODELS},
        "firms": dict(Firm.objects.values_list("pk", "updated_at")),
        "capabilities": dict(Capability.objects.values_list("pk", "updated_at")),
        "requirements": dict(Requirement.objects.values_list("pk", "updated_at")),
        "transitions": dict(RequirementTransition.objects.values_list("pk", "at")),
        "certifications": dict(FirmCertification.objects.values_list("pk", "expires_on")),
    }


def test_one_run_loads_a_full_demo(output):
    assert Firm.objects.count() >= 30
    assert Capability.objects.count() >= 100
    assert Capability.objects.values("category").distinct().count() >= 30
    assert Requirement.objects.count() == 15
    statuses = set(Requirement.objects.values_list("status", flat=True))
    assert len(statuses) >= 5
    assert {
        "SUBMITTED",
        "TRIAGED",
        "OPEN",
        "SHORTLISTED",
        "FULFILLED",
        "CLOSED",
        "REJECTED",
    } <= statuses
    assert Requirement.objects.filter(classification="OFFICIAL_SENSITIVE").count() == 1
    assert FieldReport.objects.count() >= 3
    assert User.objects.filter(is_superuser=True).exists()
    for role in Role.values:
        assert User.objects.filter(role=role, is_superuser=False).exists(), role


def test_demo_content_covers_what_each_role_deals_with(output):
    # One seeding for several checks: each run takes seconds (every row is fully validated).
    _check_firms()
    _check_requirement_flow()
    _check_field_reports()
    _check_cast()


def _check_firms():
    states = list(Firm.objects.values_list("verification_state", flat=True))
    assert states.count("QUERIED") == 1
    assert states.count("UNVERIFIED") >= 2
    assert states.count("VERIFIED") > len(states) / 2
    assert Firm.objects.filter(list_x=True).count() == 2
    assert Firm.objects.filter(companies_house_number__regex=r"^[0-9]{8}$").exists()
    assert Firm.objects.filter(companies_house_number__startswith="SC").exists()
    assert Firm.objects.filter(companies_house_number__startswith="NI").exists()
    assert sum(not firm.is_sme for firm in Firm.objects.all()) >= 2
    today = kyiv_today()
    expiries = [c.expires_on for c in FirmCertification.objects.exclude(expires_on=None)]
    assert sum(e < today for e in expiries) == 1
    assert any(0 <= (e - today).days <= 30 for e in expiries)


def _check_requirement_flow():
    staff = User.objects.get(email=demo_data.STAFF)
    fulfilled = Requirement.objects.get(status="FULFILLED")
    steps = list(fulfilled.transitions.values_list("from_status", "to_status"))
    assert steps == [
        ("", "SUBMITTED"),
        ("SUBMITTED", "TRIAGED"),
        ("TRIAGED", "OPEN"),
        ("OPEN", "SHORTLISTED"),
        ("SHORTLISTED", "FULFILLED"),
    ]
    times = list(fulfilled.transitions.values_list("at", flat=True))
    assert times == sorted(times)
    assert times[0] < times[-1]
    assert fulfilled.transitions.exclude(to_status="SUBMITTED").filter(by=staff).count() == 4
    assert Requirement.objects.get(status="REJECTED").transitions.last().note
    closed = Requirement.objects.get(status="CLOSED")
    assert closed.duplicate_of.reference == "UA-2026-0102"
    for requirement in Requirement.objects.filter(status__in=["OPEN", "SHORTLISTED"]):
        assert requirement.title
        assert requirement.description
        assert requirement.requesting_organisation_id


def _check_field_reports():
    requesters = set(User.objects.filter(role=Role.REQUESTER).values_list("pk", flat=True))
    for report in FieldReport.objects.all():
        assert report.author_id in requesters
        assert report.author_unit
        assert 1 <= report.rating <= 5
    assert FieldReport.objects.filter(conditions__isnull=False).distinct().count() >= 3


def test_second_run_changes_nothing(output):
    before = _snapshot()
    second = _seed()
    assert _snapshot() == before
    assert "nothing created" in second
    _check_printed_accounts(second)


def test_demo_accounts_sign_in_with_the_printed_passwords(output):
    _check_printed_accounts(output)


def _check_printed_accounts(output):
    for account in demo_data.ACCOUNTS:
        assert account.email in output
        assert account.password in output
        user = authenticate(email=account.email, password=account.password)
        assert user is not None, account.email
        assert user.role == account.role


def _check_cast():
    by_label = {a.label: User.objects.get(email=a.email) for a in demo_data.ACCOUNTS}
    firms = {
        label: user.membership.firm
        for label, user in by_label.items()
        if hasattr(user, "membership")
    }
    assert sorted(firm.verification_state for firm in firms.values()) == [
        "UNVERIFIED",
        "VERIFIED",
        "VERIFIED",
    ]
    assert sum(firm.list_x for firm in firms.values()) == 1
    staff = User.objects.get(email=demo_data.STAFF)
    assert staff.is_hub_staff
    assert staff.is_staff
    assert not staff.is_superuser
    organisations = {u.organisation_id for u in by_label.values() if u.role == Role.REQUESTER}
    assert len(organisations) == 2


def test_demo_passwords_pass_the_password_validators(db):
    for account in demo_data.ACCOUNTS:
        validate_password(account.password, User(email=account.email, full_name=account.full_name))
