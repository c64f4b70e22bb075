"""E-mails go in the language the recipient uses the portal in, whoever's action sends them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from firms import alerts
from requirements.dates import kyiv_today
from tests import factories

PASSWORD = "correct-horse-battery"
SIGN_IN = reverse("accounts:sign-in")
SET_LANGUAGE = reverse("set_language")


def _language(user: User) -> str:
    return User.objects.get(pk=user.pk).language


@pytest.mark.django_db
def test_signing_in_on_the_ukrainian_pages_keeps_ukrainian(client):
    user = factories.UserFactory()
    assert _language(user) == ""
    response = client.post(
        SIGN_IN, {"email": user.email, "password": PASSWORD}, HTTP_ACCEPT_LANGUAGE="uk"
    )
    assert response.status_code == 302
    assert _language(user) == "uk"


@pytest.mark.django_db
def test_a_failed_sign_in_keeps_nothing(client):
    user = factories.UserFactory()
    client.post(SIGN_IN, {"email": user.email, "password": "wrong"}, HTTP_ACCEPT_LANGUAGE="uk")
    assert _language(user) == ""


@pytest.mark.django_db
def test_the_language_switch_keeps_a_signed_in_users_choice(client):
    user = factories.UserFactory(language="uk")
    client.force_login(user)
    response = client.post(SET_LANGUAGE, {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"
    assert _language(user) == "en"
    client.post(SET_LANGUAGE, {"language": "xx", "next": "/"})
    assert _language(user) == "en"


@pytest.mark.django_db
def test_the_language_switch_still_works_for_visitors(client):
    response = client.post(SET_LANGUAGE, {"language": "uk", "next": "/"})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "uk"
    assert client.get(SET_LANGUAGE + "?language=en").status_code == 302
    assert client.cookies["django_language"].value == "uk"


def test_a_background_reminder_goes_in_each_recipients_language(cast):
    """The certification reminders run in Celery beat, with no request and no language of its
    own: each recipient gets their own language, and English while they have none."""
    factories.CertificationFactory(
        firm=cast.firm_a, code="AQAP2110", expires_on=kyiv_today() + dt.timedelta(days=20)
    )
    colleague = factories.MembershipFactory(firm=cast.firm_a).user
    User.objects.filter(pk=cast.supplier_a.pk).update(language="uk")
    with translation.override("en"):
        assert alerts.certification_reminders_send() == 2
    sent = {m.to[0]: m for m in mail.outbox}
    ukrainian, english = sent[cast.supplier_a.email], sent[colleague.email]
    assert ukrainian.body.startswith("Вітаємо,")
    assert ukrainian.subject.startswith("Строк дії")
    assert "через 30 днів" in ukrainian.subject
    assert english.body.startswith("Hello,")
    assert "expires in 30 days" in english.subject
