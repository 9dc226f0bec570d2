from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.dates import validate_date_in_range
from requests_app.selectors import requests_writable_by
from requests_app.serializers import SlugLookupField
from responses_app import documents
from responses_app.importing.outcome import Hints
from responses_app.importing.periods import Period
from responses_app.importing.shapes import Layout
from responses_app.importing.tables.questions import parse_period_choice
from responses_app.models import (
    EXEMPTIONS,
    Document,
    Figure,
    FoiResponse,
    OffenceCategory,
    Outcome,
    Platform,
    PlatformOwner,
    PlatformOwnership,
    PlatformScope,
    Unit,
)
from responses_app.selectors import documents_writable_by, responses_writable_by
from responses_app.values import ValueStatus

ALL_EXEMPTIONS = sorted({code for codes in EXEMPTIONS.values() for code in codes})


def _slug_field(model, kind: str, **kwargs) -> SlugLookupField:
    return SlugLookupField(
        slug_field="slug",
        queryset=model.objects.all(),
        error_messages={
            "does_not_exist": f"No {kind} has the slug '{{value}}'; see /api/v1/{kind}s/.",
            "invalid": f"A {kind} is given by its slug.",
        },
        **kwargs,
    )


class PlatformOwnerSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlatformOwner
        fields = ["slug", "name"]


class OwnershipSerializer(serializers.ModelSerializer):
    owner = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = PlatformOwnership
        fields = ["owner", "valid_from", "valid_to"]


class PlatformSerializer(serializers.ModelSerializer):
    aliases = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    ownerships = OwnershipSerializer(many=True, read_only=True)

    class Meta:
        model = Platform
        fields = ["slug", "name", "aliases", "ownerships"]


class OffenceCategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = OffenceCategory
        fields = ["slug", "name", "home_office_code"]


class FoiResponseSerializer(serializers.ModelSerializer):
    request = serializers.PrimaryKeyRelatedField(
        queryset=FoiResponse.objects.none(),
        error_messages={"does_not_exist": "No request {pk_value} that you can record answers on."},
    )
    campaign = serializers.IntegerField(source="request.campaign_id", read_only=True)
    force = serializers.SlugRelatedField(source="request.force", slug_field="slug", read_only=True)
    outcome = serializers.ChoiceField(
        choices=Outcome.choices,
        error_messages={"invalid_choice": "'{input}' is not an outcome."},
    )
    exemptions = serializers.ListField(
        child=serializers.ChoiceField(
            choices=ALL_EXEMPTIONS,
            error_messages={"invalid_choice": "'{input}' is not on any regime's list."},
        ),
        required=False,
    )
    entered_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    withdrawn_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = FoiResponse
        fields = [
            "id",
            "request",
            "campaign",
            "force",
            "received_on",
            "outcome",
            "exemptions",
            "other_exemptions",
            "caveats",
            "entered_by",
            "entered_at",
            "withdrawn_at",
            "withdrawn_by",
            "withdrawal_reason",
        ]
        read_only_fields = ["withdrawn_at", "withdrawal_reason"]

    def get_fields(self):
        fields = super().get_fields()
        # The HTTP request; "request" among the fields is the FOI request.
        http_request = self.context.get("request")
        if http_request is not None:
            fields["request"].queryset = requests_writable_by(http_request.user)
        if self.instance is not None and not isinstance(self.instance, list):
            # The date of receipt is an event in the request's log; correct that log instead.
            fields["request"].read_only = True
            fields["received_on"].read_only = True
        return fields


class DocumentSerializer(serializers.ModelSerializer):
    uploaded_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    download = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            "id",
            "request",
            "response",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "uploaded_by",
            "uploaded_at",
            "download",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField())
    def get_download(self, document: Document) -> str:
        return reverse("document-download", args=[document.pk])


class DocumentUploadSerializer(serializers.Serializer):
    file = serializers.FileField()

    def validate_file(self, upload):
        # Refuse by the declared size before reading a byte of an oversized upload.
        documents.check_size(upload.size)
        return upload


class FigureSerializer(serializers.ModelSerializer):
    response = serializers.PrimaryKeyRelatedField(
        queryset=FoiResponse.objects.none(),
        error_messages={"does_not_exist": "No response {pk_value} that you can add figures to."},
    )
    offence = _slug_field(OffenceCategory, "offence")
    platform = _slug_field(Platform, "platform", allow_null=True, required=False)
    # Null for a platform with no owner on record on the period's first day, and for the
    # 'not recorded' and 'all platforms' rows.
    owner = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    platform_scope = serializers.ChoiceField(
        choices=PlatformScope.choices, required=False, default=PlatformScope.NAMED
    )
    unit = serializers.ChoiceField(choices=Unit.choices, required=False, default=Unit.INSTANCES)
    raw = serializers.CharField(max_length=100, trim_whitespace=True)
    reason = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=100,
        help_text="When correcting a value: why it changed. Kept with the figure's history "
        "and listed in the next release's changes.",
    )
    status = serializers.ChoiceField(choices=ValueStatus.choices, read_only=True)
    entered_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    verified_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    disputed_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = Figure
        fields = [
            "id",
            "response",
            "period_start",
            "period_end",
            "offence",
            "platform",
            "platform_scope",
            "owner",
            "unit",
            "raw",
            "reason",
            "status",
            "low",
            "high",
            "note",
            "document",
            "sheet",
            "cell",
            "page",
            "entered_by",
            "entered_at",
            "verified",
            "verified_by",
            "disputed",
            "disputed_raw",
            "disputed_by",
        ]
        read_only_fields = ["low", "high", "entered_at", "verified", "disputed", "disputed_raw"]
        # The service checks the cell's uniqueness and turns a repeat into a second entry.
        validators: list = []

    def get_fields(self):
        fields = super().get_fields()
        # The HTTP request; "request" among the fields is the FOI request.
        http_request = self.context.get("request")
        if http_request is not None:
            fields["response"].queryset = responses_writable_by(http_request.user)
            fields["document"].queryset = documents_writable_by(http_request.user)
        if self.instance is not None and not isinstance(self.instance, list):
            # Once entered, a figure's cell is fixed: correct its value, or delete it.
            editable = {"raw", "note", "reason"}
            for name, field in fields.items():
                if name not in editable:
                    field.read_only = True
        return fields


class FigureCreatedSerializer(FigureSerializer):
    """A figure entry's answer says whether it confirmed or disputed an earlier entry."""

    entry = serializers.CharField(read_only=True, help_text="created, confirmed or disputed")

    class Meta(FigureSerializer.Meta):
        fields = [*FigureSerializer.Meta.fields, "entry"]


class FigureMismatchSerializer(FigureSerializer):
    parts_low = serializers.IntegerField(read_only=True)
    parts_high = serializers.IntegerField(read_only=True)
    parts_open = serializers.IntegerField(read_only=True, help_text="Parts with no interval.")

    class Meta(FigureSerializer.Meta):
        fields = [*FigureSerializer.Meta.fields, "parts_low", "parts_high", "parts_open"]


class ImportSerializer(serializers.Serializer):
    file = serializers.FileField()
    dry_run = serializers.BooleanField(
        required=False, default=False, help_text="Show the reading; write nothing."
    )
    shape = serializers.ChoiceField(
        choices=["answer", "long"],
        required=False,
        allow_blank=True,
        default="",
        help_text="'answer': the file as the force sent it, its table found and read by itself. "
        "'long': the long-format template, one figure per row. Empty: 'long' for a file that "
        "starts with the template's header, else 'answer'.",
    )
    offence = serializers.CharField(
        required=False,
        default="",
        help_text="The offence (slug or Home Office code) a table that names none counts.",
    )
    period_start = serializers.DateField(
        required=False, allow_null=True, default=None, validators=[validate_date_in_range]
    )
    period_end = serializers.DateField(
        required=False, allow_null=True, default=None, validators=[validate_date_in_range]
    )
    unit = serializers.ChoiceField(choices=Unit.choices, required=False, default=Unit.INSTANCES)
    sheet = serializers.CharField(
        required=False, default="", help_text="Read only this sheet (a hidden one too)."
    )
    periods = serializers.JSONField(
        binary=True,
        required=False,
        default=dict,
        help_text="Answers: headings (as written, or their cell) to periods, "
        '{"Year 1": "2019-04-01/2020-03-31"}.',
    )
    decisions = serializers.JSONField(
        binary=True,
        required=False,
        default=dict,
        help_text="Answers to the reading's questions, {question key: choice value}.",
    )
    digest = serializers.CharField(
        required=False,
        default="",
        help_text="The digest of the reading previewed: the import is refused unless the file "
        "still reads exactly so.",
    )

    def validate_file(self, upload):
        documents.check_size(upload.size)
        return upload

    def validate_offence(self, value: str) -> str:
        if not value:
            return ""
        found = OffenceCategory.objects.filter(
            Q(slug=value) | Q(home_office_code__iexact=value)
        ).values_list("slug", flat=True)
        if len(found) != 1:
            raise serializers.ValidationError(f"'{value}' is not an offence slug or code.")
        return found[0]

    def validate_decisions(self, value) -> dict[str, str]:
        if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        ):
            raise serializers.ValidationError(
                "Give an object of question keys to the values chosen, both text."
            )
        return value

    def validate_periods(self, value) -> dict[str, Period]:
        if not isinstance(value, dict):
            raise serializers.ValidationError("Give an object of headings to periods.")
        periods = {}
        for heading, period in value.items():
            try:
                periods[str(heading)] = parse_period_choice(str(period))
            except ValueError as error:
                raise serializers.ValidationError(
                    f"'{period}' for '{heading}' is not a period: give start/end as "
                    "2019-04-01/2020-03-31."
                ) from error
        return periods

    def validate(self, attrs: dict) -> dict:
        start, end = attrs["period_start"], attrs["period_end"]
        if bool(start) != bool(end):
            raise serializers.ValidationError(
                {"period_end" if start else "period_start": "Give both ends of the period."}
            )
        if start and end < start:
            raise serializers.ValidationError({"period_end": "The period ends before it starts."})
        return attrs

    def hints(self) -> Hints:
        data = self.validated_data
        start, end = data["period_start"], data["period_end"]
        return Hints(
            sheets=(data["sheet"],) if data["sheet"] else (),
            offence=data["offence"],
            period=Period(start, end) if start else None,
            unit=data["unit"],
            periods=data["periods"],
            decisions=data["decisions"],
        )

    def layout(self) -> Layout:
        """The long format's layout."""
        data = self.validated_data
        return Layout(shape="long", unit=data["unit"], sheet=data["sheet"])
