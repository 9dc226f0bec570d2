"""Template filters of the data-entry pages."""

from __future__ import annotations

from django import template

from requests_app import roles
from responses_app.values import ValueStatus

register = template.Library()


@register.filter
def enters_data(user) -> bool:
    """Whether the user may record responses and figures somewhere: data entry on every
    campaign, researchers on their team's, staff everywhere."""
    writers = (roles.DATA_ENTRY, roles.RESEARCHER)
    return user.is_staff or any(roles.has_role(user, role) for role in writers)


@register.filter
def reads_records(user) -> bool:
    """Whether the user reads a campaign's working records (the board, requests, responses), or
    only what is published (a consumer): roles.reads_records, the API's rule."""
    return roles.reads_records(user)


@register.filter
def meaning(figure) -> str:
    """What a figure (or an import's draft of one) means as a count: '12', '1 to 4' (only a
    suppressed value is a range), or its status when it has no interval ('Not held')."""
    if figure.low is None:
        return ValueStatus(figure.status).label
    if figure.low == figure.high:
        return f"{figure.low:,}"
    return f"{figure.low:,} to {figure.high:,}"
