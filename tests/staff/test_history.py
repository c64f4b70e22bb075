"""The staff requirement page's history: transitions and staff actions in time order (issue 6)."""

from __future__ import annotations

import datetime as dt
import re

from django.urls import reverse
from django.utils import timezone

from requirements import services
from requirements.models import RequirementEvent, RequirementTransition
from tests import factories


def _triage(client, requirement, **changes):
    data = {
        "action": "triage",
        "category": requirement.category_id,
        "priority": requirement.priority,
        "classification": requirement.classification,
        "quantity": str(requirement.quantity),
        "unit": requirement.unit,
        "needed_by": requirement.needed_by.isoformat(),
        "title": requirement.title,
        "description": requirement.description,
        **changes,
    }
    return client.post(reverse("staff:requirement", args=[requirement.reference]), data)


def test_a_triage_edit_records_what_changed(client, cast):
    requirement = factories.RequirementFactory(status="SUBMITTED", priority="ROUTINE")
    client.force_login(cast.staff)
    assert _triage(client, requirement, priority="HIGH", quantity="40").status_code == 302
    [event] = RequirementEvent.objects.filter(requirement=requirement)
    assert (event.action, event.by) == ("TRIAGED_EDIT", cast.staff)
    assert event.detail["changed"] == {
        "priority": {"from": "ROUTINE", "to": "HIGH"},
        "quantity": {"from": 1000, "to": 40},
    }
    requirement.refresh_from_db()
    # Saving again without a change adds nothing.
    assert _triage(client, requirement).status_code == 302
    assert RequirementEvent.objects.filter(requirement=requirement).count() == 1
    html = client.get(reverse("staff:requirement", args=[requirement.reference])).content.decode()
    assert "Triage edit" in html
    assert "priority: ROUTINE → HIGH" in html
    assert "quantity: 1000 → 40" in html


def test_transitions_and_actions_are_merged_oldest_first(client, cast):
    requirement = factories.RequirementFactory(status="SUBMITTED")
    start = timezone.now() - dt.timedelta(days=3)
    services.requirement_transition(requirement=requirement, to="TRIAGED", by=cast.staff, note="t1")
    services.requirement_update(requirement=requirement, by=cast.staff, unit="kits")
    services.requirement_transition(requirement=requirement, to="OPEN", by=cast.staff, note="t2")
    other = factories.RequirementFactory(status="SUBMITTED")
    services.duplicate_dismiss(requirement=requirement, other=other, by=cast.staff)
    services.export_record(
        by=cast.staff,
        kind="MATCHES",
        requirement=requirement,
        file_format="CSV",
        language="uk",
        row_count=7,
    )
    # Space the records a day apart, oldest first, as they happened.
    records = [
        *RequirementTransition.objects.filter(requirement=requirement),
        *RequirementEvent.objects.filter(requirement=requirement),
    ]
    order = ["t1", "TRIAGED_EDIT", "t2", "DUPLICATE_DISMISSED", "EXPORT"]

    def key(record):
        return record.note if isinstance(record, RequirementTransition) else record.action

    for record in records:
        if key(record) in order:
            stamp = start + dt.timedelta(hours=order.index(key(record)))
            type(record).objects.filter(pk=record.pk).update(at=stamp)
    client.force_login(cast.staff)
    html = client.get(reverse("staff:requirement", args=[requirement.reference])).content.decode()
    actions = re.findall(r'<tr data-action="([^"]+)">', html)
    assert actions == ["STATUS", "TRIAGED_EDIT", "STATUS", "DUPLICATE_DISMISSED", "EXPORT"]
    assert "Submitted → Triaged" in html
    assert "Triaged → Open" in html
    assert f"Not a duplicate of {other.reference}" in html
    assert "MATCHES as CSV in uk, 7 rows" in html
    assert html.index("t1") < html.index("unit: units → kits") < html.index("t2")
