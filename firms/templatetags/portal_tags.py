"""Template helpers that show labels in the reader's language instead of codes."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

from firms.codes import Certification

register = template.Library()


def _ukrainian() -> bool:
    return (get_language() or "").startswith("uk")


@register.filter
def category_label(category: Any) -> str:
    if category is None:
        return ""
    return category.label_uk if _ukrainian() and category.label_uk else category.label_en


@register.filter
def certification_label(code: str) -> str:
    return str(dict(Certification.choices).get(code, code))


@register.filter
def requirement_title(requirement: Any) -> str:
    if _ukrainian() and requirement.title_uk:
        return str(requirement.title_uk)
    return str(requirement.title or requirement.title_uk)


@register.filter
def requirement_description(requirement: Any) -> str:
    if _ukrainian() and requirement.description_uk:
        return str(requirement.description_uk)
    return str(requirement.description or requirement.description_uk)


@register.filter
def condition_label(condition: Any) -> str:
    return condition.label_uk if _ukrainian() and condition.label_uk else condition.label_en


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    return mapping.get(key) if mapping else None
