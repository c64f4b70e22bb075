from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests import factories


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
