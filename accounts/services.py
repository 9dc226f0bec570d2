"""Making and revoking API tokens. The key is returned once, by `token_create`, and never kept."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

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
    *, user: AbstractBaseUser, name: str = "", expires_at: dt.datetime | None = None
) -> IssuedToken:
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": "The expiry must be in the future."})
    # Two keys sharing a random 32-bit prefix is unlikely but possible: draw again.
    for _ in range(5):
        prefix, key = keys.new_key()
        token = ApiToken(
            user=user, name=name, prefix=prefix, digest=keys.digest_of(key), expires_at=expires_at
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


def token_revoke(*, token: ApiToken) -> bool:
    """Revoke the token from now on; False when it was already revoked."""
    revoked = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    token.refresh_from_db(fields=["revoked_at"])
    if revoked:
        logger.info("API token revoked", extra={"token_prefix": token.prefix})
    return bool(revoked)
