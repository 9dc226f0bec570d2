"""Tokens in the admin: seen by prefix (the key is never stored), and revoked by an action that
the admin's history records."""

from __future__ import annotations

from django.contrib import admin

from accounts import services
from accounts.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "user", "name", "created_at", "expires_at", "revoked_at"]
    list_filter = ["revoked_at", "expires_at"]
    list_select_related = ["user"]
    search_fields = ["prefix", "user__username", "name"]
    # Revoking is the admin's tool; an expiry is set when the token is made, within the policy.
    readonly_fields = [
        "user",
        "prefix",
        "created_at",
        "expires_at",
        "parent",
        "revoked_at",
        "last_used_at",
    ]
    fields = [
        "user",
        "name",
        "prefix",
        "created_at",
        "expires_at",
        "parent",
        "revoked_at",
        "last_used_at",
    ]
    actions = ["revoke"]

    def has_add_permission(self, request) -> bool:
        # A key must be shown to the person it belongs to: they make it with the API or
        # `adduser`, never an admin on their behalf.
        return False

    @admin.action(description="Revoke the selected tokens", permissions=["change"])
    def revoke(self, request, queryset) -> None:
        revoked = 0
        for token in queryset:
            if services.token_revoke(token=token):
                self.log_change(request, token, "Revoked.")
                revoked += 1
        self.message_user(request, f"{revoked} token(s) revoked.")
