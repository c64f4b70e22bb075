from __future__ import annotations

import os
from types import SimpleNamespace

import pytest
from hypothesis import settings as hypothesis_settings

from tests import factories

# Property tests: no per-example deadline (a loaded 2-core CI machine is not a slow engine), and
# on CI a fixed derandomised search so a run is repeatable; locally they explore fresh inputs.
hypothesis_settings.register_profile("local", deadline=None)
hypothesis_settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "local")


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
    )


@pytest.fixture(autouse=True)
def _fresh_warm_index():
    """Each test's database starts afresh, so the process-wide capability index must too."""
    from matching.index_cache import drop_warm_index

    drop_warm_index()
    yield
    drop_warm_index()
