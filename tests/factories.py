"""Small factories with no import-time dates: every date comes from the test."""

from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth import get_user_model

from requests_app.models import Campaign, CampaignPeriod, FoiRequest, Force
from requests_app.status import Status


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("a-long-test-password")


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Online child sexual offences by platform {n}")
    question = "How many online child sexual offences were recorded, by platform?"
    period_start = dt.date(2019, 10, 1)
    period_end = dt.date(2020, 9, 30)
    owner = factory.SubFactory(UserFactory)

    @factory.post_generation
    def periods(campaign, create, extracted, **kwargs):
        """One period row, the campaign's span, as the services keep it."""
        if create:
            CampaignPeriod.objects.create(
                campaign=campaign, start=campaign.period_start, end=campaign.period_end
            )


class FoiRequestFactory(factory.django.DjangoModelFactory):
    """A draft request; tests send it through the service so the log and deadlines are real."""

    class Meta:
        model = FoiRequest

    campaign = factory.SubFactory(CampaignFactory)
    force = factory.LazyFunction(lambda: Force.objects.get(slug="kent"))
    status = Status.DRAFT
