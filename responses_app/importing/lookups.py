"""The reference lists as in-memory maps, loaded once per import (a handful of queries, whatever
the number of rows), with the closest known names for anything unrecognised."""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
from collections import defaultdict
from dataclasses import dataclass

from responses_app.models import OffenceCategory, Platform, PlatformOwnership, PlatformScope

# Row labels that are not a platform but a stated total or the 'no platform recorded' row.
SCOPE_WORDS = {
    "total": PlatformScope.ALL_PLATFORMS,
    "totals": PlatformScope.ALL_PLATFORMS,
    "grand total": PlatformScope.ALL_PLATFORMS,
    "all": PlatformScope.ALL_PLATFORMS,
    "all platforms": PlatformScope.ALL_PLATFORMS,
    "not recorded": PlatformScope.NOT_RECORDED,
    "platform not recorded": PlatformScope.NOT_RECORDED,
    "unknown": PlatformScope.NOT_RECORDED,
    "not known": PlatformScope.NOT_RECORDED,
}


@functools.lru_cache(maxsize=4096, typed=True)
def normalise(name: object) -> str:
    # Cached: an import asks for the same few platform and offence names on every row.
    return re.sub(r"\s+", " ", str(name or "")).strip().casefold()


class UnknownName(LookupError):
    pass


@dataclass
class ReferenceMaps:
    platforms: dict[str, Platform]
    offences: dict[str, OffenceCategory]
    ownerships: dict[int, list[PlatformOwnership]]
    platform_spellings: list[str]
    offence_spellings: list[str]

    @classmethod
    def load(cls) -> ReferenceMaps:
        platforms: dict[str, Platform] = {}
        spellings: list[str] = []
        for platform in Platform.objects.prefetch_related("aliases"):
            for name in (platform.slug, platform.name, *(a.name for a in platform.aliases.all())):
                platforms[normalise(name)] = platform
                spellings.append(name)
        offences: dict[str, OffenceCategory] = {}
        offence_spellings: list[str] = []
        for offence in OffenceCategory.objects.all():
            for name in (offence.slug, offence.name, offence.home_office_code):
                if name:
                    offences[normalise(name)] = offence
                    offence_spellings.append(name)
        ownerships = defaultdict(list)
        for ownership in PlatformOwnership.objects.select_related("owner"):
            ownerships[ownership.platform_id].append(ownership)
        return cls(platforms, offences, ownerships, spellings, offence_spellings)

    def platform(self, name: object) -> tuple[str, Platform | None]:
        """(scope, platform) for a row label; UnknownName lists the closest known names."""
        key = normalise(name)
        if key in SCOPE_WORDS:
            return SCOPE_WORDS[key], None
        if key in self.platforms:
            return PlatformScope.NAMED, self.platforms[key]
        raise UnknownName(_unknown("platform", name, self.platform_spellings))

    def offence(self, name: object) -> OffenceCategory:
        key = normalise(name)
        if key in self.offences:
            return self.offences[key]
        raise UnknownName(_unknown("offence", name, self.offence_spellings))

    def owner_id(self, platform_id: int | None, day: dt.date) -> int | None:
        """The owner on the period's first day: a period that straddles a change of owner is
        counted for the owner it began with."""
        return PlatformOwnership.owner_id_on(self.ownerships.get(platform_id, ()), day)


def _unknown(kind: str, name: object, spellings: list[str]) -> str:
    if normalise(name) == "":
        return f"The {kind} is empty."
    by_key = {normalise(s): s for s in spellings}
    close = difflib.get_close_matches(normalise(name), list(by_key), n=3, cutoff=0.5)
    hint = f" Closest known: {', '.join(repr(by_key[c]) for c in close)}." if close else ""
    return f"Unknown {kind} '{name}'.{hint}"
