"""Addresses: the request's own reply address, the tracker's reference in a subject, and the
domains a force writes from."""

from __future__ import annotations

import base64
import re
import secrets
from email.utils import getaddresses

from django.conf import settings

from correspondence.models import ForceContact
from requests_app.models import Force

TOKEN_BYTES = 13  # 104 bits: unguessable, and 21 characters of base32


def new_token() -> str:
    """Lower-case letters and digits only: some mail servers lower-case the local part."""
    return base64.b32encode(secrets.token_bytes(TOKEN_BYTES)).decode().rstrip("=").lower()


def reply_address(token: str) -> str:
    return settings.REPLY_ADDRESS.replace("{token}", token)


def _reply_pattern() -> re.Pattern[str]:
    before, after = settings.REPLY_ADDRESS.split("{token}")
    return re.compile(f"^{re.escape(before)}([a-z2-7]{{8,32}}){re.escape(after)}$", re.IGNORECASE)


def tokens_in(addresses: list[str]) -> list[str]:
    """The tokens of the reply addresses among `addresses`, in order, each once."""
    if not settings.REPLY_ADDRESS:
        return []
    pattern = _reply_pattern()
    found = [m.group(1).lower() for a in addresses if (m := pattern.match(a.strip()))]
    return list(dict.fromkeys(found))


def our_reference(request_id: int) -> str:
    return f"{settings.MAIL_REFERENCE_PREFIX}-{request_id}"


def references_in(subject: str) -> list[int]:
    """Request ids named by our reference in a subject ("Re: ... [FT-123]")."""
    prefix = re.escape(settings.MAIL_REFERENCE_PREFIX)
    found = re.findall(rf"(?<![\w-]){prefix}-(\d{{1,12}})(?![\w-])", subject, re.IGNORECASE)
    return list(dict.fromkeys(int(number) for number in found))


def addresses_of(*header_values: str) -> list[str]:
    """The bare addresses in address headers, lower-cased, each once."""
    pairs = getaddresses([value for value in header_values if value])
    return list(dict.fromkeys(address.lower() for _, address in pairs if "@" in address))


def domain_of(address: str) -> str:
    return address.rpartition("@")[2].strip().strip(">").lower()


def force_address(force: Force) -> str:
    """Where letters to the force go: the admin's correction, else the register's."""
    contact = contact_of(force)
    return (contact.address if contact and contact.address else force.foi_email).strip()


def force_domains(force: Force) -> set[str]:
    """The domains the force writes from: its FOI address's, the same without '.pnn' (forces
    are moving from the pnn.police.uk names to police.uk ones), and any the admin added."""
    domains = set()
    contact = contact_of(force)
    for address in (force.foi_email, contact.address if contact else ""):
        if address:
            domain = domain_of(address)
            domains.update({domain, domain.replace(".pnn.police.uk", ".police.uk")})
    if contact is not None:
        domains.update(contact.domains())
    return domains


def within(domain: str, domains: set[str]) -> bool:
    """The domain is one of them or a subdomain of one (mail.kent.police.uk)."""
    return any(domain == d or domain.endswith(f".{d}") for d in domains)


def contact_of(force: Force) -> ForceContact | None:
    """One query unless the caller selected `contact` with the force."""
    try:
        return force.contact
    except ForceContact.DoesNotExist:
        return None
