"""A Kent request sent on 2 November 2020 and answered on 20 November, with time frozen after."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.files.storage import FileSystemStorage

from requests_app.models import Force
from requests_app.services import campaign_send, request_create
from responses_app import services
from responses_app.models import Document, OffenceCategory, Platform, PlatformScope

SENT_ON = dt.date(2020, 11, 2)
RECEIVED_ON = dt.date(2020, 11, 20)
H1 = (dt.date(2019, 10, 1), dt.date(2020, 3, 31))
H2 = (dt.date(2020, 4, 1), dt.date(2020, 9, 30))


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(dt.datetime(2021, 1, 11, 12, 0), tick=False):
        yield


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    # Users are made in almost every test here; the real hasher is slow on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def document_files(tmp_path):
    """Documents go to a temporary folder, never to the project's media folder."""
    field = Document._meta.get_field("file")
    saved = field.storage
    field.storage = FileSystemStorage(location=tmp_path / "documents")
    yield tmp_path / "documents"
    field.storage = saved


@pytest.fixture
def kent(db) -> Force:
    return Force.objects.get(slug="kent")


@pytest.fixture
def sent_request(campaign, owner, kent):
    return request_create(campaign=campaign, force=kent, user=owner, sent_on=SENT_ON)


@pytest.fixture
def response(sent_request, data_entry):
    return services.response_record(
        request=sent_request, received_on=RECEIVED_ON, outcome="granted", user=data_entry
    )


@pytest.fixture
def offence(db) -> OffenceCategory:
    return OffenceCategory.objects.get(slug="child-sexual-offences")


def platform(slug: str) -> Platform:
    return Platform.objects.get(slug=slug)


@pytest.fixture
def enter(response, offence, data_entry):
    """Enter one figure for the response in the first half-year, as data entry by default."""

    def make(raw: str, slug: str | None = "instagram", *, user=None, scope=None, **extra):
        return services.figure_enter(
            response=response,
            period_start=H1[0],
            period_end=H1[1],
            offence=offence,
            platform=platform(slug) if slug else None,
            platform_scope=scope or ("named" if slug else "all_platforms"),
            unit="instances",
            raw=raw,
            user=user or data_entry,
            **extra,
        )

    return make


# A small campaign of seven forces whose every aggregate is worked out by hand in
# test_aggregates.py's docstring; the dataset and release tests read it too.
PERIOD = {"period_start": dt.date(2019, 10, 1), "period_end": dt.date(2020, 9, 30)}
ANSWERED_ON = dt.date(2020, 11, 20)


def send(campaign, owner, slugs, sent_on):
    forces = list(Force.objects.filter(slug__in=slugs))
    return {
        r.force.slug: r
        for r in campaign_send(campaign=campaign, forces=forces, sent_on=sent_on, user=owner)
    }


def figures_enter(response, user, cells):
    offence = OffenceCategory.objects.get(slug="child-sexual-offences")
    for platform, raw in cells:
        scope = PlatformScope.NAMED
        if platform in (PlatformScope.NOT_RECORDED, PlatformScope.ALL_PLATFORMS):
            scope, platform = platform, None
        services.figure_enter(
            response=response,
            offence=offence,
            unit="instances",
            raw=raw,
            user=user,
            platform=Platform.objects.get(slug=platform) if platform else None,
            platform_scope=scope,
            **PERIOD,
        )


@pytest.fixture
def hand_checked(campaign, owner, data_entry):
    requests = send(
        campaign,
        owner,
        ["kent", "essex", "surrey", "sussex", "dorset", "devon-and-cornwall"],
        dt.date(2020, 11, 2),
    )
    requests.update(send(campaign, owner, ["jersey"], dt.date(2021, 1, 4)))

    def respond(slug, outcome, **extra):
        return services.response_record(
            request=requests[slug],
            received_on=ANSWERED_ON,
            outcome=outcome,
            user=data_entry,
            **extra,
        )

    figures_enter(
        respond("kent", "granted"),
        data_entry,
        [
            ("instagram", "10"),
            ("facebook", "*"),
            ("snapchat", "5"),
            (PlatformScope.NOT_RECORDED, "7"),
            (PlatformScope.ALL_PLATFORMS, "26"),
        ],
    )
    figures_enter(
        respond("essex", "granted"),
        data_entry,
        [
            ("instagram", "<5"),
            ("whatsapp", "20"),
            ("facebook-messenger", "3"),
            (PlatformScope.NOT_RECORDED, "*"),
        ],
    )
    figures_enter(respond("surrey", "granted"), data_entry, [("instagram", "1"), ("snapchat", "1")])
    respond("sussex", "refused", exemptions=["s12"])
    respond("dorset", "not_held")
    return campaign


# A campaign whose suppressed cells all sit on platforms Meta does not own, so the share of the
# exact cells (60 of 100 = 60%) lies outside the interval the suppressed cells allow. Worked out
# in test_aggregates.py; the figures page test enters the same cells.
SUPPRESSED_ELSEWHERE = {
    "kent": [
        ("instagram", "40"),
        ("whatsapp", "12"),
        ("snapchat", "30"),
        ("twitch", "*"),
        ("online-gaming", "<5"),
    ],
    "essex": [("facebook-or-messenger", "8"), ("tiktok", "10"), ("kik", "*")],
}


@pytest.fixture
def suppressed_elsewhere(campaign, owner, data_entry):
    requests = send(campaign, owner, list(SUPPRESSED_ELSEWHERE), dt.date(2020, 11, 2))
    for slug, cells in SUPPRESSED_ELSEWHERE.items():
        response = services.response_record(
            request=requests[slug], received_on=ANSWERED_ON, outcome="granted", user=data_entry
        )
        figures_enter(response, data_entry, cells)
    return campaign
