"""Background work for suppliers: CSV uploads, certification reminders, requirement alerts."""

from __future__ import annotations

from celery import shared_task
from django.core.files.storage import default_storage
from django.db import DatabaseError

from firms import csv_upload
from firms.models import Firm


@shared_task(acks_late=True)
def import_capabilities_csv(job_id: str, firm_id: int, path: str) -> None:
    """Check and import an uploaded capability CSV; progress and outcome go to the cache."""
    state = csv_upload.progress_get(job_id) or {}
    if state.get("state") in ("done", "failed"):
        return  # Run twice (a redelivery): the first run already decided.
    firm = Firm.objects.filter(pk=firm_id).first()
    if firm is None or not default_storage.exists(path):
        csv_upload.progress_set(job_id, state="failed", errors=[], summary="")
        return
    with default_storage.open(path, "rb") as handle:
        content = handle.read()
    csv_upload.progress_set(job_id, state="running", done=0)

    def report(done: int, total: int) -> None:
        csv_upload.progress_set(job_id, done=done, total=total)

    try:
        result = csv_upload.import_csv(firm=firm, content=content, on_progress=report)
    except csv_upload.CsvRejected as rejected:
        csv_upload.progress_set(
            job_id, state="failed", errors=csv_upload.errors_as_dicts(rejected.errors)
        )
    except DatabaseError as exc:
        error = csv_upload.RowError(0, "", f"the database refused the upload: {exc}")
        csv_upload.progress_set(job_id, state="failed", errors=csv_upload.errors_as_dicts([error]))
    else:
        tally = result.tallies[-1]
        csv_upload.progress_set(
            job_id, state="done", created=tally.created, updated=tally.updated, errors=[]
        )
    finally:
        default_storage.delete(path)


@shared_task
def send_certification_reminders() -> int:
    """E-mail each firm's members 30 days before a certification expires (once per expiry)."""
    from firms.alerts import certification_reminders_send

    return certification_reminders_send()


@shared_task
def send_requirement_alerts() -> int:
    """Tell supplier users of newly active requirements that fit their firm."""
    from firms.alerts import requirement_alerts_send

    return requirement_alerts_send()
