from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from matching import services as matching
from requirements.models import Interest
from tests import factories


@pytest.fixture
def market(cast):
    """Firm A's interceptor fits one requirement and is blocked on another for want of AQAP."""
    capability = factories.CapabilityFactory(firm=cast.firm_a, name="Hawk interceptor")
    fitting = factories.RequirementFactory(title="Interceptors for energy sites")
    needs_aqap = factories.RequirementFactory(
        title="Interceptors with NATO quality assurance", required_certifications=["AQAP2110"]
    )
    too_soon = factories.RequirementFactory(
        title="Interceptors next week", needed_by=dt.date.today() + dt.timedelta(days=10)
    )
    for requirement in (fitting, needs_aqap, too_soon):
        matching.requirement_rescore(requirement_id=requirement.pk)
    return capability, fitting, needs_aqap, too_soon


def test_fits_are_ranked_with_reasons_and_blockers_in_plain_words(client, cast, market):
    _, fitting, needs_aqap, too_soon = market
    client.force_login(cast.supplier_a)
    html = client.get(reverse("portal:dashboard")).content.decode()
    assert html.index(fitting.title) < html.index(needs_aqap.title)
    assert "Why you match" in html
    assert "What blocks you" in html
    assert "needs AQAP 2110" in html
    assert "lead time misses the date by" in html
    assert "MISSING_CERTIFICATION" not in html
    assert "UAS.INTERCEPTOR" not in html


def test_an_unverified_firm_sees_no_requirements(client, cast, market):
    factories.CapabilityFactory(firm=cast.firm_unverified)
    for requirement in market[1:]:
        matching.requirement_rescore(requirement_id=requirement.pk)
    client.force_login(cast.supplier_unverified)
    html = client.get(reverse("portal:dashboard")).content.decode()
    assert "Requirements appear here after verification" in html
    assert market[1].title not in html


def test_another_firm_never_sees_firm_as_rows(client, cast, market):
    client.force_login(cast.supplier_b)
    html = client.get(reverse("portal:dashboard")).content.decode()
    assert "Hawk interceptor" not in html
    assert "No active requirement fits" in html


def test_express_and_withdraw_interest_with_a_note(client, cast, market):
    _, fitting, _, _ = market
    client.force_login(cast.supplier_a)
    url = reverse("portal:requirement", args=[fitting.reference])
    page = client.get(url).content.decode()
    assert "Hawk interceptor" in page
    assert "Express interest" in page
    client.post(url, {"action": "express", "note": "Can ship 400 a month"})
    interest = Interest.objects.get(requirement=fitting, firm=cast.firm_a)
    assert interest.note == "Can ship 400 a month"
    assert interest.is_current
    assert "Interest expressed" in client.get(reverse("portal:dashboard")).content.decode()
    client.post(url, {"action": "withdraw", "note": ""})
    interest.refresh_from_db()
    assert not interest.is_current
    assert interest.note == "Can ship 400 a month"


def test_field_reports_hide_the_reporting_unit(client, cast, market):
    capability = market[0]
    factories.FieldReportFactory(
        capability=capability, author_unit="93rd Brigade", summary="Held up"
    )
    client.force_login(cast.supplier_a)
    html = client.get(reverse("portal:dashboard")).content.decode()
    assert "Held up" in html
    assert "93rd Brigade" not in html


def test_dashboard_query_count_is_pinned(client, cast, market, django_assert_max_num_queries):
    for n in range(10):
        requirement = factories.RequirementFactory(title=f"Interceptor batch {n}")
        matching.requirement_rescore(requirement_id=requirement.pk)
        factories.FieldReportFactory(capability=market[0])
    client.force_login(cast.supplier_a)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("portal:dashboard"))
    assert response.content.decode().count("Interceptor batch") >= 10
