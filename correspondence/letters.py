"""The letters the tracker sends, rendered from templates with each regime's wording, the right
dates and both references (the force's, and ours in the subject so replies can be matched).

The law they cite (docs/deadlines.md, docs/email.md): FOIA 2000 s.1 (the right), s.8 (name and
address for correspondence), s.10(1) (twenty working days), s.10(3) with s.17(2) (the
public-interest extension's estimate), s.16 and s.12 (advice within the cost limit), s.17
(naming exemptions), s.50 (complaint to the Information Commissioner); the Freedom of
Information (Jersey) Law 2011 with its 65-working-day limit (Misc. Provisions Regulations 2014,
reg 2) and appeal to the Jersey Information Commissioner; the Guernsey Code 2021, open to
Bailiwick residents only, with its appeals panel.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string

from correspondence.addresses import our_reference, reply_address
from correspondence.models import Letter
from requests_app.deadlines import FOIA_2000, GUERNSEY_2021, JERSEY_2011
from requests_app.models import Campaign, FoiRequest, Force
from requests_app.status import EventKind, Status

REGULATORS = {
    FOIA_2000: "the Information Commissioner's Office",
    JERSEY_2011: "the Jersey Information Commissioner",
    GUERNSEY_2021: "the Freedom of Information Appeals Panel",
}


@dataclass(frozen=True)
class RenderedLetter:
    subject: str
    body: str


class Duty:
    """The duty a chaser says the force has missed; each names its source."""

    ANSWER = "answer"  # FOIA s.10(1); the Jersey and Guernsey 20-working-day targets
    EXTENSION = "extension"  # FOIA s.10(3) with the s.17(2) estimate
    JERSEY_LIMIT = "jersey_limit"  # Jersey: 65 working days (Misc. Provisions Regs 2014, reg 2)
    REVIEW = "review"  # ICO guidance: an internal review within 20 working days


def duty_missed(request: FoiRequest, deadline: dt.date) -> str:
    if request.status == Status.REVIEW_REQUESTED:
        return Duty.REVIEW
    if request.status == Status.EXTENDED:
        return Duty.EXTENSION
    if request.statutory_limit_on is not None and deadline == request.statutory_limit_on:
        return Duty.JERSEY_LIMIT
    return Duty.ANSWER


def letter_render(
    request: FoiRequest,
    letter: str,
    *,
    token: str,
    deadline: dt.date | None = None,
    events: list | None = None,
    grounds: str = "",
    reference: str = "",
) -> RenderedLetter:
    """The subject and body of one letter about `request` (with its force and campaign
    selected). `events` is the request's log, oldest first, for the letters that recount it."""
    campaign, force = request.campaign, request.force
    reference = reference or our_reference(request.pk)
    context = {
        "request": request,
        "campaign": campaign,
        "force": force,
        "regime": force.regime,
        "foia": force.regime == FOIA_2000,
        "jersey": force.regime == JERSEY_2011,
        "guernsey": force.regime == GUERNSEY_2021,
        "requester_name": campaign.requester_name,
        "reply_address": reply_address(token),
        "our_reference": reference,
        "force_reference": request.reference,
        "deadline": deadline,
        "duty": duty_missed(request, deadline) if letter == Letter.CHASER else "",
        "regulator": REGULATORS[force.regime],
        "grounds": grounds.strip(),
        **_dates_from(events or []),
    }
    # A plain str: the template's output is text, never marked safe for HTML.
    body = str(render_to_string(f"correspondence/letters/{letter}.txt", context)).strip() + "\n"
    return RenderedLetter(subject=_subject(letter, campaign.title, reference), body=body)


def letter_preview(campaign: Campaign, force: Force, letter: str) -> RenderedLetter:
    """The letter `force` would get, before its request exists: the reply address and our
    reference show where each request's own will go ("{token}", "FT-number")."""
    request = FoiRequest(campaign=campaign, force=force)
    reference = f"{settings.MAIL_REFERENCE_PREFIX}-number"
    return letter_render(request, letter, token="{token}", reference=reference)


def _subject(letter: str, title: str, reference: str) -> str:
    lead = {
        Letter.REQUEST: "Freedom of Information request",
        Letter.CHASER: "Overdue Freedom of Information request",
        Letter.INTERNAL_REVIEW: "Internal review of Freedom of Information request",
        Letter.COMPLAINT: "Complaint about Freedom of Information request",
    }[letter]
    return f"{lead}: {title} [{reference}]"


def _dates_from(events: list) -> dict[str, dt.date | None]:
    """The days of the events a letter recounts (the latest of each kind)."""
    latest = {event.kind: event.on for event in events}
    return {
        "responded_on": latest.get(EventKind.RESPONSE),
        "review_requested_on": latest.get(EventKind.INTERNAL_REVIEW_REQUESTED),
        "review_answered_on": latest.get(EventKind.INTERNAL_REVIEW_RESPONSE),
        "extended_on": latest.get(EventKind.EXTENSION),
    }
