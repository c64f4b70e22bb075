"""Every supplier page answers in a pinned number of queries, whatever the firm's size."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from firms.models import FirmCertification
from matching import services as matching_services
from tests import factories

pytestmark = pytest.mark.django_db

# Page -> the most queries it may take: what it takes today plus two of headroom.
PINNED = {
    "portal:dashboard": 16,
    "portal:firm-edit": 6,
    "portal:members": 8,
    "portal:certifications": 7,
    "portal:barriers": 7,
    "portal:capabilities": 7,
    "portal:capability-create": 7,
    "portal:capability-edit": 9,
    "portal:csv-upload": 6,
    "portal:alerts": 5,
    "portal:requirement": 14,
    "accounts:account": 4,
}


def grow(firm, count, requirements):
    for _ in range(count):
        capability = factories.CapabilityFactory(firm=firm)
        factories.FieldReportFactory(capability=capability)
    for requirement in requirements:
        matching_services.requirement_rescore(requirement_id=requirement.pk)


def page_queries(client, name, firm, requirement):
    args = {
        "portal:capability-edit": [firm.capabilities.order_by("pk").first().pk],
        "portal:requirement": [requirement.reference],
    }.get(name, [])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(name, args=args))
    assert response.status_code == 200, name
    return len(queries)


def test_every_supplier_page_stays_within_its_pinned_query_count(client, cast):
    firm = cast.firm_a
    FirmCertification.objects.create(firm=firm, code="ISO9001")
    requirements = [factories.RequirementFactory(reference=f"UA-Q-{i}") for i in range(3)]
    client.force_login(cast.supplier_a)

    grow(firm, 2, requirements)
    # Once unmeasured: per-process caches (the category codes matching.storage reads once a
    # minute) fill on the first request, and the counts are those of a warm process.
    for name in PINNED:
        page_queries(client, name, firm, requirements[0])
    small = {name: page_queries(client, name, firm, requirements[0]) for name in PINNED}
    grow(firm, 6, requirements)
    large = {name: page_queries(client, name, firm, requirements[0]) for name in PINNED}

    for name, limit in PINNED.items():
        assert large[name] <= limit, f"{name}: {large[name]} queries (pinned {limit})"
        # Four times the capabilities and reports must not mean more queries (no N+1).
        assert large[name] == small[name], f"{name}: {small[name]} -> {large[name]} queries"
