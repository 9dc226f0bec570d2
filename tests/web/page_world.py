"""A small world for the tests that visit every page (the page matrix and the accessibility
check), made through the services like the API's world (tests/api_world.py).

`owner`'s campaign (unpublished; `colleague` on its team) went to Kent, Surrey and Essex on
18 January 2021. Kent answered on 12 February with figures and a document; Surrey refused under
s.12 on 10 February, so it may be re-asked; Essex has not answered. The owner's second campaign
is published and went to Jersey on the same day. Each campaign has release 1. Time stands at
NOW, as in tests/web/conftest.py.

The mail, through the correspondence services: the first campaign went to Gwent by email on
1 March, and Gwent's mail server returned the letter (a resend is offered); Essex replied with
a spreadsheet, waiting to be classified; a newsletter from Surrey's domain matched no request;
and an internal review of Surrey's refusal is drafted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.test import override_settings

from correspondence.models import Letter, Message
from correspondence.services.drafting import letter_draft
from correspondence.services.filing import message_file
from correspondence.services.sending import campaign_send_by_email, letter_send, mailboxes_open
from requests_app import roles
from requests_app.models import Force
from requests_app.services import campaign_send
from responses_app import services
from responses_app.models import OffenceCategory, Platform
from responses_app.releases import release_create
from tests.api_world import member
from tests.correspondence import corpus
from tests.factories import CampaignFactory

NOW = dt.datetime(2021, 3, 1, 12, 0)
SENT_ON = dt.date(2021, 1, 18)


@dataclass(frozen=True)
class PageWorld:
    campaign: int
    published: int
    kent: int  # answered with figures
    surrey: int  # refused under s.12: may be re-asked
    essex: int  # awaiting its answer
    jersey: int  # the published campaign's request
    kent_response: int
    kent_figure: int
    gwent_letter: int  # returned by Gwent's mail server: may be resent
    essex_reply: int  # waiting to be classified
    unmatched: int  # from Surrey's domain, matched to no request
    surrey_draft: int  # an internal review request, not sent yet

    def ids(self) -> dict[str, int]:
        return dict(vars(self))


def page_world_build() -> PageWorld:
    """Call with time frozen at NOW (or later), and documents sent to a temporary folder."""
    owner = member("owner", roles.RESEARCHER)
    colleague = member("colleague", roles.RESEARCHER)
    data_entry = member("data_entry", roles.DATA_ENTRY)
    campaign = CampaignFactory(owner=owner, requester_name="Alex Researcher")
    campaign.collaborators.add(colleague)
    sent = _send(campaign, owner, "kent", "surrey", "essex")
    response = services.response_record(
        request=sent["kent"], received_on=dt.date(2021, 2, 12), outcome="granted", user=data_entry
    )
    document = services.document_attach(
        response=response,
        name="kent.csv",
        content=b"platform,count\nInstagram,12\n",
        user=data_entry,
    )
    figure = services.figure_enter(
        response=response,
        period_start=campaign.period_start,
        period_end=campaign.period_end,
        offence=OffenceCategory.objects.get(slug="child-sexual-offences"),
        platform=Platform.objects.get(slug="instagram"),
        unit="instances",
        raw="12",
        user=data_entry,
        document=document,
    ).figure
    services.response_record(
        request=sent["surrey"],
        received_on=dt.date(2021, 2, 10),
        outcome="refused",
        exemptions=["s12"],
        user=data_entry,
    )
    published = CampaignFactory(owner=owner, published=True)
    jersey = _send(published, owner, "jersey")["jersey"]
    # Release 1 of each campaign: the published one's is public, the other a preview for its team.
    release_create(campaign=published, name="First release", user=owner)
    release_create(campaign=campaign, name="First release", user=owner)
    mail = _mail(campaign, owner, sent)
    return PageWorld(
        **mail,
        campaign=campaign.pk,
        published=published.pk,
        kent=sent["kent"].pk,
        surrey=sent["surrey"].pk,
        essex=sent["essex"].pk,
        jersey=jersey.pk,
        kent_response=response.pk,
        kent_figure=figure.pk,
    )


# The addresses the mail corpus (tests/correspondence/corpus.py) writes to and from.
MAIL = {
    "REPLY_ADDRESS": "foi+{token}@replies.example.org",
    "CORRESPONDENCE_FROM_EMAIL": corpus.TRACKER,
    "MAIL_REFERENCE_PREFIX": "FT",
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
}


@override_settings(**MAIL)
def _mail(campaign, owner, sent: dict) -> dict[str, int]:
    gwent = campaign_send_by_email(
        campaign=campaign, forces=[Force.objects.get(slug="gwent")], user=owner
    )[0]
    letter = Message.objects.get(request=gwent, letter=Letter.REQUEST)
    letter_send(message_id=letter.pk)
    letter.refresh_from_db()
    tokens = mailboxes_open([gwent, sent["essex"]])
    message_file(
        raw=corpus.postfix_bounce(tokens[gwent.pk], letter.message_id, letter.to_addresses)
    )
    essex = sent["essex"]
    reply = message_file(raw=corpus.answer_with_files(tokens[essex.pk], essex.pk)).message
    newsletter = corpus.in_charset(
        "unknown", "utf-8", "Our newsletter.", "<news-1@surrey.police.uk>"
    )
    newsletter = newsletter.replace(
        b"Kent Police <freedomofinformation@kent.police.uk>", b"<press@surrey.police.uk>"
    ).replace(b"foi+unknown@replies.example.org", b"foi@replies.example.org")
    unmatched = message_file(raw=newsletter).message
    draft = letter_draft(request=sent["surrey"], letter=Letter.INTERNAL_REVIEW, user=owner)
    return {
        "gwent_letter": letter.pk,
        "essex_reply": reply.pk,
        "unmatched": unmatched.pk,
        "surrey_draft": draft.pk,
    }


def _send(campaign, owner, *slugs: str) -> dict:
    forces = list(Force.objects.filter(slug__in=slugs))
    requests = campaign_send(campaign=campaign, forces=forces, sent_on=SENT_ON, user=owner)
    return {request.force.slug: request for request in requests}
