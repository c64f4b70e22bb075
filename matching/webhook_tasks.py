"""Webhook delivery task: one try per run; a failed try schedules the next with backoff."""

from __future__ import annotations

from celery import shared_task

from matching import webhooks


@shared_task(acks_late=True)
def deliver_webhook(delivery_id: int) -> str:
    """POST one signed webhook event; retry with exponential backoff up to the setting's cap."""
    outcome = webhooks.webhook_delivery_attempt(delivery_id=delivery_id)
    if outcome.retry_in is not None:
        # Scheduled as a fresh message rather than Celery's retry(): the attempt count lives in
        # the delivery row, so a lost message leaves a PENDING row a staff member can see.
        deliver_webhook.apply_async((delivery_id,), countdown=outcome.retry_in)
    return outcome.state


@shared_task(acks_late=True)
def retry_stalled_webhooks() -> int:
    """Re-enqueue deliveries whose next try was lost; the claim in each try prevents doubles."""
    ids = webhooks.webhook_deliveries_stalled()
    for pk in ids:
        deliver_webhook.delay(pk)
    return len(ids)
