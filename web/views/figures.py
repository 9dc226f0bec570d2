"""A campaign's figures: charts and tables from the same numbers as the aggregates API."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from requests_app.selectors import campaigns_visible_to
from responses_app.releases import releases_visible_to
from web.access import signed_in
from web.charts import count_chart, coverage_chart, share_chart
from web.figure_summary import FiguresSummary, figures_summary
from web.wave_comparison import waves_compared


def figures_context(summary: FiguresSummary) -> dict:
    """What the figures body template draws, for a campaign's page and a release's alike."""
    headline = summary.headline
    return {
        "summary": summary,
        "headline": headline,
        "platform_chart": share_chart(summary.platforms),
        "owner_chart": share_chart(summary.owners, highlight=headline and headline.slug),
        "force_chart": count_chart(summary.forces),
        "coverage_chart": coverage_chart(summary.coverage, summary.asked),
    }


@signed_in
def figures(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(campaigns_visible_to(request.user), pk=pk)
    summary = figures_summary(user=request.user, campaign=campaign, today=timezone.localdate())
    context = {
        "campaign": campaign,
        **figures_context(summary),
        "dataset_url": f"{reverse('dataset')}?campaign={campaign.pk}",
        "latest_release": releases_visible_to(request.user)
        .filter(campaign=campaign)
        .order_by("-number")
        .first(),
        "headline_owner": summary.headline,
        "waves": waves_compared(
            user=request.user,
            campaign=campaign,
            owner_slug=summary.headline.slug if summary.headline else None,
        ),
    }
    return render(request, "web/figures.html", context)
