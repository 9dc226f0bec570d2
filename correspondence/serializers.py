from __future__ import annotations

import datetime as dt

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from correspondence.models import Attachment, Classification, Letter, MatchedBy, Message
from correspondence.services.actions import FROM_THE_FORCE
from requests_app.models import FoiRequest
from requests_app.status import EventKind
from responses_app.models import Outcome


class AttachmentSerializer(serializers.ModelSerializer):
    document = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="The document it became; null if refused."
    )

    class Meta:
        model = Attachment
        fields = ["id", "filename", "declared_type", "size", "document", "refused"]
        read_only_fields = fields


class MessageSerializer(serializers.ModelSerializer):
    """One message of a thread: the bodies are in the message's own endpoint."""

    # Empty where they do not apply: a letter is outbound only, a classification inbound only.
    letter = serializers.ChoiceField(choices=Letter.choices, allow_blank=True, read_only=True)
    classification = serializers.ChoiceField(
        choices=Classification.choices, allow_blank=True, read_only=True
    )
    matched_by = serializers.ChoiceField(
        choices=MatchedBy.choices, allow_blank=True, read_only=True
    )
    to = serializers.ListField(source="to_list", child=serializers.CharField(), read_only=True)
    date = serializers.SerializerMethodField(help_text="Sent (accepted) or received.")
    event = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = Message
        fields = [
            "id",
            "request",
            "direction",
            "letter",
            "classification",
            "state",
            "from_address",
            "to",
            "cc_addresses",
            "subject",
            "date",
            "message_id",
            "matched_by",
            "from_outside_force",
            "too_large",
            "force_reference",
            "bounce_reason",
            "note",
            "event",
            "attachments",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.DateTimeField())
    def get_date(self, message: Message) -> dt.datetime:
        return serializers.DateTimeField().to_representation(message.happened_at)


class MessageDetailSerializer(MessageSerializer):
    """The message with its text; `body_html` is cleaned (no script, style or image) and is
    empty for plain-text mail."""

    class Meta(MessageSerializer.Meta):
        fields = [*MessageSerializer.Meta.fields, "body_text", "body_html"]
        read_only_fields = fields


class AssignSerializer(serializers.Serializer):
    request = serializers.PrimaryKeyRelatedField(
        queryset=FoiRequest.objects.none(),
        error_messages={"does_not_exist": "No request {pk_value} that you can file mail on."},
    )


class DiscardSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, help_text="Why, in a few words.")


class ClassifySerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=[(kind, EventKind(kind).label) for kind in FROM_THE_FORCE],
        error_messages={"invalid_choice": "'{input}' is not something a force's message is."},
    )
    on = serializers.DateField(
        required=False, allow_null=True, help_text="Default: the day the message arrived."
    )
    until = serializers.DateField(
        required=False, allow_null=True, help_text="An extension's estimated answer date."
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    outcome = serializers.ChoiceField(
        choices=Outcome.choices, required=False, allow_blank=True, default=""
    )
    exemptions = serializers.ListField(
        child=serializers.CharField(max_length=20), required=False, default=list
    )
    other_exemptions = serializers.CharField(
        required=False, allow_blank=True, max_length=300, default=""
    )
    caveats = serializers.CharField(required=False, allow_blank=True, default="")
    force_reference = serializers.CharField(
        required=False, allow_blank=True, max_length=80, default=""
    )
