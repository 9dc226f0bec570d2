"""A small world for the API-wide tests (the permission matrix and the schema run): one
unpublished campaign of `owner` with one of everything the API serves, made through the services.

The campaign went to Kent and Surrey on 2 February 2026. Kent answered on 20 February: a granted
response with a CSV attached and one figure (keyed by the colleague, so the owner, data entry and
staff may each verify it), then a release froze the dataset. Surrey has not answered, so a
response or an event can still be recorded on it, and the reminder sweep of 1 May 2026 owes the
owner a reminder about it. Surrey wrote asking what period is meant (a message waiting to be
classified); a chaser to Surrey failed for good (its mail server refused the address); and a
message from a Kent address matched nothing (Kent has answered, so no request of Kent's is
waiting). The owner has an API token. Time is frozen at NOW while the world is
built, and the tests freeze it there too: the services refuse events dated in the future.

A second campaign of the owner's is published: sent to Devon and Cornwall on the same day, it
answered on 20 February too, with a document and one figure, and the campaign has a release.
It shows what a consumer reads of published data (the reports) and what it does not (the
records behind them).
"""

from __future__ import annotations

import datetime as dt
import smtplib
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, Group
from django.core.files.storage import FileSystemStorage
from django.core.mail.backends.base import BaseEmailBackend
from django.test import override_settings

from accounts.services import token_create
from correspondence.services.filing import message_file
from correspondence.services.sending import letter_send, letters_queue
from requests_app import roles
from requests_app.models import FoiRequest, Force, Reminder
from requests_app.reminders.sweep import reminders_sweep
from requests_app.services import campaign_send
from responses_app import services
from responses_app.models import Document, OffenceCategory, Platform
from responses_app.releases import release_create
from tests.factories import CampaignFactory, UserFactory

NOW = dt.datetime(2026, 5, 1, 12, 0)
SENT_ON = dt.date(2026, 2, 2)
RECEIVED_ON = dt.date(2026, 2, 20)
DOCUMENT = b"platform,count\nInstagram,12\n"


class RefusingMailServer(BaseEmailBackend):
    """A mail server that refuses the recipient for good (a 5xx answer)."""

    def send_messages(self, email_messages) -> int:
        refused = {m.to[0]: (550, b"5.1.1 User unknown") for m in email_messages}
        raise smtplib.SMTPRecipientsRefused(refused)


@dataclass(frozen=True)
class World:
    campaign: int
    request: int  # Kent: answered
    pending_request: int  # Surrey: still awaiting an answer
    response: int
    document: int
    figure: int
    release: int
    reminder: int  # addressed to the owner
    token: int  # the owner's
    token_key: str
    published_campaign: int
    published_request: int
    published_document: int
    published_figure: int
    published_release: int
    message: int  # Surrey's question, waiting to be classified
    unmatched: int  # from a Kent address, matched to nothing
    failed_letter: int  # a chaser to Surrey that the mail server refused

    def ids(self) -> dict[str, int]:
        return {name: value for name, value in vars(self).items() if isinstance(value, int)}


def documents_in(folder) -> FileSystemStorage:
    """Send uploaded documents to `folder` (a test's temporary one); returns the storage it
    replaced, to put back afterwards."""
    field = Document._meta.get_field("file")
    saved = field.storage
    field.storage = FileSystemStorage(location=folder)
    return saved


def documents_restore(saved: FileSystemStorage) -> None:
    Document._meta.get_field("file").storage = saved


def member(username: str, role: str, **extra) -> AbstractBaseUser:
    """A member of the cast by the name tests/conftest.py gives it, so that its fixtures find
    the same user (the factory gets or creates by username)."""
    user = UserFactory(username=username, **extra)
    user.groups.add(Group.objects.get(name=role))
    return user


def world_build() -> World:
    """Call with time frozen at NOW (or later)."""
    owner = member("owner", roles.RESEARCHER)
    colleague = member("colleague", roles.RESEARCHER)
    data_entry = member("data_entry", roles.DATA_ENTRY)
    campaign = CampaignFactory(owner=owner)
    campaign.collaborators.add(colleague)
    kent, surrey = Force.objects.get(slug="kent"), Force.objects.get(slug="surrey")
    answered, pending = campaign_send(
        campaign=campaign, forces=[kent, surrey], sent_on=SENT_ON, user=owner
    )
    response = services.response_record(
        request=answered, received_on=RECEIVED_ON, outcome="granted", user=data_entry
    )
    document = services.document_attach(
        response=response, name="kent.csv", content=DOCUMENT, user=data_entry
    )
    figure = services.figure_enter(
        response=response,
        period_start=campaign.period_start,
        period_end=campaign.period_end,
        offence=OffenceCategory.objects.get(slug="child-sexual-offences"),
        platform=Platform.objects.get(slug="instagram"),
        unit="instances",
        raw="12",
        user=colleague,
        document=document,
    ).figure
    release = release_create(campaign=campaign, name="First release", user=owner)
    published = published_campaign_build(owner, data_entry, colleague)
    reminders_sweep(today=NOW.date())
    issued = token_create(user=owner, name="laptop")
    mail = mail_build(campaign, pending, owner)
    return World(
        **published,
        campaign=campaign.pk,
        request=answered.pk,
        pending_request=pending.pk,
        response=response.pk,
        document=document.pk,
        figure=figure.pk,
        release=release.pk,
        reminder=Reminder.objects.get(request=pending, recipient=owner).pk,
        token=issued.token.pk,
        token_key=issued.key,
        **mail,
    )


def published_campaign_build(owner, data_entry, colleague) -> dict[str, int]:
    campaign = CampaignFactory(owner=owner, published=True)
    [answered] = campaign_send(
        campaign=campaign,
        forces=[Force.objects.get(slug="devon-and-cornwall")],
        sent_on=SENT_ON,
        user=owner,
    )
    response = services.response_record(
        request=answered, received_on=RECEIVED_ON, outcome="granted", user=data_entry
    )
    document = services.document_attach(
        response=response, name="devon.csv", content=DOCUMENT, user=data_entry
    )
    figure = services.figure_enter(
        response=response,
        period_start=campaign.period_start,
        period_end=campaign.period_end,
        offence=OffenceCategory.objects.get(slug="child-sexual-offences"),
        platform=Platform.objects.get(slug="instagram"),
        unit="instances",
        raw="7",
        user=colleague,
        note="Counted from the crime recording system.",
        document=document,
    ).figure
    release = release_create(campaign=campaign, name="Published release", user=owner)
    return {
        "published_campaign": campaign.pk,
        "published_request": answered.pk,
        "published_document": document.pk,
        "published_figure": figure.pk,
        "published_release": release.pk,
    }


def mail_build(campaign, surrey, owner) -> dict[str, int]:
    campaign.requester_name = "Alex Researcher"
    campaign.save()
    question = message_file(
        raw=(
            "From: Surrey Police <foi@surrey.pnn.police.uk>\r\nTo: foi@localhost\r\n"
            f"Subject: Re: your request [FT-{surrey.pk}]\r\nMessage-ID: <q-1@surrey.test>\r\n"
            "\r\nWhich period do you mean?\r\n"
        ).encode()
    ).message
    unmatched = message_file(
        raw=(
            b"From: J Smith <j.smith@kent.police.uk>\r\nTo: foi@localhost\r\n"
            b"Subject: A question\r\nMessage-ID: <u-1@kent.test>\r\n\r\nHello.\r\n"
        )
    ).message
    surrey = FoiRequest.objects.select_related("campaign", "force").get(pk=surrey.pk)
    [chaser] = letters_queue(
        requests=[surrey], letter="chaser", user=owner, deadlines={surrey.pk: surrey.due_on}
    )
    with override_settings(EMAIL_BACKEND="tests.api_world.RefusingMailServer"):
        letter_send(message_id=chaser.pk)
    return {"message": question.pk, "unmatched": unmatched.pk, "failed_letter": chaser.pk}
