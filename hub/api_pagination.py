"""Cursor pagination for API lists: stable pages while rows change, which syncing clients need."""

from __future__ import annotations

from rest_framework.pagination import CursorPagination


class ReferenceCursorPagination(CursorPagination):
    """Default for lists without an order of their own: by primary key."""

    ordering = "id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


def cursor_pagination(*ordering: str) -> type[CursorPagination]:
    """A cursor pagination class walking rows in `ordering` (its first field is the cursor)."""
    return type(
        "CursorPagination_" + "_".join(o.lstrip("-") for o in ordering),
        (ReferenceCursorPagination,),
        {"ordering": ordering},
    )
