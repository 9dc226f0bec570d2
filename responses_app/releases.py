"""Dataset releases: freezing a campaign's dataset under a number, and reading releases."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone

from requests_app.models import Campaign
from requests_app.selectors import campaigns_visible_to
from responses_app.coverage import coverage
from responses_app.dataset import dataset_rows, live_dataset
from responses_app.models import DatasetRelease, Figure, ReleaseRow, standing_condition

BATCH = 2000


def releases_visible_to(user) -> QuerySet[DatasetRelease]:
    visible = campaigns_visible_to(user).values("pk")
    return DatasetRelease.objects.filter(campaign__in=visible).select_related(
        "campaign", "created_by"
    )


def release_create(*, campaign: Campaign, name: str, user, note: str = "") -> DatasetRelease:
    """Copy every figure of the campaign, as it stands now, into a new numbered release."""
    with transaction.atomic():
        # Lock the campaign so two releases made at once cannot take the same number.
        Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
        number = (campaign.releases.aggregate(last=Max("number"))["last"] or 0) + 1
        release = DatasetRelease(
            campaign=campaign,
            number=number,
            name=name,
            note=note,
            coverage=coverage(campaign.requests.all(), today=timezone.localdate()),
            created_by=user,
        )
        release.full_clean()
        release.save()
        figures = live_dataset(
            Figure.objects.filter(
                standing_condition(through="response__"), response__request__campaign=campaign
            )
        )
        batch: list[ReleaseRow] = []
        for row in dataset_rows(figures):
            batch.append(ReleaseRow(release=release, **row))
            release.row_count += 1
            if len(batch) == BATCH:
                ReleaseRow.objects.bulk_create(batch)
                batch = []
        ReleaseRow.objects.bulk_create(batch)
        release.save(update_fields=["row_count"])
    return release
