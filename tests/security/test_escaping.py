"""Text that users type is shown as text: a script or an attribute break-out in any of it reaches
the page escaped, on every page that shows it, never as markup."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils.html import escape

from matching import services as matching_services
from requirements import services as requirement_services
from tests import factories
from tests.conftest import HubClient
from tests.security.scenario import requirement

SCRIPT = "<script>alert(1)</script>"
BREAK_OUT = '"><img src=x onerror=alert(1)>'
RAW = (SCRIPT, BREAK_OUT, "<img src=x")


def hostile(what: str) -> str:
    """A value that says which field it is, then both attacks."""
    return f"{what} {SCRIPT} {BREAK_OUT}"


FIELDS = {
    "firm_name": hostile("Firm"),
    "capability_name": hostile("Capability"),
    "capability_description": hostile("Capability description"),
    "requirement_title": hostile("Requirement"),
    "requirement_description": hostile("Requirement description"),
    "gap_title": hostile("Gap"),
    "interest_note": hostile("Interest"),
    "shortlist_note": hostile("Shortlist"),
    "report_summary": hostile("Report"),
    "staff_name": hostile("Staff member"),
}


@pytest.fixture
def world(cast):
    """Every free-text field a user fills in, filled with the attacks, through the services."""
    firm = cast.firm_a
    firm.name = FIELDS["firm_name"]
    firm.save()
    staff = cast.staff
    staff.full_name = FIELDS["staff_name"]
    staff.save()
    capability = factories.CapabilityFactory(
        firm=firm,
        name=FIELDS["capability_name"],
        description=FIELDS["capability_description"],
        trl=8,
    )
    need = requirement(
        "UA-XSS-0001",
        organisation=cast.org_x,
        title=FIELDS["requirement_title"],
        description=FIELDS["requirement_description"],
    )
    # A need in a category no one serves: a capability gap on the staff's gaps page.
    requirement("UA-XSS-0002", title=FIELDS["gap_title"], category_id="MED.SURGICAL")
    matching_services.requirement_rescore(requirement_id=need.pk)
    requirement_services.interest_express(
        requirement=need, firm=firm, by=cast.supplier_a, note=FIELDS["interest_note"]
    )
    requirement_services.shortlist_add(
        requirement=need, capability=capability, by=staff, note=FIELDS["shortlist_note"]
    )
    requirement_services.shortlist_publish(requirement=need, by=staff, note="published")
    factories.FieldReportFactory(
        capability=capability, requirement=need, summary=FIELDS["report_summary"]
    )
    requirement_services.export_record(
        by=staff, kind="MATCHES", requirement=need, file_format="CSV", language="en", row_count=1
    )
    return SimpleNamespace(cast=cast, capability=capability, need=need)


PAGES = [
    (
        "supplier dashboard",
        "supplier_a",
        lambda w: reverse("portal:dashboard"),
        ("firm_name", "capability_name", "requirement_title", "report_summary"),
    ),
    (
        "supplier's capability list",
        "supplier_a",
        lambda w: reverse("portal:capabilities"),
        ("capability_name",),
    ),
    (
        "capability form",
        "supplier_a",
        lambda w: reverse("portal:capability-edit", args=[w.capability.pk]),
        ("capability_name", "capability_description"),
    ),
    (
        "supplier's requirement page",
        "supplier_a",
        lambda w: reverse("portal:requirement", args=[w.need.reference]),
        ("requirement_title", "requirement_description", "interest_note", "capability_name"),
    ),
    (
        "staff requirement page",
        "staff",
        lambda w: reverse("staff:requirement", args=[w.need.reference]),
        (
            "requirement_title",
            "requirement_description",
            "capability_name",
            "firm_name",
            "interest_note",
            "shortlist_note",
        ),
    ),
    ("staff triage board", "staff", lambda w: reverse("staff:triage"), ("requirement_title",)),
    ("staff capability gaps", "staff", lambda w: reverse("staff:gaps"), ("gap_title",)),
    ("exports log", "staff", lambda w: reverse("staff:exports"), ("staff_name",)),
    (
        "requester's requirement list",
        "requester_x",
        lambda w: reverse("requester:requirements"),
        ("requirement_title",),
    ),
    (
        "requester's requirement page",
        "requester_x",
        lambda w: reverse("requester:requirement", args=[w.need.reference]),
        (
            "requirement_title",
            "requirement_description",
            "firm_name",
            "capability_name",
            "capability_description",
        ),
    ),
    (
        "requester's field report form",
        "requester_x",
        lambda w: reverse("requester:field-report-create"),
        ("capability_name",),
    ),
]


@pytest.mark.parametrize(
    ("page", "member", "url", "fields"), PAGES, ids=[page[0] for page in PAGES]
)
def test_user_text_is_escaped(world, page, member, url, fields):
    client = HubClient()
    client.force_login(getattr(world.cast, member))
    response = client.get(url(world))
    assert response.status_code == 200
    html = response.content.decode()
    for raw in RAW:
        assert raw not in html, f"{page}: {raw!r} is rendered as markup"
    for name in fields:
        assert escape(FIELDS[name]) in html, f"{page}: {name} is not shown (escaped)"
