"""Sign-in protection with django-axes: who is signing in (the client's address behind our
proxy) and what a locked-out person is told."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def client_address(request: HttpRequest) -> str | None:
    """The address a failed sign-in is counted against.

    Behind the proxy every request comes from the proxy's address, so one attacker would lock
    out everyone; the proxy appends the real client to X-Forwarded-For. Only the LAST entry is
    believed, and only from a trusted proxy: earlier entries are whatever the client sent."""
    remote = request.META.get("REMOTE_ADDR", "")
    if remote not in settings.TRUSTED_PROXIES:
        return remote or None
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
    try:
        return str(ipaddress.ip_address(forwarded))
    except ValueError:
        return remote


def lockout_response(request: HttpRequest, original_response=None, credentials=None):
    hours = settings.AXES_COOLOFF_TIME.total_seconds() / 3600
    wait = f"{hours:g} hour{'s' if hours != 1 else ''}"
    return HttpResponse(
        f"Too many failed sign-ins for this username from your address: sign-in is locked for "
        f"{wait}. Try again later, or ask an administrator to unlock it.",
        status=429,
        content_type="text/plain; charset=utf-8",
    )
