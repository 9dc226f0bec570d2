"""Reads: who sees which message, a request's thread, the unmatched list, the board's mark of
an undelivered letter, and the data-entry list of spreadsheets that arrived by email.

Permissions follow the requests': a message is seen by whoever sees its request. An unmatched
message has no request: staff see them all, and researchers see those from the domain of a
force their team has a request to (mail from nowhere known is for staff to sort).
"""

from __future__ import annotations

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery

from correspondence.models import Attachment, Direction, Message, State
from requests_app import roles
from requests_app.models import FoiRequest
from requests_app.selectors import (
    User,
    campaigns_editable_by,
    requests_visible_to,
    requests_writable_by,
)
from responses_app.documents import SPREADSHEETS
from responses_app.models import Document

# The bytes and the HTML stay in the database until a page asks for one message.
HEAVY = ("raw", "body_html")


def _listed(messages: QuerySet[Message]) -> QuerySet[Message]:
    attachments = Attachment.objects.select_related("document").order_by("id")
    return (
        messages.defer(*HEAVY)
        .select_related("event", "handled_by")
        .prefetch_related(Prefetch("attachments", queryset=attachments))
    )


def request_thread(request: FoiRequest) -> QuerySet[Message]:
    """The request's whole correspondence, both ways, in the order it happened."""
    return _listed(request.messages.order_by("created_at", "id"))


def unmatched_visible_to(user: User) -> QuerySet[Message]:
    unmatched = Message.objects.filter(
        direction=Direction.IN, state=State.UNMATCHED, request__isnull=True
    )
    if not user.is_authenticated:
        return unmatched.none()
    if user.is_staff:
        return unmatched
    if not roles.has_role(user, roles.RESEARCHER):
        return unmatched.none()
    team_forces = FoiRequest.objects.filter(
        campaign__in=campaigns_editable_by(user).values("pk")
    ).values("force_id")
    return unmatched.filter(force__in=team_forces)


def unmatched_list(user: User) -> QuerySet[Message]:
    return _listed(unmatched_visible_to(user).order_by("-created_at", "-id"))


def requests_for_filing(user: User) -> QuerySet[FoiRequest]:
    """The requests a person may file an unmatched message on: their team's (staff: all)."""
    editable = campaigns_editable_by(user).values("pk")
    return FoiRequest.objects.select_related("force", "campaign").filter(campaign__in=editable)


def messages_visible_to(user: User) -> QuerySet[Message]:
    visible = requests_visible_to(user).values("pk")
    unmatched = unmatched_visible_to(user).values("pk")
    return Message.objects.filter(Q(request__in=visible) | Q(pk__in=unmatched))


def messages_writable_by(user: User) -> QuerySet[Message]:
    """Messages a person may classify or discard: those of requests whose log they may add to
    (data entry records answers on any campaign)."""
    return Message.objects.filter(request__in=requests_writable_by(user).values("pk"))


def messages_to_classify(user: User) -> QuerySet[Message]:
    """Replies waiting for a person, oldest first: the correspondence to-do list."""
    waiting = messages_writable_by(user).filter(state=State.TO_CLASSIFY)
    return _listed(waiting.select_related("request__force").order_by("created_at", "id"))


def requests_annotate_delivery(requests: QuerySet[FoiRequest]) -> QuerySet[FoiRequest]:
    """Each request with `undelivered_reason` and `undelivered_at` (null when the last letter
    was not returned), for the board: one join, no query per row."""
    return requests.annotate(
        undelivered_reason=F("mailbox__undelivered_reason"),
        undelivered_at=F("mailbox__undelivered_at"),
    )


def requests_annotate_letters(requests: QuerySet[FoiRequest]) -> QuerySet[FoiRequest]:
    """The board's marks, in the same query: the delivery annotations above, and the state
    and kind of each request's latest letter sent by email (`letter_state`, `letter_kind`;
    null when none was). Drafts are not letters yet."""
    latest = (
        Message.objects.filter(request=OuterRef("pk"), direction=Direction.OUT)
        .exclude(state=State.DRAFT)
        .order_by("-created_at", "-id")
    )
    return requests_annotate_delivery(requests).annotate(
        letter_state=Subquery(latest.values("state")[:1]),
        letter_kind=Subquery(latest.values("letter")[:1]),
    )


def requests_undelivered(requests: QuerySet[FoiRequest]) -> QuerySet[FoiRequest]:
    """The requests whose last letter the force's mail server returned, with the reason."""
    return requests_annotate_delivery(requests).filter(mailbox__undelivered_at__isnull=False)


def requests_with_spreadsheets_to_enter(user: User) -> QuerySet[FoiRequest]:
    """Requests whose email brought spreadsheets from which no figure has been entered yet,
    with how many (`spreadsheets_to_enter`): the data-entry to-do list."""
    waiting = (
        Document.objects.filter(
            request=OuterRef("pk"), content_type__in=SPREADSHEETS, attachment__isnull=False
        )
        .exclude(attachment__message__state=State.DISCARDED)
        .exclude(figures__isnull=False)
    )
    counted = waiting.order_by().values("request").annotate(count=Count("pk")).values("count")
    return (
        requests_writable_by(user)
        .filter(Exists(waiting))
        .annotate(spreadsheets_to_enter=Subquery(counted))
        .order_by("campaign_id", "force__name")
    )
