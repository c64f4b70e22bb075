"""Hub staff invite requesters for an organisation (issue 6); the invitation is accepted."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts import services
from accounts.models import Organisation, User
from tests import factories

URL = "/staff/requesters/"
NEW_PASSWORD = "steady-rotor-Kyiv-77"


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


def _link(message) -> str:
    match = re.search(r"https?://testserver(/\S+)", message.body)
    assert match, message.body
    return match.group(1)


def _invite(client, organisation, email="liaison@brigade.example.gov.ua"):
    return client.post(URL, {"action": "invite", "organisation": organisation.pk, "email": email})


def test_the_url_name(cast):
    assert reverse("staff-requesters") == URL


def test_only_staff_may_open_or_post_the_page(client, cast):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:sign-in") + "?next=" + URL
    for refused in (cast.supplier_a, cast.supplier_listx, cast.requester_x, cast.requester_y):
        client.force_login(refused)
        assert client.get(URL).status_code == 403
        assert _invite(client, cast.org_x).status_code == 403
        post = client.post(URL, {"action": "organisation", "name": "Sneaky Org"})
        assert post.status_code == 403
    assert not User.objects.filter(email="liaison@brigade.example.gov.ua").exists()
    assert not Organisation.objects.filter(name="Sneaky Org").exists()
    assert mail.outbox == []


def test_the_page_lists_organisations_with_their_requesters(client, cast):
    factories.RequirementFactory(requesting_organisation=cast.org_x)
    client.force_login(cast.staff)
    html = client.get(URL).content.decode()
    assert "Organisation X" in html
    assert "Organisation Y" in html
    assert cast.requester_x.email in html
    assert cast.requester_y.email in html
    assert cast.supplier_a.email not in html
    assert re.search(r'data-organisation="org-x">.*?<td>1</td>', html, re.S)


def test_staff_add_an_organisation(client, cast):
    client.force_login(cast.staff)
    response = client.post(
        URL,
        {"action": "organisation", "name": "Kherson Regional Administration", "name_uk": ""},
    )
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="Kherson Regional Administration")
    assert organisation.slug == "kherson-regional-administration"
    assert "Kherson Regional Administration" in client.get(URL).content.decode()


def test_an_organisation_needs_a_name_and_a_free_short_name(client, cast):
    client.force_login(cast.staff)
    response = client.post(URL, {"action": "organisation", "name": ""})
    assert response.status_code == 200
    assert 'href="#id_name"' in response.content.decode()
    response = client.post(URL, {"action": "organisation", "name": "Again", "slug": "org-x"})
    assert response.status_code == 200
    assert "An organisation with this short name already exists" in response.content.decode()
    assert Organisation.objects.count() == 2


def test_an_invitation_is_sent_and_accepted(client, cast):
    client.force_login(cast.staff)
    response = _invite(client, cast.org_x, email="Liaison@Brigade.example.gov.ua")
    assert response.status_code == 302
    invited = User.objects.get(email="liaison@brigade.example.gov.ua")
    assert invited.role == "REQUESTER"
    assert invited.organisation == cast.org_x
    assert not invited.is_active
    assert not invited.has_usable_password()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["liaison@brigade.example.gov.ua"]
    assert "Organisation X" in message.subject
    assert "Organisation X" in message.body
    assert "Вітаємо," in message.body  # Ukrainian first, then English
    assert message.body.count(_link(message)) == 2
    assert "Invited" in client.get(URL).content.decode()

    client.logout()
    link = _link(message)
    page = client.get(link)
    assert page.status_code == 200
    assert "Organisation X" in page.content.decode()
    response = client.post(
        link,
        {
            "full_name": "Olena Kovalenko",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("requester:requirements")
    invited.refresh_from_db()
    assert invited.is_active
    assert invited.full_name == "Olena Kovalenko"
    assert invited.is_requester
    assert client.get(reverse("requester:requirements")).status_code == 200
    # The link works once: it is tied to the password it replaced.
    client.logout()
    assert client.get(link).status_code == 400
    signed_in = client.post(
        reverse("accounts:sign-in"),
        {"email": "liaison@brigade.example.gov.ua", "password": NEW_PASSWORD},
    )
    assert signed_in["Location"] == reverse("requester:requirements")


def test_the_invitation_is_in_ukrainian_first_then_english(client, cast):
    client.force_login(cast.staff)
    _invite(client, cast.org_x)
    message = mail.outbox[0]
    assert message.subject == (
        "Ваш обліковий запис від Organisation X у Київському хабі оборонної промисловості"
        " / Your account for Organisation X on the Kyiv Defence Industry Hub"
    )
    ukrainian, english = message.body.split("----")
    assert "Персонал хабу створив для вас обліковий запис замовника" in ukrainian
    assert "Hub staff have opened an account for you" in english


def test_an_unanswered_invitation_can_be_sent_again(client, cast):
    client.force_login(cast.staff)
    _invite(client, cast.org_x)
    assert _invite(client, cast.org_x).status_code == 302
    assert len(mail.outbox) == 2
    assert User.objects.filter(email="liaison@brigade.example.gov.ua").count() == 1


@pytest.mark.parametrize(
    ("who", "organisation", "message"),
    [
        ("supplier_a", "org_x", "not a requester"),
        ("staff", "org_x", "not a requester"),
        ("requester_y", "org_x", "requester of another organisation"),
        ("requester_x", "org_x", "already has an account"),
    ],
)
def test_an_address_already_in_use_is_refused_naming_the_field(
    client, cast, who, organisation, message
):
    existing = getattr(cast, who)
    before = (existing.role, existing.organisation_id)
    client.force_login(cast.staff)
    response = _invite(client, getattr(cast, organisation), email=existing.email)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="#id_email"' in html
    assert message in html
    assert mail.outbox == []
    existing.refresh_from_db()
    assert (existing.role, existing.organisation_id) == before
    assert existing.is_active


def test_an_invitation_needs_an_organisation_and_an_address(client, cast):
    client.force_login(cast.staff)
    response = client.post(URL, {"action": "invite", "organisation": "", "email": "not-an-address"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_organisation"' in html
    assert 'href="#id_email"' in html
    assert mail.outbox == []


def test_the_services_refuse_anyone_but_staff(cast):
    for refused in (cast.supplier_a, cast.requester_x):
        with pytest.raises(PermissionDenied):
            services.requester_invite(organisation=cast.org_x, email="a@b.example", by=refused)
        with pytest.raises(PermissionDenied):
            services.organisation_create(name="Anything", by=refused)
    with pytest.raises(ValidationError):
        services.organisation_create(name="   ", by=cast.staff)
