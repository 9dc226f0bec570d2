"""Choosing a campaign's forces and sending it: the chooser ticks forces by country, regime or
kind and then one by one; the confirmation page shows the forces, the letter and where it goes
before anything is written, and sends through the API's paths: `campaign_send_by_email` (the
tracker emails each force its letter) or `campaign_send` (the researcher sent them and records
the date)."""

from __future__ import annotations

import datetime as dt
import math

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_GET

from correspondence.addresses import force_address, reply_address
from correspondence.letters import letter_preview
from correspondence.models import Letter
from correspondence.services.sending import campaign_send_by_email
from requests_app.deadlines import GUERNSEY_2021
from requests_app.models import GUERNSEY_WARNING, Campaign, Force
from requests_app.selectors import forces_asked, forces_to_choose
from requests_app.services import campaign_send, campaign_update
from web.access import GET_POST, campaign_to_change, signed_in
from web.forms import BY_EMAIL, RECORD_ONLY, ForcePickForm, SendForm


@signed_in
@require_GET
def choose_forces(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = campaign_to_change(request, pk)
    forces = list(forces_to_choose(campaign))
    countries = sorted({force.country for force in forces})
    pick = ForcePickForm(request.GET if "pick" in request.GET else None, countries=countries)
    ticked = set(request.GET.getlist("forces"))
    rows = [
        {
            "force": force,
            "ticked": force.asked_on is None and (force.slug in ticked or pick.picks(force)),
        }
        for force in forces
    ]
    context = {
        "campaign": campaign,
        "pick": pick,
        "rows": rows,
        "asked": sum(force.asked_on is not None for force in forces),
        "guernsey": GUERNSEY_2021,
        "guernsey_warning": GUERNSEY_WARNING,
    }
    return render(request, "web/choose_forces.html", context)


@signed_in
@GET_POST
def send(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = campaign_to_change(request, pk)
    form = SendForm(request.POST) if request.method == "POST" else _first_form(request, campaign)
    form.is_valid()  # the forces are shown even when another field is wrong
    forces = list(form.cleaned_data.get("forces", []))
    asked = forces_asked(campaign, forces)
    if request.method == "POST" and form.is_valid():
        if forces and asked == {force.slug for force in forces}:
            messages.info(request, _already_sent(campaign, forces))
            return redirect("web:board", pk=campaign.pk)
        if _send(request, campaign, form):
            return redirect("web:board", pk=campaign.pk)
    context = {
        "campaign": campaign,
        "form": form,
        "forces": forces,
        "asked": asked,
        "rows": [(force, force_address(force)) for force in forces],
        "needs_eligibility": _needs_eligibility(campaign, forces),
        "guernsey_warning": GUERNSEY_WARNING,
        "email": _how_email_goes(len(forces)),
        "letter": letter_preview(campaign, forces[0], Letter.REQUEST) if forces else None,
    }
    status = 400 if request.method == "POST" and form.errors else 200
    return render(request, "web/send.html", context, status=status)


def _first_form(request: HttpRequest, campaign: Campaign) -> SendForm:
    """The chooser names the forces; the date is today's until the user changes it; email is
    proposed when the tracker can send every letter (each force has an FOI address, the
    campaign a requester's name to sign them, the server a reply address)."""
    slugs = request.GET.getlist("forces")
    forces = Force.objects.select_related("contact").filter(slug__in=slugs)
    how = BY_EMAIL if _can_email(campaign, forces) else RECORD_ONLY
    return SendForm({"forces": slugs, "sent_on": timezone.localdate(), "how": how})


def _can_email(campaign: Campaign, forces) -> bool:
    ready = bool(settings.REPLY_ADDRESS) and bool(campaign.requester_name.strip())
    return ready and all(force_address(force) for force in forces)


def _how_email_goes(count: int) -> dict:
    """What the page says of sending by email: the sender, the reply address and the pace."""
    rate = max(settings.MAIL_SEND_RATE_PER_MINUTE, 1)
    return {
        "from_address": settings.CORRESPONDENCE_FROM_EMAIL,
        "reply_pattern": reply_address("{token}") if settings.REPLY_ADDRESS else "",
        "rate": rate,
        # The last letter leaves (count - 1) gaps of a minute / rate after the first.
        "minutes": math.ceil((count - 1) / rate) if count > 1 else 0,
    }


def _needs_eligibility(campaign: Campaign, forces) -> bool:
    includes = any(force.regime == GUERNSEY_2021 for force in forces)
    return includes and not campaign.guernsey_eligibility_confirmed


def _already_sent(campaign: Campaign, forces) -> str:
    return (
        f"'{campaign.title}' was already sent to these {len(forces)} forces: nothing was written "
        "this time."
    )


def _send(request: HttpRequest, campaign: Campaign, form: SendForm) -> bool:
    data = form.cleaned_data
    forces = list(data["forces"])
    if _needs_eligibility(campaign, forces) and not data["guernsey_eligible"]:
        form.add_error("guernsey_eligible", f"{GUERNSEY_WARNING} Or untick Guernsey Police.")
        return False
    try:
        with transaction.atomic():
            if _needs_eligibility(campaign, forces):
                campaign_update(
                    campaign=campaign, user=request.user, guernsey_eligibility_confirmed=True
                )
            if data["how"] == BY_EMAIL:
                sent = campaign_send_by_email(campaign=campaign, forces=forces, user=request.user)
            else:
                sent = campaign_send(
                    campaign=campaign, forces=forces, sent_on=data["sent_on"], user=request.user
                )
    except ValidationError as refused:
        for field, problems in refused.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
        return False
    messages.success(request, _sent_message(len(sent), data["how"], data["sent_on"]))
    return True


def _sent_message(count: int, how: str, sent_on: dt.date | None) -> str:
    if how == BY_EMAIL:
        return (
            f"{count} letter{'s' if count != 1 else ''} queued to be emailed. Each request "
            "becomes sent, and its clock starts, when the force's mail server accepts it."
        )
    return f"Sent to {count} forces on {date_format(sent_on, 'j M Y')}."
