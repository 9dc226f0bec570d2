"""Choosing a campaign's forces and sending it: the chooser ticks forces by country, regime or
kind and then one by one; the confirmation page shows the forces and the date before anything
is written, and sends through `campaign_send`, the API's path."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_GET

from requests_app.deadlines import GUERNSEY_2021
from requests_app.models import GUERNSEY_WARNING, Campaign
from requests_app.selectors import forces_asked, forces_to_choose
from requests_app.services import campaign_send, campaign_update
from web.access import GET_POST, campaign_to_change, signed_in
from web.forms import ForcePickForm, SendForm


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
    if request.method == "POST":
        form = SendForm(request.POST)
    else:
        # The chooser names the forces; the date is today's until the user changes it.
        form = SendForm({"forces": request.GET.getlist("forces"), "sent_on": timezone.localdate()})
    forces = list(form.cleaned_data["forces"]) if form.is_valid() else []
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
        "needs_eligibility": _needs_eligibility(campaign, forces),
        "guernsey_warning": GUERNSEY_WARNING,
    }
    status = 400 if request.method == "POST" and form.errors else 200
    return render(request, "web/send.html", context, status=status)


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
            sent = campaign_send(
                campaign=campaign, forces=forces, sent_on=data["sent_on"], user=request.user
            )
    except ValidationError as refused:
        for field, problems in refused.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
        return False
    day = date_format(data["sent_on"], "j M Y")
    messages.success(request, f"Sent to {len(sent)} forces on {day}.")
    return True
