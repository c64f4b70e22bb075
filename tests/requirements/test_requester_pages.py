"""The Ukrainian requester's pages (issue 6): scope, submit, edit, withdraw, shortlist, reports."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from requirements.dates import kyiv_today
from requirements.models import (
    FieldReport,
    ReportCondition,
    Requirement,
    RequirementTransition,
    ShortlistEntry,
)
from tests import factories

NEXT_YEAR = kyiv_today() + dt.timedelta(days=365)


def _own(cast, **fields):
    fields.setdefault("status", "SUBMITTED")
    fields.setdefault("requesting_organisation", cast.org_x)
    return factories.RequirementFactory(**fields)


def _form(**overrides):
    data = {
        "title_uk": "Дрони-перехоплювачі для захисту енергетики",
        "description_uk": "Швидкі квадрокоптери-перехоплювачі для нічного захисту підстанцій.",
        "title": "",
        "description": "",
        "category": "UAS.INTERCEPTOR",
        "quantity": "200",
        "unit": "units",
        "needed_by": NEXT_YEAR.isoformat(),
        "max_unit_price_gbp": "",
        "min_trl": "6",
        "priority": "CRITICAL",
        "source_organisation": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def _pages(requirement):
    ref = requirement.reference
    return [
        reverse("requester:requirements"),
        reverse("requester:requirement-create"),
        reverse("requester:requirement", args=[ref]),
        reverse("requester:requirement-edit", args=[ref]),
        reverse("requester:requirement-withdraw", args=[ref]),
        reverse("requester:field-report-create"),
    ]


def _published(requirement, capability, **fields):
    fields.setdefault("published_at", timezone.now())
    return ShortlistEntry.objects.create(requirement=requirement, capability=capability, **fields)


# Who may open the pages ----------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client, cast):
    for url in _pages(_own(cast)):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == reverse("accounts:sign-in") + "?next=" + url


def test_suppliers_and_staff_are_refused(client, cast):
    requirement = _own(cast)
    for user in (cast.supplier_a, cast.supplier_listx, cast.supplier_unverified, cast.staff):
        client.force_login(user)
        for url in _pages(requirement):
            assert client.get(url).status_code == 403, (user, url)
            assert client.post(url, _form()).status_code == 403, (user, url)
    assert Requirement.objects.count() == 1
    requirement.refresh_from_db()
    assert requirement.status == "SUBMITTED"


def test_a_requester_without_an_organisation_is_refused(client, cast):
    orphan = factories.UserFactory(role="REQUESTER")
    client.force_login(orphan)
    assert client.get(reverse("requester:requirements")).status_code == 403


def test_the_requester_of_another_organisation_gets_not_found(client, cast):
    requirement = _own(cast)
    client.force_login(cast.requester_y)
    for url in _pages(requirement)[2:5]:
        assert client.get(url).status_code == 404, url
    for url in _pages(requirement)[3:5]:
        assert client.post(url, _form(title="Taken over")).status_code == 404, url
    requirement.refresh_from_db()
    assert requirement.status == "SUBMITTED"
    assert requirement.title != "Taken over"


def test_an_unknown_reference_is_not_found(client, cast):
    client.force_login(cast.requester_x)
    assert client.get(reverse("requester:requirement", args=["UA-1999-0001"])).status_code == 404


def test_a_requester_lands_on_the_requirement_list_after_sign_in(client, cast):
    response = client.post(
        reverse("accounts:sign-in"),
        {"email": cast.requester_x.email, "password": "correct-horse-battery"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("requester:requirements")


# The list ------------------------------------------------------------------------------------


def test_the_list_shows_only_the_organisations_requirements_newest_first(client, cast):
    older = _own(cast, reference="UA-2026-0001", status="OPEN")
    newer = _own(cast, reference="UA-2026-0002", title="Thermal sights for night watch")
    Requirement.objects.filter(pk=older.pk).update(
        created_at=timezone.now() - dt.timedelta(days=10)
    )
    _own(cast, reference="UA-2026-0003", requesting_organisation=cast.org_y)
    factories.RequirementFactory(reference="UA-2026-0004", status="OPEN")
    client.force_login(cast.requester_x)
    html = client.get(reverse("requester:requirements")).content.decode()
    assert re.findall(r'data-reference="([^"]+)"', html) == [newer.reference, older.reference]
    assert "Thermal sights for night watch" in html
    assert "Submitted" in html
    assert "Open" in html
    assert "Interceptor drones" in html  # the category label, not UAS.INTERCEPTOR
    assert kyiv_today().strftime("%Y") in html


def test_the_list_is_in_ukrainian_for_a_ukrainian_reader(client, cast):
    _own(cast, title="", title_uk="Тепловізори")
    client.force_login(cast.requester_x)
    client.cookies["django_language"] = "uk"
    html = client.get(reverse("requester:requirements")).content.decode()
    assert "Тепловізори" in html
    assert "Дрони-перехоплювачі" in html  # category label in Ukrainian
    assert "Подано" in html  # Submitted


def test_the_list_pins_its_query_count(client, cast, django_assert_max_num_queries):
    for _ in range(8):
        _own(cast)
    client.force_login(cast.requester_x)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("requester:requirements")).status_code == 200


# Submitting ----------------------------------------------------------------------------------


def test_submit_in_ukrainian_only(client, cast):
    client.force_login(cast.requester_x)
    response = client.post(reverse("requester:requirement-create"), _form())
    requirement = Requirement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("requester:requirement", args=[requirement.reference])
    assert re.fullmatch(rf"UA-{kyiv_today().year}-\d{{4}}", requirement.reference)
    assert requirement.title_uk == "Дрони-перехоплювачі для захисту енергетики"
    assert requirement.title == ""
    assert requirement.status == "SUBMITTED"
    assert requirement.requesting_organisation == cast.org_x
    assert requirement.created_by == cast.requester_x
    assert requirement.category_id == "UAS.INTERCEPTOR"
    assert requirement.quantity == 200
    assert requirement.min_trl == 6
    assert requirement.max_unit_price_gbp is None
    step = RequirementTransition.objects.get(requirement=requirement)
    assert (step.from_status, step.to_status, step.by) == ("", "SUBMITTED", cast.requester_x)
    page = client.get(response["Location"]).content.decode()
    assert "is submitted" in page
    assert "Дрони-перехоплювачі для захисту енергетики" in page


def test_submit_in_english_only_with_every_field(client, cast):
    client.force_login(cast.requester_x)
    data = _form(
        title_uk="",
        description_uk="",
        title="Hand-held thermal imagers",
        description="Thermal imagers for night observation posts, 3 km detection of a person.",
        category="ISR.THERMAL",
        quantity="40",
        unit="sets",
        max_unit_price_gbp="2500.50",
        min_trl="8",
        priority="HIGH",
        source_organisation="47th Mechanised Brigade",
    )
    data["required_certifications"] = ["ISO9001", "AQAP2110"]
    data["itar_free_required"] = "on"
    response = client.post(reverse("requester:requirement-create"), data)
    assert response.status_code == 302
    requirement = Requirement.objects.get()
    assert (requirement.title, requirement.title_uk) == ("Hand-held thermal imagers", "")
    assert requirement.required_certifications == ["ISO9001", "AQAP2110"]
    assert requirement.itar_free_required is True
    assert str(requirement.max_unit_price_gbp) == "2500.50"
    assert requirement.priority == "HIGH"
    assert requirement.source_organisation == "47th Mechanised Brigade"
    assert requirement.classification == "OFFICIAL"


def test_references_count_up_within_the_year(client, cast):
    year = kyiv_today().year
    factories.RequirementFactory(reference=f"UA-{year}-0141")
    factories.RequirementFactory(reference=f"UA-{year - 1}-0900")
    client.force_login(cast.requester_x)
    client.post(reverse("requester:requirement-create"), _form())
    client.post(reverse("requester:requirement-create"), _form(title="Second"))
    mine = Requirement.objects.filter(requesting_organisation=cast.org_x)
    assert sorted(mine.values_list("reference", flat=True)) == [
        f"UA-{year}-0142",
        f"UA-{year}-0143",
    ]


def _errors(response):
    return re.findall(r'<a href="#([^"]+)">([^<]+)</a>', response.content.decode())


def test_no_title_or_description_in_either_language_is_refused_naming_the_field(client, cast):
    client.force_login(cast.requester_x)
    response = client.post(
        reverse("requester:requirement-create"), _form(title_uk="", description_uk="")
    )
    assert response.status_code == 200
    errors = dict(_errors(response))
    assert errors["id_title_uk"] == "Title in Ukrainian: Enter a title in Ukrainian or English"
    assert errors["id_description_uk"].endswith("Enter a description in Ukrainian or English")
    assert not Requirement.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("needed_by", "today", "The date it is needed by must be in the future"),
        ("needed_by", "2020-01-01", "The date it is needed by must be in the future"),
        ("needed_by", "tomorrow-ish", "Enter a real date"),
        ("quantity", "0", "The quantity must be 1 or more"),
        ("quantity", "", "Enter how many you need"),
        ("category", "UAS", "Choose a category"),
        ("category", "NOPE.NOPE", "Choose a category"),
        ("min_trl", "", "Choose a technology readiness level from 1 to 9"),
        ("min_trl", "10", "Choose a technology readiness level from 1 to 9"),
        ("max_unit_price_gbp", "-5", "The price cannot be negative"),
        ("unit", "", "Enter the unit"),
        ("priority", None, "Choose how urgent it is"),
    ],
)
def test_bad_input_is_refused_naming_the_field(client, cast, field, value, message):
    if value == "today":
        value = kyiv_today().isoformat()
    client.force_login(cast.requester_x)
    data = _form()
    if value is None:
        del data[field]
    else:
        data[field] = value
    response = client.post(reverse("requester:requirement-create"), data)
    assert response.status_code == 200
    errors = dict(_errors(response))
    assert f"id_{field}" in errors, errors
    assert message in errors[f"id_{field}"], errors
    assert not Requirement.objects.exists()
    html = response.content.decode()
    assert f'id="id_{field}"' in html  # the summary's link has somewhere to land


def test_the_form_is_in_ukrainian_for_a_ukrainian_reader(client, cast):
    client.force_login(cast.requester_x)
    client.cookies["django_language"] = "uk"
    html = client.get(reverse("requester:requirement-create")).content.decode()
    assert "Дрони-перехоплювачі" in html  # categories labelled in Ukrainian
    assert "Подати вимогу" in html


def test_the_detail_and_its_refusals_speak_ukrainian(client, cast):
    requirement = _own(cast, title_uk="Тепловізори")
    client.force_login(cast.requester_x)
    client.post(reverse("set_language"), {"language": "uk", "next": "/"})
    url = reverse("requester:requirement", args=[requirement.reference])
    html = client.get(url).content.decode()
    assert "Тепловізори" in html
    assert "Персонал хабу ще не розглянув її" in html
    assert "Короткий список з'явиться тут" in html
    Requirement.objects.filter(pk=requirement.pk).update(status="TRIAGED")
    edit = reverse("requester:requirement-edit", args=[requirement.reference])
    html = client.get(edit, follow=True).content.decode()
    assert "її більше не можна змінити чи відкликати" in html
    assert "can no longer be changed" not in html


# Editing and withdrawing -----------------------------------------------------------------------


def test_edit_while_submitted_saves_the_changes(client, cast):
    requirement = _own(cast)
    client.force_login(cast.requester_x)
    url = reverse("requester:requirement-edit", args=[requirement.reference])
    form = client.get(url).content.decode()
    assert requirement.title in form  # the current values are filled in
    response = client.post(
        url, _form(title="Interceptors, revised", description="Now 300 of them.", quantity="300")
    )
    assert response.status_code == 302
    requirement.refresh_from_db()
    assert requirement.title == "Interceptors, revised"
    assert requirement.quantity == 300
    assert requirement.status == "SUBMITTED"
    assert requirement.requesting_organisation == cast.org_x


def test_edit_refuses_bad_input_naming_the_field(client, cast):
    requirement = _own(cast)
    client.force_login(cast.requester_x)
    url = reverse("requester:requirement-edit", args=[requirement.reference])
    response = client.post(url, _form(needed_by="2020-01-01"))
    assert response.status_code == 200
    assert "id_needed_by" in dict(_errors(response))
    requirement.refresh_from_db()
    assert requirement.needed_by != dt.date(2020, 1, 1)


@pytest.mark.parametrize("status", ["TRIAGED", "OPEN", "SHORTLISTED", "CLOSED", "REJECTED"])
def test_edit_and_withdraw_are_refused_once_staff_have_started(client, cast, status):
    requirement = _own(cast, status=status, title="As staff left it")
    client.force_login(cast.requester_x)
    detail = reverse("requester:requirement", args=[requirement.reference])
    for name in ("requester:requirement-edit", "requester:requirement-withdraw"):
        url = reverse(name, args=[requirement.reference])
        for response in (client.get(url), client.post(url, _form(title="Changed"))):
            assert response.status_code == 302
            assert response["Location"] == detail
    page = client.get(detail).content.decode()
    assert "can no longer be changed or withdrawn" in page
    assert reverse("requester:requirement-edit", args=[requirement.reference]) not in page
    requirement.refresh_from_db()
    assert requirement.status == status
    assert requirement.title == "As staff left it"
    assert not RequirementTransition.objects.filter(requirement=requirement).exists()


def test_withdraw_while_submitted_closes_it_with_the_note(client, cast):
    requirement = _own(cast)
    client.force_login(cast.requester_x)
    url = reverse("requester:requirement-withdraw", args=[requirement.reference])
    assert "Withdraw requirement" in client.get(url).content.decode()
    response = client.post(url, {"note": "The brigade found a supplier at home."})
    assert response.status_code == 302
    requirement.refresh_from_db()
    assert requirement.status == "CLOSED"
    step = RequirementTransition.objects.get(requirement=requirement)
    assert (step.from_status, step.to_status) == ("SUBMITTED", "CLOSED")
    assert step.by == cast.requester_x
    assert step.note == "The brigade found a supplier at home."
    page = client.get(response["Location"]).content.decode()
    assert "is withdrawn" in page
    assert "The brigade found a supplier at home." in page  # in the history


def test_the_detail_shows_status_history_and_the_fields(client, cast):
    requirement = _own(cast, title_uk="Перехоплювачі", source_organisation="Air Force")
    factories_transition = RequirementTransition.objects.create
    factories_transition(
        requirement=requirement, from_status="", to_status="SUBMITTED", by=cast.requester_x
    )
    factories_transition(
        requirement=requirement,
        from_status="SUBMITTED",
        to_status="TRIAGED",
        by=cast.staff,
        note="Category confirmed.",
    )
    Requirement.objects.filter(pk=requirement.pk).update(status="TRIAGED")
    client.force_login(cast.requester_x)
    html = client.get(reverse("requester:requirement", args=[requirement.reference])).content
    html = html.decode()
    assert "Triaged" in html
    assert "preparing it for UK suppliers" in html
    assert "Category confirmed." in html
    assert "Перехоплювачі" in html
    assert requirement.title in html
    assert "Air Force" in html
    assert cast.staff.email not in html  # staff show as "Hub staff"
    assert "Hub staff" in html


# The shortlist ------------------------------------------------------------------------------


def test_the_shortlist_shows_only_once_published_and_only_names_and_capabilities(client, cast):
    requirement = _own(cast, status="OPEN")
    offered = factories.CapabilityFactory(
        firm=cast.firm_a,
        name="Kestrel interceptor",
        description="Catches Shahed-type drones at night.",
        unit_price_gbp=1234,
    )
    draft = factories.CapabilityFactory(firm=cast.firm_b, name="Draft-only drone")
    entry = _published(requirement, offered, published_at=None)
    # A draft entry's note stays with staff; a published entry's note is the requester's to read.
    _published(requirement, draft, published_at=None, note="Staff-only remark")
    client.force_login(cast.requester_x)
    url = reverse("requester:requirement", args=[requirement.reference])
    html = client.get(url).content.decode()
    assert "Alpha Rotorcraft Ltd" not in html
    assert "Kestrel interceptor" not in html
    assert "once hub staff publish it" in html

    ShortlistEntry.objects.filter(pk=entry.pk).update(published_at=timezone.now())
    Requirement.objects.filter(pk=requirement.pk).update(status="SHORTLISTED")
    html = client.get(url).content.decode()
    assert "Alpha Rotorcraft Ltd" in html
    assert "Kestrel interceptor" in html
    assert "Catches Shahed-type drones at night." in html
    assert "Interceptor drones" in html  # the category label
    for hidden in (
        "Draft-only drone",
        "Bravo Power Ltd",
        cast.firm_a.companies_house_number,
        cast.firm_a.postcode,
        "1234",
        "Staff-only remark",
        cast.supplier_a.email,
    ):
        assert hidden not in html, hidden


def test_another_organisations_shortlist_is_not_shown(client, cast):
    theirs = _own(cast, status="SHORTLISTED", requesting_organisation=cast.org_y)
    _published(theirs, factories.CapabilityFactory(firm=cast.firm_a))
    client.force_login(cast.requester_x)
    assert client.get(reverse("requester:requirement", args=[theirs.reference])).status_code == 404


# Field reports ------------------------------------------------------------------------------


def _report(**overrides):
    data = {
        "rating": "2",
        "summary": "Lost the video link under heavy jamming within a kilometre.",
        "reported_on": kyiv_today().isoformat(),
        "author_unit": "Mobile fire group 3",
    }
    data.update(overrides)
    return data


def test_a_field_report_on_shortlisted_kit_is_filed(client, cast):
    requirement = _own(cast, status="SHORTLISTED")
    capability = factories.CapabilityFactory(firm=cast.firm_a, name="Kestrel interceptor")
    _published(requirement, capability)
    client.force_login(cast.requester_x)
    url = reverse("requester:field-report-create")
    form = client.get(url + f"?capability={capability.pk}&requirement={requirement.reference}")
    html = form.content.decode()
    assert "Kestrel interceptor – Alpha Rotorcraft Ltd" in html
    assert f'value="{kyiv_today().isoformat()}"' in html  # today in Kyiv by default
    conditions = list(ReportCondition.objects.filter(code__in=["EW_HEAVY", "NIGHT"]))
    response = client.post(
        url,
        _report(
            capability=capability.pk,
            requirement=requirement.pk,
            conditions=[c.pk for c in conditions],
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("requester:requirement", args=[requirement.reference])
    report = FieldReport.objects.get()
    assert report.capability == capability
    assert report.requirement == requirement
    assert report.rating == 2
    assert report.author == cast.requester_x
    assert report.author_unit == "Mobile fire group 3"
    assert report.reported_on == kyiv_today()
    assert {c.code for c in report.conditions.all()} == {"EW_HEAVY", "NIGHT"}


def test_a_field_report_without_a_requirement_is_filed(client, cast):
    capability = factories.CapabilityFactory(firm=cast.firm_a)
    _published(_own(cast, status="SHORTLISTED"), capability)
    client.force_login(cast.requester_x)
    response = client.post(
        reverse("requester:field-report-create"), _report(capability=capability.pk)
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("requester:requirements")
    assert FieldReport.objects.get().requirement is None


def test_a_field_report_is_refused_for_kit_not_shortlisted_for_the_organisation(client, cast):
    mine = _own(cast, status="SHORTLISTED")
    shortlisted = factories.CapabilityFactory(firm=cast.firm_a)
    _published(mine, shortlisted)
    draft_only = factories.CapabilityFactory(firm=cast.firm_b)
    _published(_own(cast, status="OPEN"), draft_only, published_at=None)
    theirs = factories.CapabilityFactory(firm=cast.firm_listx)
    _published(_own(cast, status="SHORTLISTED", requesting_organisation=cast.org_y), theirs)
    never = factories.CapabilityFactory(firm=cast.firm_b)
    client.force_login(cast.requester_x)
    url = reverse("requester:field-report-create")
    html = client.get(url).content.decode()
    choices = re.search(r'<select name="capability".*?</select>', html, re.S).group(0)
    assert re.findall(r'value="(\d+)"', choices) == [str(shortlisted.pk)]
    for refused in (draft_only, theirs, never):
        response = client.post(url, _report(capability=refused.pk))
        assert response.status_code == 200
        errors = dict(_errors(response))
        assert "shortlisted for one of your organisation" in errors["id_capability"]
    assert not FieldReport.objects.exists()


def test_a_field_report_tied_to_a_requirement_the_kit_was_not_shortlisted_for_is_refused(
    client, cast
):
    shortlisted_for = _own(cast, status="SHORTLISTED")
    other = _own(cast, status="SHORTLISTED")
    capability = factories.CapabilityFactory(firm=cast.firm_a)
    _published(shortlisted_for, capability)
    _published(other, factories.CapabilityFactory(firm=cast.firm_b))
    client.force_login(cast.requester_x)
    response = client.post(
        reverse("requester:field-report-create"),
        _report(capability=capability.pk, requirement=other.pk),
    )
    assert response.status_code == 200
    assert "id_requirement" in dict(_errors(response))
    assert not FieldReport.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("rating", "", "Choose a rating from 1 to 5"),
        ("rating", "6", "Choose a rating from 1 to 5"),
        ("summary", "   ", "Describe how the kit performed"),
        ("reported_on", "2999-01-01", "The date cannot be in the future"),
        ("capability", "", "Choose the kit you are reporting on"),
    ],
)
def test_a_bad_field_report_is_refused_naming_the_field(client, cast, field, value, message):
    capability = factories.CapabilityFactory(firm=cast.firm_a)
    _published(_own(cast, status="SHORTLISTED"), capability)
    client.force_login(cast.requester_x)
    data = _report(capability=capability.pk)
    data[field] = value
    response = client.post(reverse("requester:field-report-create"), data)
    assert response.status_code == 200
    errors = dict(_errors(response))
    assert f"id_{field}" in errors, errors
    assert message in errors[f"id_{field}"]
    assert not FieldReport.objects.exists()


def test_the_field_report_page_says_when_there_is_nothing_to_report_on(client, cast):
    client.force_login(cast.requester_x)
    html = client.get(reverse("requester:field-report-create")).content.decode()
    assert "nothing to report on" in html


def test_suppliers_never_see_who_filed_the_report(client, cast):
    capability = factories.CapabilityFactory(firm=cast.firm_a)
    _published(_own(cast, status="SHORTLISTED"), capability)
    client.force_login(cast.requester_x)
    client.post(
        reverse("requester:field-report-create"),
        _report(capability=capability.pk, summary="Held up in mud for a fortnight."),
    )
    assert FieldReport.objects.count() == 1
    client.force_login(cast.supplier_a)
    html = client.get(reverse("portal:dashboard")).content.decode()
    assert "Held up in mud for a fortnight." in html
    assert cast.requester_x.email not in html
    assert "Mobile fire group 3" not in html
    assert "Organisation X" not in html
