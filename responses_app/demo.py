"""The demo campaign: pure functions that plan every force's events and figures.

Modelled on the children's charity study published in March 2021 (docs: the reference notes on
police responses). Only national and a few regional totals were ever published, so the per-force
figures here are SYNTHETIC: drawn from a fixed seed, then fitted so that every published total
comes out exactly. Nothing here touches the database; `load_demo` feeds the plan to the services.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from requests_app.deadlines import FOIA_2000, WorkingCalendar
from requests_app.status import EventKind

SEED = 20210311
TITLE = "Online child sexual offences by platform (demo, synthetic figures)"
QUESTION = (
    "Please provide, for 1 October 2019 - 31 March 2020 and separately for 1 April 2020 - "
    "30 September 2020:\n"
    "1. the number of sexual offences against children under 18 recorded with an online element, "
    "broken down where known by the platform used (counting each time an offence was recorded "
    "on a platform);\n"
    "2. the platforms listed: Facebook/Facebook Messenger, Instagram, WhatsApp, Snapchat, "
    "iMessage, Telegram, Signal, Twitch, online gaming, Kik, Twitter, Skype, TikTok, FaceTime, "
    "Discord, Omegle."
)
PERIOD = (dt.date(2019, 10, 1), dt.date(2020, 9, 30))
# The request asked for each half-year separately; the figures are split the same way.
HALVES = ((dt.date(2019, 10, 1), dt.date(2020, 3, 31)), (dt.date(2020, 4, 1), dt.date(2020, 9, 30)))
SENT_ON = dt.date(2020, 11, 2)
OFFENCE = "child-sexual-offences"

# The published headline: instances where the platform was known, October 2019 - September 2020.
NATIONAL_TOTAL = 9477
META_TOTALS = {"instagram": 3212, "facebook-or-messenger": 1191, "whatsapp": 568}
REGIONS: dict[str, tuple[str, ...]] = {
    "North West": ("cheshire", "cumbria", "greater-manchester", "lancashire", "merseyside"),
    "East of England": (
        "bedfordshire",
        "cambridgeshire",
        "essex",
        "hertfordshire",
        "norfolk",
        "suffolk",
    ),
    "West Midlands": ("staffordshire", "warwickshire", "west-mercia", "west-midlands"),
    "South West": (
        "avon-and-somerset",
        "devon-and-cornwall",
        "dorset",
        "gloucestershire",
        "wiltshire",
    ),
}
# Region -> (instances where the platform was known, published share owned by Meta).
REGION_TOTALS: dict[str, tuple[int, float]] = {
    "North West": (1993, 0.52),
    "East of England": (1075, 0.48),
    "West Midlands": (1532, 0.40),
    "South West": (1092, 0.50),
}
PUBLISHED_FORCE_TOTALS = {
    "dorset": 222,
    "devon-and-cornwall": 320,
    "gloucestershire": 91,
    "avon-and-somerset": 415,
    "wiltshire": 44,
}
# The other forces that answered with figures share what the regions leave, by rough size
# (population in hundred thousands), so a big force gets a big synthetic count.
OTHER_ANSWERING: dict[str, float] = {
    "city-of-london": 0.5,
    "derbyshire": 10.5,
    "gwent": 6.0,
    "hampshire": 20.0,
    "kent": 18.5,
    "leicestershire": 11.0,
    "metropolitan": 90.0,
    "north-wales": 7.0,
    "northumbria": 14.6,
    "nottinghamshire": 11.5,
    "south-wales": 13.4,
    "south-yorkshire": 14.0,
    "surrey": 12.0,
    "thames-valley": 24.0,
    "west-yorkshire": 23.0,
}
REGION_WEIGHTS: dict[str, float] = {
    "cheshire": 10.7,
    "cumbria": 5.0,
    "greater-manchester": 28.0,
    "lancashire": 15.0,
    "merseyside": 14.0,
    "bedfordshire": 6.7,
    "cambridgeshire": 8.5,
    "essex": 18.0,
    "hertfordshire": 11.8,
    "norfolk": 9.0,
    "suffolk": 7.6,
    "staffordshire": 11.3,
    "warwickshire": 5.7,
    "west-mercia": 12.9,
    "west-midlands": 29.0,
}
# The ten forces without figures: most refused under the cost limit, two hold no platform field,
# two never answered (so the demo always has overdue requests, whenever it is loaded).
REFUSED = ("cleveland", "humberside", "lincolnshire", "north-yorkshire", "sussex", "jersey")
NOT_HELD = ("dyfed-powys", "guernsey")
OVERDUE = ("durham", "northamptonshire")

# Platforms outside Meta that carry exact counts, with their national weight.
OTHER_PLATFORMS: dict[str, float] = {
    "snapchat": 0.40,
    "online-gaming": 0.10,
    "kik": 0.10,
    "tiktok": 0.09,
    "twitter": 0.08,
    "discord": 0.07,
    "skype": 0.06,
    "other": 0.05,
    "imessage": 0.05,
}
# Small platforms a force shows only as a suppressed cell ('*', '<5'): 1..4 each, never counted
# in the point totals, only in their low/high bounds.
SUPPRESSED_PLATFORMS = ("twitch", "omegle", "telegram", "facetime", "youtube", "signal")
SUPPRESSED_MARKS = ("*", "<5")


def apportion(total: int, weights: Sequence[float]) -> list[int]:
    """Split `total` into whole numbers proportional to `weights` that add up to it exactly
    (largest remainder; ties go to the earlier weight)."""
    whole = sum(weights)
    if total == 0 or whole <= 0:
        return [0] * len(weights)
    exact = [total * w / whole for w in weights]
    parts = [int(x) for x in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in by_remainder[: total - sum(parts)]:
        parts[i] += 1
    return parts


def _jitter(rng: random.Random, low: float = 0.8, high: float = 1.2) -> float:
    return rng.uniform(low, high)


def force_totals(rng: random.Random) -> dict[str, int]:
    """Instances where the platform was known, per answering force: the published South West
    figures as they are, the other regions split to their published totals, the rest split to
    what the national total leaves."""
    totals = dict(PUBLISHED_FORCE_TOTALS)
    for region, slugs in REGIONS.items():
        if region == "South West":
            continue
        weights = [REGION_WEIGHTS[slug] * _jitter(rng) for slug in slugs]
        totals.update(zip(slugs, apportion(REGION_TOTALS[region][0], weights), strict=True))
    rest = NATIONAL_TOTAL - sum(total for total, _ in REGION_TOTALS.values())
    weights = [weight * _jitter(rng) for weight in OTHER_ANSWERING.values()]
    totals.update(zip(OTHER_ANSWERING, apportion(rest, weights), strict=True))
    return totals


def meta_totals(rng: random.Random, totals: dict[str, int]) -> dict[str, int]:
    """Meta-owned instances per force: each region at its published share, the other forces at
    whatever brings the nation to 4,971."""
    meta: dict[str, int] = {}
    for region, slugs in REGIONS.items():
        region_total, share = REGION_TOTALS[region]
        weights = [totals[slug] * _jitter(rng, 0.9, 1.1) for slug in slugs]
        meta.update(zip(slugs, apportion(round(region_total * share), weights), strict=True))
    rest = sum(META_TOTALS.values()) - sum(meta.values())
    weights = [totals[slug] * _jitter(rng, 0.9, 1.1) for slug in OTHER_ANSWERING]
    meta.update(zip(OTHER_ANSWERING, apportion(rest, weights), strict=True))
    return meta


def meta_split(rng: random.Random, meta: dict[str, int]) -> dict[str, dict[str, int]]:
    """Each force's Meta instances split across Instagram, Facebook and WhatsApp so that both
    the forces' totals and the national platform totals hold: each force takes its share of what
    the platforms still have left, and the last force takes the remainder."""
    left = dict(META_TOTALS)
    split: dict[str, dict[str, int]] = {}
    for slug in sorted(meta):
        weights = [left[p] * _jitter(rng, 0.85, 1.15) for p in left]
        parts = dict(zip(left, apportion(meta[slug], weights), strict=True))
        _fit_under(parts, left)
        split[slug] = parts
        for platform, count in parts.items():
            left[platform] -= count
    return split


def _fit_under(parts: dict[str, int], ceiling: dict[str, int]) -> None:
    """Move any count over a platform's remaining total to the platforms with room (there is
    always room: the force's total never exceeds what all platforms have left)."""
    for platform in parts:
        excess = parts[platform] - ceiling[platform]
        if excess <= 0:
            continue
        parts[platform] -= excess
        for other in parts:
            room = ceiling[other] - parts[other]
            moved = min(room, excess)
            parts[other] += moved
            excess -= moved


def other_split(rng: random.Random, count: int) -> dict[str, int]:
    weights = [weight * _jitter(rng, 0.6, 1.4) for weight in OTHER_PLATFORMS.values()]
    return dict(zip(OTHER_PLATFORMS, apportion(count, weights), strict=True))


@dataclass(frozen=True)
class DemoFigure:
    """One cell as the force wrote it: a named platform, or None with scope 'not_recorded'."""

    force: str
    period: tuple[dt.date, dt.date]
    platform: str | None
    raw: str

    @property
    def scope(self) -> str:
        return "named" if self.platform else "not_recorded"


def _halves(rng: random.Random, count: int) -> tuple[int, int]:
    # Offences online rose in the lockdown half-year, so the first half takes less than half.
    first = round(count * rng.uniform(0.38, 0.5))
    return first, count - first


def force_figures(rng: random.Random, slug: str, total: int, meta: dict[str, int]):
    """Every cell of one force: exact counts per platform and half-year (zeros left out), a
    not-recorded count per half-year, and one to three suppressed small platforms."""
    counts = {**meta, **other_split(rng, total - sum(meta.values()))}
    figures = []
    for platform, count in counts.items():
        for period, part in zip(HALVES, _halves(rng, count), strict=True):
            if part:
                figures.append(DemoFigure(slug, period, platform, str(part)))
    for period in HALVES:
        not_recorded = round(total * rng.uniform(0.1, 0.3) / 2)
        figures.append(DemoFigure(slug, period, None, str(not_recorded)))
    for platform in rng.sample(SUPPRESSED_PLATFORMS, rng.randint(1, 3)):
        period = rng.choice(HALVES)
        figures.append(DemoFigure(slug, period, platform, rng.choice(SUPPRESSED_MARKS)))
    return figures


def demo_figures(seed: int = SEED) -> list[DemoFigure]:
    """Every figure of the demo, for the 35 forces that answered with figures."""
    rng = random.Random(seed)
    totals = force_totals(rng)
    meta = meta_split(rng, meta_totals(rng, totals))
    figures = []
    for slug in sorted(totals):
        figures += force_figures(rng, slug, totals[slug], meta[slug])
    return figures


# -- The requests' stories: what each force did, and when. --------------------------------------


@dataclass(frozen=True)
class DemoEvent:
    """An event on a request; a 'response' carries the outcome and exemptions it records."""

    kind: str
    on: dt.date
    until: dt.date | None = None
    note: str = ""
    outcome: str = ""
    review_outcome: str = ""
    exemptions: tuple[str, ...] = ()
    caveats: str = ""


@dataclass(frozen=True)
class ForceStory:
    force: str
    events: tuple[DemoEvent, ...] = field(default_factory=tuple)


CALENDAR = WorkingCalendar(FOIA_2000)
FIGURES_CAVEAT = (
    "Figures from a keyword search of crime records for an online element; a crime may be "
    "recorded against more than one platform. Some small platforms are shown as '*'."
)
S12_NOTE = (
    "Our crime system has no platform field: finding the platform would mean reading every "
    "crime report, which would exceed the 18-hour cost limit."
)


def _answer_day(rng: random.Random) -> dt.date:
    # Most forces answer within the 20 working days (due 30 November 2020); some are late.
    return CALENDAR.add_working_days(SENT_ON, rng.choice([*range(9, 21), *range(18, 34, 2)]))


def _acknowledged(rng: random.Random) -> DemoEvent:
    return DemoEvent(EventKind.ACKNOWLEDGED, CALENDAR.add_working_days(SENT_ON, rng.randint(1, 3)))


def _figures_story(rng: random.Random, slug: str) -> tuple[DemoEvent, ...]:
    ack = _acknowledged(rng)
    if slug == "kent":
        return (
            ack,
            DemoEvent(
                EventKind.CLARIFICATION_REQUESTED,
                dt.date(2020, 11, 6),
                note="Asked whether 'online element' includes phone calls.",
            ),
            DemoEvent(
                EventKind.CLARIFICATION_RECEIVED,
                dt.date(2020, 11, 9),
                note="Replied: messaging and social media only, not voice calls.",
            ),
            _granted(dt.date(2020, 12, 4), "partly_granted"),
        )
    if slug == "metropolitan":
        return (
            ack,
            DemoEvent(
                EventKind.EXTENSION,
                dt.date(2020, 11, 27),
                until=dt.date(2021, 1, 8),
                note="Public-interest test for s.31 (law enforcement).",
            ),
            _granted(dt.date(2021, 1, 7), "partly_granted"),
        )
    return (ack, _granted(_answer_day(rng), rng.choice(["granted", "granted", "partly_granted"])))


def _granted(on: dt.date, outcome: str) -> DemoEvent:
    return DemoEvent(EventKind.RESPONSE, on, outcome=outcome, caveats=FIGURES_CAVEAT)


def _refused_story(rng: random.Random, slug: str) -> tuple[DemoEvent, ...]:
    code = "art16" if slug == "jersey" else "s12"
    answered = _answer_day(rng)
    refusal = DemoEvent(
        EventKind.RESPONSE, answered, outcome="refused", exemptions=(code,), caveats=S12_NOTE
    )
    if slug != "sussex":
        return (_acknowledged(rng), refusal)
    asked = CALENDAR.add_working_days(answered, 3)
    return (
        _acknowledged(rng),
        refusal,
        DemoEvent(
            EventKind.INTERNAL_REVIEW_REQUESTED,
            asked,
            note="Asked for a review: a keyword search would take far less than 18 hours.",
        ),
        DemoEvent(
            EventKind.INTERNAL_REVIEW_RESPONSE,
            CALENDAR.add_working_days(asked, 15),
            review_outcome="upheld",
            note="Review upheld the s.12 refusal.",
        ),
    )


def _not_held_story(rng: random.Random, slug: str) -> tuple[DemoEvent, ...]:
    note = "The records system holds no platform field: the information is not held."
    return (
        _acknowledged(rng),
        DemoEvent(EventKind.RESPONSE, _answer_day(rng), outcome="not_held", caveats=note),
    )


def _overdue_story(rng: random.Random, slug: str) -> tuple[DemoEvent, ...]:
    if slug == "durham":
        return (
            _acknowledged(rng),
            DemoEvent(
                EventKind.EXTENSION,
                dt.date(2020, 11, 30),
                until=dt.date(2020, 12, 23),
                note="Extension to consider the public interest; no answer since.",
            ),
        )
    return (_acknowledged(rng),)


def force_stories(seed: int = SEED) -> list[ForceStory]:
    """What each of the 45 forces did after the request went out on 2 November 2020."""
    rng = random.Random(seed + 1)
    answering = sorted([*PUBLISHED_FORCE_TOTALS, *REGION_WEIGHTS, *OTHER_ANSWERING])
    plans = [
        *[(slug, _figures_story) for slug in answering],
        *[(slug, _refused_story) for slug in REFUSED],
        *[(slug, _not_held_story) for slug in NOT_HELD],
        *[(slug, _overdue_story) for slug in OVERDUE],
    ]
    return [ForceStory(slug, story(rng, slug)) for slug, story in sorted(plans)]


def forces_asked() -> list[str]:
    return [story.force for story in force_stories()]
