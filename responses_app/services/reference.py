"""Writes to the reference lists: loading forces, platforms, owners and offences from the
fixtures, and the platforms and offences a campaign asks about."""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from pathlib import Path

from django.conf import settings
from django.db import transaction

from core.answer_cache import data_changed
from requests_app.models import Campaign
from responses_app.models import (
    CampaignCategories,
    OffenceCategory,
    Platform,
    PlatformAlias,
    PlatformOwner,
    PlatformOwnership,
)

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


def reference_lists_load(
    platforms: Path = FIXTURES / "platforms.json", offences: Path = FIXTURES / "offences.csv"
) -> None:
    """Insert the shipped platforms, owners, aliases and offence categories that are missing.
    Rows already there are left alone: the admin may have edited them since."""
    data = json.loads(platforms.read_text(encoding="utf-8"))
    with transaction.atomic():
        PlatformOwner.objects.bulk_create(
            [PlatformOwner(**owner) for owner in data["owners"]], ignore_conflicts=True
        )
        Platform.objects.bulk_create(
            [Platform(slug=p["slug"], name=p["name"]) for p in data["platforms"]],
            ignore_conflicts=True,
        )
        owners = dict(PlatformOwner.objects.values_list("slug", "pk"))
        by_slug = dict(Platform.objects.values_list("slug", "pk"))
        owned = set(PlatformOwnership.objects.values_list("platform_id", flat=True))
        PlatformAlias.objects.bulk_create(
            [
                PlatformAlias(platform_id=by_slug[p["slug"]], name=alias)
                for p in data["platforms"]
                for alias in p["aliases"]
            ],
            ignore_conflicts=True,
        )
        PlatformOwnership.objects.bulk_create(
            PlatformOwnership(
                platform_id=by_slug[p["slug"]],
                owner_id=owners[o["owner"]],
                valid_from=o.get("valid_from"),
                valid_to=o.get("valid_to"),
            )
            # A platform whose ownerships the admin has set keeps them.
            for p in data["platforms"]
            if by_slug[p["slug"]] not in owned
            for o in p["owners"]
        )
        with offences.open(newline="", encoding="utf-8") as rows:
            OffenceCategory.objects.bulk_create(
                [OffenceCategory(**row) for row in csv.DictReader(rows)], ignore_conflicts=True
            )
        data_changed()  # bulk inserts send no signals


def campaign_categories_set(
    *,
    campaign: Campaign,
    offences: Sequence[OffenceCategory],
    platforms: Sequence[Platform],
) -> CampaignCategories:
    """Name the offences and platforms a campaign asks about (the defaults when its answers are
    read), replacing those named before."""
    with transaction.atomic():
        categories, _ = CampaignCategories.objects.get_or_create(campaign=campaign)
        categories.offences.set(offences)
        categories.platforms.set(platforms)
    return categories
