"""Who may open the pages: every page needs a signed-in user, except a release's public page
and files (web/views/releases.py); what each user sees is decided by the same selectors that
scope the API. A campaign outside the user's reach is a 404, so its existence does not leak; one
the user may read but not change is a 403 for a change.

A consumer reads what was published, as in the API (requests_app/roles.py `reads_records`,
docs/api.md "Who reads what"): a published campaign's figures, compliance and releases, not its
working records (the board, requests with their event notes, responses with the forces'
documents and the names of who keyed and confirmed each figure). Those pages answer a consumer
403 with the reason and a link to what they may read."""

from __future__ import annotations

from typing import TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from requests_app import roles
from requests_app.models import Campaign, FoiRequest
from requests_app.selectors import (
    campaigns_editable_by,
    campaigns_visible_to,
    requests_visible_to,
    requests_writable_by,
)

signed_in = login_required(login_url="web:login")
GET_POST = require_http_methods(["GET", "POST"])


class RecordsRefused(PermissionDenied):
    """A consumer asking for a campaign's working records: refused with the page they may read."""

    def __init__(self, campaign: Campaign) -> None:
        super().__init__(
            "Your role reads what is published: this campaign's figures and releases, not its "
            "working records (requests, their events and notes, the forces' documents)."
        )
        self.figures_url = reverse("web:figures", args=[campaign.pk])


def records_to_read(request: HttpRequest, campaign: Campaign) -> None:
    """The one check of every page that shows a campaign's working records."""
    if not roles.reads_records(request.user):
        raise RecordsRefused(campaign)


def refused(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler403: the reason in plain words, and for a consumer the page they may read."""
    context = {"exception": str(exception), "figures_url": getattr(exception, "figures_url", "")}
    return render(request, "403.html", context, status=403)


def may_create_campaigns(request: HttpRequest) -> bool:
    """The API's rule for creating a campaign: researchers and staff."""
    user = request.user
    return roles.has_role(user, roles.RESEARCHER) or roles.has_role(user, roles.ADMIN)


def campaign_to_read(request: HttpRequest, pk: int) -> Campaign:
    return get_object_or_404(campaigns_visible_to(request.user), pk=pk)


def campaign_to_change(request: HttpRequest, pk: int) -> Campaign:
    campaign = campaign_to_read(request, pk)
    if not campaigns_editable_by(request.user).filter(pk=pk).exists():
        raise PermissionDenied("Your role does not allow changes to this campaign.")
    return campaign


def may_change_campaign(request: HttpRequest, campaign: Campaign) -> bool:
    return campaigns_editable_by(request.user).filter(pk=campaign.pk).exists()


def request_to_read(request: HttpRequest, pk: int) -> FoiRequest:
    foi_request = get_object_or_404(requests_visible_to(request.user), pk=pk)
    records_to_read(request, foi_request.campaign)
    return foi_request


def may_record_events(request: HttpRequest, foi_request: FoiRequest) -> bool:
    return requests_writable_by(request.user).filter(pk=foi_request.pk).exists()


def posted(request: HttpRequest):
    """The form data of a POST, even an empty one (a form left blank is still submitted and
    must show its errors); None for a GET."""
    return request.POST if request.method == "POST" else None


M = TypeVar("M", bound=Model)


def to_change_or_refuse(visible: QuerySet[M], writable: QuerySet[M], pk: int) -> M:
    """The object a page changes: 404 when the user may not see it (its existence does not
    leak), 403 when they may only read it."""
    found = get_object_or_404(visible, pk=pk)
    if not writable.filter(pk=pk).exists():
        raise PermissionDenied("Your role does not allow changes here.")
    return found
