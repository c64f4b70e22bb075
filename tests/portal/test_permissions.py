"""Who may open each portal page (DESIGN.md section 5), tried with the fixed cast."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests import factories

SUPPLIER_PAGES = [
    "portal:dashboard",
    "portal:firm-edit",
    "portal:members",
    "portal:certifications",
    "portal:barriers",
    "portal:capabilities",
    "portal:capability-create",
    "portal:csv-upload",
    "portal:csv-template",
    "portal:alerts",
]


@pytest.mark.parametrize("name", SUPPLIER_PAGES)
def test_supplier_pages(client, cast, name):
    url = reverse(name)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in") + "?next=")
    for refused in (cast.staff, cast.requester_x):
        client.force_login(refused)
        assert client.get(url).status_code == 403, refused
    client.force_login(cast.supplier_a)
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("name", ["portal:capability-edit", "portal:datasheet"])
def test_another_firms_capability_is_not_found(client, cast, media, name):
    capability = factories.CapabilityFactory(firm=cast.firm_b)
    url = reverse(name, args=[capability.pk])
    assert client.get(url).status_code == 302
    client.force_login(cast.supplier_a)
    assert client.get(url).status_code == 404
    client.force_login(cast.requester_x)
    assert client.get(url).status_code == 403


def test_deactivating_another_firms_capability_is_not_found(client, cast):
    capability = factories.CapabilityFactory(firm=cast.firm_b)
    client.force_login(cast.supplier_a)
    response = client.post(reverse("portal:capability-toggle", args=[capability.pk]))
    assert response.status_code == 404
    capability.refresh_from_db()
    assert capability.active


def test_staff_may_not_edit_a_firms_capability(client, cast):
    capability = factories.CapabilityFactory(firm=cast.firm_a)
    client.force_login(cast.staff)
    assert client.get(reverse("portal:capability-edit", args=[capability.pk])).status_code == 403


def test_requirement_page_follows_what_the_firm_may_see(client, cast):
    official = factories.RequirementFactory()
    sensitive = factories.RequirementFactory(classification="OFFICIAL_SENSITIVE")
    submitted = factories.RequirementFactory(status="SUBMITTED")

    def status(user, requirement):
        client.force_login(user)
        return client.get(reverse("portal:requirement", args=[requirement.reference])).status_code

    assert status(cast.supplier_a, official) == 200
    assert status(cast.supplier_a, sensitive) == 404
    assert status(cast.supplier_a, submitted) == 404
    assert status(cast.supplier_listx, sensitive) == 200
    assert status(cast.supplier_unverified, official) == 404
    assert status(cast.staff, official) == 403
    assert status(cast.requester_x, official) == 403
    client.logout()
    assert client.get(reverse("portal:requirement", args=[official.reference])).status_code == 302


def test_a_supplier_without_a_firm_is_sent_to_register_one(client, db):
    user = factories.UserFactory()
    client.force_login(user)
    response = client.get(reverse("portal:dashboard"))
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:firm-edit")
