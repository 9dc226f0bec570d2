"""One person's daily email: what it says, and sending it exactly once where that is possible.

Order of work (docs/reminders.md): the sweep commits the digest and its reminders as `pending`;
a worker takes the digest (a conditional UPDATE that only one worker can win), sends the mail,
then marks it `sent`. A worker killed before the mail leaves loses nothing: its hold expires and
the redelivered task (or the next sweep) sends it. A worker killed between the SMTP send and the
mark sends that one email again on redelivery. That is the one repeat we accept: the other
order (mark, then send) could lose a reminder silently.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from itertools import groupby

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import F, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from core.task_log import error_text
from requests_app.models import Reminder, ReminderDigest, ReminderKind

logger = logging.getLogger(__name__)

K = ReminderKind
State = ReminderDigest.State

# Longer than the send task's hard time limit, so a hold outlives any worker that is still
# sending, and shorter than the broker's visibility timeout, so a redelivered task finds it free.
HOLD = dt.timedelta(minutes=10)
MAX_ATTEMPTS = 6
# What a refusing or unreachable mail server raises: worth another try later.
SEND_ERRORS = (smtplib.SMTPException, OSError)

NEXT_STEPS = {
    K.DUE_SOON: "The force must answer by {date}. Nothing to do yet; look out for the reply.",
    K.DUE_TODAY: "The answer is due today, {date}. Record the response when it arrives.",
    K.OVERDUE: "The answer was due on {date}. Chase the force and ask when it will reply.",
    K.VERY_OVERDUE: "Still no answer, long after it was due on {date}: complain to the regulator.",
    K.EXTENSION_PASSED: "The force estimated its answer by {date}. Chase the force.",
    K.EXTENSION_CEILING_PASSED: "The extension's 20-working-day ceiling passed on {date}: "
    "complain to the regulator.",
    K.REVIEW_OVERDUE: "The internal review was due on {date}. Chase the force.",
    K.REVIEW_VERY_OVERDUE: "The internal review's 40-working-day limit passed on {date}: "
    "complain to the regulator.",
    K.COMPLAINT_CLOSING: "The window to complain to the regulator closes on {date}. Decide "
    "whether to complain.",
    K.CLARIFICATION_UNANSWERED: "The force asked for clarification on {date}; its clock is "
    "stopped until you reply. Send the clarification (or withdraw the request).",
}


def digests_waiting(now: dt.datetime) -> QuerySet[ReminderDigest]:
    """Digests to hand to a worker: pending and held by nobody (or by a worker that died)."""
    return ReminderDigest.objects.filter(state=State.PENDING).filter(
        Q(sending_until__isnull=True) | Q(sending_until__lt=now)
    )


def digest_send(*, digest_id: int) -> bool:
    """Send one digest if it is still waiting; False when it is gone, sent, failed or held by
    another worker. A refused send is re-raised for the task to retry, until the last attempt,
    which marks the digest failed."""
    now = timezone.now()
    taken = (
        digests_waiting(now)
        .filter(pk=digest_id)
        .update(sending_until=now + HOLD, attempts=F("attempts") + 1)
    )
    if not taken:
        return False
    digest = ReminderDigest.objects.select_related("recipient").get(pk=digest_id)
    message = digest_message(digest)
    try:
        message.send()
    except SEND_ERRORS as error:
        final = digest.attempts >= MAX_ATTEMPTS
        _record_failure(digest, error, final=final)
        if final:
            return False
        raise
    _mark_sent(digest)
    return True


def _mark_sent(digest: ReminderDigest) -> None:
    ReminderDigest.objects.filter(pk=digest.pk).update(
        state=State.SENT, sent_at=timezone.now(), sending_until=None, last_error=""
    )


def _record_failure(digest: ReminderDigest, error: Exception, *, final: bool) -> None:
    """Release the hold for the next attempt, or give up; either way the error shows in the
    admin."""
    ReminderDigest.objects.filter(pk=digest.pk).update(
        state=State.FAILED if final else State.PENDING,
        sending_until=None,
        last_error=f"Attempt {digest.attempts}: {type(error).__name__}: {error}"[:2000],
    )
    # No address, subject or body: the digest id leads to them in the admin.
    logger.log(
        logging.ERROR if final else logging.WARNING,
        "Reminder digest not sent" if final else "Reminder digest send failed; will retry",
        extra={
            "digest_id": digest.pk,
            "attempt": digest.attempts,
            "final": final,
            "error": error_text(error),
        },
    )


def digests_retry(*, digests: QuerySet[ReminderDigest]) -> int:
    """Put failed digests back in the queue for the next sweep; returns how many."""
    return digests.filter(state=State.FAILED).update(
        state=State.PENDING, attempts=0, sending_until=None
    )


def digest_message(digest: ReminderDigest) -> EmailMultiAlternatives:
    reminders = digest.reminders.select_related("request__force", "request__campaign").order_by(
        "request__campaign__title", "request__campaign_id", "deadline", "request__force__name"
    )
    campaigns = [
        {"title": campaign.title, "items": [_item(reminder) for reminder in items]}
        for campaign, items in groupby(reminders, key=lambda r: r.request.campaign)
    ]
    count = sum(len(campaign["items"]) for campaign in campaigns)
    context = {"digest": digest, "campaigns": campaigns, "count": count}
    plural = "s" if count != 1 else ""
    subject = f"FOI deadlines: {count} reminder{plural} for {digest.on:%-d %b %Y}"
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("reminders/digest.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[digest.recipient.email],
    )
    message.attach_alternative(render_to_string("reminders/digest.html", context), "text/html")
    return message


def _item(reminder: Reminder) -> dict:
    path = reverse("admin:requests_app_foirequest_change", args=[reminder.request_id])
    return {
        "force": reminder.request.force.name,
        "what": reminder.get_kind_display(),
        "date": reminder.deadline,
        "next_step": NEXT_STEPS[reminder.kind].format(date=f"{reminder.deadline:%a %-d %b %Y}"),
        "url": f"{settings.SITE_URL.rstrip('/')}{path}",
    }
