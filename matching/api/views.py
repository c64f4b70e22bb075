"""Match lists and webhook registrations: thin views over selectors and webhook services."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from accounts.api.permissions import IsAPIClient, IsStaffOrSupplier, IsSupplier
from hub.api_pagination import cursor_pagination
from hub.api_renderers import FastJSONRenderer
from matching import webhooks
from matching.api.filters import MatchFilter
from matching.api.selectors import (
    firm_matches_listed,
    requirement_matches_listed,
    unjoined,
    with_item_relations,
)
from matching.api.serializers import (
    MatchOutput,
    WebhookInput,
    WebhookOutput,
    WebhookWithSecretOutput,
    match_items,
)
from matching.models import Match, WebhookEndpoint
from matching.selectors import MATCH_ORDER, with_reasons
from requirements.models import Requirement
from requirements.selectors import requirements_visible_to

MATCH_EXAMPLE = OpenApiExample(
    "A ranked list (staff token)",
    value={
        "next": "https://hub.example/api/v1/requirements/UA-2026-0142/matches/?cursor=cD0x",
        "previous": None,
        "results": [
            {
                "capability": {
                    "reference": "SR-Q4",
                    "name": "Quad interceptor airframe",
                    "category": "UAS.INTERCEPTOR",
                    "firm": {"companies_house_number": "SC123456", "name": "Skyreach Ltd"},
                },
                "requirement": "UA-2026-0142",
                "score": 87.4,
                "eligible": True,
                "blockers": [],
                "breakdown": [
                    {
                        "component": "relevance",
                        "value": 0.92,
                        "weight": 0.3,
                        "reason": "title and keywords match: interceptor, shahed",
                    }
                ],
                "engine_version": "2.1",
                "computed_at": "2026-05-01T09:30:00Z",
                "removed": False,
            },
            {
                "capability": {
                    "reference": "FLY-7",
                    "name": "Long-range FPV",
                    "category": "UAS.FPV",
                    "firm": {"companies_house_number": "09876543", "name": "Fen Drones Ltd"},
                },
                "requirement": "UA-2026-0142",
                "score": 61.0,
                "eligible": False,
                "blockers": [{"code": "TOO_LATE", "reason": "earliest delivery after needed_by"}],
                "breakdown": [],
                "engine_version": "2.1",
                "computed_at": "2026-05-01T09:30:00Z",
                "removed": False,
            },
        ],
    },
    response_only=True,
)


class _ExplainedPage(generics.ListAPIView):
    """A list of match items whose numbers-only rows get their reasons, a page at a time. The
    page is cut from the match rows alone and its relations loaded after (matching.api.selectors);
    match_items writes it, and serializer_class stays what the schema documents."""

    requirement: Requirement | None = None  # a requirement's list: the one it is of
    renderer_classes = [
        FastJSONRenderer if renderer is JSONRenderer else renderer
        for renderer in api_settings.DEFAULT_RENDERER_CLASSES
    ]

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(unjoined(self.filter_queryset(self.get_queryset())))
        assert page is not None  # noqa: S101 - both lists set a pagination class
        page = with_item_relations(page=page, requirement=self.requirement)
        return self.get_paginated_response(match_items(with_reasons(page)))


class RequirementMatchListView(_ExplainedPage):
    """A requirement's ranked matches: eligible first, score descending, then capability id.
    Staff see the whole list; a firm sees only its own rows."""

    serializer_class = MatchOutput
    permission_classes = [IsStaffOrSupplier]
    filterset_class = MatchFilter
    pagination_class = cursor_pagination(*MATCH_ORDER)

    @extend_schema(examples=[MATCH_EXAMPLE])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Match]:
        if getattr(self, "swagger_fake_view", False):
            return Match.objects.none()
        user = self.request.user
        # Only the requirement itself (its items show the reference) and the corpus figures
        # its rows are explained with, in the one query.
        visible = requirements_visible_to(user=user).select_related(None)
        requirement = get_object_or_404(
            visible.select_related("scoring_context"), reference=self.kwargs["reference"]
        )
        self.requirement = requirement
        return requirement_matches_listed(
            user=user, requirement=requirement, since=_since(self.request)
        )


def _since(request: Request) -> Any:
    # The filter set has validated updated_since already (a bad value never gets here as a
    # string: the backend answers 400 first), so only its parsed value is needed.
    field = MatchFilter.base_filters["updated_since"].field
    raw = request.query_params.get("updated_since")
    if not raw:
        return None
    try:
        return field.clean(raw)
    except DjangoValidationError as error:
        raise ValidationError({"updated_since": error.messages}) from error


class MyMatchListView(_ExplainedPage):
    """A firm's own matches across the active requirements it may see (firm tokens, suppliers)."""

    serializer_class = MatchOutput
    permission_classes = [IsSupplier]
    filterset_class = MatchFilter
    pagination_class = cursor_pagination("capability_id", "-eligible", "-score", "requirement_id")

    def get_queryset(self) -> QuerySet[Match]:
        return firm_matches_listed(user=self.request.user, since=_since(self.request))


def _client_endpoints(request: Request) -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.filter(client=request.auth)


@extend_schema_view(
    get=extend_schema(responses=WebhookOutput(many=True)),
    post=extend_schema(request=WebhookInput, responses={201: WebhookWithSecretOutput}),
)
class WebhookListView(APIView):
    """This token's webhook registrations; a new one answers with its secret, once."""

    permission_classes = [IsAPIClient]
    pagination_class = cursor_pagination("id")

    def get(self, request: Request, **kwargs: Any) -> Response:
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(_client_endpoints(request), request, view=self)
        return paginator.get_paginated_response(WebhookOutput(page, many=True).data)

    def post(self, request: Request, **kwargs: Any) -> Response:
        body = WebhookInput(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            endpoint, secret = webhooks.webhook_endpoint_create(
                client=request.auth, url=body.validated_data["url"]
            )
        except DjangoValidationError as error:
            raise ValidationError(error.message_dict) from error
        endpoint.secret = secret
        return Response(WebhookWithSecretOutput(endpoint).data, status=status.HTTP_201_CREATED)


class WebhookDetailView(APIView):
    permission_classes = [IsAPIClient]

    @extend_schema(responses=WebhookOutput)
    def get(self, request: Request, pk: int, **kwargs: Any) -> Response:
        endpoint = get_object_or_404(_client_endpoints(request), pk=pk)
        return Response(WebhookOutput(endpoint).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, pk: int, **kwargs: Any) -> Response:
        endpoint = get_object_or_404(_client_endpoints(request), pk=pk)
        webhooks.webhook_endpoint_delete(endpoint=endpoint)
        return Response(status=status.HTTP_204_NO_CONTENT)


class WebhookRotateSecretView(APIView):
    permission_classes = [IsAPIClient]

    @extend_schema(request=None, responses=WebhookWithSecretOutput)
    def post(self, request: Request, pk: int, **kwargs: Any) -> Response:
        endpoint = get_object_or_404(_client_endpoints(request), pk=pk)
        try:
            endpoint.secret = webhooks.webhook_endpoint_rotate_secret(endpoint=endpoint)
        except WebhookEndpoint.DoesNotExist as error:
            raise Http404 from error
        return Response(WebhookWithSecretOutput(endpoint).data)
