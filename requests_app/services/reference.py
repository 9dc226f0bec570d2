"""Reference data: the force register, the role groups and the extra holidays (which move every
running deadline of their regime)."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from core.answer_cache import data_changed
from requests_app import roles
from requests_app.deadlines import timeline
from requests_app.models import (
    ExtraHoliday,
    FoiRequest,
    Force,
)
from requests_app.selectors import working_calendar
from requests_app.services.events import deadlines_recompute
from requests_app.status import Status

FORCE_REGISTER = Path(settings.BASE_DIR) / "fixtures" / "forces.csv"
FORCE_FIELDS = ["name", "country", "regime", "ons_code", "wdtk_slug", "foi_email", "territorial"]


def force_register_load(path: Path = FORCE_REGISTER) -> int:
    """Insert or update every force of the register in one statement; returns how many."""
    with path.open(newline="", encoding="utf-8") as register:
        forces = [
            Force(
                slug=row["slug"],
                territorial=row["territorial"] == "yes",
                **{field: row[field] for field in FORCE_FIELDS if field != "territorial"},
            )
            for row in csv.DictReader(register)
        ]
    Force.objects.bulk_create(
        forces, update_conflicts=True, unique_fields=["slug"], update_fields=FORCE_FIELDS
    )
    # Bulk writes send no signals: the stored report answers are told here.
    data_changed()
    return len(forces)


def roles_create() -> None:
    """The four role groups, and the admin role's model permissions; idempotent. Permissions
    given to a group in the admin since are kept."""
    for name in roles.ROLES:
        Group.objects.get_or_create(name=name)
    # Django creates an app's permissions once that app is migrated, and this runs after the
    # requests app, before the apps listed after it: create the missing ones now.
    for label in roles.ADMIN_APPS:
        create_permissions(apps.get_app_config(label), verbosity=0)
    staff = Permission.objects.filter(content_type__app_label__in=roles.ADMIN_APPS)
    Group.objects.get(name=roles.ADMIN).permissions.add(*staff)


def holiday_add(*, regime: str, date: dt.date, name: str) -> ExtraHoliday:
    """Add a non-working day and move every running deadline of that regime accordingly."""
    holiday = ExtraHoliday(regime=regime, date=date, name=name)
    with transaction.atomic():
        holiday.full_clean()
        holiday.save()
        requests_recompute(regime=regime)
    return holiday


def requests_recompute(*, regime: str) -> int:
    """Recompute the stored deadlines of every open request of one regime from its timeline."""
    calendar = working_calendar(regime)
    open_requests = (
        FoiRequest.objects.filter(force__regime=regime, received_on__isnull=False)
        .exclude(status__in=[Status.CLOSED, Status.WITHDRAWN])
        .prefetch_related("events")
    )
    changed = []
    for request in open_requests:
        events = sorted(request.events.all(), key=lambda e: (e.on, e.id))
        deadlines_recompute(request, calendar, timeline(events))
        changed.append(request)
    FoiRequest.objects.bulk_update(changed, FoiRequest.DEADLINE_FIELDS, batch_size=500)
    # Bulk writes send no signals: the stored report answers are told here.
    data_changed()
    return len(changed)
