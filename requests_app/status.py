"""The request status machine: which event may happen in which status, and where it leads.

The process status (where the request is) is kept apart from the outcome of a response
(granted, refused...), which belongs to the response itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    SENT = "sent", "Sent, awaiting response"
    AWAITING_CLARIFICATION = "awaiting_clarification", "Awaiting clarification"
    FEE_NOTICE = "fee_notice", "Fee notice (clock paused)"
    EXTENDED = "extended", "Public-interest extension"
    RESPONDED = "responded", "Responded"
    REVIEW_REQUESTED = "review_requested", "Internal review requested"
    REVIEW_ANSWERED = "review_answered", "Internal review answered"
    COMPLAINT = "complaint", "Complaint to the regulator"
    WITHDRAWN = "withdrawn", "Withdrawn"
    CLOSED = "closed", "Closed"


class EventKind(models.TextChoices):
    SENT = "sent", "Sent"
    ACKNOWLEDGED = "acknowledged", "Acknowledged by the force"
    CLARIFICATION_REQUESTED = "clarification_requested", "Force asked for clarification"
    CLARIFICATION_RECEIVED = "clarification_received", "Clarification sent to the force"
    FEE_NOTICE = "fee_notice", "Fee notice received"
    FEE_PAID = "fee_paid", "Fee paid"
    EXTENSION = "extension", "Public-interest extension"
    RESPONSE = "response", "Response received"
    RESPONSE_WITHDRAWN = "response_withdrawn", "Response withdrawn"
    INTERNAL_REVIEW_REQUESTED = "internal_review_requested", "Internal review requested"
    INTERNAL_REVIEW_RESPONSE = "internal_review_response", "Internal review answered"
    COMPLAINT = "complaint", "Complaint to the regulator"
    WITHDRAWN = "withdrawn", "Withdrawn"
    CLOSED = "closed", "Closed"


S = Status
AWAITING_ANSWER = (S.SENT, S.EXTENDED)
STILL_OPEN = (S.SENT, S.AWAITING_CLARIFICATION, S.FEE_NOTICE, S.EXTENDED)
# Sent and not finished: the force, its reviewer or the regulator may still write to us.
OPEN = tuple(s for s in S if s not in (S.DRAFT, S.WITHDRAWN, S.CLOSED))
# The force still owes us something: an answer (or one paused) or an internal review.
OWED_BY_THE_FORCE = (*STILL_OPEN, S.REVIEW_REQUESTED)


@dataclass(frozen=True)
class Clock:
    """A clock that runs against the force (or its reviewer) while the request is in a status."""

    deadline: str  # the stored deadline it runs to: a field of deadlines.Deadlines
    awaiting: str  # what the researcher is waiting for, in words


# Which clock runs in which status: the one table the request's `current_due_on`, the board, the
# reminder rules and the sweep read. A status that is missing runs no clock: a draft, a paused
# clock (clarification, fee notice), an answered, closed or withdrawn request, a complaint.
RUNNING_CLOCKS: dict[str, Clock] = {
    S.SENT: Clock("due_on", "answer"),
    S.EXTENDED: Clock("extended_due_on", "extended answer"),
    S.REVIEW_REQUESTED: Clock("review_due_on", "internal review"),
}

# A withdrawn response (recorded in error, or taken back by the force) returns the request to the
# status that response found: an extended request is extended again, with its clock running.
BEFORE_THE_RESPONSE = "before_the_response"

# event kind -> (statuses it may happen in, status it leads to; None keeps the current one)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str | None]] = {
    EventKind.SENT: ((S.DRAFT,), S.SENT),
    EventKind.ACKNOWLEDGED: (AWAITING_ANSWER, None),
    EventKind.CLARIFICATION_REQUESTED: (AWAITING_ANSWER, S.AWAITING_CLARIFICATION),
    EventKind.CLARIFICATION_RECEIVED: ((S.AWAITING_CLARIFICATION,), S.SENT),
    EventKind.FEE_NOTICE: ((S.SENT,), S.FEE_NOTICE),
    EventKind.FEE_PAID: ((S.FEE_NOTICE,), S.SENT),
    EventKind.EXTENSION: (AWAITING_ANSWER, S.EXTENDED),
    # A force may answer while a clarification or fee is outstanding (often a refusal).
    EventKind.RESPONSE: (STILL_OPEN, S.RESPONDED),
    EventKind.RESPONSE_WITHDRAWN: ((S.RESPONDED,), BEFORE_THE_RESPONSE),
    EventKind.INTERNAL_REVIEW_REQUESTED: ((S.RESPONDED,), S.REVIEW_REQUESTED),
    EventKind.INTERNAL_REVIEW_RESPONSE: ((S.REVIEW_REQUESTED,), S.REVIEW_ANSWERED),
    # The regulator takes complaints about silence as well as about answers.
    EventKind.COMPLAINT: (
        (S.SENT, S.EXTENDED, S.RESPONDED, S.REVIEW_REQUESTED, S.REVIEW_ANSWERED),
        S.COMPLAINT,
    ),
    EventKind.WITHDRAWN: ((S.DRAFT, *STILL_OPEN), S.WITHDRAWN),
    EventKind.CLOSED: (
        (S.RESPONDED, S.REVIEW_REQUESTED, S.REVIEW_ANSWERED, S.COMPLAINT),
        S.CLOSED,
    ),
}


class TransitionRefused(Exception):
    """An event that the status machine does not allow in the request's current status."""


def next_status(current: str, kind: str, *, before_the_response: str | None = None) -> str:
    """The status a request moves to when an event of `kind` happens, or TransitionRefused.
    `before_the_response`: the status the standing response found (its event's from_status),
    where withdrawing that response leads."""
    if kind not in TRANSITIONS:
        raise TransitionRefused(f"'{kind}' is not a kind of event.")
    allowed_from, target = TRANSITIONS[kind]
    if current not in allowed_from:
        allowed = "; ".join(f"'{Status(s).label.lower()}'" for s in allowed_from)
        raise TransitionRefused(
            f"'{EventKind(kind).label}' cannot be recorded while the request is "
            f"'{Status(current).label.lower()}'; only when it is: {allowed}."
        )
    if target == BEFORE_THE_RESPONSE:
        if before_the_response is None:
            raise TransitionRefused("There is no response on record to withdraw.")
        return before_the_response
    return target or current


def kinds_allowed(current: str) -> list[str]:
    """The event kinds the status machine allows in `current`, in the table's order."""
    return [kind for kind, (allowed_from, _) in TRANSITIONS.items() if current in allowed_from]
