"""A thin data-entry screen: every change of status goes through the same service as the API."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from requests_app import reminders, services
from requests_app.models import (
    Campaign,
    ExtraHoliday,
    FoiRequest,
    Force,
    Reminder,
    ReminderDigest,
    ReminderPolicy,
    ReminderPreference,
    RequestEvent,
    ReviewOutcome,
)
from requests_app.status import EventKind


@admin.register(Force)
class ForceAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "country", "regime", "suppression_threshold"]
    list_filter = ["country", "regime", "territorial"]
    search_fields = ["name", "slug"]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    """A campaign whose requests have events cannot be deleted (they are protected): the delete
    page lists them and refuses. Archive it instead."""

    list_display = ["title", "owner", "period_start", "period_end", "published", "archived_at"]
    list_filter = ["published", ("archived_at", admin.EmptyFieldListFilter)]
    search_fields = ["title", "question"]
    filter_horizontal = ["collaborators"]
    autocomplete_fields = ["owner"]
    # Waves are linked by "repeat as a new wave" on the campaign's page.
    readonly_fields = ["archived_at", "archive_reason", "previous_wave", "first_wave", "wave"]
    actions = ["archive"]

    @admin.action(description="Archive the selected campaigns (end their open requests)")
    def archive(self, request, queryset) -> None:
        archived = 0
        for campaign in queryset.filter(archived_at__isnull=True):
            services.campaign_archive(
                campaign=campaign,
                reason=f"Archived in the admin by {request.user}.",
                user=request.user,
            )
            self.log_change(request, campaign, "Archived.")
            archived += 1
        self.message_user(request, f"{archived} campaign(s) archived.")

    def save_model(self, request, obj: Campaign, form, change: bool) -> None:
        obj._history_user = request.user
        super().save_model(request, obj, form, change)
        if not change or {"period_start", "period_end"} & set(form.changed_data):
            # The admin edits the span; the period rows the pages keep become that one period.
            services.campaign_update(
                campaign=obj, user=request.user, periods=[(obj.period_start, obj.period_end)]
            )


class RequestEventInline(admin.TabularInline):
    """The log is append-only: shown here, added to through the form above it."""

    model = RequestEvent
    extra = 0
    can_delete = False
    fields = [
        "on",
        "kind",
        "until",
        "review_outcome",
        "note",
        "from_status",
        "to_status",
        "created_by",
        "created_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class FoiRequestForm(forms.ModelForm):
    # A response is recorded and withdrawn on the responses screen, with its outcome or reason.
    event_kind = forms.ChoiceField(
        label="Record an event",
        required=False,
        choices=[
            ("", "---------"),
            *((k, label) for k, label in EventKind.choices if k != EventKind.RESPONSE_WITHDRAWN),
        ],
    )
    event_on = forms.DateField(label="Event date", required=False)
    event_until = forms.DateField(label="Extension until", required=False)
    event_review_outcome = forms.ChoiceField(
        label="Internal review outcome",
        required=False,
        choices=[("", "---------"), *ReviewOutcome.choices],
    )
    event_note = forms.CharField(label="Event note", required=False, widget=forms.Textarea)

    class Meta:
        model = FoiRequest
        fields = ["campaign", "force", "reference", "sent_on", "received_on"]

    def clean(self) -> dict:
        data = super().clean()
        if data.get("received_on") and not data.get("sent_on"):
            raise ValidationError({"sent_on": "Give the date it was sent as well as received."})
        if self.instance.pk is None:
            # save_model is too late to show the service's refusal beside the field.
            services.request_dates_check(
                sent_on=data.get("sent_on"), received_on=data.get("received_on")
            )
        kind = data.get("event_kind")
        if self.instance.pk is None or not kind:
            return data
        if not data.get("event_on"):
            raise ValidationError({"event_on": "Give the date the event happened."})
        try:
            services.event_check(
                self.instance,
                kind=kind,
                on=data["event_on"],
                until=data.get("event_until"),
                review_outcome=data.get("event_review_outcome", ""),
            )
        except ValidationError as error:
            renamed = {f"event_{field}": messages for field, messages in error.message_dict.items()}
            raise ValidationError(renamed) from error
        return data


@admin.register(FoiRequest)
class FoiRequestAdmin(admin.ModelAdmin):
    form = FoiRequestForm
    list_display = ["force", "campaign", "status", "sent_on", "current_due_on"]
    list_filter = ["status", "force__regime", "campaign"]
    list_select_related = ["force", "campaign"]
    search_fields = ["force__name", "campaign__title", "reference"]
    date_hierarchy = "current_due_on"
    inlines = [RequestEventInline]

    def get_readonly_fields(self, request, obj=None):
        frozen = ["campaign", "force", "sent_on", "received_on"] if obj else []
        return [*frozen, "status", *FoiRequest.DEADLINE_FIELDS]

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj is None:
            return [f for f in fields if not f.startswith("event_")]
        return fields

    def save_model(self, request, obj: FoiRequest, form, change: bool) -> None:
        data = form.cleaned_data
        if not change:
            created = services.request_create(
                user=request.user,
                campaign=data["campaign"],
                force=data["force"],
                reference=data.get("reference", ""),
                sent_on=data.get("sent_on"),
                received_on=data.get("received_on"),
            )
            obj.pk = created.pk
            obj.refresh_from_db()
            return
        obj.save(update_fields=["reference"])
        if data.get("event_kind"):
            services.request_record_event(
                request=obj,
                kind=data["event_kind"],
                on=data["event_on"],
                until=data.get("event_until"),
                review_outcome=data.get("event_review_outcome", ""),
                note=data.get("event_note", ""),
                user=request.user,
            )


@admin.register(ExtraHoliday)
class ExtraHolidayAdmin(admin.ModelAdmin):
    list_display = ["date", "name", "regime"]
    list_filter = ["regime"]

    def save_model(self, request, obj: ExtraHoliday, form, change: bool) -> None:
        if not change:
            obj.pk = services.holiday_add(regime=obj.regime, date=obj.date, name=obj.name).pk
            return
        obj.save()
        for regime in {obj.regime, form.initial["regime"]}:
            services.requests_recompute(regime=regime)

    def delete_model(self, request, obj: ExtraHoliday) -> None:
        obj.delete()
        services.requests_recompute(regime=obj.regime)

    def delete_queryset(self, request, queryset) -> None:
        regimes = set(queryset.values_list("regime", flat=True))
        queryset.delete()
        for regime in regimes:
            services.requests_recompute(regime=regime)


# Reminders: the policy the admin tunes, people's choices, and the log of what was sent.


@admin.register(ReminderPolicy)
class ReminderPolicyAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "due_soon_working_days",
        "very_overdue_working_days",
        "complaint_closing_working_days",
        "clarification_working_days",
        "updated_at",
    ]

    def has_add_permission(self, request) -> bool:
        # One row (the migration creates it): add it back only if someone removed it.
        return not ReminderPolicy.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ReminderPreference)
class ReminderPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "receives_reminders"]
    list_filter = ["receives_reminders"]
    autocomplete_fields = ["user"]


class ReminderInline(admin.TabularInline):
    model = Reminder
    extra = 0
    can_delete = False
    fields = ["request", "kind", "deadline"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ReminderDigest)
class ReminderDigestAdmin(admin.ModelAdmin):
    """Digests are written by the sweep and the workers; here they are read, and a failed one
    can be put back in the queue."""

    list_display = ["on", "recipient", "state", "attempts", "sent_at", "last_error"]
    list_filter = ["state", "on"]
    list_select_related = ["recipient"]
    search_fields = ["recipient__username", "recipient__email"]
    date_hierarchy = "on"
    readonly_fields = [
        "recipient",
        "on",
        "state",
        "sweep",
        "attempts",
        "sending_until",
        "last_error",
        "created_at",
        "sent_at",
    ]
    inlines = [ReminderInline]
    actions = ["send_again"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description="Send the selected failed digests again (at the next sweep)")
    def send_again(self, request, queryset) -> None:
        failed = list(queryset.filter(state=ReminderDigest.State.FAILED))
        count = reminders.digests_retry(digests=queryset.filter(pk__in=[d.pk for d in failed]))
        for digest in failed:
            # Bulk actions are not in the admin's history unless logged: record who re-queued it.
            self.log_change(request, digest, "Queued to be sent again after failing.")
        self.message_user(request, f"{count} failed digest(s) will be sent at the next sweep.")


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    """The log: read-only, because deleting a row would send its reminder again."""

    list_display = ["deadline", "kind", "request", "recipient", "digest_state", "created_at"]
    list_filter = ["kind", "digest__state"]
    list_select_related = ["request__force", "request__campaign", "recipient", "digest"]
    search_fields = ["request__force__name", "request__campaign__title", "recipient__username"]
    date_hierarchy = "deadline"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="State", ordering="digest__state")
    def digest_state(self, reminder: Reminder) -> str:
        return reminder.digest.get_state_display()
