from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import FirmMembership, User
from firms.models import Firm
from tests import factories

FIRM = {
    "name": "Severn Drone Works Ltd",
    "companies_house_number": "sc123456",
    "postcode": "gl12eh",
    "employees": "12",
    "annual_turnover_gbp": "850000",
    "website": "https://severn.example",
    "description": "Interceptor airframes.",
}


@pytest.fixture
def newcomer(client, db):
    user = factories.UserFactory()
    client.force_login(user)
    return user


def test_registering_a_firm_makes_the_user_its_administrator(client, newcomer):
    response = client.post(reverse("portal:firm-edit"), {**FIRM, "list_x_claimed": "on"})
    assert response.status_code == 302
    firm = Firm.objects.get(companies_house_number="SC123456")
    assert firm.postcode == "GL1 2EH"
    assert firm.verification_state == "UNVERIFIED"
    assert firm.list_x_claimed
    assert not firm.list_x
    membership = FirmMembership.objects.get(user=newcomer)
    assert membership.firm == firm
    assert membership.role == "ADMIN"
    page = client.get(reverse("portal:dashboard")).content.decode()
    assert "Requirements appear here after verification" in page
    assert "Awaiting verification" in page
    assert "List X awaiting confirmation" in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("companies_house_number", "1234567", "must be 8 characters"),
        ("companies_house_number", "S1234567", "2 capital letters"),
        ("postcode", "NOT A CODE", "Enter a real UK postcode"),
        ("website", "not a site", "Enter a web address"),
    ],
)
def test_firm_errors_name_the_field_and_say_how_to_fix_it(client, newcomer, field, value, message):
    response = client.post(reverse("portal:firm-edit"), {**FIRM, field: value})
    html = response.content.decode()
    assert response.status_code == 200
    assert f'href="#id_{field}"' in html
    assert message in html
    assert not Firm.objects.exists()


def test_a_taken_companies_house_number_says_to_ask_for_an_invitation(client, newcomer):
    factories.FirmFactory(companies_house_number="SC123456")
    html = client.post(reverse("portal:firm-edit"), FIRM).content.decode()
    assert "Ask its administrator to invite you" in html


def test_editing_cannot_set_list_x_or_verification(client, cast):
    client.force_login(cast.supplier_unverified)
    firm = cast.firm_unverified
    data = {
        **FIRM,
        "companies_house_number": firm.companies_house_number,
        "list_x": "on",
        "verification_state": "VERIFIED",
    }
    assert client.post(reverse("portal:firm-edit"), data).status_code == 302
    firm.refresh_from_db()
    assert firm.name == FIRM["name"]
    assert not firm.list_x
    assert firm.verification_state == "UNVERIFIED"


def test_an_administrator_invites_a_colleague_who_sets_a_password(client, cast):
    client.force_login(cast.supplier_a)
    response = client.post(reverse("portal:members"), {"email": "new.colleague@example.test"})
    assert response.status_code == 302
    invited = User.objects.get(email="new.colleague@example.test")
    assert invited.membership.firm == cast.firm_a
    assert not invited.is_active
    link = re.search(r"https?://testserver(/\S+)", mail.outbox[0].body).group(1)
    client.logout()
    response = client.post(
        link, {"new_password1": "gentle-rotor-blades-3", "new_password2": "gentle-rotor-blades-3"}
    )
    assert response.status_code == 302
    invited.refresh_from_db()
    assert invited.is_active
    assert invited.check_password("gentle-rotor-blades-3")


def test_a_member_cannot_invite_or_remove(client, cast):
    colleague = factories.MembershipFactory(firm=cast.firm_a, role="MEMBER")
    client.force_login(colleague.user)
    assert client.post(reverse("portal:members"), {"email": "x@example.test"}).status_code == 403
    admin_seat = FirmMembership.objects.get(user=cast.supplier_a)
    response = client.post(reverse("portal:member-remove", args=[admin_seat.pk]))
    assert response.status_code == 403


def test_an_administrator_removes_a_member_but_not_another_firms(client, cast):
    colleague = factories.MembershipFactory(firm=cast.firm_a, role="MEMBER")
    other = FirmMembership.objects.get(user=cast.supplier_b)
    client.force_login(cast.supplier_a)
    assert client.post(reverse("portal:member-remove", args=[other.pk])).status_code == 404
    assert client.post(reverse("portal:member-remove", args=[colleague.pk])).status_code == 302
    assert not FirmMembership.objects.filter(pk=colleague.pk).exists()


def test_inviting_someone_already_in_a_firm_names_the_field(client, cast):
    client.force_login(cast.supplier_a)
    html = client.post(reverse("portal:members"), {"email": cast.supplier_b.email}).content.decode()
    assert 'href="#id_email"' in html
    assert "already belongs to a firm" in html


def test_certifications_with_expiry_dates(client, cast):
    client.force_login(cast.supplier_a)
    response = client.post(
        reverse("portal:certifications"),
        {"held_AQAP2110": "on", "expires_AQAP2110": "2030-01-31", "held_ISO9001": "on"},
    )
    assert response.status_code == 302
    held = dict(cast.firm_a.certifications.values_list("code", "expires_on"))
    assert set(held) == {"AQAP2110", "ISO9001"}
    assert str(held["AQAP2110"]) == "2030-01-31"


def test_barriers_checklist_is_saved(client, cast):
    client.force_login(cast.supplier_a)
    data = {
        "state_EXPORT_LICENCE": "NEED_HELP",
        "note_EXPORT_LICENCE": "First SIEL",
        "state_INSURANCE": "NOT_STARTED",
        "state_TRAVEL_SECURITY": "DONE",
    }
    assert client.post(reverse("portal:barriers"), data).status_code == 302
    states = dict(cast.firm_a.barriers.values_list("topic", "state"))
    assert states == {
        "EXPORT_LICENCE": "NEED_HELP",
        "INSURANCE": "NOT_STARTED",
        "TRAVEL_SECURITY": "DONE",
    }


def test_an_empty_firm_form_says_what_to_enter(client, newcomer):
    html = client.post(reverse("portal:firm-edit"), {}).content.decode()
    assert "Enter your Companies House number" in html
    assert "Enter your postcode" in html
    assert "Enter your firm&#x27;s name" in html
    assert "is required" not in html
