"""Staff triage board and requirement page (DESIGN.md sections 3 and 5)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from matching.models import Match
from requirements.models import Requirement, RequirementTransition
from tests import factories


def _requirement(**fields):
    fields.setdefault("status", "SUBMITTED")
    return factories.RequirementFactory(**fields)


def _pages(requirement):
    return [
        reverse("staff:triage"),
        reverse("staff:requirement", args=[requirement.reference]),
    ]


def test_only_staff_may_open_the_pages(client, cast):
    requirement = _requirement(requesting_organisation=cast.org_x)
    for url in _pages(requirement):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:sign-in") + "?next=")
        for refused in (cast.supplier_a, cast.supplier_listx, cast.requester_x):
            client.force_login(refused)
            assert client.get(url).status_code == 403, (url, refused)
        client.force_login(cast.staff)
        assert client.get(url).status_code == 200
        client.logout()


@pytest.mark.parametrize("action", ["triage", "move"])
def test_only_staff_may_post(client, cast, action):
    requirement = _requirement(requesting_organisation=cast.org_x)
    url = reverse("staff:requirement", args=[requirement.reference])
    data = {"action": action, "to": "REJECTED", "note": "out of scope", "priority": "ROUTINE"}
    assert client.post(url, data).status_code == 302
    for refused in (cast.supplier_a, cast.requester_x):
        client.force_login(refused)
        assert client.post(url, data).status_code == 403
    requirement.refresh_from_db()
    assert requirement.status == "SUBMITTED"
    assert requirement.priority == "CRITICAL"


def test_an_unknown_reference_is_not_found(client, cast):
    client.force_login(cast.staff)
    assert client.get(reverse("staff:requirement", args=["NOPE-1"])).status_code == 404


def _rows(html):
    import re

    return re.findall(r'data-reference="([^"]+)"', html)


def test_board_groups_by_status_and_sorts_by_priority_then_age(client, cast):
    old_routine = _requirement(reference="R-OLD-ROUTINE", priority="ROUTINE")
    new_critical = _requirement(reference="R-NEW-CRITICAL", priority="CRITICAL")
    old_critical = _requirement(reference="R-OLD-CRITICAL", priority="CRITICAL")
    opened = _requirement(reference="R-OPEN", status="OPEN", priority="ROUTINE")
    Requirement.objects.filter(pk__in=[old_routine.pk, old_critical.pk]).update(
        created_at=timezone.now() - dt.timedelta(days=20)
    )
    client.force_login(cast.staff)
    html = client.get(reverse("staff:triage")).content.decode()
    assert _rows(html) == ["R-OLD-CRITICAL", "R-NEW-CRITICAL", "R-OLD-ROUTINE", opened.reference]
    assert "Submitted (3)" in html
    assert "Open (1)" in html
    assert reverse("staff:requirement", args=[new_critical.reference]) in html


def test_filters_change_the_rows(client, cast):
    _requirement(reference="R-X", priority="HIGH", requesting_organisation=cast.org_x)
    _requirement(
        reference="R-Y",
        priority="ROUTINE",
        requesting_organisation=cast.org_y,
        category=factories.category("EW.JAMMER"),
    )
    old = _requirement(reference="R-OLD", priority="ROUTINE")
    Requirement.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=40))
    client.force_login(cast.staff)
    url = reverse("staff:triage")

    def rows(**query):
        return sorted(_rows(client.get(url, query).content.decode()))

    assert rows() == ["R-OLD", "R-X", "R-Y"]
    assert rows(priority="HIGH") == ["R-X"]
    assert rows(organisation="org-y") == ["R-Y"]
    assert rows(category="EW.JAMMER") == ["R-Y"]
    assert rows(age="30") == ["R-OLD"]
    assert rows(status="OPEN") == []
    assert rows(priority="ROUTINE", age="7") == ["R-OLD"]


def test_triage_edit_saves_through_the_service(client, cast):
    requirement = _requirement(title="", title_uk="Дрони", description_uk="Потрібні дрони")
    client.force_login(cast.staff)
    url = reverse("staff:requirement", args=[requirement.reference])
    html = client.get(url).content.decode()
    assert "Потрібні дрони" in html
    response = client.post(
        url,
        {
            "action": "triage",
            "category": "EW.JAMMER",
            "priority": "HIGH",
            "classification": "OFFICIAL_SENSITIVE",
            "quantity": "12",
            "unit": "kits",
            "needed_by": (dt.date.today() + dt.timedelta(days=90)).isoformat(),
            "title": "Drones",
            "description": "Drones are needed",
        },
    )
    assert response.status_code == 302
    requirement.refresh_from_db()
    assert requirement.category_id == "EW.JAMMER"
    assert (requirement.priority, requirement.classification) == ("HIGH", "OFFICIAL_SENSITIVE")
    assert (requirement.quantity, requirement.unit) == (12, "kits")
    assert requirement.title == "Drones"
    assert requirement.title_uk == "Дрони"


def test_triage_errors_are_shown_beside_the_field(client, cast):
    requirement = _requirement()
    client.force_login(cast.staff)
    url = reverse("staff:requirement", args=[requirement.reference])
    response = client.post(url, {"action": "triage", "quantity": "0", "category": "UAS"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert 'href="#id_quantity"' in html
    assert 'href="#id_category"' in html
    requirement.refresh_from_db()
    assert requirement.quantity == 1000


def _move(client, requirement, to, note=""):
    url = reverse("staff:requirement", args=[requirement.reference])
    return client.post(url, {"action": "move", "to": to, "note": note})


def test_transitions_are_recorded_in_the_history(client, cast):
    requirement = _requirement()
    client.force_login(cast.staff)
    assert _move(client, requirement, "TRIAGED", "cleaned up").status_code == 302
    assert _move(client, requirement, "OPEN", "ready for industry").status_code == 302
    requirement.refresh_from_db()
    assert requirement.status == "OPEN"
    steps = list(RequirementTransition.objects.filter(requirement=requirement, by=cast.staff))
    assert [(s.from_status, s.to_status, s.note) for s in steps] == [
        ("SUBMITTED", "TRIAGED", "cleaned up"),
        ("TRIAGED", "OPEN", "ready for industry"),
    ]
    html = client.get(reverse("staff:requirement", args=[requirement.reference])).content.decode()
    assert "ready for industry" in html
    assert cast.staff.email in html


def test_only_allowed_next_statuses_are_offered(client, cast):
    requirement = _requirement(status="OPEN")
    client.force_login(cast.staff)
    html = client.get(reverse("staff:requirement", args=[requirement.reference])).content.decode()
    assert 'value="CLOSED"' in html
    assert 'value="SHORTLISTED"' not in html
    assert 'value="REJECTED"' not in html
    response = _move(client, requirement, "SHORTLISTED")
    assert response.status_code == 200
    assert 'href="#id_to_0"' in response.content.decode() or "id_to" in response.content.decode()
    requirement.refresh_from_db()
    assert requirement.status == "OPEN"


def test_rejection_needs_a_reason(client, cast):
    requirement = _requirement()
    client.force_login(cast.staff)
    html = _move(client, requirement, "REJECTED", "  ").content.decode()
    assert "Give the reason for rejecting this requirement." in html
    assert 'href="#id_note"' in html
    requirement.refresh_from_db()
    assert requirement.status == "SUBMITTED"
    assert _move(client, requirement, "REJECTED", "not defence kit").status_code == 302
    requirement.refresh_from_db()
    assert requirement.status == "REJECTED"


def test_opening_needs_an_english_title_shown_beside_the_choice(client, cast):
    requirement = _requirement(status="TRIAGED", title="", title_uk="Дрони")
    client.force_login(cast.staff)
    response = _move(client, requirement, "OPEN")
    assert response.status_code == 200
    assert "English title and description are required" in response.content.decode()
    requirement.refresh_from_db()
    assert requirement.status == "TRIAGED"


def _match(requirement, firm, score, eligible=True, blockers=()):
    capability = factories.CapabilityFactory(firm=firm)
    return Match.objects.create(
        requirement=requirement,
        capability=capability,
        score=score,
        eligible=eligible,
        blockers=list(blockers),
        breakdown=[{"component": "category", "value": 1.0, "weight": 0.2, "reason": "same"}],
        engine_version="test",
        computed_at=timezone.now(),
    )


def test_match_review_order_plain_words_and_filters(client, cast):
    requirement = _requirement(status="OPEN", min_trl=9)
    big = factories.FirmFactory(name="Big Defence plc", employees=5000)
    blocked = _match(
        requirement, cast.firm_a, 90, eligible=False, blockers=[{"code": "TRL_TOO_LOW"}]
    )
    top = _match(requirement, big, 70)
    low = _match(requirement, cast.firm_unverified, 40)
    mid = _match(requirement, cast.firm_b, 60)
    client.force_login(cast.staff)
    url = reverse("staff:requirement", args=[requirement.reference])

    def order(**query):
        import re

        html = client.get(url, query).content.decode()
        return html, re.findall(r'data-capability="([^"]+)"', html)

    html, refs = order()
    assert refs == [c.capability.reference for c in (top, mid, low, blocked)]
    assert "needs TRL 9; yours is 7" in html
    assert "the same category" in html
    assert order(eligible="on")[1] == [c.capability.reference for c in (top, mid, low)]
    assert order(verified="on")[1] == [c.capability.reference for c in (top, mid, blocked)]
    assert order(sme="on")[1] == [c.capability.reference for c in (mid, low, blocked)]
    assert order(min_score="60")[1] == [c.capability.reference for c in (top, mid, blocked)]
