from __future__ import annotations

import datetime as dt

import pytest
from django.contrib import admin
from django.contrib.auth import authenticate
from django.test import RequestFactory
from django.urls import reverse

from accounts.models import APIClient, User
from firms.models import (
    Capability,
    Category,
    CategoryRelation,
    Firm,
    FirmBarrier,
    FirmCertification,
)
from matching.models import EngineSettings, Match, Synonym, WebhookDelivery, WebhookEndpoint
from requirements import services as requirement_services
from requirements.models import (
    FieldReport,
    Interest,
    ReportCondition,
    Requirement,
    RequirementTransition,
)
from tests import factories

REFERENCE_DATA = (
    Category,
    CategoryRelation,
    Synonym,
    EngineSettings,
    ReportCondition,
    APIClient,
    WebhookEndpoint,
    WebhookDelivery,
    Interest,
    FirmBarrier,
)
SUPERUSER_ONLY_SAMPLE = (Firm, Capability, Requirement, Match, User)


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root@example.test", "admin-pass-Kyiv-42")


@pytest.fixture
def hub_staff(db):
    return factories.StaffFactory(email="staff@example.test")


@pytest.fixture
def one_of_everything(db, superuser):
    """A row of every registered model, so change pages render their inlines."""
    firm = factories.FirmFactory()
    factories.CertificationFactory(firm=firm)
    capability = factories.CapabilityFactory(firm=firm)
    factories.MembershipFactory(firm=firm)
    requester = factories.RequesterFactory()
    requirement = requirement_services.requirement_create(
        by=requester,
        reference="UA-ADMIN-0001",
        title="Interceptors",
        description="Interceptor drones.",
        category_id="UAS.INTERCEPTOR",
        quantity=10,
        unit="units",
        needed_by=dt.date.today() + dt.timedelta(days=90),
        min_trl=6,
        priority="HIGH",
        classification="OFFICIAL",
    )
    Match.objects.create(
        requirement=requirement,
        capability=capability,
        score=71.5,
        eligible=True,
        engine_version="test",
        computed_at=dt.datetime.now(dt.UTC),
    )
    factories.FieldReportFactory(capability=capability)
    return {"firm": firm, "capability": capability, "requirement": requirement}


def _url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def _request_as(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def test_superuser_reaches_every_changelist_add_and_change_page(
    client, superuser, one_of_everything
):
    client.force_login(superuser)
    request = _request_as(superuser)
    for model, model_admin in admin.site._registry.items():
        assert client.get(_url(model, "changelist")).status_code == 200, model
        if model_admin.has_add_permission(request):
            assert client.get(_url(model, "add")).status_code == 200, model
        obj = model.objects.first()
        if obj is not None:
            assert client.get(_url(model, "change", obj.pk)).status_code == 200, model


def test_hub_staff_reach_reference_data_only(client, hub_staff):
    client.force_login(hub_staff)
    for model in REFERENCE_DATA:
        assert client.get(_url(model, "changelist")).status_code == 200, model
    for model in SUPERUSER_ONLY_SAMPLE:
        assert client.get(_url(model, "changelist")).status_code == 403, model
    for model in set(admin.site._registry) - set(REFERENCE_DATA):
        assert client.get(_url(model, "changelist")).status_code == 403, model


def test_hub_staff_edit_reference_data(client, hub_staff):
    client.force_login(hub_staff)
    assert client.get(_url(Category, "add")).status_code == 200
    response = client.post(_url(Synonym, "add"), {"terms": "mre, ration pack", "active": "on"})
    assert response.status_code == 302
    assert Synonym.objects.filter(terms="mre, ration pack").exists()
    settings_row = EngineSettings.objects.get()
    response = client.post(
        _url(EngineSettings, "change", settings_row.pk),
        {
            "relevance_weight": 0.4,
            "category_weight": 0.2,
            "capacity_weight": 0.1,
            "timeliness_weight": 0.1,
            "price_weight": 0.1,
            "maturity_weight": 0.05,
            "export_readiness_weight": 0.05,
            "licence_wait_weeks": 6,
        },
    )
    assert response.status_code == 302
    settings_row.refresh_from_db()
    assert (settings_row.relevance_weight, settings_row.licence_wait_weeks) == (0.4, 6)


def test_admin_index_shows_staff_only_their_models(client, hub_staff):
    client.force_login(hub_staff)
    body = client.get(reverse("admin:index")).content.decode()
    assert _url(Category, "changelist") in body
    assert _url(Firm, "changelist") not in body


def test_staff_flag_without_staff_role_is_refused(client, db):
    requester = factories.RequesterFactory(is_staff=True)
    client.force_login(requester)
    assert client.get(_url(Category, "changelist")).status_code == 403


@pytest.mark.parametrize("model", [Category, Firm, User])
def test_a_signed_in_supplier_or_requester_is_refused_and_anonymous_sent_to_sign_in(
    client, cast, model
):
    for member in (cast.supplier_a, cast.requester_x):
        client.force_login(member)
        response = client.get(_url(model, "changelist"))
        assert response.status_code == 403
        assert "/admin/login/" not in response.get("Location", "")
    client.logout()
    response = client.get(_url(model, "changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_engine_settings_cannot_be_added_twice_or_deleted(client, superuser):
    client.force_login(superuser)
    row = EngineSettings.objects.get()
    assert client.get(_url(EngineSettings, "add")).status_code == 403
    assert client.post(_url(EngineSettings, "delete", row.pk), {"post": "yes"}).status_code == 403
    assert EngineSettings.objects.count() == 1


def test_matches_and_transitions_are_read_only(client, superuser, one_of_everything):
    client.force_login(superuser)
    match = Match.objects.get()
    response = client.post(_url(Match, "change", match.pk), {"score": 99, "eligible": "on"})
    assert response.status_code == 403
    match.refresh_from_db()
    assert match.score == 71.5
    transition = RequirementTransition.objects.first()
    assert client.get(_url(RequirementTransition, "add")).status_code == 403
    assert (
        client.post(
            _url(RequirementTransition, "delete", transition.pk), {"post": "yes"}
        ).status_code
        == 403
    )


def test_category_in_use_keeps_its_code(client, superuser):
    client.force_login(superuser)
    used = Category.objects.get(code="UAS.INTERCEPTOR")
    factories.CapabilityFactory(category=used)
    page = client.get(_url(Category, "change", used.pk)).content.decode()
    assert 'name="code"' not in page
    client.post(_url(Category, "change", used.pk), _category_form(used, code="UAS.CATCHER"))
    assert Category.objects.filter(code="UAS.INTERCEPTOR").exists()
    assert not Category.objects.filter(code="UAS.CATCHER").exists()


def test_unused_category_code_can_still_be_corrected(client, superuser):
    client.force_login(superuser)
    parent = Category.objects.get(code="UAS")
    fresh = Category.objects.create(
        code="UAS.TETHERD", parent=parent, label_en="Tethered", label_uk="Прив'язні"
    )
    response = client.post(
        _url(Category, "change", fresh.pk), _category_form(fresh, code="UAS.TETHERED")
    )
    assert response.status_code == 302
    fresh.refresh_from_db()
    assert fresh.code == "UAS.TETHERED"


def _category_form(category, **overrides):
    data = {
        "code": category.code,
        "parent": category.parent_id or "",
        "label_en": category.label_en,
        "label_uk": category.label_uk,
        "relations-TOTAL_FORMS": "0",
        "relations-INITIAL_FORMS": "0",
        "relations-MIN_NUM_FORMS": "0",
        "relations-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def test_requirement_status_moves_only_through_recorded_actions(client, superuser):
    client.force_login(superuser)
    requirement = factories.RequirementFactory(status="SUBMITTED")
    page = client.get(_url(Requirement, "change", requirement.pk)).content.decode()
    assert 'name="status"' not in page
    response = client.post(
        _url(Requirement, "changelist"),
        {
            "action": "move_to_triaged",
            "_selected_action": [requirement.pk],
            "note": "Checked.",
        },
    )
    assert response.status_code == 302
    requirement.refresh_from_db()
    assert requirement.status == "TRIAGED"
    step = requirement.transitions.get()
    assert (step.from_status, step.to_status, step.by, step.note) == (
        "SUBMITTED",
        "TRIAGED",
        superuser,
        "Checked.",
    )


def test_rejecting_without_a_reason_is_refused(client, superuser):
    client.force_login(superuser)
    requirement = factories.RequirementFactory(status="SUBMITTED")
    response = client.post(
        _url(Requirement, "changelist"),
        {
            "action": "move_to_rejected",
            "_selected_action": [requirement.pk],
            "note": "",
        },
        follow=True,
    )
    assert "a rejection needs a reason" in response.content.decode()
    requirement.refresh_from_db()
    assert requirement.status == "SUBMITTED"
    assert not requirement.transitions.exists()


def test_new_requirement_in_admin_starts_submitted_with_history(client, superuser):
    client.force_login(superuser)
    response = client.post(
        _url(Requirement, "add"),
        {
            "reference": "UA-ADMIN-0002",
            "title": "Thermal sights",
            "description": "Clip-on thermal sights.",
            "category": "ISR.THERMAL",
            "quantity": 40,
            "unit": "sights",
            "needed_by": (dt.date.today() + dt.timedelta(days=60)).isoformat(),
            "min_trl": 7,
            "priority": "HIGH",
            "classification": "OFFICIAL",
            "required_certifications": ["ISO9001"],
            "transitions-TOTAL_FORMS": "0",
            "transitions-INITIAL_FORMS": "0",
            "transitions-MIN_NUM_FORMS": "0",
            "transitions-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302
    requirement = Requirement.objects.get(reference="UA-ADMIN-0002")
    assert requirement.status == "SUBMITTED"
    assert requirement.required_certifications == ["ISO9001"]
    assert requirement.transitions.get().by == superuser


def test_new_requirement_needs_a_future_date(client, superuser):
    client.force_login(superuser)
    response = client.post(
        _url(Requirement, "add"),
        {
            "reference": "UA-ADMIN-0003",
            "title": "Late",
            "description": "Too late.",
            "category": "ISR.THERMAL",
            "quantity": 1,
            "unit": "sights",
            "needed_by": "2020-01-01",
            "min_trl": 7,
            "priority": "HIGH",
            "classification": "OFFICIAL",
            "transitions-TOTAL_FORMS": "0",
            "transitions-INITIAL_FORMS": "0",
            "transitions-MIN_NUM_FORMS": "0",
            "transitions-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 200
    assert "must be a future date" in response.content.decode()
    assert not Requirement.objects.filter(reference="UA-ADMIN-0003").exists()


def test_firm_actions_use_verification_and_list_x_services(client, superuser):
    client.force_login(superuser)
    firm = factories.FirmFactory(verification_state="UNVERIFIED")
    client.post(_url(Firm, "changelist"), {"action": "verify", "_selected_action": [firm.pk]})
    firm.refresh_from_db()
    assert firm.verification_state == "VERIFIED"
    assert firm.verified_at is not None
    client.post(
        _url(Firm, "changelist"),
        {
            "action": "query",
            "_selected_action": [firm.pk],
            "note": "Turnover does not match your accounts.",
        },
    )
    firm.refresh_from_db()
    assert (firm.verification_state, firm.verification_note) == (
        "QUERIED",
        "Turnover does not match your accounts.",
    )
    assert firm.verified_at is None
    client.post(
        _url(Firm, "changelist"), {"action": "confirm_list_x", "_selected_action": [firm.pk]}
    )
    firm.refresh_from_db()
    assert firm.list_x


def test_firm_form_cannot_set_verification_or_list_x(client, superuser):
    client.force_login(superuser)
    firm = factories.FirmFactory(verification_state="UNVERIFIED")
    page = client.get(_url(Firm, "change", firm.pk)).content.decode()
    assert 'name="verification_state"' not in page
    assert 'name="list_x"' not in page


def test_firm_certifications_edited_inline(client, superuser):
    client.force_login(superuser)
    firm = factories.FirmFactory()
    expiry = dt.date.today() + dt.timedelta(days=200)
    response = client.post(
        _url(Firm, "change", firm.pk),
        {
            "companies_house_number": firm.companies_house_number,
            "name": firm.name,
            "postcode": "gl12eh",
            "employees": 40,
            "annual_turnover_gbp": "3000000",
            "certifications-TOTAL_FORMS": "1",
            "certifications-INITIAL_FORMS": "0",
            "certifications-MIN_NUM_FORMS": "0",
            "certifications-MAX_NUM_FORMS": "1000",
            "certifications-0-code": "AQAP2110",
            "certifications-0-expires_on": expiry.isoformat(),
            "capabilities-TOTAL_FORMS": "0",
            "capabilities-INITIAL_FORMS": "0",
            "capabilities-MIN_NUM_FORMS": "0",
            "capabilities-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302
    firm.refresh_from_db()
    assert firm.postcode == "GL1 2EH"
    assert list(firm.certifications.values_list("code", "expires_on")) == [("AQAP2110", expiry)]


def test_user_added_in_admin_signs_in_with_a_hashed_password(client, superuser):
    client.force_login(superuser)
    organisation = factories.OrganisationFactory()
    response = client.post(
        _url(User, "add"),
        {
            "email": "New.Requester@Example.test",
            "full_name": "Nadiia Koval",
            "role": "REQUESTER",
            "organisation": organisation.pk,
            "usable_password": "true",
            "password1": "a-long-demo-Pass-77",
            "password2": "a-long-demo-Pass-77",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="new.requester@example.test")
    assert user.password.startswith("md5$") or "$" in user.password
    assert user.password != "a-long-demo-Pass-77"
    assert authenticate(email="new.requester@example.test", password="a-long-demo-Pass-77")


def test_field_report_added_in_admin(client, superuser):
    client.force_login(superuser)
    capability = factories.CapabilityFactory()
    winter = ReportCondition.objects.get(code="WINTER")
    response = client.post(
        _url(FieldReport, "add"),
        {
            "capability": capability.pk,
            "rating": 4,
            "summary": "Started every morning at -15.",
            "reported_on": dt.date.today().isoformat(),
            "conditions": [winter.pk],
            "author_unit": "Test unit",
        },
    )
    assert response.status_code == 302
    report = FieldReport.objects.get()
    assert list(report.conditions.all()) == [winter]


def test_certification_admin_writes_through_the_certification_service(client, superuser):
    client.force_login(superuser)
    firm = factories.FirmFactory()
    factories.CertificationFactory(firm=firm, code="ISO9001")
    response = client.post(
        _url(FirmCertification, "add"),
        {"firm": firm.pk, "code": "JOSCAR", "expires_on": ""},
    )
    assert response.status_code == 302
    joscar = firm.certifications.get(code="JOSCAR")
    response = client.post(
        _url(FirmCertification, "change", joscar.pk), {"code": "AS9100", "expires_on": ""}
    )
    assert response.status_code == 302
    assert sorted(firm.certifications.values_list("code", flat=True)) == ["AS9100", "ISO9001"]
    as9100 = firm.certifications.get(code="AS9100")
    client.post(_url(FirmCertification, "delete", as9100.pk), {"post": "yes"})
    assert list(firm.certifications.values_list("code", flat=True)) == ["ISO9001"]


@pytest.mark.django_db
def test_staff_read_interest_and_help_with_barriers_but_cannot_add_or_delete(client):
    from tests import factories

    staff = factories.StaffFactory()
    firm = factories.FirmFactory()
    barrier = FirmBarrier.objects.create(firm=firm, topic="INSURANCE", state="NEED_HELP")
    interest = Interest.objects.create(
        firm=firm, requirement=factories.RequirementFactory(), note="Can ship 300 a month"
    )
    client.force_login(staff)
    page = client.get(_url(Interest, "change", interest.pk))
    assert page.status_code == 200
    assert "Can ship 300 a month" in page.content.decode()
    response = client.post(
        _url(FirmBarrier, "change", barrier.pk),
        {"state": "IN_PROGRESS", "note": "Hub introduced two brokers"},
    )
    assert response.status_code == 302
    barrier.refresh_from_db()
    assert (barrier.state, barrier.note) == ("IN_PROGRESS", "Hub introduced two brokers")
    assert client.get(_url(FirmBarrier, "add")).status_code == 403
    assert client.post(_url(Interest, "delete", interest.pk), {"post": "yes"}).status_code == 403
