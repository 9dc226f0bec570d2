"""Who sent a request: the one answer the API's throttles and the sign-in lock-out both use.

Behind the proxy every request comes from the proxy's address, so counting by REMOTE_ADDR would
put every caller in one bucket; each proxy appends the address it saw to X-Forwarded-For. The
entries a client sends itself come first and are whatever it likes (rotating them escaped the
throttle, issue 15 item 4), so only the entry the first of our NUM_PROXIES proxies wrote is
believed: the NUM_PROXIES-th from the right, and only when the request comes from an address in
FORWARDED_ALLOW_IPS (the list gunicorn trusts too). Otherwise the header is the client's own
words and REMOTE_ADDR is the answer."""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    remote = request.META.get("REMOTE_ADDR", "")
    if settings.NUM_PROXIES == 0 or not _trusted(remote, tuple(settings.TRUSTED_PROXIES)):
        return remote or None
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [hop for hop in hops if hop]
    if not hops:
        return remote or None
    # With fewer entries than proxies, the leftmost was still written by one of ours.
    seen = hops[-min(settings.NUM_PROXIES, len(hops))]
    try:
        return str(ipaddress.ip_address(seen))
    except ValueError:
        return remote or None


def _trusted(remote: str, proxies: tuple[str, ...]) -> bool:
    if "*" in proxies:
        return True
    try:
        address = ipaddress.ip_address(remote)
    except ValueError:
        return False
    return any(address in network for network in _networks(proxies))


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    # An address or a network (10.0.0.0/24), as gunicorn's FORWARDED_ALLOW_IPS takes them.
    return [ipaddress.ip_network(proxy, strict=False) for proxy in proxies]
