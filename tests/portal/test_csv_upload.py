from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from firms import csv_upload
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


def test_a_file_that_is_not_utf8_is_refused_whole(
    client, cast, media, django_capture_on_commit_callbacks
):
    client.force_login(cast.supplier_a)
    data = {"file": SimpleUploadedFile("caps.csv", "reference\nQX-\xe9\n".encode("latin-1"))}
    with django_capture_on_commit_callbacks(execute=True):
        page_url = client.post(reverse("portal:csv-upload"), data)["Location"]
    assert "not UTF-8" in client.get(page_url).content.decode()


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
