from __future__ import annotations

import os
from types import SimpleNamespace

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import settings as hypothesis_settings
from rest_framework.test import APIClient as RestClient

from tests import factories

# Property tests: no per-example deadline (a loaded 2-core CI machine is not a slow engine), and
# on CI a fixed derandomised search so a run is repeatable; locally they explore fresh inputs.
hypothesis_settings.register_profile("local", deadline=None)
hypothesis_settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "local")


# Browser and integration tests run on a live server or real workers, so each one ends by
# flushing every table, migration-seeded reference data (the taxonomy) included. They run last,
# whatever order other plugins leave them in, so no database test after them finds it missing.
_FLUSHING = ("tests/e2e/", "tests/integration/")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    items.sort(key=lambda item: item.nodeid.startswith(_FLUSHING))


@pytest.fixture
def cast(db):
    """The fixed cast for permission tests (STYLE.md)."""
    firm_a = factories.FirmFactory(name="Alpha Rotorcraft Ltd")
    firm_b = factories.FirmFactory(name="Bravo Power Ltd")
    firm_listx = factories.FirmFactory(name="Xray Secure Systems Ltd", list_x=True)
    firm_unverified = factories.FirmFactory(
        name="Unverified Works Ltd", verification_state="UNVERIFIED"
    )
    org_x = factories.OrganisationFactory(slug="org-x", name="Organisation X")
    org_y = factories.OrganisationFactory(slug="org-y", name="Organisation Y")
    return SimpleNamespace(
        firm_a=firm_a,
        firm_b=firm_b,
        firm_listx=firm_listx,
        firm_unverified=firm_unverified,
        org_x=org_x,
        org_y=org_y,
        supplier_a=factories.MembershipFactory(firm=firm_a).user,
        supplier_b=factories.MembershipFactory(firm=firm_b).user,
        supplier_listx=factories.MembershipFactory(firm=firm_listx).user,
        supplier_unverified=factories.MembershipFactory(firm=firm_unverified).user,
        requester_x=factories.RequesterFactory(organisation=org_x),
        requester_y=factories.RequesterFactory(organisation=org_y),
        staff=factories.StaffFactory(),
        # Signed in with the password only: log in with client.force_login_without_second_factor.
        staff_without_otp=factories.StaffFactory(),
    )


def confirmed_authenticator(user):
    """The user's confirmed TOTP device, made on first use (a real django-otp row)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name="Test phone", confirmed=True)


def complete_second_factor(client, user) -> None:
    """Mark the client's session as verified by the user's device, as django_otp.login does."""
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = confirmed_authenticator(user).persistent_id
    session.save()


class SecondFactorLoginMixin:
    """force_login as the suite has always used it: a hub staff member is signed in the whole
    way, password and second factor. force_login_without_second_factor stops at the password."""

    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        if user.is_hub_staff:
            complete_second_factor(self, user)

    def force_login_without_second_factor(self, user, backend=None):
        super().force_login(user, backend)


class HubClient(SecondFactorLoginMixin, Client):
    pass


class HubRestClient(SecondFactorLoginMixin, RestClient):
    """DRF's test client; its force_authenticate skips authentication (and so the second-factor
    check) altogether, like a token would: session tests use force_login."""


@pytest.fixture
def client():
    return HubClient()


@pytest.fixture
def admin_client(db, admin_user):
    client = HubClient()
    client.force_login(admin_user)
    return client


@pytest.fixture(autouse=True)
def _fresh_warm_index():
    """Each test's database starts afresh, so the process-wide capability index and engine
    configuration must too."""
    from matching.index_cache import drop_warm_index
    from matching.selectors import forget_reading_config

    drop_warm_index()
    forget_reading_config()
    yield
    drop_warm_index()
    forget_reading_config()
