"""A small world for the tests that visit every page (the page matrix and the accessibility
check), made through the services like the API's world (tests/api_world.py).

`owner`'s campaign (unpublished; `colleague` on its team) went to Kent, Surrey and Essex on
18 January 2021. Kent answered on 12 February with figures and a document; Surrey refused under
s.12 on 10 February, so it may be re-asked; Essex has not answered. The owner's second campaign
is published and went to Jersey on the same day. Each campaign has release 1. Time stands at
NOW, as in tests/web/conftest.py.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from requests_app import roles
from requests_app.models import Force
from requests_app.services import campaign_send
from responses_app import services
from responses_app.models import OffenceCategory, Platform
from responses_app.releases import release_create
from tests.api_world import member
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

    def ids(self) -> dict[str, int]:
        return dict(vars(self))


def page_world_build() -> PageWorld:
    """Call with time frozen at NOW (or later), and documents sent to a temporary folder."""
    owner = member("owner", roles.RESEARCHER)
    colleague = member("colleague", roles.RESEARCHER)
    data_entry = member("data_entry", roles.DATA_ENTRY)
    campaign = CampaignFactory(owner=owner)
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
    return PageWorld(
        campaign=campaign.pk,
        published=published.pk,
        kent=sent["kent"].pk,
        surrey=sent["surrey"].pk,
        essex=sent["essex"].pk,
        jersey=jersey.pk,
        kent_response=response.pk,
        kent_figure=figure.pk,
    )


def _send(campaign, owner, *slugs: str) -> dict:
    forces = list(Force.objects.filter(slug__in=slugs))
    requests = campaign_send(campaign=campaign, forces=forces, sent_on=SENT_ON, user=owner)
    return {request.force.slug: request for request in requests}
