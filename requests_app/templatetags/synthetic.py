"""The admin's note on figures of synthetic campaigns (the demo), so made-up numbers are never
mistaken for a force's data."""

from __future__ import annotations

from django import template

from requests_app.models import Campaign

register = template.Library()


@register.simple_tag
def synthetic_campaigns(figures) -> list[str]:
    """Titles of the synthetic campaigns among these figures' campaigns, in one query."""
    ids = [getattr(figure, "pk", None) for figure in figures]
    return list(
        Campaign.objects.filter(synthetic_data=True, requests__responses__figures__in=ids)
        .distinct()
        .values_list("title", flat=True)
    )
