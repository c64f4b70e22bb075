"""Requirement endpoints: thin views over the selectors and `requirement_transition`."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.permissions import IsHubStaff
from hub.api_pagination import cursor_pagination
from requirements.api.filters import RequirementFilter
from requirements.api.selectors import requirements_listed_for
from requirements.api.serializers import RequirementOutput, TransitionConflict, TransitionInput
from requirements.models import Requirement
from requirements.selectors import requirements_visible_to
from requirements.services import TransitionError, requirement_transition


class RequirementListView(generics.ListAPIView):
    """Requirements the caller may see; with `updated_since`, changes and removal records."""

    serializer_class = RequirementOutput
    filterset_class = RequirementFilter
    pagination_class = cursor_pagination("reference")

    def get_queryset(self) -> QuerySet[Requirement]:
        return requirements_listed_for(user=self.request.user).select_related("duplicate_of")


class RequirementDetailView(generics.RetrieveAPIView):
    serializer_class = RequirementOutput
    lookup_field = "reference"

    def get_queryset(self) -> QuerySet[Requirement]:
        return requirements_listed_for(user=self.request.user).select_related("duplicate_of")


def _message_dict(error: DjangoValidationError) -> dict[str, Any]:
    if hasattr(error, "error_dict"):
        return error.message_dict
    return {"non_field_errors": error.messages}


class RequirementTransitionView(APIView):
    """Move a requirement along the status flow (hub staff only)."""

    permission_classes = [IsHubStaff]

    @extend_schema(
        request=TransitionInput,
        responses={
            200: RequirementOutput,
            400: OpenApiResponse(description="Bad body: field name to messages"),
            404: OpenApiResponse(description="Unknown requirement"),
            409: TransitionConflict,
        },
    )
    def post(self, request: Request, reference: str, **kwargs: Any) -> Response:
        visible = requirements_visible_to(user=request.user)
        requirement = get_object_or_404(visible, reference=reference)
        body = TransitionInput(data=request.data)
        body.is_valid(raise_exception=True)
        duplicate_of = None
        if body.validated_data["duplicate_of"]:
            duplicate_of = visible.filter(reference=body.validated_data["duplicate_of"]).first()
            if duplicate_of is None:
                raise ValidationError({"duplicate_of": ["no requirement with this reference"]})
        try:
            requirement_transition(
                requirement=requirement,
                to=body.validated_data["to"],
                note=body.validated_data["note"],
                duplicate_of=duplicate_of,
                by=request.user,
            )
        except TransitionError as error:
            conflict = {"detail": " ".join(error.messages), "allowed": list(error.allowed)}
            return Response(conflict, status=status.HTTP_409_CONFLICT)
        except DjangoValidationError as error:
            raise ValidationError(_message_dict(error)) from error
        fresh = requirements_listed_for(user=request.user).get(pk=requirement.pk)
        return Response(RequirementOutput(fresh, context={"request": request}).data)
