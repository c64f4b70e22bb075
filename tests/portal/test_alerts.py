from __future__ import annotations

import datetime as dt
import re

from django.core import mail
from django.urls import reverse

from firms import alerts
from firms.models import AlertPreference
from matching import services as matching
from requirements.dates import kyiv_today
from tests import factories


def test_certification_reminder_goes_once_30_days_ahead(cast):
    factories.CertificationFactory(
        firm=cast.firm_a, code="AQAP2110", expires_on=kyiv_today() + dt.timedelta(days=20)
    )
    factories.CertificationFactory(
        firm=cast.firm_b, code="AQAP2110", expires_on=kyiv_today() + dt.timedelta(days=90)
    )
    assert alerts.certification_reminders_send() == 1
    assert mail.outbox[0].to == [cast.supplier_a.email]
    assert "AQAP 2110" in mail.outbox[0].subject
    assert alerts.certification_reminders_send() == 0


def test_a_critical_fit_is_mailed_at_once_and_only_once(cast):
    AlertPreference.objects.create(user=cast.supplier_a)
    factories.CapabilityFactory(firm=cast.firm_a)
    requirement = factories.RequirementFactory(priority="CRITICAL")
    matching.requirement_rescore(requirement_id=requirement.pk)
    assert alerts.requirement_alerts_send() >= 1
    sent = [m for m in mail.outbox if m.to == [cast.supplier_a.email]]
    assert len(sent) == 1
    assert "critical" in sent[0].subject.lower()
    mail.outbox.clear()
    alerts.requirement_alerts_send()
    assert not [m for m in mail.outbox if m.to == [cast.supplier_a.email]]


def test_unsubscribe_is_one_click_without_signing_in(client, cast):
    AlertPreference.objects.create(user=cast.supplier_a)
    factories.CapabilityFactory(firm=cast.firm_a)
    requirement = factories.RequirementFactory(priority="CRITICAL")
    matching.requirement_rescore(requirement_id=requirement.pk)
    alerts.requirement_alerts_send()
    body = next(m.body for m in mail.outbox if m.to == [cast.supplier_a.email])
    path = re.search(r"https?://[^/\s]+(/\S*unsubscribe\S*)", body).group(1)
    assert client.get(path).status_code == 200
    preference = AlertPreference.objects.get(user=cast.supplier_a)
    assert not preference.daily_digest
    assert not preference.immediate_critical
    assert client.get(reverse("portal:alerts-unsubscribe", args=["forged"])).status_code == 400


def test_alert_preferences_page_saves_choices(client, cast):
    client.force_login(cast.supplier_a)
    response = client.post(reverse("portal:alerts"), {"daily_digest": "on"})
    assert response.status_code == 302
    preference = AlertPreference.objects.get(user=cast.supplier_a)
    assert preference.daily_digest
    assert not preference.immediate_critical
