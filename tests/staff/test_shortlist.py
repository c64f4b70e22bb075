"""Staff shortlist: interest in the match review, add/remove, publish and its e-mails (issue 6)."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient as RestClient

from accounts.services import api_client_create
from matching.models import Match
from requirements import services
from requirements.models import (
    Interest,
    RequirementEvent,
    RequirementTransition,
    ShortlistEntry,
)
from tests import factories


def _match(requirement, firm, score, eligible=True, **capability):
    capability = factories.CapabilityFactory(firm=firm, **capability)
    Match.objects.create(
        requirement=requirement,
        capability=capability,
        score=score,
        eligible=eligible,
        blockers=[] if eligible else [{"code": "TRL_TOO_LOW"}],
        breakdown=[{"component": "category", "value": 1.0, "weight": 0.2, "reason": "same"}],
        engine_version="test",
        computed_at=timezone.now(),
    )
    return capability


@pytest.fixture
def scene(cast):
    requirement = factories.RequirementFactory(
        reference="UA-SL-1", status="OPEN", requesting_organisation=cast.org_x
    )
    cap_a = _match(requirement, cast.firm_a, 80, name="Alpha interceptor")
    cap_b = _match(requirement, cast.firm_b, 70, name="Bravo interceptor")
    cap_x = _match(requirement, cast.firm_listx, 60, name="Xray interceptor")
    return cast, requirement, cap_a, cap_b, cap_x


def _page(client, requirement, **query):
    url = reverse("staff:requirement", args=[requirement.reference])
    return client.get(url, query).content.decode()


def _add(client, requirement, capability, note=""):
    url = reverse("staff:shortlist-add", args=[requirement.reference])
    return client.post(url, {"capability": capability.pk, "note": note})


def _publish(client, requirement, note=""):
    url = reverse("staff:shortlist-publish", args=[requirement.reference])
    return client.post(url, {"note": note})


def _shown(html):
    return re.findall(r'data-capability="([^"]+)"', html)


def test_new_shortlist_urls_refuse_everyone_but_staff(client, scene):
    cast, requirement, cap_a, _, _ = scene
    entry = ShortlistEntry.objects.create(requirement=requirement, capability=cap_a)
    urls = [
        (reverse("staff:shortlist-add", args=[requirement.reference]), {"capability": cap_a.pk}),
        (reverse("staff:shortlist-remove", args=[requirement.reference, entry.pk]), {}),
        (reverse("staff:shortlist-publish", args=[requirement.reference]), {}),
    ]
    for url, data in urls:
        response = client.post(url, data)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:sign-in") + "?next=")
        for refused in (
            cast.supplier_a,
            cast.supplier_b,
            cast.supplier_listx,
            cast.supplier_unverified,
            cast.requester_x,
            cast.requester_y,
        ):
            client.force_login(refused)
            assert client.post(url, data).status_code == 403, (url, refused)
        client.logout()
    assert ShortlistEntry.objects.filter(requirement=requirement).count() == 1
    client.force_login(cast.staff)
    assert client.post(reverse("staff:shortlist-add", args=["NOPE-1"]), {}).status_code == 404
    assert client.post(reverse("staff:shortlist-publish", args=["NOPE-1"])).status_code == 404
    missing = reverse("staff:shortlist-remove", args=[requirement.reference, entry.pk + 99])
    assert client.post(missing).status_code == 404
    # Staff: each works (add a second one, remove the first, publish).
    assert client.post(urls[0][0], {"capability": scene[3].pk}).status_code == 302
    assert client.post(urls[1][0]).status_code == 302
    assert client.post(urls[2][0]).status_code == 302


def test_interest_is_highlighted_with_its_note_and_can_be_filtered(client, scene):
    cast, requirement, cap_a, cap_b, cap_x = scene
    Interest.objects.create(requirement=requirement, firm=cast.firm_b, note="We can ship 300/month")
    Interest.objects.create(
        requirement=requirement,
        firm=cast.firm_listx,
        note="Withdrawn: capacity gone",
        withdrawn_at=timezone.now(),
    )
    client.force_login(cast.staff)
    html = _page(client, requirement)
    assert _shown(html) == [cap_a.reference, cap_b.reference, cap_x.reference]
    assert re.findall(r'data-capability="([^"]+)" data-interested="yes"', html) == [cap_b.reference]
    assert "We can ship 300/month" in html
    assert "Withdrawn: capacity gone" not in html
    assert _shown(_page(client, requirement, interested="on")) == [cap_b.reference]


def test_staff_add_and_remove_with_notes_recorded_in_the_history(client, scene):
    cast, requirement, cap_a, cap_b, _ = scene
    client.force_login(cast.staff)
    assert _add(client, requirement, cap_a, "Best price").status_code == 302
    assert _add(client, requirement, cap_b, "Fastest").status_code == 302
    entries = ShortlistEntry.objects.filter(requirement=requirement).order_by("added_at", "id")
    assert [(e.capability, e.note, e.added_by) for e in entries] == [
        (cap_a, "Best price", cast.staff),
        (cap_b, "Fastest", cast.staff),
    ]
    assert all(e.published_at is None for e in entries)
    html = _page(client, requirement)
    assert re.findall(r'data-entry="([^"]+)"', html) == [cap_a.reference, cap_b.reference]
    assert "Best price" in html

    again = _add(client, requirement, cap_a)
    assert again.status_code == 200
    assert "already on the shortlist" in again.content.decode()

    remove = reverse("staff:shortlist-remove", args=[requirement.reference, entries[0].pk])
    assert client.post(remove, {"note": "over budget after all"}).status_code == 302
    assert list(ShortlistEntry.objects.filter(requirement=requirement)) == [entries[1]]
    events = RequirementEvent.objects.filter(requirement=requirement).order_by("at", "id")
    assert [(e.action, e.note) for e in events] == [
        ("SHORTLIST_ADD", "Best price"),
        ("SHORTLIST_ADD", "Fastest"),
        ("SHORTLIST_REMOVE", "over budget after all"),
    ]
    assert "over budget after all" in _page(client, requirement)


def test_only_a_listed_capability_of_an_open_requirement_can_be_added(client, scene):
    cast, requirement, cap_a, _, _ = scene
    elsewhere = factories.CapabilityFactory(firm=cast.firm_a)
    client.force_login(cast.staff)
    assert _add(client, requirement, elsewhere).status_code == 404
    triaged = factories.RequirementFactory(status="TRIAGED")
    _match(triaged, cast.firm_a, 50)
    capability = Match.objects.get(requirement=triaged).capability
    response = _add(client, triaged, capability)
    assert response.status_code == 200
    assert "only while the requirement is open" in response.content.decode()
    assert not ShortlistEntry.objects.filter(requirement=triaged).exists()


def test_publishing_needs_an_entry(client, scene):
    cast, requirement, *_ = scene
    client.force_login(cast.staff)
    response = _publish(client, requirement)
    assert response.status_code == 200
    assert "add at least one capability to the shortlist first" in response.content.decode()
    requirement.refresh_from_db()
    assert requirement.status == "OPEN"
    assert mail.outbox == []


def test_the_generic_move_refuses_shortlisted_and_points_to_publish(client, scene):
    cast, requirement, *_ = scene
    client.force_login(cast.staff)
    url = reverse("staff:requirement", args=[requirement.reference])
    response = client.post(url, {"action": "move", "to": "SHORTLISTED", "note": ""})
    assert response.status_code == 200
    assert "Only publishing the shortlist moves a requirement to Shortlisted" in (
        response.content.decode()
    )
    _, token = api_client_create(name="Analyst", scope="STAFF")
    api = RestClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    answer = api.post(
        f"/api/v1/requirements/{requirement.reference}/transition/",
        {"to": "SHORTLISTED"},
        format="json",
    )
    assert answer.status_code == 409
    assert "only publishing a shortlist" in answer.json()["detail"]
    requirement.refresh_from_db()
    assert requirement.status == "OPEN"


def _mail_to(address):
    return [m for m in mail.outbox if address in m.to]


def test_publish_moves_to_shortlisted_and_introduces_both_sides(
    client, scene, django_capture_on_commit_callbacks
):
    cast, requirement, cap_a, cap_b, cap_x = scene
    colleague = factories.RequesterFactory(organisation=cast.org_x, email="colleague@x.test")
    firm_a_colleague = factories.MembershipFactory(firm=cast.firm_a).user
    api_client_create(name="Alpha ERP", scope="FIRM", firm=cast.firm_a)
    # Interest from B (shortlisted too) and from List X (not shortlisted, told so); the
    # unverified firm withdrew, so it hears nothing.
    Interest.objects.create(requirement=requirement, firm=cast.firm_b, note="yes")
    Interest.objects.create(requirement=requirement, firm=cast.firm_listx, note="us too")
    Interest.objects.create(
        requirement=requirement, firm=cast.firm_unverified, withdrawn_at=timezone.now()
    )
    factories.FieldReportFactory(capability=cap_a, author=cast.requester_y, author_unit="93 OMBr")
    client.force_login(cast.staff)
    _add(client, requirement, cap_a, "Cheapest per unit")
    _add(client, requirement, cap_b, "Can deliver first")
    with django_capture_on_commit_callbacks(execute=True):
        assert _publish(client, requirement, "two good fits").status_code == 302

    requirement.refresh_from_db()
    assert requirement.status == "SHORTLISTED"
    assert all(e.published_at for e in ShortlistEntry.objects.filter(requirement=requirement))
    step = RequirementTransition.objects.filter(requirement=requirement).latest("at", "id")
    assert (step.from_status, step.to_status, step.by, step.note) == (
        "OPEN",
        "SHORTLISTED",
        cast.staff,
        "two good fits",
    )

    for requester in (cast.requester_x, colleague):
        [message] = _mail_to(requester.email)
        assert "UA-SL-1" in message.subject
        assert "Alpha Rotorcraft Ltd: Alpha interceptor" in message.body
        assert "Bravo Power Ltd: Bravo interceptor" in message.body
        assert "Cheapest per unit" in message.body
        assert "Xray" not in message.body
    assert _mail_to(cast.requester_y.email) == []

    for member in (cast.supplier_a, firm_a_colleague):
        [message] = _mail_to(member.email)
        assert "shortlisted" in message.subject
        assert "Alpha interceptor" in message.body
        assert "Bravo" not in message.body
        assert "93 OMBr" not in message.body
        assert cast.requester_y.email not in message.body
    [message] = _mail_to(cast.supplier_b.email)
    assert "Bravo interceptor" in message.body
    [message] = _mail_to(cast.supplier_listx.email)
    assert message.subject.startswith("Not selected this time")
    assert _mail_to(cast.supplier_unverified.email) == []
    assert not [m for m in mail.outbox if any("api-clients.invalid" in to for to in m.to)]
    assert len(mail.outbox) == 6

    html = _page(client, requirement)
    assert "Shortlist published" in html
    assert "two good fits" in html


def test_amending_a_published_shortlist_introduces_only_the_new_firm(
    client, scene, django_capture_on_commit_callbacks
):
    cast, requirement, cap_a, cap_b, cap_x = scene
    Interest.objects.create(requirement=requirement, firm=cast.firm_listx, note="")
    client.force_login(cast.staff)
    _add(client, requirement, cap_a)
    with django_capture_on_commit_callbacks(execute=True):
        _publish(client, requirement)
    assert len(_mail_to(cast.supplier_listx.email)) == 1  # not selected
    mail.outbox.clear()

    nothing_new = _publish(client, requirement)
    assert "nothing new to publish" in nothing_new.content.decode()

    _add(client, requirement, cap_x, "Second thoughts")
    with django_capture_on_commit_callbacks(execute=True):
        assert _publish(client, requirement).status_code == 302
    assert _mail_to(cast.supplier_a.email) == []
    [message] = _mail_to(cast.supplier_listx.email)
    assert "shortlisted" in message.subject
    [message] = _mail_to(cast.requester_x.email)
    assert "Alpha interceptor" in message.body
    assert "Xray interceptor" in message.body
    requirement.refresh_from_db()
    assert requirement.status == "SHORTLISTED"


def test_a_published_shortlist_keeps_one_entry(client, scene):
    cast, requirement, cap_a, _, _ = scene
    entry = services.shortlist_add(requirement=requirement, capability=cap_a, by=cast.staff)
    services.shortlist_publish(requirement=requirement, by=cast.staff)
    client.force_login(cast.staff)
    url = reverse("staff:shortlist-remove", args=[requirement.reference, entry.pk])
    response = client.post(url)
    assert response.status_code == 200
    assert "keeps at least one entry" in response.content.decode()
    assert ShortlistEntry.objects.filter(pk=entry.pk).exists()


def test_the_requirement_page_query_count_does_not_grow_with_its_lists(
    client, cast, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    requirement = factories.RequirementFactory(status="OPEN", requesting_organisation=cast.org_x)
    url = reverse("staff:requirement", args=[requirement.reference])
    client.force_login(cast.staff)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    for firm in (cast.firm_a, cast.firm_b):
        capability = _match(requirement, firm, 50)
        services.shortlist_add(requirement=requirement, capability=capability, by=cast.staff)
    factories.RequirementFactory(status="SUBMITTED")
    few = queries()
    for n in range(8):
        firm = factories.FirmFactory()
        capability = _match(requirement, firm, 40 + n)
        Interest.objects.create(requirement=requirement, firm=firm, note=f"note {n}")
        services.shortlist_add(requirement=requirement, capability=capability, by=cast.staff)
        factories.RequirementFactory(status="SUBMITTED")
    with django_assert_max_num_queries(few):
        assert client.get(url).status_code == 200
