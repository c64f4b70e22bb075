"""Refusals and failures on the portal's own pages (templates/403.html, 404.html, 500.html): one
heading saying what happened, plain words and a way home, in the reader's language."""

from __future__ import annotations

import re

import pytest
from django.urls import path, reverse

from hub.urls import urlpatterns as hub_urlpatterns
from tests import factories
from tests.conftest import HubClient

FORBIDDEN_EN = "You do not have access to this page"
FORBIDDEN_UK = "У вас немає доступу до цієї сторінки"
NOT_FOUND_EN = "Page not found"
NOT_FOUND_UK = "Сторінка не знайдена"
FAILED_EN = "Sorry, there is a problem with the service"
FAILED_UK = "Вибачте, у роботі сервісу сталася помилка"


def _boom(request):
    raise RuntimeError("a defect in a view")


# A URL configuration with one failing view, for the 500 page through the whole middleware stack.
urlpatterns = [path("test-only/boom/", _boom), *hub_urlpatterns]


def _headings(response) -> list[str]:
    return re.findall(r"<h1[^>]*>(.*?)</h1>", response.content.decode(), flags=re.S)


def _ukrainian(client) -> None:
    client.post(reverse("set_language"), {"language": "uk", "next": "/"})


def test_a_supplier_opening_a_staff_page_gets_the_refusal_page(client, cast):
    client.force_login(cast.supplier_a)
    response = client.get(reverse("staff:triage"))
    assert response.status_code == 403
    assert _headings(response) == [FORBIDDEN_EN]
    html = response.content.decode()
    assert "ask hub staff" in html
    assert f'href="{reverse("home")}"' in html
    assert "Go to the home page" in html
    assert "403 Forbidden" not in html
    # The page is the portal's layout: the supplier's own navigation, not the staff pages.
    assert 'aria-label="Supplier portal"' in html
    assert "Triage board" not in html


def test_the_refusal_page_speaks_ukrainian(client, cast):
    client.force_login(cast.supplier_a)
    _ukrainian(client)
    response = client.get(reverse("staff:triage"))
    assert response.status_code == 403
    html = response.content.decode()
    assert 'lang="uk"' in html
    assert _headings(response) == [FORBIDDEN_UK]
    assert FORBIDDEN_EN not in html
    assert "Go to the home page" not in html


def test_a_requester_opening_a_supplier_page_gets_the_refusal_page(client, cast):
    client.force_login(cast.requester_x)
    response = client.get(reverse("portal:capabilities"))
    assert response.status_code == 403
    assert _headings(response) == [FORBIDDEN_EN]


def test_an_unknown_capability_gives_the_not_found_page(client, cast):
    client.force_login(cast.supplier_a)
    response = client.get(reverse("portal:capability-edit", args=[987654]))
    assert response.status_code == 404
    assert _headings(response) == [NOT_FOUND_EN]
    html = response.content.decode()
    assert "check it is correct" in html
    assert f'href="{reverse("home")}"' in html


def test_another_firms_capability_gives_the_same_not_found_page(client, cast):
    theirs = factories.CapabilityFactory(firm=cast.firm_b, name="Bravo secret generator")
    client.force_login(cast.supplier_a)
    response = client.get(reverse("portal:capability-edit", args=[theirs.pk]))
    assert response.status_code == 404
    assert _headings(response) == [NOT_FOUND_EN]
    assert "Bravo secret generator" not in response.content.decode()


def test_the_not_found_page_speaks_ukrainian(client, db):
    _ukrainian(client)
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert _headings(response) == [NOT_FOUND_UK]
    assert 'lang="uk"' in response.content.decode()


@pytest.mark.urls(__name__)
def test_a_failing_page_gives_the_server_error_page(db):
    client = HubClient(raise_request_exception=False)
    response = client.get("/test-only/boom/")
    assert response.status_code == 500
    assert _headings(response) == [FAILED_EN]
    html = response.content.decode()
    assert "Try again in a few minutes." in html
    assert 'href="/"' in html
    assert "a defect in a view" not in html


@pytest.mark.urls(__name__)
def test_the_server_error_page_speaks_ukrainian(client, cast):
    client = HubClient(raise_request_exception=False)
    client.force_login(cast.supplier_a)
    _ukrainian(client)
    response = client.get("/test-only/boom/")
    assert response.status_code == 500
    assert _headings(response) == [FAILED_UK]
    assert 'lang="uk"' in response.content.decode()
