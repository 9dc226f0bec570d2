from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q

from requests_app.deadlines import GUERNSEY_2021, REGIME_CHOICES, Deadlines, WorkingCalendar
from requests_app.status import EventKind, Status


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


class Campaign(models.Model):
    """One FOI question sent to many forces."""

    title = models.CharField(max_length=200)
    question = models.TextField()
    period_start = models.DateField(help_text="First day of the period the question asks about.")
    period_end = models.DateField(help_text="Last day of the period the question asks about.")
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
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="campaign_period_in_order",
                violation_error_message="The period ends before it starts.",
            )
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
        return [
            "This campaign includes Guernsey Police, whose FOI Code is open to Bailiwick "
            "residents only: confirm the requester's eligibility."
        ]


# Statuses in which a clock is running against the force (or the reviewer).
CLOCK_RUNNING = (Status.SENT, Status.EXTENDED, Status.REVIEW_REQUESTED)


class FoiRequest(models.Model):
    """One force's copy of a campaign's question, with its legal clocks stored for fast queries."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="requests")
    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="requests")
    reference = models.CharField(max_length=80, blank=True, help_text="The force's own reference.")
    sent_on = models.DateField(null=True, blank=True)
    received_on = models.DateField(
        null=True, blank=True, help_text="The date of receipt, from which the clock runs."
    )
    status = models.CharField(max_length=30, choices=Status.choices, default=Status.DRAFT)

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

    class Meta:
        ordering = ["campaign_id", "force__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "force"],
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

    def apply_deadlines(self, deadlines: Deadlines) -> None:
        for field, value in vars(deadlines).items():
            setattr(self, field, value)
        self.current_due_on = self.running_clock_due_on()

    def running_clock_due_on(self) -> dt.date | None:
        if self.status == Status.SENT:
            return self.due_on
        if self.status == Status.EXTENDED:
            return self.extended_due_on
        if self.status == Status.REVIEW_REQUESTED:
            return self.review_due_on
        return None

    def is_overdue(self, today: dt.date) -> bool:
        return self.current_due_on is not None and self.current_due_on < today

    def working_days_left(self, today: dt.date, calendar: WorkingCalendar) -> int | None:
        """Working days until the running clock ends; negative once it has passed."""
        if self.current_due_on is None:
            return None
        return calendar.working_days_between(today, self.current_due_on)


class RequestEvent(models.Model):
    """One entry of a request's append-only log: what happened, when, and who recorded it."""

    request = models.ForeignKey(FoiRequest, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=40, choices=EventKind.choices)
    on = models.DateField(help_text="The day it happened (not the day it was recorded).")
    until = models.DateField(
        null=True, blank=True, help_text="For an extension: the force's estimated answer date."
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
    date = models.DateField()
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
