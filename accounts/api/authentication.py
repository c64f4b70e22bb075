"""`Authorization: Token <key>` for API clients; a bad token is refused, never ignored. Browser
sessions of hub staff count only once they have passed the second factor (issue 7)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.authentication import SessionScheme
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from accounts.selectors import second_factor_pending
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


class SessionAuthentication(authentication.SessionAuthentication):
    """DRF's session authentication, refusing (403) a hub staff session still at the second-factor
    step. Tokens are service credentials and never meet this check."""

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        result = super().authenticate(request)
        if result is not None and second_factor_pending(result[0]):
            raise exceptions.PermissionDenied(
                "Hub staff must complete the second factor (a code from the authenticator app "
                "or a recovery code) in the portal before this session may use the API."
            )
        return result


class SessionAuthenticationScheme(SessionScheme):
    target_class = "accounts.api.authentication.SessionAuthentication"


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
