"""One scenario for the security tests: the fixed cast (tests/conftest.py), a real object of every
kind a URL names, API tokens, and a signed-in client per cast member."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice

from accounts.models import FirmMembership
from accounts.services import api_client_create
from firms import csv_upload
from firms import services as firm_services
from firms.models import CategoryRelation
from matching import services as matching_services
from matching.models import Synonym, WebhookDelivery, WebhookEndpoint
from requirements import services as requirement_services
from tests import factories
from tests.api.conftest import new_requirement as requirement
from tests.conftest import HubClient, confirmed_authenticator

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# Browser sessions, in the order of STYLE.md's cast; `staff_without_otp` joins once the cast has
# it (staff who signed in with a password but have not passed the second factor yet).
SESSION_MEMBERS = (
    "anonymous",
    "supplier_a",
    "supplier_b",
    "supplier_listx",
    "supplier_unverified",
    "requester_x",
    "requester_y",
    "staff",
    "staff_without_otp",
)
TOKEN_MEMBERS = ("firm_token", "staff_token")


@dataclass
class Scenario:
    cast: Any
    objects: SimpleNamespace
    tokens: dict[str, str]
    members: tuple[str, ...]
    _clients: dict[str, Client] = field(default_factory=dict)

    def client(self, member: str) -> Client:
        """A client for the member, kept for the whole scenario (signing in once each)."""
        if member not in self._clients:
            self._clients[member] = self.fresh_client(member)
        return self._clients[member]

    def fresh_client(self, member: str, **options: Any) -> Client:
        if member in self.tokens:
            return Client(headers={"Authorization": f"Token {self.tokens[member]}"}, **options)
        client = HubClient(**options)  # its force_login completes a staff member's second factor
        if member == "staff_without_otp":
            client.force_login_without_second_factor(self.cast.staff_without_otp)
        elif member != "anonymous":
            client.force_login(getattr(self.cast, member))
        return client


def build(cast: Any) -> Scenario:
    """Every object the URL table points at; built once per test through the service layer."""
    o = SimpleNamespace()
    o.req_open = requirement("UA-SEC-0001", organisation=cast.org_x)
    o.req_sensitive = requirement(
        "UA-SEC-0002", organisation=cast.org_y, classification="OFFICIAL_SENSITIVE"
    )
    o.req_submitted = requirement("UA-SEC-0003", status="SUBMITTED", organisation=cast.org_x)
    # A likely duplicate of req_open, for the merge and dismiss URLs.
    o.req_twin = requirement("UA-SEC-0004", organisation=cast.org_x)
    o.cap_a = factories.CapabilityFactory(firm=cast.firm_a, reference="ALPHA-1", trl=8)
    o.cap_b = factories.CapabilityFactory(firm=cast.firm_b, reference="BRAVO-1", trl=9)
    o.cap_x = factories.CapabilityFactory(firm=cast.firm_listx, reference="XRAY-1")
    o.cap_u = factories.CapabilityFactory(firm=cast.firm_unverified, reference="UNV-1")
    for req in (o.req_open, o.req_sensitive, o.req_twin):
        matching_services.requirement_rescore(requirement_id=req.pk)
    o.shortlist_entry = requirement_services.shortlist_add(
        requirement=o.req_open, capability=o.cap_b, by=cast.staff, note="strong field record"
    )
    firm_services.capability_datasheet_attach(
        capability=o.cap_a,
        upload=SimpleUploadedFile("alpha.pdf", PDF, content_type="application/pdf"),
    )
    o.membership_a = FirmMembership.objects.get(user=cast.supplier_a)
    o.job_a = uuid.uuid4().hex
    csv_upload.progress_set(o.job_a, firm_id=cast.firm_a.pk, state="running", done=1, total=2)
    requirement_services.interest_express(
        requirement=o.req_open, firm=cast.firm_a, by=cast.supplier_a, note="we can ship in May"
    )
    o.report = factories.FieldReportFactory(capability=o.cap_b)
    requirement_services.export_record(
        by=cast.staff,
        kind="MATCHES",
        requirement=o.req_open,
        file_format="CSV",
        language="en",
        row_count=3,
    )
    firm_services.firm_barriers_save(
        firm=cast.firm_a, answers={"INSURANCE": ("IN_PROGRESS", "broker found")}
    )
    factories.CertificationFactory(firm=cast.firm_a)
    requirement_services.duplicate_dismiss(
        requirement=o.req_sensitive, other=o.req_submitted, by=cast.staff
    )
    # Rows for the admin's device pages (the one force_login verifies the session with).
    o.staff_device = confirmed_authenticator(cast.staff)
    StaticDevice.objects.create(user=cast.staff, name="recovery codes", confirmed=True)
    Group.objects.get_or_create(name="Nobody uses groups")
    if not Synonym.objects.exists():
        Synonym.objects.create(terms="drone, uav")
    if not CategoryRelation.objects.exists():
        CategoryRelation.objects.create(category_id="UAS.FPV", related_to_id="UAS.INTERCEPTOR")

    _staff_client, staff_token = api_client_create(name="Security analyst", scope="STAFF")
    firm_client, firm_token = api_client_create(name="Alpha ERP", scope="FIRM", firm=cast.firm_a)
    o.webhook = WebhookEndpoint.objects.create(
        client=firm_client, url="https://hooks.alpha.example/hub", secret="s" * 64, secret_id="abcd"
    )
    WebhookDelivery.objects.create(
        endpoint=o.webhook, event_id=uuid.uuid4(), requirement=o.req_open, payload={}
    )
    members = tuple(m for m in SESSION_MEMBERS if m == "anonymous" or hasattr(cast, m))
    return Scenario(
        cast=cast,
        objects=o,
        tokens={"firm_token": firm_token, "staff_token": staff_token},
        members=members,
    )
