"""A campaign's releases, and a release's public page and its files.

The Releases page lists a campaign's releases to whoever reads its figures, and makes one for
whoever the API lets make one (ReleaseViewSet: a researcher or staff, on a campaign of theirs,
which is what `campaigns_editable_by` selects), through `release_create`.

A release's page and files need no sign-in. What a reader may open is what
`releases_visible_to` gives them: anyone, the releases of published campaigns; a campaign's team,
its unpublished releases too (a preview, marked as such); anything else is a 404."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from requests_app import roles
from requests_app.models import Campaign
from responses_app.datapackage import DATA_FILE, release_datapackage, release_package_name
from responses_app.dataset import dataset_rows, json_chunks
from responses_app.models import DatasetRelease
from responses_app.releases import (
    ReleaseAlreadyMade,
    release_create,
    release_csv,
    release_preview,
    releases_visible_to,
)
from responses_app.shares import plural
from web.access import GET_POST, campaign_to_read, may_change_campaign, posted, signed_in
from web.figure_summary import coverage_in_words, release_summary
from web.release_forms import ReleaseForm
from web.response_forms import form_errors_from
from web.views.figures import figures_context


@signed_in
@GET_POST
def releases(request: HttpRequest, pk: int) -> HttpResponse:
    """The campaign's releases, newest first; for whoever may make one, what a release made now
    would freeze (GET) and the form that makes it (POST)."""
    campaign = campaign_to_read(request, pk)
    may_release = may_change_campaign(request, campaign)
    if request.method == "POST" and not may_release:
        raise PermissionDenied("Your role does not allow making a release of this campaign.")
    listed = list(releases_visible_to(request.user).filter(campaign=campaign).order_by("-number"))
    latest = listed[0].number if listed else 0
    form = ReleaseForm(posted(request), initial={"after": latest})
    if request.method == "POST" and form.is_valid():
        made = _release_make(request, campaign, form)
        if made is not None:
            return made
    context = {
        "campaign": campaign,
        "releases": listed,
        "may_change": may_release,
        "names_shown": roles.reads_records(request.user),
        "form": form if may_release else None,
        "next_number": latest + 1,
    }
    if may_release:
        preview = release_preview(campaign=campaign, today=timezone.localdate())
        context.update(preview=preview, coverage_words=coverage_in_words(preview.coverage))
    status = 400 if form.errors else 200
    return render(request, "web/releases.html", context, status=status)


def _release_make(request: HttpRequest, campaign: Campaign, form: ReleaseForm):
    """The redirect once the release is made (or was made already); None, with the errors on
    the form, when it cannot be."""
    data = form.cleaned_data
    try:
        release = release_create(
            campaign=campaign,
            name=data["name"],
            note=data["note"],
            user=request.user,
            after=data["after"],
        )
    except ReleaseAlreadyMade as already:
        messages.info(
            request,
            f"Release {already.latest.number} ({already.latest.name}) was made after this form "
            "was opened, so nothing was written this time. Make another only if the figures "
            "have changed since.",
        )
        return redirect("web:releases", pk=campaign.pk)
    except ValidationError as refused:
        form_errors_from(form, refused)
        return None
    messages.success(
        request, f"Release {release.number} made: {plural(release.row_count, 'figure')} frozen."
    )
    return redirect("web:release", campaign=campaign.pk, number=release.number)


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
