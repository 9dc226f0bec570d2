"""Making and revoking API tokens. The key is returned once, by `token_create`, and never kept."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts import keys
from accounts.models import ApiToken

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    key: str  # shown to the person once; only its digest is stored


def token_create(
    *,
    user: AbstractBaseUser,
    name: str = "",
    expires_at: dt.datetime | None = None,
    parent: ApiToken | None = None,
) -> IssuedToken:
    """A new token for `user`. It expires at `expires_at` (by default API_TOKEN_DEFAULT_DAYS from
    now), which may be no later than API_TOKEN_MAX_DAYS from now nor, for a token made with
    another (`parent`), than that token's expiry: a token cannot outlive the one that made it."""
    expires_at = token_expiry(expires_at=expires_at, parent=parent)
    # Two keys sharing a random 32-bit prefix is unlikely but possible: draw again.
    for _ in range(5):
        prefix, key = keys.new_key()
        token = ApiToken(
            user=user,
            name=name,
            prefix=prefix,
            digest=keys.digest_of(key),
            expires_at=expires_at,
            parent=parent,
        )
        token.full_clean(exclude=["prefix", "digest"])
        try:
            with transaction.atomic():
                token.save()
        except IntegrityError:
            continue
        logger.info("API token created", extra={"token_prefix": prefix, "user_id": user.pk})
        return IssuedToken(token=token, key=key)
    raise RuntimeError("Could not draw an unused token prefix.")


def token_expiry(*, expires_at: dt.datetime | None, parent: ApiToken | None) -> dt.datetime:
    """When a new token stops working, or ValidationError on `expires_at`."""
    now = timezone.now()
    latest = now + dt.timedelta(days=settings.API_TOKEN_MAX_DAYS)
    if expires_at is None:
        expires_at = now + dt.timedelta(days=settings.API_TOKEN_DEFAULT_DAYS)
        return min(expires_at, latest, *([parent.expires_at] if parent else []))
    if expires_at <= now:
        raise ValidationError({"expires_at": "The expiry must be in the future."})
    if expires_at > latest:
        raise ValidationError(
            {
                "expires_at": f"A token lives at most {settings.API_TOKEN_MAX_DAYS} days: "
                f"expire it by {latest:%Y-%m-%d %H:%M} UTC."
            }
        )
    if parent is not None and expires_at > parent.expires_at:
        raise ValidationError(
            {
                "expires_at": "A token made with a token expires no later than it: by "
                f"{parent.expires_at:%Y-%m-%d %H:%M} UTC."
            }
        )
    return expires_at


def token_revoke(*, token: ApiToken) -> bool:
    """Revoke the token from now on, and every token made with it (and with those, and so on);
    False when it was already revoked."""
    family, generation = [token.pk], [token.pk]
    while generation:
        generation = list(
            ApiToken.objects.filter(parent__in=generation).values_list("pk", flat=True)
        )
        family.extend(generation)
    now = timezone.now()
    with transaction.atomic():
        revoked = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=now
        )
        heirs = ApiToken.objects.filter(pk__in=family[1:], revoked_at__isnull=True).update(
            revoked_at=now
        )
    token.refresh_from_db(fields=["revoked_at"])
    if revoked or heirs:
        logger.info(
            "API token revoked",
            extra={"token_prefix": token.prefix, "tokens_made_with_it": heirs},
        )
    return bool(revoked)
