"""Staff exports of the match list and the shortlist, CSV and XLSX, and the audit log (issue 6)."""

from __future__ import annotations

import csv
import io
import re

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from matching.models import Match
from requirements import services
from requirements.models import ExportRecord, Interest
from tests import factories

FORMULA = '=HYPERLINK("http://evil.example/","Click")'
MATCH_HEADINGS_EN = [
    "Rank",
    "Firm",
    "Companies House number",
    "Capability reference",
    "Capability",
    "Category",
    "Score",
    "Eligible",
    "What blocks it",
    "Verification",
    "SME",
    "Interested",
    "Interest note",
    "On the shortlist",
]
MATCH_HEADINGS_UK = [
    "Місце",
    "Фірма",
    "Номер у Companies House",
    "Код можливості",
    "Можливість",
    "Категорія",
    "Оцінка",
    "Придатна",
    "Що заважає",
    "Перевірка",
    "МСП",
    "Виявила інтерес",
    "Примітка до інтересу",
    "У короткому списку",
]


def _match(requirement, firm, score, eligible=True, blockers=(), **capability):
    capability = factories.CapabilityFactory(firm=firm, **capability)
    Match.objects.create(
        requirement=requirement,
        capability=capability,
        score=score,
        eligible=eligible,
        blockers=list(blockers),
        breakdown=[],
        engine_version="test",
        computed_at=timezone.now(),
    )
    return capability


@pytest.fixture
def scene(cast):
    requirement = factories.RequirementFactory(reference="UA-EX-1", status="OPEN")
    evil = _match(requirement, cast.firm_a, 90, name=FORMULA, reference="EVIL-1")
    good = _match(requirement, cast.firm_b, 75.25, name="Bravo interceptor", reference="B-1")
    blocked = _match(
        requirement,
        cast.firm_listx,
        95,
        eligible=False,
        blockers=[{"code": "TRL_TOO_LOW"}, {"code": "OVER_BUDGET"}],
        name="Xray interceptor",
        reference="X-1",
        category=factories.category("CUAS.KINETIC"),
    )
    Interest.objects.create(requirement=requirement, firm=cast.firm_b, note="-1 day lead time")
    services.shortlist_add(requirement=requirement, capability=good, by=cast.staff, note="Fast")
    services.shortlist_add(requirement=requirement, capability=evil, by=cast.staff, note="+cheap")
    return cast, requirement, evil, good, blocked


def _export(client, requirement, kind, file_format, language, **extra):
    url = reverse("staff:requirement-export", args=[requirement.reference, kind])
    return client.get(url, {"format": file_format, "language": language, **extra})


def _csv_rows(response):
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def _xlsx_rows(response):
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.active
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.coordinate
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_match_list_as_csv_in_english_in_review_order_with_formulas_neutralised(client, scene):
    cast, requirement, evil, good, blocked = scene
    client.force_login(cast.staff)
    response = _export(client, requirement, "matches", "csv", "en")
    assert response.status_code == 200
    assert 'filename="UA-EX-1-matches-en.csv"' in response["Content-Disposition"]
    rows = _csv_rows(response)
    assert rows[0] == MATCH_HEADINGS_EN
    assert [row[3] for row in rows[1:]] == ["EVIL-1", "B-1", "X-1"]
    assert rows[1][:8] == [
        "1",
        "Alpha Rotorcraft Ltd",
        cast.firm_a.companies_house_number,
        "EVIL-1",
        "'" + FORMULA,
        factories.category("UAS.INTERCEPTOR").label_en,
        "90.0",
        "Yes",
    ]
    assert rows[1][13] == "Yes"
    assert rows[2][11:14] == ["Yes", "'-1 day lead time", "Yes"]
    assert rows[3][7:9] == ["No", "TRL below the minimum; Over budget"]
    assert rows[3][5] != rows[1][5]


def test_match_list_as_xlsx_in_ukrainian(client, scene):
    cast, requirement, *_ = scene
    client.force_login(cast.staff)
    response = _export(client, requirement, "matches", "xlsx", "uk")
    assert response.status_code == 200
    rows = _xlsx_rows(response)
    assert list(rows[0]) == MATCH_HEADINGS_UK
    assert [row[3] for row in rows[1:]] == ["EVIL-1", "B-1", "X-1"]
    assert rows[1][0] == 1
    assert rows[1][4] == "'" + FORMULA
    assert rows[2][6] == 75.2 or rows[2][6] == 75.3
    assert rows[1][5] == factories.category("UAS.INTERCEPTOR").label_uk
    assert rows[1][7] == "Так"


def test_the_match_export_follows_the_review_filters(client, scene):
    cast, requirement, *_ = scene
    client.force_login(cast.staff)
    rows = _csv_rows(_export(client, requirement, "matches", "csv", "en", eligible="on"))
    assert [row[3] for row in rows[1:]] == ["EVIL-1", "B-1"]
    rows = _csv_rows(_export(client, requirement, "matches", "csv", "en", interested="on"))
    assert [row[3] for row in rows[1:]] == ["B-1"]


def test_shortlist_in_both_formats_and_languages(client, scene):
    cast, requirement, evil, good, _ = scene
    client.force_login(cast.staff)
    rows = _csv_rows(_export(client, requirement, "shortlist", "csv", "en"))
    assert rows[0][:7] == [
        "Firm",
        "Companies House number",
        "Capability reference",
        "Capability",
        "Category",
        "Score",
        "Note",
    ]
    assert [row[2] for row in rows[1:]] == ["B-1", "EVIL-1"]
    assert rows[1][5:7] == ["75.2", "Fast"] or rows[1][5:7] == ["75.3", "Fast"]
    assert rows[2][3] == "'" + FORMULA
    assert rows[2][6] == "'+cheap"
    assert rows[2][9] == "Not yet"
    rows = _xlsx_rows(_export(client, requirement, "shortlist", "xlsx", "uk"))
    assert rows[0][:4] == ["Фірма", "Номер у Companies House", "Код можливості", "Можливість"]
    assert [row[2] for row in rows[1:]] == ["B-1", "EVIL-1"]
    assert rows[2][3] == "'" + FORMULA


def test_every_export_is_logged_and_listed_newest_first(client, scene):
    cast, requirement, *_ = scene
    client.force_login(cast.staff)
    _export(client, requirement, "matches", "csv", "en")
    _export(client, requirement, "shortlist", "xlsx", "uk")
    records = list(ExportRecord.objects.order_by("at", "id"))
    assert [(r.by, r.kind, r.requirement, r.format, r.language, r.row_count) for r in records] == [
        (cast.staff, "MATCHES", requirement, "CSV", "en", 3),
        (cast.staff, "SHORTLIST", requirement, "XLSX", "uk", 2),
    ]
    html = client.get(reverse("staff:exports")).content.decode()
    assert re.findall(r'data-export="(\d+)"', html) == [str(records[1].pk), str(records[0].pk)]
    assert "Shortlist" in html
    assert cast.staff.email in html
    page = client.get(reverse("staff:requirement", args=[requirement.reference])).content.decode()
    assert "Exported" in page


def test_the_export_log_is_paginated(client, cast):
    requirement = factories.RequirementFactory()
    for _ in range(55):
        services.export_record(
            by=cast.staff,
            kind="MATCHES",
            requirement=requirement,
            file_format="CSV",
            language="en",
            row_count=1,
        )
    client.force_login(cast.staff)
    first = client.get(reverse("staff:exports")).content.decode()
    assert len(re.findall(r'data-export="', first)) == 50
    assert "Page 1 of 2" in first
    second = client.get(reverse("staff:exports"), {"page": 2}).content.decode()
    assert len(re.findall(r'data-export="', second)) == 5


def test_a_bad_format_or_kind_is_refused(client, scene):
    cast, requirement, *_ = scene
    client.force_login(cast.staff)
    response = _export(client, requirement, "matches", "pdf", "en")
    assert response.status_code == 200
    assert 'href="#id_export_matches_format"' in response.content.decode()
    assert _export(client, requirement, "everything", "csv", "en").status_code == 404
    assert not ExportRecord.objects.exists()


def test_export_urls_refuse_everyone_but_staff(client, scene):
    cast, requirement, *_ = scene
    query = {"format": "csv", "language": "en"}
    urls = [
        reverse("staff:requirement-export", args=[requirement.reference, "matches"]),
        reverse("staff:requirement-export", args=[requirement.reference, "shortlist"]),
        reverse("staff:exports"),
    ]
    for url in urls:
        response = client.get(url, query)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:sign-in") + "?next=")
        for refused in (
            cast.supplier_a,
            cast.supplier_b,
            cast.supplier_listx,
            cast.supplier_unverified,
            cast.requester_x,
            cast.requester_y,
        ):
            client.force_login(refused)
            assert client.get(url, query).status_code == 403, (url, refused)
        client.force_login(cast.staff)
        assert client.get(url, query).status_code == 200
        client.logout()
    client.force_login(cast.staff)
    missing = reverse("staff:requirement-export", args=["NOPE-1", "matches"])
    assert client.get(missing, query).status_code == 404
    assert ExportRecord.objects.filter(by__in=[cast.supplier_a, cast.requester_x]).count() == 0


def test_the_export_log_query_count_is_pinned(client, cast, django_assert_max_num_queries):
    requirement = factories.RequirementFactory()
    for _ in range(30):
        services.export_record(
            by=factories.StaffFactory(),
            kind="SHORTLIST",
            requirement=requirement,
            file_format="XLSX",
            language="uk",
            row_count=2,
        )
    client.force_login(cast.staff)
    # Session and user, the page's count and rows: independent of the number of records.
    with django_assert_max_num_queries(5):
        assert client.get(reverse("staff:exports")).status_code == 200
