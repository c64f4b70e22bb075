"""`Authorization: Token <key>` for API clients; a bad token is refused, never ignored."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from accounts.services import api_client_authenticate

KEYWORD = "Token"


class TokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != KEYWORD.lower().encode():
            # No token: let session authentication try (the browser's own API calls).
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Malformed token header: use 'Token <key>'.")
        try:
            token = header[1].decode("ascii")
        except UnicodeDecodeError as error:
            raise exceptions.AuthenticationFailed("Malformed token.") from error
        client = api_client_authenticate(token=token)
        if client is None:
            raise exceptions.AuthenticationFailed("Invalid, expired or revoked token.")
        return client.user, client

    def authenticate_header(self, request: Request) -> str:
        return KEYWORD


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.api.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <key>`, as printed by `manage.py create_api_client`.",
        }
