"""Every URL pattern of the project, found by walking the root URL configuration."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Route:
    key: str  # the namespaced URL name, or the route itself for an unnamed pattern
    route: str  # the full route from the site root, e.g. "portal/capabilities/<int:pk>/"
    name: str | None  # the namespaced name, for reverse()
    callback: Any
    namespace: str

    @property
    def is_admin(self) -> bool:
        return self.namespace == "admin" or self.namespace.startswith("admin:")

    @property
    def is_api(self) -> bool:
        return self.route.startswith("api/")


def _walk(patterns: list[Any], prefix: str, namespace: str) -> Iterator[Route]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield Route(
                key=name or route,
                route=route,
                name=name,
                callback=pattern.callback,
                namespace=namespace,
            )


def all_routes() -> list[Route]:
    return list(_walk(get_resolver().url_patterns, "", ""))
