"""A request's id reaches the log lines of the Celery task it enqueues, in a real worker process."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.services import api_client_create
from matching.models import Match
from tests import factories
from tests.integration.conftest import wait_for

pytestmark = pytest.mark.integration

REQUEST_ID = "itest-request-7f3a9c21"


def test_the_request_id_travels_into_the_workers_log(start_worker):
    requirement = factories.RequirementFactory(status="TRIAGED")
    factories.CapabilityFactory()
    _, token = api_client_create(name="Analyst", scope="STAFF")
    worker = start_worker(env={"HUB_LOG_JSON": "1"})

    client = APIClient()
    response = client.post(
        reverse("v1:requirement-transition", kwargs={"reference": requirement.reference}),
        {"to": "OPEN", "note": "triaged"},
        format="json",
        HTTP_AUTHORIZATION=f"Token {token}",
        HTTP_X_REQUEST_ID=REQUEST_ID,
    )

    assert response.status_code == 200, response.content
    assert response["X-Request-ID"] == REQUEST_ID
    wait_for(lambda: Match.objects.filter(requirement=requirement).exists(), timeout=90)
    lines = wait_for(
        lambda: [
            line
            for line in worker.log_path.read_text().splitlines()
            if f"rescored requirement {requirement.pk}" in line
        ],
        timeout=30,
    )
    assert f'"request_id": "{REQUEST_ID}"' in lines[0]
