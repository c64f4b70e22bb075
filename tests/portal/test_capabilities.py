from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from firms.models import Capability, CapabilityDatasheet
from tests import factories

CAPABILITY = {
    "reference": "QX-4",
    "name": "Quad interceptor",
    "description": "Carbon quadcopter for pursuit of attack drones.",
    "category": "UAS.INTERCEPTOR",
    "keywords": "interceptor, shahed",
    "trl": "7",
    "field_proven": "on",
    "unit_price_gbp": "1800.50",
    "monthly_capacity": "400",
    "lead_time_weeks": "5",
    "control_rating": "ml10",
    "licence_status": "SIEL_HELD",
    "licence_reference": "GB-SIEL-2026-001",
    "licence_expiry": "2027-06-30",
    "itar_free": "on",
}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_create_a_capability_with_every_field(client, cast, media):
    client.force_login(cast.supplier_a)
    sheet = SimpleUploadedFile("spec.pdf", PDF, content_type="application/pdf")
    response = client.post(reverse("portal:capability-create"), {**CAPABILITY, "datasheet": sheet})
    assert response.status_code == 302, response.content.decode()
    capability = Capability.objects.get(firm=cast.firm_a, reference="QX-4")
    assert capability.category_id == "UAS.INTERCEPTOR"
    assert capability.control_rating == "ML10"
    assert capability.keywords == ["interceptor", "shahed"]
    assert str(capability.unit_price_gbp) == "1800.50"
    assert capability.licence_reference == "GB-SIEL-2026-001"
    assert str(capability.licence_expiry) == "2027-06-30"
    assert capability.itar_free
    assert capability.field_proven
    assert capability.active
    assert capability.datasheet.original_name == "spec.pdf"
    download = client.get(reverse("portal:datasheet", args=[capability.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == PDF
    client.force_login(cast.staff)
    assert client.get(reverse("portal:datasheet", args=[capability.pk])).status_code == 200
    client.force_login(cast.supplier_b)
    assert client.get(reverse("portal:datasheet", args=[capability.pk])).status_code == 404


def test_categories_are_offered_by_label_grouped_by_parent(client, cast):
    client.force_login(cast.supplier_a)
    html = client.get(reverse("portal:capability-create")).content.decode()
    assert '<optgroup label="Uncrewed aircraft' in html or "<optgroup" in html
    assert ">UAS.INTERCEPTOR<" not in html
    assert 'value="UAS.INTERCEPTOR"' in html


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("reference", "bad ref!", "Enter a reference of 1 to 64"),
        ("trl", "10", "trl"),
        ("control_rating", "ML99", "Enter a control rating such as NLR"),
        ("licence_status", "NOT_REQUIRED", "Choose &#x27;Not required&#x27; for an NLR item"),
        ("monthly_capacity", "0", "monthly_capacity"),
        ("category", "UAS", "Choose a category"),
    ],
)
def test_capability_errors_name_the_field(client, cast, field, value, message):
    client.force_login(cast.supplier_a)
    response = client.post(reverse("portal:capability-create"), {**CAPABILITY, field: value})
    html = response.content.decode()
    assert response.status_code == 200
    assert f'href="#id_{field}"' in html
    assert message in html
    assert not Capability.objects.filter(firm=cast.firm_a).exists()


def test_a_reference_is_unique_within_the_firm_only(client, cast):
    factories.CapabilityFactory(firm=cast.firm_a, reference="QX-4")
    factories.CapabilityFactory(firm=cast.firm_b, reference="QX-5")
    client.force_login(cast.supplier_a)
    html = client.post(reverse("portal:capability-create"), CAPABILITY).content.decode()
    assert "You already have a capability with this reference" in html
    response = client.post(reverse("portal:capability-create"), {**CAPABILITY, "reference": "QX-5"})
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("name", "content", "content_type", "message"),
    [
        ("fake.pdf", b"MZ\x90\x00 not a pdf", "application/pdf", "must be a PDF"),
        ("spec.pdf", PDF, "text/html", "must be a PDF"),
    ],
)
def test_a_datasheet_must_really_be_a_pdf(
    client, cast, media, name, content, content_type, message
):
    capability = factories.CapabilityFactory(firm=cast.firm_a)
    client.force_login(cast.supplier_a)
    data = {**CAPABILITY, "reference": capability.reference}
    data["datasheet"] = SimpleUploadedFile(name, content, content_type=content_type)
    response = client.post(reverse("portal:capability-edit", args=[capability.pk]), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_datasheet"' in html
    assert message in html
    assert not CapabilityDatasheet.objects.exists()
    capability.refresh_from_db()
    assert capability.name != CAPABILITY["name"]  # all-or-nothing: the edit is not saved either


def test_a_datasheet_over_10_mb_is_refused(client, cast, media, settings):
    settings.HUB_DATASHEET_MAX_BYTES = 100
    capability = factories.CapabilityFactory(firm=cast.firm_a)
    client.force_login(cast.supplier_a)
    data = {**CAPABILITY, "reference": capability.reference}
    data["datasheet"] = SimpleUploadedFile("big.pdf", PDF + b"0" * 200, "application/pdf")
    html = client.post(reverse("portal:capability-edit", args=[capability.pk]), data)
    assert "10 MB or smaller" in html.content.decode()


def test_edit_and_deactivate(client, cast):
    capability = factories.CapabilityFactory(firm=cast.firm_a)
    client.force_login(cast.supplier_a)
    page = client.get(reverse("portal:capability-edit", args=[capability.pk])).content.decode()
    assert 'value="interceptor, shahed"' in page
    data = {**CAPABILITY, "reference": capability.reference, "name": "Renamed"}
    assert (
        client.post(reverse("portal:capability-edit", args=[capability.pk]), data).status_code
        == 302
    )
    client.post(reverse("portal:capability-toggle", args=[capability.pk]))
    capability.refresh_from_db()
    assert capability.name == "Renamed"
    assert not capability.active
    listing = client.get(reverse("portal:capabilities")).content.decode()
    assert "Deactivated" in listing
    assert "Interceptor drones" in listing


def test_capability_list_query_count_is_pinned(client, cast, django_assert_max_num_queries):
    for _ in range(25):
        factories.CapabilityFactory(firm=cast.firm_a)
    client.force_login(cast.supplier_a)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("portal:capabilities"))
    assert response.content.decode().count("portal/capabilities/") >= 25


def test_an_empty_form_gives_one_plain_message_per_field(client, cast):
    client.force_login(cast.supplier_a)
    html = client.post(reverse("portal:capability-create"), {}).content.decode()
    assert "Enter your reference for this capability" in html
    assert "Enter the export control rating, or NLR" in html
    assert "Choose a category" in html
    assert "is required" not in html
    assert "This field is required" not in html
