"""Seed the load-test database and print what the driver needs, as JSON on the last line.

The demo campaign (all 46 forces, figures) is what consumers read; researchers write events on a
campaign of their own sent to every force, each writer on its own requests."""

from __future__ import annotations

import datetime as dt
import json
import os
from io import StringIO

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "foitracker.settings")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.services import token_create  # noqa: E402
from requests_app import roles  # noqa: E402
from requests_app.models import Campaign, Force  # noqa: E402
from requests_app.services import campaign_send  # noqa: E402

CONSUMERS = 8
RESEARCHERS = 4


def user_with_role(username: str, role: str):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user(username, f"{username}@example.org")
    user.groups.add(Group.objects.get(name=role))
    return user


def seed() -> dict:
    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=StringIO())
    demo = Campaign.objects.get(owner__username="demo")
    Campaign.objects.filter(pk=demo.pk).update(published=True)
    lead = user_with_role("load-lead", roles.RESEARCHER)
    writers = [user_with_role(f"load-researcher-{n}", roles.RESEARCHER) for n in range(RESEARCHERS)]
    campaign = Campaign.objects.create(
        title="Load test: stop and search",
        question="How many stop and search encounters?",
        period_start=dt.date(2024, 4, 1),
        period_end=dt.date(2025, 3, 31),
        owner=lead,
    )
    campaign.collaborators.add(*writers)
    sent = campaign_send(
        campaign=campaign,
        forces=list(Force.objects.all()),
        sent_on=timezone.localdate() - dt.timedelta(days=3),
        user=lead,
    )
    request_ids = sorted(r.pk for r in sent)
    consumers = [user_with_role(f"load-consumer-{n}", roles.CONSUMER) for n in range(CONSUMERS)]
    return {
        "demo_campaign": demo.pk,
        "consumer_keys": [token_create(user=u, name="load test").key for u in consumers],
        "writers": [
            {
                "key": token_create(user=writer, name="load test").key,
                "requests": request_ids[n::RESEARCHERS],
            }
            for n, writer in enumerate(writers)
        ],
    }


if __name__ == "__main__":
    print(json.dumps(seed()))
