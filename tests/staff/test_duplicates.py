"""Likely duplicates on the staff requirement page: ranking, merge and dismiss (issue 6)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from firms.models import CategoryRelation
from requirements.models import DuplicateDismissal, Requirement, RequirementTransition
from requirements.selectors import likely_duplicates
from tests import factories

KEPT_TEXT = {
    "title": "Interceptor drones against Shahed attack drones",
    "description": "Fast quadcopter interceptors to defend energy sites from Shahed drones.",
}


def _requirement(reference, category="UAS.INTERCEPTOR", status="SUBMITTED", **text):
    fields = {**KEPT_TEXT, **text}
    return factories.RequirementFactory(
        reference=reference, category=factories.category(category), status=status, **fields
    )


@pytest.fixture
def kept(db):
    return _requirement("UA-KEPT")


def _listed(client, requirement):
    html = client.get(reverse("staff:requirement", args=[requirement.reference])).content.decode()
    return html, re.findall(r'data-duplicate="([^"]+)"', html)


def test_close_text_in_the_same_or_a_related_category_is_listed_closest_first(kept):
    same = _requirement("UA-SAME")
    near = _requirement(
        "UA-NEAR",
        title="Shahed interceptor drones",
        description="Quadcopters to stop attack drones over power plants at night.",
    )
    CategoryRelation.objects.get_or_create(
        category=factories.category("UAS.INTERCEPTOR"),
        related_to=factories.category("CUAS.KINETIC"),
    )
    related = _requirement("UA-RELATED", category="CUAS.KINETIC")
    _requirement("UA-UNRELATED-CATEGORY", category="MED.FIRST_AID")
    _requirement(
        "UA-OTHER-TEXT",
        title="Field water purification units",
        description="Portable filtration for brigade water supply in winter.",
    )
    _requirement("UA-CLOSED", status="CLOSED")
    _requirement("UA-REJECTED", status="REJECTED")
    found = likely_duplicates(requirement=kept)
    refs = [d.requirement.reference for d in found]
    assert refs[:2] == ["UA-SAME", "UA-RELATED"] or refs[:2] == ["UA-RELATED", "UA-SAME"]
    assert set(refs) == {same.reference, related.reference, near.reference}
    assert refs[-1] == near.reference
    assert [d.closeness for d in found] == sorted((d.closeness for d in found), reverse=True)
    assert found[0].closeness == pytest.approx(1.0)
    by_ref = {d.requirement.reference: d for d in found}
    assert by_ref["UA-SAME"].same_category
    assert not by_ref["UA-RELATED"].same_category


def test_a_final_requirement_lists_no_duplicates(kept):
    _requirement("UA-SAME")
    Requirement.objects.filter(pk=kept.pk).update(status="CLOSED")
    kept.refresh_from_db()
    assert likely_duplicates(requirement=kept) == []


def test_merge_closes_the_duplicate_linked_to_the_kept_one_with_a_note(client, cast, kept):
    duplicate = _requirement("UA-DUP")
    client.force_login(cast.staff)
    html, listed = _listed(client, kept)
    assert listed == ["UA-DUP"]
    assert "100% similar text" in html
    url = reverse("staff:duplicate-merge", args=[kept.reference, duplicate.reference])

    response = client.post(url, {"note": "  "})
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert f'href="#id_merge_{duplicate.pk}_note"' in page
    duplicate.refresh_from_db()
    assert duplicate.status == "SUBMITTED"

    assert client.post(url, {"note": "Same brigade, same need"}).status_code == 302
    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.duplicate_of) == ("CLOSED", kept)
    step = RequirementTransition.objects.filter(requirement=duplicate).latest("at", "id")
    assert (step.to_status, step.note, step.by) == ("CLOSED", "Same brigade, same need", cast.staff)
    html, listed = _listed(client, kept)
    assert listed == []
    assert "UA-DUP was closed as a duplicate of this requirement" in html
    dup_page = client.get(reverse("staff:requirement", args=["UA-DUP"])).content.decode()
    assert reverse("staff:requirement", args=["UA-KEPT"]) in dup_page


def test_dismiss_stops_the_pair_being_suggested_on_either_page(client, cast, kept):
    other = _requirement("UA-LOOKALIKE")
    third = _requirement("UA-THIRD")
    client.force_login(cast.staff)
    url = reverse("staff:duplicate-dismiss", args=[other.reference, kept.reference])
    assert client.post(url).status_code == 302
    assert DuplicateDismissal.objects.count() == 1
    assert _listed(client, kept)[1] == [third.reference]
    html, listed = _listed(client, other)
    assert listed == [third.reference]
    assert "Not a duplicate of UA-KEPT" in html
    assert client.post(url).status_code == 302
    assert DuplicateDismissal.objects.count() == 1


def test_duplicate_urls_refuse_everyone_but_staff(client, cast, kept):
    other = _requirement("UA-OTHER")
    urls = [
        reverse("staff:duplicate-merge", args=[kept.reference, other.reference]),
        reverse("staff:duplicate-dismiss", args=[kept.reference, other.reference]),
    ]
    for url in urls:
        response = client.post(url, {"note": "same"})
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:sign-in") + "?next=")
        for refused in (cast.supplier_a, cast.supplier_listx, cast.requester_x, cast.requester_y):
            client.force_login(refused)
            assert client.post(url, {"note": "same"}).status_code == 403, (url, refused)
        client.logout()
    client.force_login(cast.staff)
    for view in ("staff:duplicate-merge", "staff:duplicate-dismiss"):
        assert client.post(reverse(view, args=["NOPE-1", other.reference])).status_code == 404
        assert client.post(reverse(view, args=[kept.reference, "NOPE-1"])).status_code == 404
        assert client.post(reverse(view, args=[kept.reference, kept.reference])).status_code == 404
    assert client.post(urls[1]).status_code == 302
    assert client.post(urls[0], {"note": "same"}).status_code == 302
    other.refresh_from_db()
    assert other.status == "CLOSED"
