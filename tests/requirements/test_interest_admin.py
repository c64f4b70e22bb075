"""Suppliers' expressions of interest in the admin: read and annotated, never made up there."""

from __future__ import annotations

from django.urls import reverse

from accounts.models import User
from requirements.models import Interest
from tests import factories

ADD = reverse("admin:requirements_interest_add")


def test_a_superuser_cannot_add_an_interest(client, cast):
    superuser = User.objects.create_superuser("root@example.test", "admin-pass-Kyiv-42")
    requirement = factories.RequirementFactory(status="OPEN")
    client.force_login(superuser)
    assert client.get(ADD).status_code == 403
    # Every field is read-only, so a POST used to reach the database without a firm (a 500).
    response = client.post(ADD, {"requirement": requirement.pk, "firm": cast.firm_a.pk})
    assert response.status_code == 403
    assert not Interest.objects.exists()
    changelist = client.get(reverse("admin:requirements_interest_changelist"))
    assert changelist.status_code == 200
    assert ADD not in changelist.content.decode()


def test_hub_staff_cannot_add_an_interest_either(client, cast):
    client.force_login(cast.staff)
    assert client.get(ADD).status_code == 403
    assert client.post(ADD, {"firm": cast.firm_a.pk}).status_code == 403
    assert not Interest.objects.exists()
