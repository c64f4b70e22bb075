from __future__ import annotations

import re
import time

import pytest
from django.core import mail
from django.urls import reverse

from accounts.middleware import LAST_SEEN_KEY
from accounts.models import FirmMembership, User
from tests import factories

PASSWORD = "correct-horse-battery"


def _link(message) -> str:
    match = re.search(r"https?://testserver(/\S+)", message.body)
    assert match, message.body
    return match.group(1)


@pytest.mark.django_db
def test_public_pages_need_no_sign_in(client):
    for name in ["home", "privacy", "accessibility", "accounts:sign-in", "accounts:sign-up"]:
        response = client.get(reverse(name))
        assert response.status_code == 200, name
    assert b"Skip to main content" in client.get(reverse("home")).content


@pytest.mark.django_db
def test_sign_up_sends_a_link_and_the_account_works_only_after_it(client):
    response = client.post(
        reverse("accounts:sign-up"),
        {
            "full_name": "Ann Smith",
            "email": "Ann@Example.test",
            "password": "tight-rotor-blades-9",
            "accept_privacy": "on",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="ann@example.test")
    assert not user.is_active
    assert len(mail.outbox) == 1
    signin = client.post(
        reverse("accounts:sign-in"),
        {"email": "ann@example.test", "password": "tight-rotor-blades-9"},
    )
    assert "Confirm your e-mail address first" in signin.content.decode()

    response = client.get(_link(mail.outbox[0]))
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:firm-edit")
    user.refresh_from_db()
    assert user.is_active
    assert client.get(reverse("portal:firm-edit")).status_code == 200


@pytest.mark.django_db
def test_sign_up_errors_name_the_field(client):
    factories.UserFactory(email="taken@example.test")
    response = client.post(
        reverse("accounts:sign-up"), {"email": "taken@example.test", "password": "short"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert 'href="#id_accept_privacy"' in html
    assert 'href="#id_password"' in html or 'href="#id_email"' in html


@pytest.mark.django_db
def test_a_tampered_verification_link_is_refused(client):
    response = client.get(reverse("accounts:verify-email", args=["nonsense"]))
    assert response.status_code == 400


@pytest.mark.django_db
def test_sign_in_takes_a_supplier_to_the_dashboard_and_sign_out_needs_post(client):
    user = factories.MembershipFactory().user
    response = client.post(reverse("accounts:sign-in"), {"email": user.email, "password": PASSWORD})
    assert response["Location"] == reverse("portal:dashboard")
    assert client.get(reverse("accounts:sign-out")).status_code == 405
    client.post(reverse("accounts:sign-out"))
    assert client.get(reverse("portal:dashboard")).status_code == 302


@pytest.mark.django_db
def test_sign_in_refuses_a_foreign_next_url(client):
    user = factories.MembershipFactory().user
    response = client.post(
        reverse("accounts:sign-in") + "?next=https://evil.example/",
        {"email": user.email, "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("portal:dashboard")


@pytest.mark.django_db
def test_five_failures_lock_the_address_even_for_the_right_password(client, settings):
    settings.HUB_SIGN_IN_MAX_FAILURES = 5
    user = factories.MembershipFactory().user
    for _ in range(5):
        response = client.post(
            reverse("accounts:sign-in"), {"email": user.email, "password": "wrong-one"}
        )
        assert response.status_code == 200
    assert "locked" in response.content.decode()
    response = client.post(reverse("accounts:sign-in"), {"email": user.email, "password": PASSWORD})
    assert response.status_code == 200
    assert "locked" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_an_idle_session_ends(client, settings):
    settings.HUB_SESSION_IDLE_SECONDS = 60
    user = factories.MembershipFactory().user
    client.force_login(user)
    assert client.get(reverse("portal:dashboard")).status_code == 200
    session = client.session
    session[LAST_SEEN_KEY] = int(time.time()) - 120
    session.save()
    response = client.get(reverse("portal:dashboard"))
    assert response.status_code == 302
    assert reverse("accounts:sign-in") in response["Location"]
    page = client.get(response["Location"])
    assert "inactive" in page.content.decode()


@pytest.mark.django_db
def test_password_reset_sends_a_working_link(client):
    user = factories.MembershipFactory().user
    client.post(reverse("accounts:password-reset"), {"email": user.email})
    assert len(mail.outbox) == 1
    response = client.get(_link(mail.outbox[0]), follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url, {"new_password1": "fresh-rotor-blades-7", "new_password2": "fresh-rotor-blades-7"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("fresh-rotor-blades-7")


@pytest.mark.django_db
def test_delete_account_needs_confirmation_then_removes_the_user(client):
    membership = factories.MembershipFactory()
    client.force_login(membership.user)
    response = client.post(reverse("accounts:delete"), {})
    assert 'href="#id_confirm"' in response.content.decode()
    response = client.post(reverse("accounts:delete"), {"confirm": "on"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=membership.user.pk).exists()
    assert FirmMembership.objects.filter(firm=membership.firm).count() == 0
    assert type(membership.firm).objects.filter(pk=membership.firm.pk).exists()


@pytest.mark.django_db
def test_account_pages_redirect_anonymous_visitors(client):
    for name in ["accounts:account", "accounts:delete"]:
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert reverse("accounts:sign-in") in response["Location"]
