"""The cache version, the one place: when a stored report answer (aggregates, coverage, the
dataset's ETag) may be served again, and the only code that says "the data changed".

An answer is kept with the data version it was computed at, under a key that carries the rest
of what it depends on; it is served only while that version is the current one:
- the data version: one integer in the cache, bumped by every write to a model an answer reads
  (the receivers below, registered once for every model in WATCHED, proxies and many-to-many
  tables included, so no service, admin page or command can forget it; the bulk paths that skip
  signals call `data_changed()` themselves);
- the day: overdue counts change at midnight with no write at all;
- the caller's scope: everyone who sees every campaign shares one scope, anyone else the digest
  of the campaign ids they may see now (so a campaign unpublished, or a collaborator removed,
  is a different key at once, whatever the version);
- the normalised query parameters.
The version is not in the key, so that the version and the answer are read in one round trip (a
cached answer's own part was two); a newer answer replaces an older one in place. The ETag
carries the version. A release's rows are frozen: its answers are keyed by the release id and
kept with no version or day.

The failure modes it survives:
- a reader that read the version, then computed from the rows as they were before a write
  committed, stores a stale answer under the old version. The version is bumped twice: at once
  (so readers inside the writing transaction, and tests, see it) and again after the commit, so
  an answer stored while the write was in flight is never read again;
- the cache forgets the version (restart, eviction): it starts again from the clock in
  nanoseconds, far above any version bumped by hand before, so no old answer is hit again;
- several processes: they share the version only through a shared cache (Redis). The local
  memory cache of a laptop is per process, right for one process only (see settings.CACHES);
- the cache is unreachable (Redis down): a report is computed afresh and not kept, with an
  ETag no later answer matches, so it is never a 500 and never stale; a write whose bump could
  not be made is owed, and this process bumps the version before it next reads or writes an
  answer, so answers kept before the outage are not served once the cache is back.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

VERSION_KEY = "answers:version"
CHANGED_AT_KEY = "answers:changed-at"
# Live answers carry the day in their key, so a day is the longest they could be read.
LIVE_TIMEOUT = 24 * 60 * 60
RELEASE_TIMEOUT = 30 * 24 * 60 * 60

# Every model a report answer reads, directly or through its scope and coverage.
WATCHED = (
    # Forces, campaigns (published, collaborators, waves, synthetic), requests and their events.
    "requests_app.Force",
    "requests_app.Campaign",
    "requests_app.CampaignPeriod",
    "requests_app.FoiRequest",
    "requests_app.RequestEvent",
    "requests_app.ExtraHoliday",
    # Answers, their files and figures; the reference lists figures point at.
    "responses_app.FoiResponse",
    "responses_app.Document",
    "responses_app.Figure",
    "responses_app.PlatformOwner",
    "responses_app.Platform",
    "responses_app.PlatformAlias",
    "responses_app.PlatformOwnership",
    "responses_app.OffenceCategory",
    "responses_app.CampaignCategories",
    "responses_app.DatasetRelease",
)


# Data version


def data_version() -> tuple[int | str, float | None]:
    """The current version and when it last changed (a Unix time; None once forgotten)."""
    try:
        _pay_owed_bump()
        found = cache.get_many([VERSION_KEY, CHANGED_AT_KEY])
        version = found.get(VERSION_KEY)
        if version is None:
            cache.add(VERSION_KEY, time.time_ns(), timeout=None)
            version = cache.get(VERSION_KEY)
    except RedisError:
        return _unavailable(), None
    return version, found.get(CHANGED_AT_KEY)


def _unavailable() -> str:
    """A version no kept answer has and no later answer matches: compute, keep nothing."""
    logger.warning("Report answers not kept: the cache is unavailable", exc_info=True)
    return f"unavailable-{uuid.uuid4().hex}"


# A bump this process could not make (the cache was unreachable): made before its next use.
_owed = {"bump": False}


def _pay_owed_bump() -> None:
    if _owed["bump"]:
        _bump_now()
        _owed["bump"] = False


def _bump_now() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # forgotten: start above anything handed out before
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)
    cache.set(CHANGED_AT_KEY, time.time(), timeout=None)


def _bump() -> None:
    try:
        _bump_now()
    except RedisError:
        # The write stands; the answers kept before it must not be served when the cache is back.
        logger.warning("Data version not bumped: the cache is unavailable", exc_info=True)
        _owed["bump"] = True


def data_changed() -> None:
    """Every stored live answer is out of date: now, and again once the write commits."""
    _bump()
    transaction.on_commit(_bump)


def _on_write(sender, **kwargs) -> None:
    data_changed()


def _on_m2m(sender, action, **kwargs) -> None:
    if action.startswith("post_"):
        data_changed()


def _senders() -> tuple[list[type[Model]], list[type[Model]]]:
    """The watched models with their proxies (the admin's figure queues are proxies, and a
    signal names the class that was saved), and the tables of their many-to-many fields.
    Receivers are connected to these alone: a receiver for every model would make Django
    delete every other model's rows one by one, to send them a signal."""
    watched = {apps.get_model(label) for label in WATCHED}
    models = [model for model in apps.get_models() if model._meta.concrete_model in watched]
    through = [
        field.remote_field.through for model in watched for field in model._meta.local_many_to_many
    ]
    return models, through


def connect() -> None:
    """Called once from the app's ready(): every save and delete of a watched model, and every
    change of its many-to-many fields (a campaign's collaborators), bumps the version."""
    models, through = _senders()
    for model in models:
        post_save.connect(_on_write, sender=model, dispatch_uid=f"answers_save_{model._meta}")
        post_delete.connect(_on_write, sender=model, dispatch_uid=f"answers_delete_{model._meta}")
    for table in through:
        m2m_changed.connect(_on_m2m, sender=table, dispatch_uid=f"answers_m2m_{table._meta}")


# Keys


def _digest(value: object) -> str:
    text = json.dumps(value, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def params_normalised(params: dict) -> dict:
    """Validated parameters as plain values: rows as their ids, filter lists sorted (the order
    of `platform=a,b` does not change the answer; the order of `group_by` does)."""
    plain = {}
    for name, value in params.items():
        if isinstance(value, Model):
            value = value.pk
        elif isinstance(value, list | tuple) and name != "group_by":
            value = sorted(value)
        if value not in (None, "", [], False):
            plain[name] = value
    return plain


def scope_digest(campaign_ids: Iterable[int] | None) -> str:
    """None: the caller sees every campaign (staff, data entry)."""
    return "all" if campaign_ids is None else _digest(sorted(campaign_ids))


RELEASE = "release"  # the version a release's answer is kept with: it never changes
_UNREAD = object()


@dataclass(frozen=True)
class Stamp:
    """Where an answer is kept, and what a client is told to ask again with."""

    key: str
    etag: str
    last_modified: float | None
    timeout: int
    version: int | str
    # What the key held, when it was read with the version (a live answer); else _UNREAD.
    stored: object = _UNREAD

    def kept(self, compute: Callable[[], object]) -> object:
        """The stored answer if it is of this version, else the computed one, stored."""
        if str(self.version).startswith("unavailable-"):
            return compute()
        try:
            stored = cache.get(self.key) if self.stored is _UNREAD else self.stored
        except RedisError:
            _unavailable()
            return compute()
        if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == self.version:
            return stored[1]
        answer = compute()
        try:
            cache.set(self.key, (self.version, answer), self.timeout)
        except RedisError:
            _unavailable()
        return answer


def _midnight(today: dt.date) -> float:
    start = dt.datetime.combine(today, dt.time.min, tzinfo=timezone.get_current_timezone())
    return start.timestamp()


def live_stamp(kind: str, *, scope: str, params: dict) -> Stamp:
    """A live answer: the version and the kept answer read together, before any computing
    (see the module's failure modes)."""
    today = timezone.localdate()
    where = _digest([kind, today.isoformat(), scope, params_normalised(params)])
    key = f"answers:{kind}:{where}"
    try:
        _pay_owed_bump()
        found = cache.get_many([VERSION_KEY, CHANGED_AT_KEY, key])
    except RedisError:
        found = {VERSION_KEY: _unavailable()}
    version, changed_at = found.get(VERSION_KEY), found.get(CHANGED_AT_KEY)
    if version is None:  # forgotten: nothing kept can be of the version started now
        version, changed_at = data_version()
    last_modified = None if changed_at is None else max(changed_at, _midnight(today))
    etag = f'"{_digest([where, version])}"'
    return Stamp(key, etag, last_modified, LIVE_TIMEOUT, version, found.get(key))


def release_stamp(kind: str, *, release, params: dict) -> Stamp:
    """A release's answer: its rows never change, so neither does the answer."""
    digest = _digest([kind, RELEASE, release.pk, params_normalised(params)])
    return Stamp(
        f"answers:{kind}:{digest}",
        f'"{digest}"',
        release.created_at.timestamp(),
        RELEASE_TIMEOUT,
        RELEASE,
    )
