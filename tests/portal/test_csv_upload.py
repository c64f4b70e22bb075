from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from firms import csv_upload, services
from firms.models import Capability
from tests import factories

HEADER = ",".join(csv_upload.COLUMNS)
GOOD = (
    "QX-{n},Quad {n},Fast quad,UAS.INTERCEPTOR,7,1800,400,5,ML10,SIEL_HELD,true,false,"
    "interceptor;shahed,true"
)


def _upload(client, text, capture):
    data = {"file": SimpleUploadedFile("caps.csv", text.encode(), content_type="text/csv")}
    with capture(execute=True):
        response = client.post(reverse("portal:csv-upload"), data)
    assert response.status_code == 302, response.content.decode()
    return response["Location"]


def _upload_bytes(client, content, capture):
    data = {"file": SimpleUploadedFile("caps.csv", content, content_type="text/csv")}
    with capture(execute=True):
        response = client.post(reverse("portal:csv-upload"), data)
    assert response.status_code == 302, response.content.decode()
    return response["Location"]


def test_template_download_has_every_column(client, cast):
    client.force_login(cast.supplier_a)
    response = client.get(reverse("portal:csv-template"))
    assert response["Content-Disposition"].startswith("attachment")
    assert response.content.decode().splitlines()[0] == HEADER


def test_a_good_file_imports_every_row(client, cast, media, django_capture_on_commit_callbacks):
    client.force_login(cast.supplier_a)
    rows = "\n".join(GOOD.format(n=n) for n in range(1, 4))
    page_url = _upload(client, f"{HEADER}\n{rows}\n", django_capture_on_commit_callbacks)
    progress = client.get(page_url + "progress.json").json()
    assert progress["state"] == "done"
    assert progress["percent"] == 100
    html = client.get(page_url).content.decode()
    assert "3 capabilities added, 0 updated." in html
    capabilities = Capability.objects.filter(firm=cast.firm_a).order_by("reference")
    assert [c.reference for c in capabilities] == ["QX-1", "QX-2", "QX-3"]
    assert capabilities[0].keywords == ["interceptor", "shahed"]
    assert capabilities[0].itar_free


def test_two_bad_rows_are_both_listed_and_nothing_is_imported(
    client, cast, media, django_capture_on_commit_callbacks
):
    client.force_login(cast.supplier_a)
    bad_trl = GOOD.format(n=2).replace(",7,", ",12,")
    bad_status = GOOD.format(n=3).replace("SIEL_HELD", "NOT_REQUIRED")
    text = f"{HEADER}\n{GOOD.format(n=1)}\n{bad_trl}\n{bad_status}\n"
    page_url = _upload(client, text, django_capture_on_commit_callbacks)
    html = client.get(page_url).content.decode()
    assert "Nothing was imported" in html
    assert "<td>3</td><td><code>trl</code></td><td>must be between 1 and 9</td>" in html
    assert "<td>4</td><td><code>licence_status</code></td>" in html
    assert not Capability.objects.filter(firm=cast.firm_a).exists()


def test_rows_update_by_reference_and_never_touch_another_firm(
    client, cast, media, django_capture_on_commit_callbacks
):
    mine = factories.CapabilityFactory(firm=cast.firm_a, reference="QX-1", trl=5)
    theirs = factories.CapabilityFactory(firm=cast.firm_b, reference="QX-1", trl=5)
    client.force_login(cast.supplier_a)
    _upload(client, f"{HEADER}\n{GOOD.format(n=1)}\n", django_capture_on_commit_callbacks)
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.trl, theirs.trl) == (7, 5)


NOT_CSV = "The selected file must be a CSV file: its name ends in .csv."
NOT_UTF8 = (
    "The selected file must be CSV saved as UTF-8 text: in your spreadsheet choose "
    "Save as, then CSV UTF-8."
)


def _refused_on_the_form(client, name, content, capture):
    with capture(execute=True) as queued:
        response = client.post(
            reverse("portal:csv-upload"), {"file": SimpleUploadedFile(name, content)}
        )
    assert response.status_code == 200
    assert queued == [], "nothing is queued"
    html = response.content.decode()
    assert 'href="#id_file"' in html, "the error summary links to the field"
    return html


def test_a_file_that_is_not_utf8_is_refused_on_the_form(
    client, cast, media, django_capture_on_commit_callbacks
):
    client.force_login(cast.supplier_a)
    content = f"{HEADER}\n{GOOD.format(n=1)}\nQX-\xe9\n".encode("latin-1")
    html = _refused_on_the_form(client, "caps.csv", content, django_capture_on_commit_callbacks)
    assert html.count(NOT_UTF8) == 2, "in the summary and beside the field"
    assert not Capability.objects.filter(firm=cast.firm_a).exists()


def test_a_spreadsheet_is_refused_on_the_form(
    client, cast, media, django_capture_on_commit_callbacks
):
    client.force_login(cast.supplier_a)
    workbook = b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xa1\xd3\x9f\xec"
    html = _refused_on_the_form(client, "caps.xlsx", workbook, django_capture_on_commit_callbacks)
    assert html.count(NOT_CSV) == 2
    # Renamed, its bytes still give it away.
    html = _refused_on_the_form(client, "caps.csv", workbook, django_capture_on_commit_callbacks)
    assert html.count(NOT_UTF8) == 2


def test_a_text_file_not_named_csv_is_refused_on_the_form(
    client, cast, media, django_capture_on_commit_callbacks
):
    client.force_login(cast.supplier_a)
    content = f"{HEADER}\n{GOOD.format(n=1)}\n".encode()
    html = _refused_on_the_form(client, "caps.txt", content, django_capture_on_commit_callbacks)
    assert html.count(NOT_CSV) == 2


def test_a_binary_file_of_valid_utf8_bytes_is_refused(
    client, cast, media, django_capture_on_commit_callbacks
):
    client.force_login(cast.supplier_a)
    html = _refused_on_the_form(
        client, "caps.csv", b"reference\x00\x00\x01\x02", django_capture_on_commit_callbacks
    )
    assert html.count(NOT_UTF8) == 2


def test_upper_case_csv_with_a_byte_order_mark_is_imported(
    client, cast, media, django_capture_on_commit_callbacks
):
    client.force_login(cast.supplier_a)
    content = "\ufeff".encode() + f"{HEADER}\n{GOOD.format(n=1)}\n".encode()
    data = {"file": SimpleUploadedFile("CAPS.CSV", content, content_type="text/csv")}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("portal:csv-upload"), data)
    assert response.status_code == 302
    assert list(
        Capability.objects.filter(firm=cast.firm_a).values_list("reference", flat=True)
    ) == ["QX-1"]


def test_a_letter_cut_in_two_by_the_checked_part_is_not_held_against_the_file(
    client, cast, media, django_capture_on_commit_callbacks
):
    client.force_login(cast.supplier_a)
    body = f"{HEADER}\n"
    n = 0
    while len(body) < csv_upload.SNIFF_BYTES - 500:
        n += 1
        body += GOOD.format(n=n) + "\n"
    # The last row's description puts the first byte of a two-byte letter (щ) last in the sample.
    start = f"QX-{n + 1},Quad {n + 1},"
    padding = "x" * (csv_upload.SNIFF_BYTES - 1 - len(body) - len(start))
    last = GOOD.format(n=n + 1).replace("Fast quad", f"{padding}щ quad")
    content = (body + last + "\n").encode()
    assert content[csv_upload.SNIFF_BYTES - 1 : csv_upload.SNIFF_BYTES + 1] == "щ".encode()
    data = {"file": SimpleUploadedFile("caps.csv", content, content_type="text/csv")}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("portal:csv-upload"), data)
    assert response.status_code == 302, response.content.decode()
    assert Capability.objects.filter(firm=cast.firm_a).count() == n + 1


def test_a_bad_byte_past_the_checked_part_is_still_refused_whole(
    client, cast, media, django_capture_on_commit_callbacks
):
    client.force_login(cast.supplier_a)
    rows = "\n".join(GOOD.format(n=n) for n in range(1, 1000))
    content = f"{HEADER}\n{rows}\n".encode()
    assert len(content) > csv_upload.SNIFF_BYTES
    content += "QX-\xe9\n".encode("latin-1")
    page_url = _upload_bytes(client, content, django_capture_on_commit_callbacks)
    html = client.get(page_url).content.decode()
    assert "not UTF-8" in html
    assert "Nothing was imported" in html
    assert not Capability.objects.filter(firm=cast.firm_a).exists()


def test_the_upload_service_refuses_bytes_that_are_not_utf8_text(cast, media):
    with pytest.raises(ValidationError) as refused:
        services.capability_csv_upload_start(
            firm=cast.firm_a, by=cast.supplier_a, content="reference\nQX-\xe9\n".encode("cp1252")
        )
    assert refused.value.message_dict == {"file": [NOT_UTF8]}


def test_progress_of_another_firms_upload_is_not_found(
    client, cast, media, django_capture_on_commit_callbacks
):
    client.force_login(cast.supplier_a)
    page_url = _upload(
        client, f"{HEADER}\n{GOOD.format(n=1)}\n", django_capture_on_commit_callbacks
    )
    client.force_login(cast.supplier_b)
    assert client.get(page_url).status_code == 404
    assert client.get(page_url + "progress.json").status_code == 404


def test_progress_moves_while_the_task_has_not_finished(client, cast):
    client.force_login(cast.supplier_a)
    csv_upload.progress_set("job1", firm_id=cast.firm_a.pk, state="running", done=50, total=100)
    progress = client.get(reverse("portal:csv-progress-json", args=["job1"])).json()
    assert progress == {
        "state": "running",
        "percent": 45,
        "finished": False,
        "done": 50,
        "total": 100,
    }
    page = client.get(reverse("portal:csv-progress", args=["job1"])).content.decode()
    assert 'role="progressbar"' in page
    assert 'aria-valuenow="45"' in page


def test_the_task_run_twice_does_not_import_twice(cast, media):
    from firms import tasks

    csv_upload.progress_set("job2", firm_id=cast.firm_a.pk, state="done")
    tasks.import_capabilities_csv(job_id="job2", firm_id=cast.firm_a.pk, path="missing.csv")
    assert csv_upload.progress_get("job2")["state"] == "done"


def test_an_empty_upload_names_the_field(client, cast):
    client.force_login(cast.supplier_a)
    html = client.post(reverse("portal:csv-upload"), {}).content.decode()
    assert 'href="#id_file"' in html
    assert "Choose a CSV file" in html
