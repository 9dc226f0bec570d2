"""Load the demo campaign through the services, so its events, deadlines, responses, figures and
their history are the same as if a researcher had keyed them. Safe to run every time: a second
run finds the campaign and writes nothing."""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from requests_app import roles
from requests_app.models import Campaign, FoiRequest, Force
from requests_app.services import campaign_send, campaign_update, request_record_event
from requests_app.status import EventKind
from responses_app import demo
from responses_app.models import FoiResponse, OffenceCategory, Platform, Unit
from responses_app.services import figure_enter, response_record

USERNAME = "demo"
PASSWORD = "foi-demo-local"


class Command(BaseCommand):
    help = "Load the demo campaign (synthetic figures) and its researcher; refused in production."

    def handle(self, *args, **options) -> None:
        if settings.PRODUCTION:
            raise CommandError("load_demo is for a laptop: its sign-in and figures are made up.")
        with transaction.atomic():
            researcher = demo_researcher()
            campaign = Campaign.objects.filter(owner=researcher, title=demo.TITLE).first()
            if campaign is None:
                campaign = demo_load(researcher)
                self.stdout.write(f"Loaded the demo campaign '{campaign}' and published it.")
            else:
                self.stdout.write(f"The demo campaign '{campaign}' is already loaded.")
        self.stdout.write(
            f"Demo: sign in at {settings.SITE_URL}/ as '{USERNAME}' with password '{PASSWORD}' "
            "(local only); `python manage.py local_signins` prints a sign-in for every role."
        )


def demo_researcher():
    User = get_user_model()
    researcher, created = User.objects.get_or_create(username=USERNAME)
    if created:
        researcher.set_password(PASSWORD)
        researcher.save()
        researcher.groups.add(Group.objects.get(name=roles.RESEARCHER))
    return researcher


def demo_load(researcher) -> Campaign:
    campaign = Campaign(
        title=demo.TITLE,
        question=demo.QUESTION,
        period_start=demo.PERIOD[0],
        period_end=demo.PERIOD[1],
        owner=researcher,
        synthetic_data=True,
        # Published, so a consumer signing in on a laptop reads its figures at once.
        published=True,
        # The charity's request was answered by Guernsey; the demo takes eligibility as settled.
        guernsey_eligibility_confirmed=True,
    )
    campaign.full_clean()
    campaign.save()
    # The question asks for each half-year separately: two periods, as the pages show them.
    campaign_update(campaign=campaign, user=researcher, periods=demo.HALVES)
    stories = demo.force_stories()
    forces = Force.objects.filter(slug__in=[story.force for story in stories])
    requests = campaign_send(
        campaign=campaign, forces=list(forces), sent_on=demo.SENT_ON, user=researcher
    )
    by_force = {request.force.slug: request for request in requests}
    responses = {story.force: _tell(by_force[story.force], story, researcher) for story in stories}
    _enter_figures(responses, researcher)
    return campaign


def _tell(request: FoiRequest, story: demo.ForceStory, user) -> FoiResponse | None:
    """Record a force's events in order; return its response, if it sent one."""
    response = None
    for event in story.events:
        if event.kind == EventKind.RESPONSE:
            response = response_record(
                request=request,
                received_on=event.on,
                outcome=event.outcome,
                exemptions=list(event.exemptions),
                caveats=event.caveats,
                user=user,
            )
        else:
            request_record_event(
                request=request,
                kind=event.kind,
                on=event.on,
                until=event.until,
                review_outcome=event.review_outcome,
                note=event.note,
                user=user,
            )
    return response


def _enter_figures(responses: dict[str, FoiResponse | None], user) -> None:
    offence = OffenceCategory.objects.get(slug=demo.OFFENCE)
    platforms = Platform.objects.prefetch_related("ownerships").in_bulk(field_name="slug")
    figures = defaultdict(list)
    for figure in demo.demo_figures():
        figures[figure.force].append(figure)
    for slug, cells in figures.items():
        for cell in cells:
            figure_enter(
                response=responses[slug],
                period_start=cell.period[0],
                period_end=cell.period[1],
                offence=offence,
                platform=platforms[cell.platform] if cell.platform else None,
                platform_scope=cell.scope,
                unit=Unit.INSTANCES,
                raw=cell.raw,
                user=user,
                note="Synthetic demo figure.",
            )
