"""A release's public page and its files: no sign-in. What a reader may open is what
`releases_visible_to` gives them: anyone, the releases of published campaigns; a campaign's team,
its unpublished releases too (a preview, marked as such); anything else is a 404."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from responses_app.datapackage import DATA_FILE, release_datapackage, release_package_name
from responses_app.dataset import dataset_rows, json_chunks
from responses_app.models import DatasetRelease
from responses_app.releases import release_csv, releases_visible_to
from web.figure_summary import release_summary
from web.views.figures import figures_context


def _release(request: HttpRequest, campaign: int, number: int) -> DatasetRelease:
    return get_object_or_404(releases_visible_to(request.user), campaign_id=campaign, number=number)


def release_address(release: DatasetRelease) -> str:
    """The release page's stable, full address: the one a citation gives."""
    path = reverse("web:release", args=[release.campaign_id, release.number])
    return settings.SITE_URL.rstrip("/") + path


def release_citation(release: DatasetRelease) -> str:
    """A suggested citation: publisher, year, title, release number and date, address and the
    data file's checksum, so a reader can tell they hold the file that was cited."""
    # In London's calendar, as the page writes the date (a release made at 00:30 BST is that day's).
    made = timezone.localtime(release.created_at)
    return (
        f"{settings.FOI_PUBLISHER} ({made:%Y}). {release.campaign.title}: {release.name} "
        f"(release {release.number}, {made.day} {made:%B %Y}) [Data set]. "
        f"{release_address(release)}. SHA-256 of {DATA_FILE}: {release.sha256 or 'not recorded'}."
    )


@require_safe
def release_page(request: HttpRequest, campaign: int, number: int) -> HttpResponse:
    release = _release(request, campaign, number)
    summary = release_summary(user=request.user, release=release)
    previous = None
    if release.changes.get("previous"):
        previous = (
            releases_visible_to(request.user)
            .filter(campaign_id=campaign, number=release.changes["previous"])
            .first()
        )
    context = {
        "release": release,
        "campaign": release.campaign,
        "previous": previous,
        "citation": release_citation(release),
        "address": release_address(release),
        **figures_context(summary),
    }
    return render(request, "web/release.html", context)


def _download(body, release: DatasetRelease, extension: str, content_type: str):
    response = StreamingHttpResponse(body, content_type=f"{content_type}; charset=utf-8")
    name = f"{release_package_name(release)}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_safe
def release_data_csv(request: HttpRequest, campaign: int, number: int) -> HttpResponse:
    release = _release(request, campaign, number)
    return _download(release_csv(release), release, "csv", "text/csv")


@require_safe
def release_data_json(request: HttpRequest, campaign: int, number: int) -> HttpResponse:
    release = _release(request, campaign, number)
    rows = json_chunks(dataset_rows(release.rows.all()))
    return _download(rows, release, "json", "application/json")


@require_safe
def release_datapackage_json(request: HttpRequest, campaign: int, number: int) -> HttpResponse:
    release = _release(request, campaign, number)
    descriptor = release_datapackage(
        release, homepage=release_address(release), publisher=settings.FOI_PUBLISHER
    )
    return JsonResponse(descriptor, json_dumps_params={"indent": 2, "ensure_ascii": False})
