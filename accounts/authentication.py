"""`Authorization: Token <key>` for the API. A forged, revoked or expired key is refused with 401
and logged by its reason and its non-secret prefix, never by the key."""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone
from rest_framework import authentication, exceptions

from accounts import keys, selectors
from accounts.models import ApiToken

logger = logging.getLogger(__name__)

KEYWORD = "Token"
# Recording every use would write a row per API request; once an hour is enough to audit with.
LAST_USED_EVERY = dt.timedelta(hours=1)

MESSAGES = {
    "unknown": "Invalid token.",
    "revoked": "This token has been revoked.",
    "expired": "This token has expired.",
    "inactive user": "This token's user is inactive.",
}


class ApiTokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        words = authentication.get_authorization_header(request).split()
        if not words or words[0].lower() != KEYWORD.lower().encode():
            return None
        if len(words) != 2:
            self._refuse(request, "malformed", None)
        key = words[1].decode("latin-1")
        token = selectors.token_for_key(key)
        if token is None:
            self._refuse(request, "unknown", keys.prefix_of(key))
        now = timezone.now()
        reason = token.refusal(now)
        if reason is not None:
            self._refuse(request, reason, token.prefix)
        _note_use(token, now)
        return token.user, token

    def authenticate_header(self, request) -> str:
        # Makes DRF answer 401 (with this challenge) rather than 403 to a caller with no key.
        return KEYWORD

    def _refuse(self, request, reason: str, prefix: str | None):
        logger.warning(
            "API token refused",
            extra={"reason": reason, "token_prefix": prefix, "path": request.path},
        )
        message = MESSAGES.get(reason, "Give the token as 'Authorization: Token <key>'.")
        raise exceptions.AuthenticationFailed(message)


def _note_use(token: ApiToken, now: dt.datetime) -> None:
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
