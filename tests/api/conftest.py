from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from accounts.models import APIClient
from accounts.services import api_client_create, api_client_revoke
from matching import services as matching_services
from requirements import services as requirement_services
from tests import factories
from tests.conftest import HubRestClient


@pytest.fixture(autouse=True)
def _webhooks_may_call_localhost(settings):
    # The receivers in these tests listen on 127.0.0.1, which production refuses.
    settings.HUB_WEBHOOK_ALLOW_PRIVATE = True
    settings.HUB_WEBHOOK_BACKOFF_SECONDS = 0


def new_requirement(reference, *, status="OPEN", organisation=None, **fields):
    """A requirement made through the service, so its first status is recorded like a real one."""
    defaults = {
        "title": "Interceptor drones against Shahed-type attack drones",
        "description": "Fast quadcopter interceptors to defend energy sites at night.",
        "category_id": "UAS.INTERCEPTOR",
        "quantity": 500,
        "unit": "units",
        "needed_by": dt.date.today() + dt.timedelta(days=365),
        "max_unit_price_gbp": 5000,
        "min_trl": 6,
        "priority": "CRITICAL",
        "classification": "OFFICIAL",
        "itar_free_required": True,
    }
    defaults.update(fields)
    return requirement_services.requirement_create(
        reference=reference,
        status=status,
        requesting_organisation=organisation,
        actor="test",
        **defaults,
    )


@pytest.fixture
def world(cast):
    """The cast plus requirements, capabilities, stored matches and API tokens."""
    req_open = new_requirement("UA-API-0001", organisation=cast.org_x)
    req_sensitive = new_requirement(
        "UA-API-0002", organisation=cast.org_y, classification="OFFICIAL_SENSITIVE"
    )
    req_submitted = new_requirement("UA-API-0003", status="SUBMITTED", organisation=cast.org_x)
    cap_a = factories.CapabilityFactory(firm=cast.firm_a, reference="ALPHA-1", trl=8)
    cap_a2 = factories.CapabilityFactory(
        firm=cast.firm_a, reference="ALPHA-LOW", trl=4, name="Early prototype interceptor"
    )
    cap_b = factories.CapabilityFactory(
        firm=cast.firm_b, reference="BRAVO-1", trl=9, field_proven=True
    )
    cap_x = factories.CapabilityFactory(firm=cast.firm_listx, reference="XRAY-1", trl=7)
    cap_u = factories.CapabilityFactory(firm=cast.firm_unverified, reference="UNV-1", trl=7)
    for requirement in (req_open, req_sensitive):
        matching_services.requirement_rescore(requirement_id=requirement.pk)
    staff_client, staff_token = api_client_create(name="Analyst", scope="STAFF")
    firm_client, firm_token = api_client_create(name="Alpha ERP", scope="FIRM", firm=cast.firm_a)
    expired, expired_token = api_client_create(
        name="Old", scope="STAFF", expires_at=timezone.now() + dt.timedelta(seconds=30)
    )
    APIClient.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    revoked, revoked_token = api_client_create(name="Gone", scope="STAFF")
    api_client_revoke(client=revoked)
    return SimpleNamespace(
        cast=cast,
        req_open=req_open,
        req_sensitive=req_sensitive,
        req_submitted=req_submitted,
        cap_a=cap_a,
        cap_a2=cap_a2,
        cap_b=cap_b,
        cap_x=cap_x,
        cap_u=cap_u,
        staff_client=staff_client,
        firm_client=firm_client,
        tokens={
            "staff_token": staff_token,
            "firm_token": firm_token,
            "expired_token": expired_token,
            "revoked_token": revoked_token,
        },
    )


MEMBERS = (
    "anonymous",
    "supplier_a",
    "supplier_b",
    "supplier_listx",
    "supplier_unverified",
    "requester_x",
    "requester_y",
    "staff",
    "staff_token",
    "firm_token",
    "expired_token",
    "revoked_token",
)


def client_as(world, member):
    """A REST client signed in as a cast member (session; staff with the second factor passed)
    or carrying one of the tokens."""
    client = HubRestClient()
    if member in world.tokens:
        client.credentials(HTTP_AUTHORIZATION=f"Token {world.tokens[member]}")
    elif member != "anonymous":
        client.force_login(getattr(world.cast, member))
    return client
