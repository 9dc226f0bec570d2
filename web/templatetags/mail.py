"""Template filters of the correspondence pages."""

from __future__ import annotations

from django import template

from requests_app import roles

register = template.Library()


@register.filter
def sorts_mail(user) -> bool:
    """Whether the user sorts unmatched mail: researchers and staff (the API's team)."""
    return roles.has_role(user, roles.RESEARCHER) or roles.has_role(user, roles.ADMIN)
