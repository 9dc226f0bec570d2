"""Campaigns: the home page with each campaign's progress, a campaign's board of forces (and the
bulk action that records one event for many of them), creating and editing a campaign, and
repeating it as a new wave."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_GET

from correspondence.selectors import requests_annotate_letters, unmatched_visible_to
from requests_app import roles
from requests_app.models import Campaign
from requests_app.selectors import (
    campaign_counts,
    campaign_history,
    campaign_waves,
    campaigns_visible_to,
    requests_writable_by,
    working_calendars,
)
from requests_app.services import (
    campaign_create,
    campaign_repeat,
    campaign_update,
    requests_record_event,
)
from responses_app.models import DatasetRelease
from responses_app.selectors import campaign_categories, campaigns_with_progress
from responses_app.services import campaign_categories_set
from web.access import (
    GET_POST,
    campaign_to_change,
    campaign_to_read,
    may_change_campaign,
    may_create_campaigns,
    posted,
    records_to_read,
    signed_in,
)
from web.board import board_rows
from web.forms import (
    CAMPAIGN_FORM_SETTINGS,
    BoardFilterForm,
    BulkEventForm,
    CampaignForm,
    PeriodFormSet,
    WaveForm,
    next_periods,
)


@signed_in
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    campaigns = campaigns_with_progress(campaigns_visible_to(request.user), today=today)
    if not roles.reads_records(request.user):
        # A consumer's home: the published campaigns, each with its figures and releases.
        releases = DatasetRelease.objects.order_by("-number")
        campaigns = campaigns.filter(published=True).prefetch_related(
            Prefetch("releases", queryset=releases)
        )
        return render(request, "web/home_reader.html", {"campaigns": campaigns})
    context = {
        "campaigns": campaigns,
        "may_create": may_create_campaigns(request),
        # Researchers and staff sort the mail no rule matched (an empty list for the others).
        "unmatched_count": unmatched_visible_to(request.user).count(),
    }
    return render(request, "web/home.html", context)


@signed_in
@GET_POST
def board(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = campaign_to_read(request, pk)
    records_to_read(request, campaign)
    today = timezone.localdate()
    writable = requests_writable_by(request.user).filter(campaign=campaign)
    may_record = writable.exists()
    bulk = BulkEventForm(posted(request), requests=writable, today=today)
    if request.method == "POST":
        if not may_record:
            raise PermissionDenied("Your role does not allow changes to these requests.")
        if bulk.is_valid() and _record_for_all(request, bulk):
            return redirect("web:board", pk=campaign.pk)
    filters = BoardFilterForm(request.GET)
    shown = requests_annotate_letters(filters.filter(campaign.requests.all(), today))
    rows = board_rows(shown, today=today, calendars=working_calendars())
    counts = campaign_counts(campaign, today=today)
    context = {
        "campaign": campaign,
        "rows": rows,
        "filters": filters,
        "counts": counts,
        "today": today,
        "bulk": bulk if may_record else None,
        "may_change": may_change_campaign(request, campaign),
        "waves": campaign_waves(campaign),
        "ticked": set(request.POST.getlist("requests")),
    }
    return render(request, "web/board.html", context, status=400 if bulk.errors else 200)


def _record_for_all(request: HttpRequest, bulk: BulkEventForm) -> bool:
    data = bulk.cleaned_data
    try:
        events = requests_record_event(
            requests=list(data["requests"].select_related("force")),
            kind=data["kind"],
            on=data["on"],
            until=data["until"],
            note=data["note"],
            user=request.user,
        )
    except ValidationError as refused:
        for message in refused.message_dict.get("requests", refused.messages):
            bulk.add_error(None, message)
        return False
    label = events[0].get_kind_display()
    messages.success(
        request,
        f"Recorded: {label} on {date_format(data['on'], 'j M Y')} for {len(events)} forces.",
    )
    return True


@signed_in
@GET_POST
def campaign_new(request: HttpRequest) -> HttpResponse:
    if not may_create_campaigns(request):
        raise PermissionDenied("Only researchers create campaigns.")
    form = CampaignForm(posted(request))
    periods = PeriodFormSet(posted(request), prefix="periods")
    if request.method == "POST" and form.is_valid() and periods.is_valid():
        campaign = _save(request, form, periods, campaign=None)
        if campaign is not None:
            messages.success(request, f"Created '{campaign.title}'. Now choose its forces.")
            return redirect("web:forces", pk=campaign.pk)
    context = {"form": form, "periods": periods, "campaign": None}
    return render(request, "web/campaign_form.html", context, status=_status(form, periods))


@signed_in
@GET_POST
def campaign_edit(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = campaign_to_change(request, pk)
    categories = campaign_categories(campaign)
    initial = {
        **{name: getattr(campaign, name) for name in CAMPAIGN_FORM_SETTINGS},
        "collaborators": ", ".join(u.username for u in campaign.collaborators.all()),
        "offences": list(categories.offences.all()) if categories else [],
        "platforms": list(categories.platforms.all()) if categories else [],
    }
    form = CampaignForm(posted(request), initial=initial)
    periods = _period_rows(request, [(p.start, p.end) for p in campaign.periods.all()])
    valid = request.method == "POST" and form.is_valid() and periods.is_valid()
    if valid and _save(request, form, periods, campaign=campaign) is not None:
        messages.success(request, f"Saved '{campaign.title}'.")
        return redirect("web:board", pk=campaign.pk)
    context = {
        "form": form,
        "periods": periods,
        "campaign": campaign,
        "history": campaign_history(campaign),
    }
    return render(request, "web/campaign_form.html", context, status=_status(form, periods))


def _period_rows(request: HttpRequest, shown: list) -> PeriodFormSet:
    """The period rows: `shown` filled in on a GET. A POST is read as posted, without them:
    a row left as it was shown would otherwise count as unchanged, and be dropped."""
    if request.method == "POST":
        return PeriodFormSet(request.POST, prefix="periods")
    initial = [{"start": start, "end": end} for start, end in shown]
    return PeriodFormSet(prefix="periods", initial=initial)


def _status(form, periods) -> int:
    return 400 if form.errors or periods.total_error_count() else 200


def _save(request, form: CampaignForm, periods, *, campaign: Campaign | None) -> Campaign | None:
    data = form.cleaned_data
    fields = {name: data[name] for name in CAMPAIGN_FORM_SETTINGS}
    try:
        with transaction.atomic():
            if campaign is None:
                campaign = campaign_create(
                    owner=request.user,
                    periods=periods.periods(),
                    collaborators=data["collaborators"],
                    **fields,
                )
            else:
                campaign_update(
                    campaign=campaign,
                    user=request.user,
                    periods=periods.periods(),
                    collaborators=data["collaborators"],
                    **fields,
                )
            campaign_categories_set(
                campaign=campaign, offences=data["offences"], platforms=data["platforms"]
            )
    except ValidationError as refused:
        for field, problems in refused.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
        return None
    return campaign


@signed_in
@GET_POST
def campaign_repeat_page(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = campaign_to_change(request, pk)
    suggested = next_periods([(p.start, p.end) for p in campaign.periods.all()])
    form = WaveForm(posted(request), initial={"title": campaign.next_wave_title()})
    periods = _period_rows(request, suggested)
    if request.method == "POST" and form.is_valid() and periods.is_valid():
        try:
            with transaction.atomic():
                wave = campaign_repeat(
                    campaign=campaign,
                    user=request.user,
                    periods=periods.periods(),
                    title=form.cleaned_data["title"],
                )
                categories = campaign_categories(campaign)
                if categories is not None:
                    campaign_categories_set(
                        campaign=wave,
                        offences=list(categories.offences.all()),
                        platforms=list(categories.platforms.all()),
                    )
        except ValidationError as refused:
            for field, problems in refused.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            messages.success(request, f"Created wave {wave.wave}. Now choose its forces.")
            return redirect("web:forces", pk=wave.pk)
    context = {"form": form, "periods": periods, "campaign": campaign}
    return render(request, "web/campaign_repeat.html", context, status=_status(form, periods))
