"""Create an API client: `create_api_client NAME (--staff | --firm CHN) [--expires-days N]`."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from accounts.models import APIClient
from accounts.services import api_client_create
from firms.models import Firm


class Command(BaseCommand):
    help = "Create an API client and print its token once, alone on the last line."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name")
        scope = parser.add_mutually_exclusive_group(required=True)
        scope.add_argument("--staff", action="store_true", help="a hub-staff token")
        scope.add_argument(
            "--firm", metavar="COMPANIES_HOUSE_NUMBER", help="a token scoped to one firm"
        )
        parser.add_argument("--expires-days", type=int, default=None, metavar="N")

    def handle(self, *args: Any, **options: Any) -> None:
        firm = None
        if options["firm"]:
            number = options["firm"].strip().upper()
            firm = Firm.objects.filter(companies_house_number=number).first()
            if firm is None:
                raise CommandError(f"no firm with Companies House number '{number}'")
        days = options["expires_days"]
        if days is not None and days < 1:
            raise CommandError("--expires-days must be at least 1")
        expires_at = timezone.now() + timedelta(days=days) if days else None
        try:
            client, token = api_client_create(
                name=options["name"],
                scope=APIClient.Scope.FIRM if firm else APIClient.Scope.STAFF,
                firm=firm,
                expires_at=expires_at,
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        scope = f"firm {firm.companies_house_number} ({firm.name})" if firm else "hub staff"
        expiry = client.expires_at.isoformat() if client.expires_at else "never"
        self.stdout.write(f"Created API client '{client.name}' for {scope}; expires: {expiry}.")
        self.stdout.write("The token is shown once; only its hash is stored:")
        self.stdout.write(token)
