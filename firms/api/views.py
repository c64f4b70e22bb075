"""Firm and capability endpoints: staff read all, a firm's suppliers and tokens their own."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from rest_framework import generics

from accounts.api.permissions import IsStaffOrSupplier
from firms.api.filters import CapabilityFilter
from firms.api.serializers import CapabilityOutput, FirmOutput
from firms.models import Capability, Firm
from firms.selectors import capabilities_visible_to, firms_visible_to
from hub.api_pagination import cursor_pagination


class FirmListView(generics.ListAPIView):
    serializer_class = FirmOutput
    permission_classes = [IsStaffOrSupplier]
    pagination_class = cursor_pagination("companies_house_number")

    def get_queryset(self) -> QuerySet[Firm]:
        return firms_visible_to(user=self.request.user).prefetch_related("certifications")


class FirmDetailView(generics.RetrieveAPIView):
    serializer_class = FirmOutput
    permission_classes = [IsStaffOrSupplier]
    lookup_field = "companies_house_number"

    def get_queryset(self) -> QuerySet[Firm]:
        return firms_visible_to(user=self.request.user).prefetch_related("certifications")


class CapabilityListView(generics.ListAPIView):
    serializer_class = CapabilityOutput
    permission_classes = [IsStaffOrSupplier]
    filterset_class = CapabilityFilter
    pagination_class = cursor_pagination("id")

    def get_queryset(self) -> QuerySet[Capability]:
        return capabilities_visible_to(user=self.request.user)


class CapabilityDetailView(generics.RetrieveAPIView):
    serializer_class = CapabilityOutput
    permission_classes = [IsStaffOrSupplier]

    def get_queryset(self) -> QuerySet[Capability]:
        return capabilities_visible_to(user=self.request.user)

    def get_object(self) -> Any:
        capability = get_object_or_404(
            self.get_queryset(),
            firm__companies_house_number=self.kwargs["companies_house_number"],
            reference=self.kwargs["reference"],
        )
        self.check_object_permissions(self.request, capability)
        return capability
