"""The note hub staff give a shortlisted capability ("shown to the requester once published"):
on the requester's requirement page, on that capability's card, as in the introduction e-mail."""

from __future__ import annotations

import re

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from matching.models import Match
from requirements.selectors import shortlist_published_for
from tests import factories
from tests.conftest import HubClient

NOTE = "Flown at night by two brigades.\nSpares held in Rzeszów <b>now</b>."


def _matched(requirement, firm, name, score):
    capability = factories.CapabilityFactory(firm=firm, name=name)
    Match.objects.create(
        requirement=requirement,
        capability=capability,
        score=score,
        eligible=True,
        blockers=[],
        breakdown=[],
        engine_version="test",
        computed_at=timezone.now(),
    )
    return capability


def _cards(html):
    return dict(
        re.findall(r'<article class="card" data-capability="(\d+)">(.*?)</article>', html, re.S)
    )


def _publish_through_the_staff_pages(cast, requirement, noted, plain, django_capture):
    staff = HubClient()
    staff.force_login(cast.staff)
    add = reverse("staff:shortlist-add", args=[requirement.reference])
    assert staff.post(add, {"capability": noted.pk, "note": NOTE}).status_code == 302
    assert staff.post(add, {"capability": plain.pk, "note": ""}).status_code == 302
    with django_capture(execute=True):
        publish = reverse("staff:shortlist-publish", args=[requirement.reference])
        assert staff.post(publish, {"note": ""}).status_code == 302


def test_the_requester_reads_the_staff_note_on_its_capability(
    client, cast, django_capture_on_commit_callbacks
):
    requirement = factories.RequirementFactory(status="OPEN", requesting_organisation=cast.org_x)
    noted = _matched(requirement, cast.firm_a, "Kestrel interceptor", 80)
    plain = _matched(requirement, cast.firm_b, "Bravo interceptor", 70)
    url = reverse("requester:requirement", args=[requirement.reference])
    client.force_login(cast.requester_x)

    staff = HubClient()
    staff.force_login(cast.staff)
    add = reverse("staff:shortlist-add", args=[requirement.reference])
    staff.post(add, {"capability": noted.pk, "note": NOTE})
    assert "Flown at night" not in client.get(url).content.decode(), "a draft stays with staff"

    staff.post(add, {"capability": plain.pk, "note": ""})
    with django_capture_on_commit_callbacks(execute=True):
        publish = reverse("staff:shortlist-publish", args=[requirement.reference])
        assert staff.post(publish, {"note": ""}).status_code == 302

    cards = _cards(client.get(url).content.decode())
    assert "Note from hub staff" in cards[str(noted.pk)]
    assert (
        "Flown at night by two brigades.<br>Spares held in Rzeszów &lt;b&gt;now&lt;/b&gt;."
        in cards[str(noted.pk)]
    )
    assert "Note from hub staff" not in cards[str(plain.pk)]
    # The same words the introduction e-mail gave the requester.
    [email] = [m for m in mail.outbox if cast.requester_x.email in m.to]
    assert "Flown at night by two brigades." in email.body


def test_the_published_shortlist_loads_the_notes_with_the_entries(
    cast, django_capture_on_commit_callbacks, django_assert_num_queries
):
    requirement = factories.RequirementFactory(status="OPEN", requesting_organisation=cast.org_x)
    noted = _matched(requirement, cast.firm_a, "Kestrel interceptor", 80)
    plain = _matched(requirement, cast.firm_b, "Bravo interceptor", 70)
    _publish_through_the_staff_pages(
        cast, requirement, noted, plain, django_capture_on_commit_callbacks
    )
    entries = list(shortlist_published_for(user=cast.requester_x, requirement=requirement))
    with django_assert_num_queries(0):
        assert [entry.note for entry in entries] == [NOTE, ""]


def test_the_note_is_labelled_in_ukrainian(client, cast, django_capture_on_commit_callbacks):
    requirement = factories.RequirementFactory(status="OPEN", requesting_organisation=cast.org_x)
    noted = _matched(requirement, cast.firm_a, "Kestrel interceptor", 80)
    plain = _matched(requirement, cast.firm_b, "Bravo interceptor", 70)
    _publish_through_the_staff_pages(
        cast, requirement, noted, plain, django_capture_on_commit_callbacks
    )
    client.force_login(cast.requester_x)
    client.post(reverse("set_language"), {"language": "uk", "next": "/"})
    html = client.get(reverse("requester:requirement", args=[requirement.reference])).content
    card = _cards(html.decode())[str(noted.pk)]
    assert "Примітка від персоналу хабу" in card
    assert "Flown at night by two brigades." in card
