"""Upload limits: a capability's datasheet (a real PDF of at most 10 MB) and the capability CSV
(at most 5 MB of UTF-8 text and 5,000 rows). Each refusal names the field, in the page's error
summary and beside the field, and nothing is stored."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from firms import csv_upload
from firms.models import Capability, CapabilityDatasheet
from tests import factories

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
MB = 1024 * 1024
# A zip archive (an .xlsx workbook): the spreadsheet people most often send instead of a CSV.
XLSX = b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xa1\xd3\x9f\xec\xff" + bytes(range(256))


@pytest.fixture
def supplier(client, cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(cast.supplier_a)
    return client


@pytest.fixture
def capability(cast):
    return factories.CapabilityFactory(firm=cast.firm_a, reference="QX-4", name="Quad interceptor")


def _capability_form(capability, **changes):
    data = {
        "reference": capability.reference,
        "name": "Quad interceptor mk2",
        "description": "",
        "category": capability.category_id,
        "keywords": "",
        "trl": "7",
        "unit_price_gbp": "1800",
        "monthly_capacity": "400",
        "lead_time_weeks": "5",
        "control_rating": "ML10",
        "licence_status": "SIEL_HELD",
        "itar_free": "on",
    }
    return data | changes


def _post_datasheet(client, capability, upload):
    url = reverse("portal:capability-edit", args=[capability.pk])
    return client.post(url, _capability_form(capability, datasheet=upload))


def _refused_on(response, field, message):
    html = response.content.decode()
    assert response.status_code == 200
    assert f'href="#id_{field}"' in html, "the error summary links to the field"
    assert html.count(message) >= 2, "the message is in the summary and beside the field"


def test_datasheet_limit_is_10_mb(settings):
    assert settings.HUB_DATASHEET_MAX_BYTES == 10 * MB


def test_a_datasheet_of_exactly_10_mb_is_kept(supplier, capability):
    upload = SimpleUploadedFile("spec.pdf", PDF + b"0" * (10 * MB - len(PDF)), "application/pdf")
    response = _post_datasheet(supplier, capability, upload)
    assert response.status_code == 302
    assert CapabilityDatasheet.objects.get(capability=capability).size == 10 * MB


def test_a_datasheet_one_byte_over_10_mb_is_refused(supplier, capability):
    upload = SimpleUploadedFile(
        "spec.pdf", PDF + b"0" * (10 * MB + 1 - len(PDF)), "application/pdf"
    )
    response = _post_datasheet(supplier, capability, upload)
    _refused_on(response, "datasheet", "The datasheet must be 10 MB or smaller.")
    assert not CapabilityDatasheet.objects.exists()
    capability.refresh_from_db()
    assert capability.name == "Quad interceptor"  # the whole edit is refused with it


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        # Declared as a PDF, but an executable inside.
        ("spec.pdf", b"MZ\x90\x00\x03\x00\x00\x00 not a pdf", "application/pdf"),
        # A real PDF declared as a page the browser would render.
        ("spec.pdf", PDF, "text/html"),
        # HTML with a script, named and declared as a PDF.
        ("spec.pdf", b"<html><script>alert(1)</script></html>", "application/pdf"),
        ("spec.xlsx", XLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ],
    ids=["executable", "declared-html", "html-as-pdf", "spreadsheet"],
)
def test_a_datasheet_that_is_not_a_pdf_is_refused(
    supplier, capability, name, content, content_type
):
    response = _post_datasheet(
        supplier, capability, SimpleUploadedFile(name, content, content_type)
    )
    _refused_on(response, "datasheet", "The datasheet must be a PDF file.")
    assert not CapabilityDatasheet.objects.exists()


def test_an_empty_datasheet_is_refused(supplier, capability):
    response = _post_datasheet(
        supplier, capability, SimpleUploadedFile("spec.pdf", b"", "application/pdf")
    )
    _refused_on(response, "datasheet", "The submitted file is empty.")
    assert not CapabilityDatasheet.objects.exists()


def test_a_kept_datasheet_is_served_as_a_pdf_that_is_never_sniffed(supplier, capability):
    _post_datasheet(supplier, capability, SimpleUploadedFile("spec.pdf", PDF, "application/pdf"))
    response = supplier.get(reverse("portal:datasheet", args=[capability.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == PDF


# The capability CSV ---------------------------------------------------------------------------

HEADER = ",".join(csv_upload.COLUMNS)


def _post_csv(client, content, name="capabilities.csv", content_type="text/csv"):
    upload = SimpleUploadedFile(name, content, content_type=content_type)
    return client.post(reverse("portal:csv-upload"), {"file": upload})


def test_csv_limits_are_5_mb_and_5000_rows():
    assert csv_upload.MAX_BYTES == 5 * MB
    assert csv_upload.MAX_ROWS == 5000


def test_a_csv_one_byte_over_5_mb_is_refused(supplier, cast):
    content = (HEADER + "\n").encode()
    content += b"#" * (5 * MB + 1 - len(content))
    response = _post_csv(supplier, content)
    # The form again with the error, not the progress page of a queued import.
    _refused_on(response, "file", "The file must be 5 MB or smaller.")
    assert not Capability.objects.filter(firm=cast.firm_a).exists()


def test_an_empty_csv_is_refused(supplier):
    response = _post_csv(supplier, b"")
    _refused_on(response, "file", "The submitted file is empty.")


def test_a_csv_of_blank_lines_is_refused(supplier):
    response = _post_csv(supplier, b"\r\n  \r\n")
    _refused_on(response, "file", "The selected file is empty.")


NOT_CSV = "The selected file must be a CSV file: its name ends in .csv."
NOT_UTF8 = "The selected file must be CSV saved as UTF-8 text"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("capabilities.xlsx", XLSX, NOT_CSV),
        # The same workbook renamed: its bytes give it away.
        ("capabilities.csv", XLSX, NOT_UTF8),
        ("capabilities.csv", "reference\nQX-\xe9\n".encode("latin-1"), NOT_UTF8),
    ],
    ids=["spreadsheet", "spreadsheet-named-csv", "latin-1"],
)
def test_a_file_that_is_not_csv_text_is_refused_on_the_form(
    supplier, cast, settings, django_capture_on_commit_callbacks, name, content, message
):
    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = _post_csv(supplier, content, name=name, content_type="application/octet-stream")
    # The form again with the error, not the progress page of a queued import.
    _refused_on(response, "file", message)
    assert queued == []
    assert not list(Path(settings.MEDIA_ROOT).rglob("*.csv")), "nothing is kept"
    assert not Capability.objects.filter(firm=cast.firm_a).exists()


def test_a_file_of_more_than_5000_rows_is_refused_whole(
    supplier, cast, django_capture_on_commit_callbacks
):
    content = ("reference\n" + "".join(f"R-{n}\n" for n in range(5001))).encode()
    with django_capture_on_commit_callbacks(execute=True):
        response = _post_csv(supplier, content, content_type="application/octet-stream")
    assert response.status_code == 302
    page = supplier.get(response["Location"]).content.decode()
    assert "has more than 5000 rows" in page
    assert "Nothing was imported" in page
    assert not Capability.objects.filter(firm=cast.firm_a).exists()
