from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.dates import validate_date_in_range
from requests_app.models import (
    Campaign,
    FoiRequest,
    Force,
    Reminder,
    ReminderDigest,
    RequestEvent,
)
from requests_app.selectors import campaigns_editable_by
from requests_app.status import EventKind


class SlugLookupField(serializers.SlugRelatedField):
    """Refuses a NUL character before looking the slug up: PostgreSQL cannot hold one in a text
    parameter, and the query failed (a 500)."""

    def to_internal_value(self, data):
        if isinstance(data, str) and "\x00" in data:
            self.fail("invalid")
        return super().to_internal_value(data)


class ForceSlugField(SlugLookupField):
    default_error_messages = {
        "does_not_exist": "No force has the slug '{value}'; see /api/v1/forces/ for the list.",
        "invalid": "A force is given by its slug, a string such as 'kent'.",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Force.objects.all())
        super().__init__(slug_field="slug", **kwargs)


class ForceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Force
        fields = [
            "slug",
            "name",
            "country",
            "regime",
            "ons_code",
            "foi_email",
            "territorial",
            "suppression_threshold",
        ]


class CampaignSerializer(serializers.ModelSerializer):
    owner = serializers.SlugRelatedField(slug_field="username", read_only=True)
    collaborators = SlugLookupField(
        slug_field="username",
        many=True,
        required=False,
        queryset=get_user_model().objects.filter(is_active=True),
        error_messages={"does_not_exist": "No user is called '{value}'."},
    )
    warnings = serializers.SerializerMethodField()

    class Meta:
        model = Campaign
        fields = [
            "id",
            "title",
            "question",
            "period_start",
            "period_end",
            "wave",
            "previous_wave",
            "owner",
            "collaborators",
            "guernsey_eligibility_confirmed",
            "requester_name",
            "chase_by_email",
            "chase_after_working_days",
            "published",
            "warnings",
            "created_at",
            "archived_at",
            "archive_reason",
        ]
        # Waves are made by repeating a campaign on its page, not by naming one here.
        read_only_fields = ["archived_at", "archive_reason", "wave", "previous_wave"]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_warnings(self, campaign: Campaign) -> list[str]:
        return campaign.warnings()

    def validate(self, attrs: dict) -> dict:
        start = attrs.get("period_start", getattr(self.instance, "period_start", None))
        end = attrs.get("period_end", getattr(self.instance, "period_end", None))
        if start and end and end < start:
            raise serializers.ValidationError(
                {"period_end": f"The period ends ({end}) before it starts ({start})."}
            )
        return attrs


class ReasonSerializer(serializers.Serializer):
    """Archiving a campaign, withdrawing a response: why, in words kept in the event log."""

    reason = serializers.CharField(max_length=2000)


class CampaignSendSerializer(serializers.Serializer):
    forces = serializers.ListField(child=ForceSlugField(), allow_empty=False)
    sent_on = serializers.DateField(
        required=False,
        help_text="The day it was sent by hand; not given when sent by email.",
        validators=[validate_date_in_range],
    )
    by_email = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Send each force its letter by email: the requests stay drafts until the "
        "mail server accepts their letter, which is the day their clock starts.",
    )

    def validate(self, attrs: dict) -> dict:
        if attrs["by_email"] and "sent_on" in attrs:
            raise serializers.ValidationError(
                {
                    "sent_on": "Leave it out when sending by email: a request is sent on the day "
                    "the mail server accepts its letter."
                }
            )
        if not attrs["by_email"] and "sent_on" not in attrs:
            raise serializers.ValidationError({"sent_on": "This field is required."})
        return attrs

    def validate_forces(self, forces: list[Force]) -> list[Force]:
        slugs = [force.slug for force in forces]
        repeated = sorted({slug for slug in slugs if slugs.count(slug) > 1})
        if repeated:
            raise serializers.ValidationError(f"Each force once only: {', '.join(repeated)}.")
        return forces


class FoiRequestSerializer(serializers.ModelSerializer):
    campaign = serializers.PrimaryKeyRelatedField(
        queryset=Campaign.objects.none(),
        error_messages={"does_not_exist": "No campaign {pk_value} that you can add requests to."},
    )
    force = ForceSlugField()
    overdue = serializers.SerializerMethodField()
    working_days_left = serializers.SerializerMethodField()

    class Meta:
        model = FoiRequest
        fields = [
            "id",
            "campaign",
            "force",
            "reference",
            "sent_on",
            "received_on",
            "status",
            "due_on",
            "extended_due_on",
            "extension_limit_on",
            "statutory_limit_on",
            "review_request_by",
            "review_due_on",
            "review_limit_on",
            "complaint_by",
            "current_due_on",
            "overdue",
            "working_days_left",
            "created_at",
        ]
        read_only_fields = [
            "status",
            "due_on",
            "extended_due_on",
            "extension_limit_on",
            "statutory_limit_on",
            "review_request_by",
            "review_due_on",
            "review_limit_on",
            "complaint_by",
            "current_due_on",
            "created_at",
        ]
        # Uniqueness is checked by the service, in plain words.
        validators: list = []

    def get_fields(self):
        fields = super().get_fields()
        # The HTTP request; "request" among the fields is the FOI request.
        http_request = self.context.get("request")
        if http_request is not None:
            fields["campaign"].queryset = campaigns_editable_by(http_request.user)
        if self.instance is not None and not isinstance(self.instance, list):
            # Once created, only the force's reference is edited here; dates move by events.
            for name in ("campaign", "force", "sent_on", "received_on"):
                fields[name].read_only = True
        return fields

    @extend_schema_field(serializers.BooleanField())
    def get_overdue(self, request: FoiRequest) -> bool:
        return request.is_overdue(timezone.localdate())

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_working_days_left(self, request: FoiRequest) -> int | None:
        calendar = self.context["calendars"][request.force.regime]
        return request.working_days_left(timezone.localdate(), calendar)

    def validate(self, attrs: dict) -> dict:
        sent_on, received_on = attrs.get("sent_on"), attrs.get("received_on")
        if received_on and not sent_on:
            raise serializers.ValidationError(
                {"received_on": "Give sent_on too: a request is received once it is sent."}
            )
        if sent_on and received_on and received_on < sent_on:
            raise serializers.ValidationError(
                {
                    "received_on": f"The date of receipt ({received_on}) is before the request "
                    f"was sent ({sent_on})."
                }
            )
        return attrs


class CampaignSentSerializer(serializers.Serializer):
    """What sending a campaign answers: the requests it created, and the campaign's warnings."""

    requests = FoiRequestSerializer(many=True)
    warnings = serializers.ListField(child=serializers.CharField())


class RequestEventSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(
        choices=EventKind.choices,
        error_messages={"invalid_choice": "'{input}' is not a kind of event."},
    )
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    def validate_kind(self, kind: str) -> str:
        if kind == EventKind.RESPONSE_WITHDRAWN:
            raise serializers.ValidationError(
                "Withdraw the response itself: POST /api/v1/responses/{id}/withdraw/ with a reason."
            )
        return kind

    class Meta:
        model = RequestEvent
        fields = [
            "id",
            "kind",
            "on",
            "until",
            "review_outcome",
            "note",
            "from_status",
            "to_status",
            "created_by",
            "created_at",
        ]
        read_only_fields = ["from_status", "to_status", "created_at"]


class ReminderSerializer(serializers.ModelSerializer):
    """One line of the reminder log: what was (or is about to be) sent, to whom, for which
    deadline."""

    force = serializers.SlugRelatedField(source="request.force", slug_field="slug", read_only=True)
    campaign = serializers.IntegerField(source="request.campaign_id", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    recipient = serializers.SlugRelatedField(slug_field="username", read_only=True)
    day = serializers.DateField(source="digest.on", read_only=True)
    state = serializers.ChoiceField(
        source="digest.state", choices=ReminderDigest.State.choices, read_only=True
    )
    sent_at = serializers.DateTimeField(source="digest.sent_at", read_only=True, allow_null=True)

    class Meta:
        model = Reminder
        fields = [
            "id",
            "request",
            "campaign",
            "force",
            "kind",
            "kind_label",
            "deadline",
            "recipient",
            "day",
            "state",
            "sent_at",
        ]
        read_only_fields = fields


class ReminderPreferenceSerializer(serializers.Serializer):
    receives_reminders = serializers.BooleanField()
