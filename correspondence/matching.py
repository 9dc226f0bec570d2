"""Which request a message from outside is about, by rules tried in this order (docs/email.md):

1. the request's own reply address in To, Cc, Delivered-To, X-Original-To or Envelope-To
   (the token routes mail and nothing else);
2. In-Reply-To or References naming a letter we sent (and, for a delivery report, the
   Message-ID of the letter it returns);
3. our reference in the subject ("[FT-123]");
4. the sender's domain, only when exactly one request to that force is open (waiting for the
   force: sent, awaiting clarification, fee notice, extended, review requested);
5. else unmatched, for a person to assign.

Reads only; a few indexed queries, whatever the size of the tables.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from correspondence.addresses import (
    domain_of,
    force_domains,
    references_in,
    tokens_in,
    within,
)
from correspondence.models import Direction, MatchedBy, Message
from correspondence.parsing import ParsedMessage
from requests_app.models import FoiRequest, Force
from requests_app.status import OWED_BY_THE_FORCE


@dataclass(frozen=True)
class Match:
    request: FoiRequest | None
    by: str  # a MatchedBy value, or "" when unmatched
    sender_force: Force | None  # the force whose domain the sender wrote from


def message_match(parsed: ParsedMessage) -> Match:
    domain = domain_of(parsed.from_address)
    for rule, by in (
        (_by_address, MatchedBy.ADDRESS),
        (_by_thread, MatchedBy.THREAD),
        (_by_subject, MatchedBy.SUBJECT),
    ):
        request = rule(parsed)
        if request is not None:
            # The request's own force is the likely sender: no reading of every force then.
            own = within(domain, force_domains(request.force))
            return Match(request, by, request.force if own else force_of_domain(domain))
    sender_force = force_of_domain(domain)
    if sender_force is not None:
        request = _only_open_request(sender_force)
        if request is not None:
            return Match(request, MatchedBy.DOMAIN, sender_force)
    return Match(None, "", sender_force)


def _requests() -> QuerySet[FoiRequest]:
    return FoiRequest.objects.select_related("force__contact", "campaign")


def _by_address(parsed: ParsedMessage) -> FoiRequest | None:
    tokens = tokens_in([*parsed.to, *parsed.cc, *parsed.delivered_to])
    if not tokens:
        return None
    return _requests().filter(mailbox__token__in=tokens).order_by("pk").first()


def _by_thread(parsed: ParsedMessage) -> FoiRequest | None:
    ids = [*parsed.in_reply_to, *parsed.references, parsed.returned_message_id]
    fingerprints = [f"mid:{message_id.lower()}" for message_id in ids if message_id]
    if not fingerprints:
        return None
    # The fingerprint's unique index finds our letters by Message-ID.
    ours = (
        Message.objects.filter(
            fingerprint__in=fingerprints, direction=Direction.OUT, request__isnull=False
        )
        .values_list("request_id", flat=True)
        .first()
    )
    return _requests().get(pk=ours) if ours else None


def _by_subject(parsed: ParsedMessage) -> FoiRequest | None:
    named = references_in(parsed.subject)
    return _requests().filter(pk__in=named).order_by("pk").first() if named else None


def _only_open_request(force: Force) -> FoiRequest | None:
    waiting = list(_requests().filter(force=force, status__in=OWED_BY_THE_FORCE)[:2])
    return waiting[0] if len(waiting) == 1 else None


def force_of_domain(domain: str) -> Force | None:
    """The one force whose domains include `domain` (46 rows, read with their contacts)."""
    if not domain:
        return None
    found = [
        force
        for force in Force.objects.select_related("contact")
        if within(domain, force_domains(force))
    ]
    return found[0] if len(found) == 1 else None
