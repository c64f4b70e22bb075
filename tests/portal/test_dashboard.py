from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from firms import selectors as firm_selectors
from firms.selectors import fitting_requirements
from matching import services as matching
from matching.models import Match
from matching.selectors import standing_for_firm
from requirements.models import Interest, Requirement
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


def _ranked_by_hand(user):
    """The firm's best row per requirement, worked out in Python from its whole standing."""
    best = {}
    for row in standing_for_firm(user=user):
        current = best.get(row.requirement_id)
        if current is None or (row.eligible, row.score) > (current.eligible, current.score):
            best[row.requirement_id] = row
    ranked = sorted(best.values(), key=lambda m: (not m.eligible, -m.score, m.requirement_id))
    return [m.pk for m in ranked]


def _shown(response):
    return [int(pk) for pk in re.findall(r'<article [^>]*aria-labelledby="fit-(\d+)"', response)]


@pytest.fixture
def standing(cast, market):
    """Firm A with two identical capabilities (every score a tie between them) and a spread of
    requirements, some blocked."""
    twin = factories.CapabilityFactory(firm=cast.firm_a, name="Hawk interceptor")
    for n in range(6):
        requirement = factories.RequirementFactory(
            title=f"Interceptor batch {n}",
            min_trl=5 + n % 4,
            max_unit_price_gbp=1000 + 400 * n,
            needed_by=dt.date.today() + dt.timedelta(days=60 * (n + 1)),
        )
        matching.requirement_rescore(requirement_id=requirement.pk)
    for requirement in market[1:]:
        matching.requirement_rescore(requirement_id=requirement.pk)
    return twin


def test_fits_rank_the_best_row_of_each_requirement_as_before(cast, standing):
    expected = _ranked_by_hand(cast.supplier_a)
    assert len(expected) == 9
    rows, more = fitting_requirements(user=cast.supplier_a, per_page=50)
    assert [m.pk for m in rows] == expected
    assert not more
    # Every score is a tie between the twins, which goes to the lower capability id.
    twins = Match.objects.filter(capability__firm=cast.firm_a)
    assert all(
        len(set(twins.filter(requirement=m.requirement_id).values_list("score", flat=True))) == 1
        for m in rows
    )
    assert {m.capability_id for m in rows} == {cast.firm_a.capabilities.order_by("pk")[0].pk}
    assert all(m.breakdown and all(p.get("reason") for p in m.breakdown) for m in rows)


def test_fits_are_paged_in_rank_order(client, cast, standing, monkeypatch):
    monkeypatch.setattr(firm_selectors, "FITS_PER_PAGE", 4)
    expected = _ranked_by_hand(cast.supplier_a)
    client.force_login(cast.supplier_a)
    url = reverse("portal:dashboard")
    pages = [client.get(url, {"page": n}).content.decode() for n in (1, 2, 3)]
    assert [_shown(page) for page in pages] == [expected[:4], expected[4:8], expected[8:]]
    assert 'rel="next"' in pages[0]
    assert 'rel="prev"' not in pages[0]
    assert 'href="?page=3#fits-h" rel="next"' in pages[1]
    assert 'href="?page=1#fits-h" rel="prev"' in pages[1]
    assert 'rel="next"' not in pages[2]
    assert "Page 3" in pages[2]
    # No page parameter, or a bad one, is the first page; past the end goes back to it.
    assert _shown(client.get(url).content.decode()) == expected[:4]
    assert _shown(client.get(url, {"page": "two"}).content.decode()) == expected[:4]
    assert client.get(url, {"page": 4}).headers["Location"] == url


def test_one_page_needs_no_page_links(client, cast, market):
    client.force_login(cast.supplier_a)
    html = client.get(reverse("portal:dashboard")).content.decode()
    assert len(_shown(html)) == 3
    assert 'rel="next"' not in html
    assert "Page 1" not in html


def test_another_firm_pages_only_its_own_rows(client, cast, standing, monkeypatch):
    monkeypatch.setattr(firm_selectors, "FITS_PER_PAGE", 2)
    factories.CapabilityFactory(firm=cast.firm_b, name="Bravo interceptor")
    for requirement in Requirement.objects.all():
        matching.requirement_rescore(requirement_id=requirement.pk)
    client.force_login(cast.supplier_b)
    shown = []
    for n in range(1, 6):
        shown += _shown(client.get(reverse("portal:dashboard"), {"page": n}).content.decode())
    assert len(shown) == Requirement.objects.count()
    assert set(Match.objects.filter(pk__in=shown).values_list("capability__firm", flat=True)) == {
        cast.firm_b.pk
    }
