"""Every list endpoint reads a page in a constant number of queries, at most six, however many
rows there are and whoever asks (the benchmark measures the same lists at a million figures)."""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import resolve

from bench.lists import LISTS
from correspondence.services.filing import message_file
from requests_app.models import FoiRequest, Force, Reminder, ReminderDigest, ReminderKind
from requests_app.services import campaign_send
from responses_app import releases, services
from responses_app.models import OffenceCategory, Platform, PlatformScope
from tests.api_world import documents_in, documents_restore
from tests.factories import CampaignFactory
from tests.routes import api_routes

SENT_ON = dt.date(2020, 11, 2)
RECEIVED_ON = dt.date(2020, 11, 20)
PERIOD = (dt.date(2019, 10, 1), dt.date(2020, 3, 31))
MOST_QUERIES = 6


def test_the_lists_measured_are_every_list_the_api_has():
    # One list for this test and the benchmark (bench/lists.py); a new list endpoint fails here.
    # Lists are the router's '-list' routes and the one list action.
    lists = {name for name in api_routes() if name.endswith("-list")} | {
        "figure-mismatches",
        "message-unmatched",
    }
    assert {resolve(path).url_name for path in LISTS} == lists


@pytest.fixture(autouse=True)
def document_files(tmp_path):
    """Files attached to the replies below go to a temporary folder, not the media folder."""
    saved = documents_in(tmp_path / "documents")
    yield
    documents_restore(saved)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(dt.datetime(2021, 1, 11, 12, 0), tick=False):
        yield


def campaign_with_everything(owner, colleague, data_entry, force_slugs: list[str]):
    """A campaign sent to the forces, every request answered with three figures (one a stated
    total that disagrees with its parts), a reminder to the owner, and a release."""
    campaign = CampaignFactory(owner=owner)
    campaign.collaborators.add(colleague)
    forces = list(Force.objects.filter(slug__in=force_slugs))
    offence = OffenceCategory.objects.get(slug="child-sexual-offences")
    digest, _ = ReminderDigest.objects.get_or_create(
        recipient=owner, on=dt.date(2021, 1, 11), defaults={"sweep": "0" * 32}
    )
    for request in campaign_send(campaign=campaign, forces=forces, sent_on=SENT_ON, user=owner):
        response = services.response_record(
            request=request, received_on=RECEIVED_ON, outcome="granted", user=data_entry
        )
        for slug, raw in [("instagram", "4"), ("tiktok", "*"), (None, "99")]:
            services.figure_enter(
                response=response,
                period_start=PERIOD[0],
                period_end=PERIOD[1],
                offence=offence,
                platform=Platform.objects.get(slug=slug) if slug else None,
                platform_scope=PlatformScope.NAMED if slug else PlatformScope.ALL_PLATFORMS,
                unit="instances",
                raw=raw,
                user=data_entry,
            )
        Reminder.objects.create(
            request=request,
            kind=ReminderKind.COMPLAINT_CLOSING,
            deadline=dt.date(2021, 1, 1),
            recipient=owner,
            digest=digest,
        )
    releases.release_create(campaign=campaign, name="First", user=owner)
    for force in forces:
        # Nothing of this force's is waiting for an answer: mail from its domain is unmatched.
        message_file(raw=stray_mail(force, campaign.pk))


def stray_mail(force: Force, tag: int) -> bytes:
    mail = EmailMessage()
    mail["From"] = f"someone@{force.foi_email.rpartition('@')[2]}"
    mail["To"], mail["Subject"] = "foi@localhost", "A question"
    mail["Message-ID"] = f"<{force.slug}-{tag}@stray.test>"
    mail.set_content("Hello.")
    mail.add_attachment(b"a,b\n1,2\n", maintype="text", subtype="csv", filename="data.csv")
    return mail.as_bytes()


def test_a_requests_correspondence_is_read_in_the_same_few_queries_for_many_messages(
    owner, colleague, data_entry
):
    campaign_with_everything(owner, colleague, data_entry, ["kent"])
    request = FoiRequest.objects.get(force__slug="kent")
    path = f"/api/v1/requests/{request.pk}/messages/"
    message_file(raw=reply_mail(request, 1))
    few = queries_for(owner, path)
    for number in range(2, 6):
        message_file(raw=reply_mail(request, number))
    assert queries_for(owner, path) == few
    assert few <= MOST_QUERIES


def reply_mail(request: FoiRequest, number: int) -> bytes:
    mail = EmailMessage()
    mail["From"] = request.force.foi_email
    mail["To"], mail["Subject"] = "foi@localhost", f"More [FT-{request.pk}]"
    mail["Message-ID"] = f"<reply-{number}@{request.force.slug}.test>"
    mail.set_content("More figures attached.")
    mail.add_attachment(b"a,b\n1,2\n", maintype="text", subtype="csv", filename="more.csv")
    return mail.as_bytes()


def queries_for(user, path: str) -> int:
    # Signed in with a real session, as a browser or the benchmark is: the session and the user
    # are loaded by every request and count towards the six.
    client = Client()
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        answer = client.get(path, {"page_size": 100})
    assert answer.status_code == 200, (path, answer.content[:200])
    return len(captured)


@pytest.mark.parametrize("who", ["owner", "staff"])
def test_it_reads_every_list_in_the_same_few_queries_for_many_rows(
    who, owner, colleague, data_entry, staff
):
    user = {"owner": owner, "staff": staff}[who]
    campaign_with_everything(owner, colleague, data_entry, ["kent"])
    few = {path: queries_for(user, path) for path in LISTS}
    campaign_with_everything(owner, colleague, data_entry, ["essex", "surrey", "cheshire"])
    campaign_with_everything(owner, colleague, data_entry, ["cumbria", "dorset"])
    many = {path: queries_for(user, path) for path in LISTS}
    assert many == few
    assert max(many.values()) <= MOST_QUERIES, many
