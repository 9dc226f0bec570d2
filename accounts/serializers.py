from __future__ import annotations

from rest_framework import serializers

from accounts.models import ApiToken


class ApiTokenSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiToken
        fields = [
            "id",
            "name",
            "prefix",
            "created_at",
            "expires_at",
            "parent",
            "revoked_at",
            "last_used_at",
        ]
        read_only_fields = fields


class ApiTokenCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, required=False, default="", allow_blank=True)
    expires_at = serializers.DateTimeField(
        required=False,
        default=None,
        allow_null=True,
        help_text="Default: API_TOKEN_DEFAULT_DAYS from now; at most API_TOKEN_MAX_DAYS, and no "
        "later than the token this request is made with.",
    )


class IssuedTokenSerializer(ApiTokenSerializer):
    key = serializers.CharField(read_only=True, help_text="Shown this once; keep it.")

    class Meta(ApiTokenSerializer.Meta):
        fields = [*ApiTokenSerializer.Meta.fields, "key"]
        read_only_fields = fields
