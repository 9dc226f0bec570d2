"""Sign-in protection with django-axes: who is signing in (the client's address behind our
proxy) and what a locked-out person is told."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from core.client_address import client_address as core_client_address


def client_address(request: HttpRequest) -> str | None:
    """The address a failed sign-in is counted against: the same one the API's throttles count
    (core.client_address), so both agree on who is behind the proxy."""
    return core_client_address(request)


def lockout_response(request: HttpRequest, original_response=None, credentials=None):
    hours = settings.AXES_COOLOFF_TIME.total_seconds() / 3600
    wait = f"{hours:g} hour{'s' if hours != 1 else ''}"
    return HttpResponse(
        f"Too many failed sign-ins for this username from your address: sign-in is locked for "
        f"{wait}. Try again later, or ask an administrator to unlock it.",
        status=429,
        content_type="text/plain; charset=utf-8",
    )
