from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from accounts import keys
from accounts.models import ApiToken


def tokens_of(user: AbstractBaseUser) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)


def token_for_key(key: str) -> ApiToken | None:
    """The token a key belongs to, whatever its state; None for a key that is not one of ours.
    The digest is compared in the query, so a wrong key with a known prefix finds nothing."""
    if keys.prefix_of(key) is None:
        return None
    return ApiToken.objects.select_related("user").filter(digest=keys.digest_of(key)).first()
