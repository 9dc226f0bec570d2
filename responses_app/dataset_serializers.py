"""Query parameters and answers of the dataset reports. Every parameter is validated against
the known values, so nothing a caller types reaches SQL as text."""

from __future__ import annotations

from django.db.models import Model
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.dates import validate_date_in_range
from requests_app.models import Campaign, Force
from requests_app.roles import reads_records
from requests_app.selectors import (
    campaign_rows_visible_to,
    campaigns_editable_by,
    campaigns_visible_to,
)
from responses_app.aggregates import DEFAULT_ORDERING, DIMENSIONS, MAX_DIMENSIONS, ORDERINGS
from responses_app.models import DatasetRelease, OffenceCategory, Platform, PlatformOwner, Unit


class SlugListField(serializers.CharField):
    """A comma-separated list of slugs of one model; an unknown slug is refused with the list of
    known ones."""

    def __init__(self, *, model: type[Model], **kwargs) -> None:
        self.model = model
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_internal_value(self, data) -> list[str]:
        slugs = [slug.strip() for slug in super().to_internal_value(data).split(",") if slug]
        known = set(self.model.objects.values_list("slug", flat=True))
        unknown = [slug for slug in slugs if slug not in known]
        if unknown:
            raise serializers.ValidationError(
                f"Unknown: {', '.join(unknown)}. Allowed: {', '.join(sorted(known))}."
            )
        return slugs


class GroupByField(serializers.CharField):
    def to_internal_value(self, data) -> list[str]:
        names = [name.strip() for name in super().to_internal_value(data).split(",") if name]
        allowed = ", ".join(DIMENSIONS)
        unknown = [name for name in names if name not in DIMENSIONS]
        if unknown:
            raise serializers.ValidationError(
                f"Cannot group by {', '.join(unknown)}. Allowed: {allowed}."
            )
        if not names or len(names) > MAX_DIMENSIONS or len(set(names)) != len(names):
            raise serializers.ValidationError(
                f"Group by one or two different dimensions, e.g. 'platform' or 'force,platform'. "
                f"Allowed: {allowed}."
            )
        return names


@extend_schema_field(OpenApiTypes.INT)
class VisibleField(serializers.PrimaryKeyRelatedField):
    """A campaign or release the caller may see; any other id reads as unknown."""

    default_error_messages = {
        "does_not_exist": "No {noun} {pk_value} that you can see.",
        "incorrect_type": "Give the {noun}'s id, a number.",
    }

    def __init__(self, *, noun: str, **kwargs) -> None:
        self.noun = noun
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def fail(self, key, **kwargs):
        super().fail(key, noun=self.noun, **kwargs)

    def get_queryset(self):
        user = self.context["request"].user
        if self.noun == "campaign":
            return campaign_rows_visible_to(user)
        visible = campaigns_visible_to(user).values("pk")
        return DatasetRelease.objects.filter(campaign__in=visible).select_related("campaign")


class DatasetQuerySerializer(serializers.Serializer):
    campaign = VisibleField(noun="campaign")
    release = VisibleField(noun="release", help_text="Read a frozen release instead.")
    series = VisibleField(
        noun="campaign",
        help_text="Every wave of this campaign's series (group by campaign to compare them).",
    )
    period_start = serializers.DateField(
        required=False, help_text="Figures from this day.", validators=[validate_date_in_range]
    )
    period_end = serializers.DateField(
        required=False, help_text="Figures up to this day.", validators=[validate_date_in_range]
    )
    offence = SlugListField(model=OffenceCategory, help_text="Offence slugs, comma-separated.")
    platform = SlugListField(model=Platform, help_text="Platform slugs, comma-separated.")
    owner = SlugListField(model=PlatformOwner, help_text="Owner slugs, comma-separated.")
    force = SlugListField(model=Force, help_text="Force slugs, comma-separated.")
    country = serializers.CharField(required=False, help_text="A force's country, e.g. Wales.")
    unit = serializers.ChoiceField(choices=Unit.choices, required=False)
    verified = serializers.BooleanField(
        required=False, default=False, help_text="Only figures confirmed by a second person."
    )

    def validate_country(self, country: str) -> str:
        # Checked here rather than as choices, so describing the API needs no database.
        known = list(Force.objects.order_by("country").values_list("country", flat=True).distinct())
        if country not in known:
            raise serializers.ValidationError(f"Unknown: {country}. Allowed: {', '.join(known)}.")
        return country

    def validate(self, attrs: dict) -> dict:
        start, end = attrs.get("period_start"), attrs.get("period_end")
        if start and end and end < start:
            raise serializers.ValidationError(
                {"period_end": f"The period ends ({end}) before it starts ({start})."}
            )
        if attrs.get("campaign") and attrs.get("release"):
            raise serializers.ValidationError(
                {"release": "Ask for a campaign or for one of its releases, not both."}
            )
        if attrs.get("series") and (attrs.get("campaign") or attrs.get("release")):
            raise serializers.ValidationError(
                {"series": "Ask for a series of waves, a campaign or a release: one of them."}
            )
        self._refuse_unknown_parameters()
        return attrs

    def _refuse_unknown_parameters(self) -> None:
        """A misspelt filter (`forse=kent`) would otherwise be ignored and the answer would
        silently cover every force."""
        known = [*self.fields, "format"]
        unknown = sorted(set(self.initial_data) - set(known))
        if unknown:
            raise serializers.ValidationError(
                {
                    name: f"Unknown parameter '{name}'. Allowed: {', '.join(known)}."
                    for name in unknown
                }
            )

    def scope_filters(self) -> dict:
        """The validated filters, as `dataset_scope` takes them."""
        filters = DatasetQuerySerializer._declared_fields
        return {name: value for name, value in self.validated_data.items() if name in filters}


class AggregateQuerySerializer(DatasetQuerySerializer):
    group_by = GroupByField(help_text=f"One or two of: {', '.join(DIMENSIONS)}.")
    unit = serializers.ChoiceField(
        choices=Unit.choices,
        default=Unit.INSTANCES,
        help_text="Units are never mixed in one answer.",
    )
    ordering = serializers.ChoiceField(
        choices=ORDERINGS,
        default=DEFAULT_ORDERING,
        help_text="The order of the groups: by size (the midpoint estimate), largest first, "
        "unless asked otherwise; a leading '-' means largest (or last in the alphabet) first.",
        error_messages={
            "invalid_choice": f"Unknown ordering '{{input}}'. Allowed: {', '.join(ORDERINGS)}."
        },
    )


class IntervalSerializer(serializers.Serializer):
    reported = serializers.IntegerField(
        help_text="The sum of the cells a force gave exactly (a suppressed cell adds nothing): "
        "what a reader adding up the published tables gets. Not an estimate of the true count."
    )
    low = serializers.IntegerField(help_text="Lowest possible sum (suppressed cells at 1).")
    high = serializers.IntegerField(help_text="Highest possible sum (at threshold - 1).")
    midpoint = serializers.FloatField(
        help_text="The estimate: each suppressed cell at the middle of its range, "
        "(low + high) / 2; always within low..high. A whole number or a half."
    )


SHARE_HELP = {
    "low": "Lowest possible share: the group's cells at their floor, the others' at their ceiling.",
    "midpoint": "The estimate: every suppressed cell at the middle of its range; always "
    "within the low..high of the share.",
    "high": "Highest possible share: the group's cells at their ceiling, the others' at "
    "their floor.",
}


def _share_fields(prefix: str, of: str) -> dict[str, serializers.Field]:
    return {
        f"{prefix}_{end}": serializers.FloatField(
            allow_null=True, help_text=f"{of} {text} Rounded half up to 3 decimal places."
        )
        for end, text in SHARE_HELP.items()
    }


class GroupSerializer(IntervalSerializer):
    key = serializers.DictField(child=serializers.CharField(allow_null=True))
    label = serializers.DictField(child=serializers.CharField(allow_null=True))
    figures = serializers.IntegerField()
    forces = serializers.IntegerField()

    def get_fields(self):
        return {
            **super().get_fields(),
            **_share_fields("share", "Share of the whole table's total."),
            **_share_fields(
                "share_within_first",
                "Two dimensions only (else null): share of the group's first dimension, "
                "e.g. the platform's share of that force's instances.",
            ),
        }


class TotalSerializer(IntervalSerializer):
    figures = serializers.IntegerField()
    forces = serializers.IntegerField()


class AggregateSerializer(serializers.Serializer):
    group_by = serializers.ListField(child=serializers.CharField())
    unit = serializers.CharField()
    release = serializers.IntegerField(allow_null=True)
    synthetic = serializers.BooleanField(
        help_text="True when the figures are made up (the demo): never cite them."
    )
    ordering = serializers.CharField()
    share_within = serializers.CharField(
        allow_null=True,
        help_text="The dimension the share_within_first_* fields are shares of (two "
        "dimensions), else null.",
    )
    groups = GroupSerializer(many=True)
    total = TotalSerializer()
    not_recorded = IntervalSerializer()
    coverage = serializers.DictField()
    method = serializers.CharField()


class ReleaseSerializer(serializers.ModelSerializer):
    # Null for readers of published data only (a consumer): a name is not published.
    created_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    published = serializers.BooleanField(
        source="is_published",
        read_only=True,
        help_text="Its campaign is published: anyone may read it and its page, without signing in.",
    )
    sha256 = serializers.CharField(
        read_only=True, help_text="SHA-256 of the release's CSV file (the dataset as CSV)."
    )
    changes = serializers.DictField(
        read_only=True,
        help_text="Since the previous release: 'corrected' figures (where, from, to, reason), "
        "'added' and 'removed' counts by force. Empty for a campaign's first release.",
    )
    dataset_url = serializers.SerializerMethodField()
    page_url = serializers.SerializerMethodField(
        help_text="The release's page: its figures, files, citation and changes."
    )

    def to_representation(self, release: DatasetRelease) -> dict:
        data = super().to_representation(release)
        http_request = self.context.get("request")
        if http_request is None or not reads_records(http_request.user):
            data["created_by"] = None
        return data

    class Meta:
        model = DatasetRelease
        fields = [
            "id",
            "campaign",
            "number",
            "name",
            "note",
            "row_count",
            "synthetic",
            "published",
            "sha256",
            "coverage",
            "changes",
            "created_by",
            "created_at",
            "dataset_url",
            "page_url",
        ]
        read_only_fields = fields

    def get_dataset_url(self, release: DatasetRelease) -> str:
        return reverse("release-dataset", args=[release.pk])

    def get_page_url(self, release: DatasetRelease) -> str:
        return reverse("web:release", args=[release.campaign_id, release.number])


class ReleaseCreateSerializer(serializers.Serializer):
    campaign = serializers.PrimaryKeyRelatedField(
        queryset=Campaign.objects.none(),
        error_messages={"does_not_exist": "No campaign {pk_value} that you can release."},
    )
    name = serializers.CharField(max_length=200)
    note = serializers.CharField(required=False, allow_blank=True, default="")

    def get_fields(self):
        fields = super().get_fields()
        fields["campaign"].queryset = campaigns_editable_by(self.context["request"].user)
        return fields
