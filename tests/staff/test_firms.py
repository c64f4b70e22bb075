"""Staff firm verification queue."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests import factories

URL = "staff:firms"


def test_only_staff_may_open_the_queue(client, cast):
    url = reverse(URL)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in") + "?next=")
    for refused in (cast.supplier_a, cast.supplier_unverified, cast.requester_x):
        client.force_login(refused)
        assert client.get(url).status_code == 403
    client.force_login(cast.staff)
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("action", ["verify", "query", "list_x_confirm"])
def test_only_staff_may_decide(client, cast, action):
    firm = cast.firm_unverified
    firm.list_x_claimed = True
    firm.save()
    data = {"firm": firm.companies_house_number, "action": action, "note": "why"}
    assert client.post(reverse(URL), data).status_code == 302
    for refused in (cast.supplier_unverified, cast.requester_x):
        client.force_login(refused)
        assert client.post(reverse(URL), data).status_code == 403
    firm.refresh_from_db()
    assert (firm.verification_state, firm.list_x, firm.list_x_claimed) == (
        "UNVERIFIED",
        False,
        True,
    )


def test_queue_lists_unverified_queried_and_list_x_claims(client, cast):
    queried = factories.FirmFactory(name="Queried Ltd", verification_state="QUERIED")
    claiming = factories.FirmFactory(name="Claiming Ltd", list_x_claimed=True)
    client.force_login(cast.staff)
    html = client.get(reverse(URL)).content.decode()
    for firm in (cast.firm_unverified, queried, claiming):
        assert f'data-firm="{firm.companies_house_number}"' in html
    assert f'data-firm="{cast.firm_a.companies_house_number}"' not in html
    assert cast.firm_unverified.companies_house_number in html


def test_verify_and_query_change_the_firm(client, cast):
    firm = cast.firm_unverified
    client.force_login(cast.staff)
    data = {"firm": firm.companies_house_number, "action": "query", "note": "Send your VAT number"}
    assert client.post(reverse(URL), data).status_code == 302
    firm.refresh_from_db()
    assert (firm.verification_state, firm.verification_note) == ("QUERIED", "Send your VAT number")
    data = {"firm": firm.companies_house_number, "action": "verify", "note": ""}
    assert client.post(reverse(URL), data).status_code == 302
    firm.refresh_from_db()
    assert firm.verification_state == "VERIFIED"
    assert firm.verified_at is not None


def test_a_query_needs_a_note(client, cast):
    firm = cast.firm_unverified
    client.force_login(cast.staff)
    data = {"firm": firm.companies_house_number, "action": "query", "note": " "}
    response = client.post(reverse(URL), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Say what the firm needs to clarify." in html
    assert 'href="#id_note"' in html
    firm.refresh_from_db()
    assert firm.verification_state == "UNVERIFIED"


@pytest.mark.parametrize(("action", "list_x"), [("list_x_confirm", True), ("list_x_refuse", False)])
def test_list_x_claim_is_confirmed_or_refused(client, cast, action, list_x):
    firm = factories.FirmFactory(list_x_claimed=True)
    client.force_login(cast.staff)
    data = {"firm": firm.companies_house_number, "action": action}
    assert client.post(reverse(URL), data).status_code == 302
    firm.refresh_from_db()
    assert (firm.list_x, firm.list_x_claimed) == (list_x, False)


def test_an_unknown_firm_is_not_found(client, cast):
    client.force_login(cast.staff)
    data = {"firm": "99999999", "action": "verify"}
    assert client.post(reverse(URL), data).status_code == 404
