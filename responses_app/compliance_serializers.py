"""Query parameters and answer of the compliance report (GET /api/v1/compliance/)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from requests_app.roles import reads_records
from requests_app.serializers import ForceSlugField
from responses_app.compliance import Answer
from responses_app.dataset_serializers import VisibleField


class ComplianceQuerySerializer(serializers.Serializer):
    campaign = VisibleField(noun="campaign", help_text="A campaign's id: its forces, one a row.")
    force = ForceSlugField(
        required=False, help_text="A force's slug: its record across the campaigns you can see."
    )

    def validate(self, attrs: dict) -> dict:
        if attrs.get("campaign") is None and attrs.get("force") is None:
            raise serializers.ValidationError(
                {"campaign": "Give a campaign (campaign=<id>), a force (force=<slug>), or both."}
            )
        return attrs


class ShareSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Requests that met the rule.")
    of = serializers.IntegerField(help_text="Requests judged: answered, or past their date.")
    share = serializers.FloatField(allow_null=True, help_text="count / of, to four places.")


class CountSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class ExemptionSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()


class AnswerSerializer(serializers.Serializer):
    outcome = serializers.CharField()
    outcome_label = serializers.CharField()
    exemptions = serializers.SerializerMethodField()
    other_exemptions = serializers.CharField()

    @extend_schema_field(ExemptionSerializer(many=True))
    def get_exemptions(self, answer: Answer) -> list[dict[str, str]]:
        return [{"code": code, "label": label} for code, label in answer.labelled_exemptions]


class ExtensionSerializer(serializers.Serializer):
    notice_on = serializers.DateField(help_text="The first extension notice (s.17).")
    estimate = serializers.DateField(allow_null=True, help_text="The last estimate given.")
    ceiling = serializers.DateField(help_text="ICO: 20 working days more; Jersey: 65 in all.")
    notice_in_time = serializers.BooleanField(help_text="The notice came by the 20th day.")
    estimate_within_ceiling = serializers.BooleanField()
    proper = serializers.BooleanField(help_text="Notice in time and estimate within the ceiling.")
    kept_to_ceiling = serializers.BooleanField(
        allow_null=True, help_text="Answered by the ceiling; null while it may still be."
    )


class ReviewSerializer(serializers.Serializer):
    requested_on = serializers.DateField()
    due_on = serializers.DateField(allow_null=True, help_text="20 working days after the ask.")
    answered_on = serializers.DateField(allow_null=True)
    outcome = serializers.CharField(help_text="Empty if logged before outcomes were kept.")
    outcome_label = serializers.CharField()
    note = serializers.CharField(
        help_text="The answer's note: for old reviews, the outcome. Empty for a consumer or an "
        "anonymous reader: event notes are working records (docs/api.md, 'Who reads what')."
    )
    answered_in_time = serializers.BooleanField(allow_null=True)

    def to_representation(self, review) -> dict:
        data = super().to_representation(review)
        http_request = self.context.get("request")
        if http_request is None or not reads_records(http_request.user):
            data["note"] = ""
        return data


class CampaignNameSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


class ForceNameSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class RowSerializer(serializers.Serializer):
    request = serializers.IntegerField(source="request_id")
    campaign = serializers.IntegerField(source="campaign_id")
    campaign_title = serializers.CharField()
    force = serializers.CharField(source="force_slug")
    force_name = serializers.CharField()
    regime = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    received_on = serializers.DateField(source="record.received_on")
    due_on = serializers.DateField(source="record.due_on", allow_null=True)
    answered_on = serializers.DateField(source="record.answered_on", allow_null=True)
    working_days = serializers.IntegerField(source="record.working_days", allow_null=True)
    in_time = serializers.BooleanField(source="record.in_time", allow_null=True)
    in_extended_time = serializers.BooleanField(source="record.in_extended_time", allow_null=True)
    overdue = serializers.BooleanField(source="record.overdue")
    extension = ExtensionSerializer(source="record.extension", allow_null=True)
    answer = AnswerSerializer(source="record.answer", allow_null=True)
    review = ReviewSerializer(source="record.review", allow_null=True)


class WorkingDaysSerializer(serializers.Serializer):
    answers = serializers.IntegerField()
    median = serializers.FloatField(allow_null=True)
    p90 = serializers.FloatField(allow_null=True)


class ExtensionsSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    proper = serializers.IntegerField()
    notice_late = serializers.IntegerField()
    estimate_beyond_ceiling = serializers.IntegerField()
    kept_to_ceiling = serializers.IntegerField()
    missed_ceiling = serializers.IntegerField()


class RefusalsSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    by_exemption = CountSerializer(many=True)
    other_exemptions = serializers.IntegerField()


class ReviewsSerializer(serializers.Serializer):
    requested = serializers.IntegerField()
    answered = serializers.IntegerField()
    answered_in_time = serializers.IntegerField()
    late = serializers.IntegerField()
    outcomes = CountSerializer(many=True)


class SummarySerializer(serializers.Serializer):
    requests = serializers.IntegerField()
    answered = serializers.IntegerField()
    in_time = ShareSerializer()
    in_extended_time = ShareSerializer()
    working_days = WorkingDaysSerializer()
    extensions = ExtensionsSerializer()
    outcomes = CountSerializer(many=True)
    refusals = RefusalsSerializer()
    reviews = ReviewsSerializer()
    overdue = serializers.IntegerField()


class ComplianceSerializer(serializers.Serializer):
    campaign = CampaignNameSerializer(allow_null=True)
    force = ForceNameSerializer(allow_null=True)
    today = serializers.DateField()
    rows = RowSerializer(many=True)
    total = SummarySerializer()
    method = serializers.CharField()
