"""Email with the forces: every letter sent and every message received is a Message row.

Outbound, the row is the claim a worker takes before it talks to the mail server (the reminder
digests' pattern); a chaser's row is also the proof it was sent once for its deadline. Inbound,
the row is filed once whatever the number of deliveries: its fingerprint (the Message-ID, or
the raw bytes' digest when there is none) is unique. Rules: docs/email.md.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from requests_app.models import FoiRequest, Force, RequestEvent
from responses_app.models import Document


class ForceContact(models.Model):
    """How the tracker writes to a force, beyond the register: the register is reloaded after
    every migrate, so a corrected address lives here, with any other domain the force writes
    from."""

    force = models.OneToOneField(
        Force, on_delete=models.CASCADE, primary_key=True, related_name="contact"
    )
    address = models.EmailField(
        blank=True, help_text="Replaces the register's FOI address when set (a corrected one)."
    )
    more_domains = models.TextField(
        blank=True,
        help_text="Other domains the force's staff write from, one a line (e.g. kent.police.uk).",
    )

    def __str__(self) -> str:
        return f"Contact for {self.force}"

    def domains(self) -> list[str]:
        return [line.strip().lower() for line in self.more_domains.splitlines() if line.strip()]

    def clean(self) -> None:
        bad = [d for d in self.domains() if "." not in d or "@" in d or " " in d]
        if bad:
            raise ValidationError(
                {"more_domains": f"Not a domain: {', '.join(bad)}. Give one like kent.police.uk."}
            )


class RequestMailbox(models.Model):
    """A request's own reply address (REPLY_ADDRESS with this token), and whether the last
    letter to the force was bounced. The token only routes mail: it grants nothing on the web
    or the API."""

    request = models.OneToOneField(
        FoiRequest, on_delete=models.CASCADE, primary_key=True, related_name="mailbox"
    )
    token = models.CharField(max_length=32, unique=True, editable=False)
    undelivered_reason = models.TextField(
        blank=True, help_text="Why the force's mail server returned the last letter."
    )
    undelivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "request mailboxes"
        indexes = [
            # The board's "undelivered" mark: a few requests among many.
            models.Index(
                fields=["undelivered_at"],
                name="mailbox_undelivered",
                condition=Q(undelivered_at__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return f"Mailbox of request {self.request_id}"


class Direction(models.TextChoices):
    IN = "in", "From the force"
    OUT = "out", "To the force"


class Letter(models.TextChoices):
    """What an outbound message is."""

    REQUEST = "request", "Request"
    CHASER = "chaser", "Chaser"
    INTERNAL_REVIEW = "internal_review", "Internal review request"
    COMPLAINT = "complaint", "Complaint to the regulator"


class Classification(models.TextChoices):
    """What an inbound message is, by the rules in correspondence/classifying.py."""

    ACKNOWLEDGEMENT = "acknowledgement", "Acknowledgement"
    AUTO_REPLY = "auto_reply", "Automatic reply"
    BOUNCE = "bounce", "Delivery failure"
    DELIVERY_REPORT = "delivery_report", "Delivery report (not a failure)"
    REPLY = "reply", "Reply"


class State(models.TextChoices):
    # Outbound
    DRAFT = "draft", "Draft, not sent"
    QUEUED = "queued", "Waiting to be sent"
    SENT = "sent", "Accepted by the mail server"
    FAILED = "failed", "Not sent"
    UNDELIVERED = "undelivered", "Returned by the force's mail server"
    # Inbound
    UNMATCHED = "unmatched", "Not matched to a request"
    TO_CLASSIFY = "to_classify", "Waiting for a person to classify"
    FILED = "filed", "Filed"
    DISCARDED = "discarded", "Discarded"


class MatchedBy(models.TextChoices):
    ADDRESS = "address", "The request's reply address"
    THREAD = "thread", "A reply to our message (In-Reply-To / References)"
    SUBJECT = "subject", "The reference in the subject"
    DOMAIN = "domain", "The force's only open request"
    PERSON = "person", "Assigned by a person"


class Message(models.Model):
    direction = models.CharField(max_length=3, choices=Direction.choices)
    request = models.ForeignKey(
        FoiRequest,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="messages",
        db_index=False,  # the thread index below leads with it
    )
    # Outbound: the addressee. Inbound: the force whose domain the sender wrote from, if any;
    # it decides who sees an unmatched message.
    force = models.ForeignKey(
        Force, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    letter = models.CharField(max_length=20, choices=Letter.choices, blank=True)
    classification = models.CharField(max_length=20, choices=Classification.choices, blank=True)
    state = models.CharField(max_length=20, choices=State.choices)

    from_address = models.CharField(max_length=320, blank=True)
    to_addresses = models.TextField(blank=True, help_text="Comma-separated.")
    cc_addresses = models.TextField(blank=True)
    subject = models.CharField(max_length=998, blank=True)
    message_id = models.CharField(max_length=998, blank=True)
    in_reply_to = models.CharField(max_length=998, blank=True)
    references = models.TextField(blank=True)
    # Filed once: "mid:<message-id>", or "sha256:<digest of the raw bytes>" when there is none.
    fingerprint = models.CharField(max_length=1000, unique=True, null=True, blank=True)
    date = models.DateTimeField(null=True, blank=True, help_text="The Date header.")

    body_text = models.TextField(blank=True)
    body_html = models.TextField(
        blank=True, help_text="Cleaned with nh3: no scripts, styles or images."
    )
    raw = models.BinaryField(null=True, blank=True, help_text="The message as sent or received.")
    size = models.PositiveIntegerField(default=0)
    too_large = models.BooleanField(
        default=False, help_text="Over MAIL_MAX_BYTES: only its headers were kept."
    )

    matched_by = models.CharField(max_length=10, choices=MatchedBy.choices, blank=True)
    from_outside_force = models.BooleanField(
        default=False, help_text="Sent from outside the force's domains: read it with care."
    )
    force_reference = models.CharField(max_length=80, blank=True)
    bounce_reason = models.TextField(blank=True)
    note = models.TextField(blank=True, help_text="What the tracker did with it, or why not.")
    event = models.ForeignKey(
        RequestEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)

    # Sending
    deadline = models.DateField(
        null=True, blank=True, help_text="A chaser's deadline: one chaser per deadline."
    )
    batch = models.UUIDField(null=True, blank=True, editable=False)
    not_before = models.DateTimeField(
        null=True, blank=True, help_text="Its place in the queue at MAIL_SEND_RATE_PER_MINUTE."
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    # A worker that takes the message holds it until then (as the reminder digests do).
    sending_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(null=True, blank=True)
    replaces = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="resends"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            # The chaser's claim: a second sweep, or two at once, cannot chase a deadline twice.
            models.UniqueConstraint(
                fields=["request", "letter", "deadline"],
                condition=Q(letter="chaser", deadline__isnull=False),
                name="one_chaser_per_deadline",
                violation_error_message="This deadline was already chased.",
            ),
            models.CheckConstraint(
                condition=Q(direction="in", letter="") | Q(direction="out", classification=""),
                name="message_letter_or_classification",
                violation_error_message="A letter goes out; a classification is of mail in.",
            ),
        ]
        indexes = [
            models.Index(fields=["request", "created_at"], name="message_thread"),
            # The send queue and the unmatched list are small slices of a long table.
            models.Index(fields=["not_before"], name="message_queued", condition=Q(state="queued")),
            models.Index(
                fields=["created_at"], name="message_unmatched", condition=Q(state="unmatched")
            ),
        ]

    def __str__(self) -> str:
        return self.subject or f"Message {self.pk}"

    @property
    def happened_at(self):
        """When it went out (accepted by the mail server) or came in; a draft's creation."""
        return self.sent_at or self.received_at or self.created_at

    @property
    def to_list(self) -> list[str]:
        return [a.strip() for a in self.to_addresses.split(",") if a.strip()]


class Attachment(models.Model):
    """A file that came with a message: a Document when it passed the document checks, else
    the reason it was refused (a logo in a signature, a file over the size limit...)."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    document = models.OneToOneField(
        Document, null=True, blank=True, on_delete=models.SET_NULL, related_name="attachment"
    )
    filename = models.CharField(max_length=200)
    declared_type = models.CharField(max_length=120, help_text="As the message declared it.")
    size = models.PositiveIntegerField()
    refused = models.TextField(blank=True, help_text="Why it was not kept as a document.")

    class Meta:
        ordering = ["message_id", "id"]

    def __str__(self) -> str:
        return self.filename
