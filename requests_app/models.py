from __future__ import annotations

import dataclasses
import datetime as dt

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from core.dates import validate_date_in_range
from requests_app.deadlines import GUERNSEY_2021, REGIME_CHOICES, Deadlines, WorkingCalendar
from requests_app.status import OPEN, RUNNING_CLOCKS, EventKind, Status


class Force(models.Model):
    """A police force, or another police body that answers FOI requests."""

    slug = models.SlugField(unique=True, help_text="The police.uk identifier, e.g. 'kent'.")
    name = models.CharField(max_length=120)
    country = models.CharField(max_length=40)
    regime = models.CharField(max_length=40, choices=REGIME_CHOICES)
    ons_code = models.CharField(max_length=9, blank=True)
    wdtk_slug = models.CharField("WhatDoTheyKnow slug", max_length=80, blank=True)
    foi_email = models.EmailField("FOI email", blank=True)
    territorial = models.BooleanField(default=True)
    suppression_threshold = models.PositiveSmallIntegerField(
        default=5, help_text="Counts below this are shown by the force as '*' or '<N'."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


GUERNSEY_WARNING = (
    "This campaign includes Guernsey Police, whose FOI Code is open to Bailiwick residents only: "
    "confirm the requester's eligibility."
)


class Campaign(models.Model):
    """One FOI question sent to many forces."""

    title = models.CharField(max_length=200)
    question = models.TextField()
    period_start = models.DateField(
        help_text="First day of the period the question asks about.",
        validators=[validate_date_in_range],
    )
    period_end = models.DateField(
        help_text="Last day of the period the question asks about.",
        validators=[validate_date_in_range],
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="campaigns_owned"
    )
    collaborators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="campaigns_shared"
    )
    guernsey_eligibility_confirmed = models.BooleanField(
        default=False,
        help_text="The Guernsey Code 2021 is open to Bailiwick residents only: tick once the "
        "owner has confirmed that the requester is eligible.",
    )
    published = models.BooleanField(
        default=False, help_text="Published campaigns can be read by API consumers."
    )
    synthetic_data = models.BooleanField(
        default=False,
        help_text="Its figures are made up (the demo): every report of them says so.",
    )
    # Waves: the same question asked again for a later period. `first_wave` names the series
    # (empty on a first wave), so every wave of a series is one indexed lookup.
    previous_wave = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="next_waves"
    )
    first_wave = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="later_waves"
    )
    wave = models.PositiveSmallIntegerField(default=1)
    # FOIA s.8(1)(b): a valid request states the applicant's name and an address for
    # correspondence; a letter sent by email gives the request's own reply address.
    requester_name = models.CharField(
        max_length=200,
        blank=True,
        help_text="The requester's real name, which signs the letters the tracker sends.",
    )
    chase_by_email = models.BooleanField(
        default=False,
        help_text="Email the force a polite chaser once an answer is overdue (once per deadline).",
    )
    chase_after_working_days = models.PositiveSmallIntegerField(
        default=1,
        validators=[MinValueValidator(1)],
        help_text="How many working days after the deadline the chaser goes out.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # A campaign with an event log is never deleted (its events are protected): it is archived,
    # which withdraws or closes each of its requests through the event log.
    archived_at = models.DateTimeField(null=True, blank=True, editable=False)
    archive_reason = models.TextField(blank=True, editable=False)
    history = HistoricalRecords(m2m_fields=[collaborators], excluded_fields=["created_at"])

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="campaign_period_in_order",
                violation_error_message="The period ends before it starts.",
            ),
            models.CheckConstraint(
                condition=Q(wave=1, previous_wave__isnull=True, first_wave__isnull=True)
                | Q(wave__gt=1, previous_wave__isnull=False, first_wave__isnull=False),
                name="campaign_wave_linked",
                violation_error_message="A later wave names the wave before it and the first.",
            ),
        ]
        indexes = [
            # The published campaigns every reader sees, probed on every report they ask for
            # (selectors.campaign_ids_visible_to): a few among thousands.
            models.Index(fields=["id"], name="campaign_published", condition=Q(published=True)),
        ]

    def __str__(self) -> str:
        return self.title

    def warnings(self) -> list[str]:
        """What the owner should know about this campaign: for now, Guernsey's residency rule."""
        if self.guernsey_eligibility_confirmed:
            return []
        # Lists annotate `includes_guernsey` so that this costs no query per campaign.
        includes_guernsey = getattr(self, "includes_guernsey", None)
        if includes_guernsey is None:
            includes_guernsey = self.requests.filter(force__regime=GUERNSEY_2021).exists()
        if not includes_guernsey:
            return []
        return [GUERNSEY_WARNING]

    def next_wave_title(self) -> str:
        series = self.title.removesuffix(f" (wave {self.wave})")
        return f"{series} (wave {self.wave + 1})"

    def series_root_id(self) -> int:
        """The id that names this campaign's series of waves: its first wave's."""
        return self.first_wave_id or self.pk


class CampaignPeriod(models.Model):
    """One period the question asks about (the demo asks for two half-years). The campaign's
    `period_start`..`period_end` is the span of its periods, kept by the services."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="periods")
    start = models.DateField(validators=[validate_date_in_range])
    end = models.DateField(validators=[validate_date_in_range])

    class Meta:
        ordering = ["campaign_id", "start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")),
                name="campaign_period_row_in_order",
                violation_error_message="The period ends before it starts.",
            ),
            models.UniqueConstraint(
                fields=["campaign", "start"],
                name="one_period_a_start",
                violation_error_message="The campaign already has a period starting that day.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.start} to {self.end}"


def overdue_condition(today: dt.date, *, through: str = "") -> Q:
    """The one definition of "overdue" in SQL: the running clock's date has passed (a request is
    not late on its due date itself). `through` reaches the request from another model, such as
    "requests__" from a campaign. `FoiRequest.clock_passed` is the same rule in Python."""
    return Q(**{f"{through}current_due_on__lt": today})


class FoiRequestQuerySet(models.QuerySet):
    def open(self) -> FoiRequestQuerySet:
        """Sent and not yet closed or withdrawn."""
        return self.filter(status__in=OPEN)

    def overdue(self, today: dt.date) -> FoiRequestQuerySet:
        return self.filter(overdue_condition(today))

    def not_overdue(self, today: dt.date) -> FoiRequestQuerySet:
        return self.exclude(overdue_condition(today))


class FoiRequest(models.Model):
    """One force's copy of a campaign's question, with its legal clocks stored for fast queries."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="requests")
    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="requests")
    reference = models.CharField(max_length=80, blank=True, help_text="The force's own reference.")
    sent_on = models.DateField(null=True, blank=True, validators=[validate_date_in_range])
    received_on = models.DateField(
        null=True,
        blank=True,
        help_text="The date of receipt, from which the clock runs.",
        validators=[validate_date_in_range],
    )
    status = models.CharField(max_length=30, choices=Status.choices, default=Status.DRAFT)
    # A re-ask: the same force asked a narrowed question after its answer to `parent` (say, a
    # s.12 cost refusal). Each request is re-asked at most once, so a force's requests in a
    # campaign form one chain, the newest standing for the force in coverage.
    parent = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="re_ask"
    )
    question = models.TextField(
        blank=True, help_text="A narrowed question for this force alone; empty: the campaign's."
    )

    # Derived from the event timeline by the deadline engine; never edited by hand.
    due_on = models.DateField(null=True, blank=True)
    extended_due_on = models.DateField(null=True, blank=True)
    extension_limit_on = models.DateField(null=True, blank=True)
    statutory_limit_on = models.DateField(null=True, blank=True)
    review_request_by = models.DateField(null=True, blank=True)
    review_due_on = models.DateField(null=True, blank=True)
    review_limit_on = models.DateField(null=True, blank=True)
    complaint_by = models.DateField(null=True, blank=True)
    # The one clock that is running now, so "overdue" is a plain indexed comparison.
    current_due_on = models.DateField(null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = FoiRequestQuerySet.as_manager()

    # The stored dates the deadline engine derives: every field of its answer, and the clock
    # that runs now.
    DEADLINE_FIELDS = [*(f.name for f in dataclasses.fields(Deadlines)), "current_due_on"]

    class Meta:
        ordering = ["campaign_id", "force__name"]
        constraints = [
            # Re-asks are the force's later requests in the campaign, each linked to the one
            # before: one first request per force, and a chain after it.
            models.UniqueConstraint(
                fields=["campaign", "force"],
                condition=Q(parent__isnull=True),
                name="one_request_per_force",
                violation_error_message="This campaign already has a request to this force.",
            ),
            models.CheckConstraint(
                condition=Q(received_on__gte=models.F("sent_on")) | Q(received_on__isnull=True),
                name="received_not_before_sent",
                violation_error_message="The date of receipt is before the request was sent.",
            ),
        ]
        indexes = [
            # Overdue lists and reminder sweeps only ever look at running clocks.
            models.Index(
                fields=["current_due_on"],
                name="running_clock_due",
                condition=Q(current_due_on__isnull=False),
            ),
            models.Index(fields=["status"], name="request_status"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} → {self.force}"

    def asked(self) -> str:
        """The question this force was asked: its own narrowed one, or the campaign's."""
        return self.question or self.campaign.question

    def apply_deadlines(self, deadlines: Deadlines) -> None:
        for field, value in vars(deadlines).items():
            setattr(self, field, value)
        self.current_due_on = self.running_clock_due_on()

    def running_clock_due_on(self) -> dt.date | None:
        clock = RUNNING_CLOCKS.get(self.status)
        return getattr(self, clock.deadline) if clock else None

    @staticmethod
    def clock_passed(current_due_on: dt.date | None, today: dt.date) -> bool:
        """`overdue_condition` in Python, for rows already read."""
        return current_due_on is not None and current_due_on < today

    def is_overdue(self, today: dt.date) -> bool:
        return self.clock_passed(self.current_due_on, today)

    def working_days_left(self, today: dt.date, calendar: WorkingCalendar) -> int | None:
        """Working days until the running clock ends; negative once it has passed."""
        if self.current_due_on is None:
            return None
        return calendar.working_days_between(today, self.current_due_on)


class ReviewOutcome(models.TextChoices):
    """What an internal review decided about the original answer (ICO guide to internal
    reviews: the reviewer upholds, varies or reverses the first decision)."""

    UPHELD = "upheld", "Upheld: the original answer stands"
    PARTLY_UPHELD = "partly_upheld", "Partly upheld: more was released"
    OVERTURNED = "overturned", "Overturned: the original answer was reversed"


class RequestEvent(models.Model):
    """One entry of a request's append-only log: what happened, when, and who recorded it."""

    # The log is append-only: a request (or a campaign) whose log has entries cannot be deleted,
    # by the admin or anyone; it is withdrawn or archived instead.
    request = models.ForeignKey(FoiRequest, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=40, choices=EventKind.choices)
    on = models.DateField(
        help_text="The day it happened (not the day it was recorded).",
        validators=[validate_date_in_range],
    )
    until = models.DateField(
        null=True,
        blank=True,
        help_text="For an extension: the force's estimated answer date.",
        validators=[validate_date_in_range],
    )
    # Empty on reviews logged before outcomes were kept: their note is all there is.
    review_outcome = models.CharField(
        max_length=20,
        choices=ReviewOutcome.choices,
        blank=True,
        help_text="For an internal review's answer: what it decided about the original answer.",
    )
    note = models.TextField(blank=True)
    from_status = models.CharField(max_length=30, choices=Status.choices)
    to_status = models.CharField(max_length=30, choices=Status.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.on}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValueError("The event log is append-only: record a new event instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("The event log is append-only: events are never deleted.")


class ExtraHoliday(models.Model):
    """A non-working day that the holiday calendars lack, such as a proclaimed bank holiday."""

    regime = models.CharField(max_length=40, choices=REGIME_CHOICES)
    date = models.DateField(validators=[validate_date_in_range])
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["regime", "date"],
                name="one_extra_holiday_a_day",
                violation_error_message="That day is already an extra holiday for this regime.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.date})"


# Reminders (issue 4): the policy, who wants them, and a row for every reminder claimed or sent.
# The rules that read these rows live in requests_app/reminders/.


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", "Answer due soon"
    DUE_TODAY = "due_today", "Answer due today"
    OVERDUE = "overdue", "Answer overdue"
    VERY_OVERDUE = "very_overdue", "Answer very overdue"
    EXTENSION_PASSED = "extension_passed", "Extension estimate passed"
    EXTENSION_CEILING_PASSED = "extension_ceiling_passed", "Extension ceiling passed"
    REVIEW_OVERDUE = "review_overdue", "Internal review overdue"
    REVIEW_VERY_OVERDUE = "review_very_overdue", "Internal review very overdue"
    COMPLAINT_CLOSING = "complaint_closing", "Complaint window closing"
    CLARIFICATION_UNANSWERED = "clarification_unanswered", "Clarification not yet sent"


class ReminderPolicy(models.Model):
    """When reminders go out: one row, tuned in the admin. The legal periods themselves (20
    working days, the review's 20 and 40, the 6-week complaint window) are the deadline
    engine's, because the stored due dates already count them."""

    due_soon_working_days = models.PositiveSmallIntegerField(
        default=3,
        validators=[MinValueValidator(1)],
        help_text="Warn this many working days before an answer is due (and again on the day).",
    )
    very_overdue_working_days = models.PositiveSmallIntegerField(
        default=20,
        validators=[MinValueValidator(2)],
        help_text="Working days after the due date when a late answer is worth a complaint.",
    )
    complaint_closing_working_days = models.PositiveSmallIntegerField(
        default=5,
        validators=[MinValueValidator(1)],
        help_text="Warn this many working days before the window to complain closes.",
    )
    clarification_working_days = models.PositiveSmallIntegerField(
        default=5,
        validators=[MinValueValidator(1)],
        help_text="Nudge when a force's request for clarification is unanswered this long.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "reminder policy"
        constraints = [models.CheckConstraint(condition=Q(id=1), name="one_reminder_policy")]

    def __str__(self) -> str:
        return "Reminder policy"

    @classmethod
    def current(cls) -> ReminderPolicy:
        """The admin's row, or the defaults if it is missing: reading the policy never writes,
        so a dry run writes nothing."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)


class ReminderPreference(models.Model):
    """A person's choice about the daily digest; no row means they receive it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="reminder_preference",
    )
    receives_reminders = models.BooleanField(
        default=True, help_text="Untick to stop the daily email of deadlines."
    )

    def __str__(self) -> str:
        return f"{self.user}: {'on' if self.receives_reminders else 'off'}"


class ReminderDigest(models.Model):
    """One person's email of one day: claimed by a sweep, then sent (or failed) by a worker."""

    class State(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_digests"
    )
    on = models.DateField("day", help_text="The day of the sweep that gathered it.")
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    sweep = models.UUIDField(editable=False, help_text="The sweep that claimed it.")
    attempts = models.PositiveSmallIntegerField(default=0)
    # A worker that takes the digest holds it until then; a worker killed mid-send leaves the
    # hold to expire, and the redelivered task (or the next sweep) takes it over.
    sending_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-on", "-id"]
        constraints = [
            # `on` first: the sweep looks up today's digests by day.
            models.UniqueConstraint(
                fields=["on", "recipient"],
                name="one_digest_a_day",
                violation_error_message="This person already has a digest for that day.",
            )
        ]
        indexes = [
            # Every sweep looks for digests still waiting; they are few among many sent.
            models.Index(fields=["state"], name="digest_pending", condition=Q(state="pending")),
        ]

    def __str__(self) -> str:
        return f"Reminders for {self.recipient} on {self.on}"


class Reminder(models.Model):
    """One reminder of one clock to one person. The unique row is the claim: a second sweep, or
    a second worker at the same moment, cannot claim the same reminder again."""

    # No index of its own: the unique claim below leads with the request, and a sweep writes
    # reminders by the hundred thousand, so every index costs.
    request = models.ForeignKey(
        FoiRequest, on_delete=models.CASCADE, related_name="reminders", db_index=False
    )
    kind = models.CharField(max_length=40, choices=ReminderKind.choices)
    deadline = models.DateField(
        help_text="The date of the clock it was for; when an event moves the clock, the new "
        "date's reminders are due again."
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    digest = models.ForeignKey(ReminderDigest, on_delete=models.CASCADE, related_name="reminders")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "kind", "deadline", "recipient"],
                name="one_reminder_per_clock",
                violation_error_message="This reminder was already claimed for that person.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.deadline}) to {self.recipient}"


class SweepRun(models.Model):
    """One completed reminder sweep: its age is what /health/ reports, so a stopped beat or a
    dead worker pages someone instead of silently sending no reminders."""

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    reminders = models.PositiveIntegerField(help_text="Reminders this sweep claimed.")
    digests = models.PositiveIntegerField(help_text="Digests it handed on to be sent.")

    class Meta:
        ordering = ["-finished_at"]
        get_latest_by = "finished_at"
        indexes = [models.Index(fields=["-finished_at"], name="sweep_run_latest")]

    def __str__(self) -> str:
        return f"Reminder sweep finished {self.finished_at:%Y-%m-%d %H:%M}"
