from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models


class ApiToken(models.Model):
    """An API key, of which only a SHA-256 digest is kept: the key itself is shown once, when it
    is made, and cannot be read back from the database, a backup or the admin.

    The prefix is the key's first characters: not secret, it tells a person which of their
    tokens a log line or a list is about."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, blank=True, help_text="What it is for.")
    prefix = models.CharField(max_length=8, unique=True, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # Every token expires (API_TOKEN_MAX_DAYS at most); one made with another token expires no
    # later than it and is revoked with it, so a leaked token cannot leave heirs behind.
    expires_at = models.DateTimeField(help_text="When it stops working.")
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
        editable=False,
        help_text="The token it was made with, if it was made through the API with a token.",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    def refusal(self, now: dt.datetime) -> str | None:
        """Why this token may not be used now, or None when it may."""
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at <= now:
            return "expired"
        if not self.user.is_active:
            return "inactive user"
        return None
