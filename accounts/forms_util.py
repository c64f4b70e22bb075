from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def posted(request: HttpRequest) -> Any:
    """The form data of a POST, even an empty one (an unticked box posts nothing), else None."""
    return request.POST if request.method == "POST" else None


def posted_files(request: HttpRequest) -> Any:
    return request.FILES if request.method == "POST" else None
