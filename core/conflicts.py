"""A write refused because what it would create already exists."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class Conflict(ValidationError):
    """The row a write would create is already there: a second identical submission, or the
    loser of a race that a unique constraint decided. A ValidationError, so forms and the admin
    show it beside its field like any refusal; the API answers it 409 in the one error shape."""
