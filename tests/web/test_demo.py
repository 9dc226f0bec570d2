"""The demo generator's pure functions: the published totals come out exactly."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

import pytest

from requests_app.status import EventKind
from responses_app import demo

FIGURES = demo.demo_figures()
EXACT = [f for f in FIGURES if f.platform and f.raw.isdigit()]
META = ("instagram", "facebook-or-messenger", "whatsapp")


def _sum(figures, *, platforms=None, forces=None) -> int:
    return sum(
        int(f.raw)
        for f in figures
        if (platforms is None or f.platform in platforms) and (forces is None or f.force in forces)
    )


@pytest.mark.parametrize(
    ("total", "weights", "parts"),
    [
        (10, [1, 1, 1], [4, 3, 3]),
        (7, [0.5, 0.5], [4, 3]),
        (5, [3, 1, 0], [4, 1, 0]),
        (0, [1, 2], [0, 0]),
        (3, [0, 0], [0, 0]),
    ],
)
def test_it_apportions_a_total_exactly(total, weights, parts):
    assert demo.apportion(total, weights) == parts


@pytest.mark.parametrize(
    ("platforms", "expected"),
    [
        (None, 9477),
        (("instagram",), 3212),
        (("facebook-or-messenger",), 1191),
        (("whatsapp",), 568),
        (META, 4971),
    ],
)
def test_it_reproduces_the_national_totals(platforms, expected):
    assert _sum(EXACT, platforms=platforms) == expected


def test_it_puts_the_rest_on_other_platforms():
    others = {f.platform for f in EXACT} - set(META)
    assert _sum(EXACT, platforms=others) == 4506
    assert {"snapchat", "tiktok", "kik", "twitter", "discord", "skype", "online-gaming"} <= others


@pytest.mark.parametrize(
    ("region", "total", "meta_share"),
    [
        ("North West", 1993, 0.52),
        ("East of England", 1075, 0.48),
        ("West Midlands", 1532, 0.40),
        ("South West", 1092, 0.50),
    ],
)
def test_it_reproduces_the_regional_totals_and_meta_shares(region, total, meta_share):
    forces = demo.REGIONS[region]
    assert _sum(EXACT, forces=forces) == total
    meta = _sum(EXACT, forces=forces, platforms=META)
    assert abs(meta / total - meta_share) < 0.005


@pytest.mark.parametrize(
    ("force", "total"),
    [
        ("dorset", 222),
        ("devon-and-cornwall", 320),
        ("gloucestershire", 91),
        ("avon-and-somerset", 415),
        ("wiltshire", 44),
    ],
)
def test_it_uses_the_published_south_west_force_totals(force, total):
    assert _sum(EXACT, forces=(force,)) == total


def test_thirty_five_forces_have_figures_including_every_regional_force():
    with_figures = {f.force for f in FIGURES}
    assert len(with_figures) == 35
    assert {slug for slugs in demo.REGIONS.values() for slug in slugs} <= with_figures
    assert not with_figures & {*demo.REFUSED, *demo.NOT_HELD, *demo.OVERDUE}


def test_suppressed_and_not_recorded_cells_are_outside_the_point_totals():
    suppressed = [f for f in FIGURES if not f.raw.isdigit()]
    not_recorded = [f for f in FIGURES if f.platform is None]
    assert suppressed and {f.raw for f in suppressed} <= {"*", "<5"}
    assert all(f.platform in demo.SUPPRESSED_PLATFORMS for f in suppressed)
    assert len(not_recorded) == 70  # one per half-year for each of the 35 forces
    assert all(f.raw.isdigit() for f in not_recorded)


def test_every_cell_is_unique_and_in_one_of_the_two_half_years():
    keys = Counter((f.force, f.period, f.platform) for f in FIGURES)
    assert max(keys.values()) == 1
    assert {f.period for f in FIGURES} == set(demo.HALVES)


def test_the_same_seed_gives_the_same_figures_and_another_seed_the_same_totals():
    assert demo.demo_figures() == FIGURES
    other = [f for f in demo.demo_figures(seed=7) if f.platform and f.raw.isdigit()]
    assert other != EXACT
    assert (_sum(other), _sum(other, platforms=("instagram",))) == (9477, 3212)


def test_meta_split_never_gives_a_force_a_negative_count():
    rng = random.Random(demo.SEED)
    totals = demo.force_totals(rng)
    split = demo.meta_split(rng, demo.meta_totals(rng, totals))
    assert min(count for parts in split.values() for count in parts.values()) >= 0
    assert all(sum(split[slug].values()) <= totals[slug] for slug in totals)


STORIES = {story.force: story for story in demo.force_stories()}


def _kinds(slug: str) -> list[str]:
    return [event.kind for event in STORIES[slug].events]


def test_the_request_goes_to_the_45_territorial_forces_not_btp():
    assert len(STORIES) == 45
    assert "btp" not in STORIES
    assert {"jersey", "guernsey"} <= set(STORIES)


@pytest.mark.parametrize(("outcome", "count"), [("refused", 6), ("not_held", 2), ("granted", None)])
def test_the_ten_forces_without_figures_refuse_say_not_held_or_stay_silent(outcome, count):
    outcomes = Counter(
        event.outcome for story in STORIES.values() for event in story.events if event.outcome
    )
    if count is not None:
        assert outcomes[outcome] == count
    assert outcomes["granted"] + outcomes["partly_granted"] == 35
    assert all(EventKind.RESPONSE not in _kinds(slug) for slug in demo.OVERDUE)


def test_the_stories_include_a_clarification_an_extension_and_an_internal_review():
    assert _kinds("kent")[1:3] == [
        EventKind.CLARIFICATION_REQUESTED,
        EventKind.CLARIFICATION_RECEIVED,
    ]
    assert EventKind.EXTENSION in _kinds("metropolitan")
    assert _kinds("sussex")[-1] == EventKind.INTERNAL_REVIEW_RESPONSE
    assert _kinds("durham") == [EventKind.ACKNOWLEDGED, EventKind.EXTENSION]


def test_every_event_is_dated_in_order_between_sending_and_january_2021():
    for story in STORIES.values():
        days = [event.on for event in story.events]
        assert days == sorted(days)
        assert days[0] >= demo.SENT_ON and days[-1] <= dt.date(2021, 1, 31)
