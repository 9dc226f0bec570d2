"""Reads of the reminder log and of a person's choice."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from requests_app.models import Reminder, ReminderPreference


def reminders_visible_to(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Reminder]:
    """The reminders addressed to the user; staff see everyone's."""
    log = Reminder.objects.select_related("request__force", "recipient", "digest").order_by("-id")
    if not user.is_authenticated:
        return log.none()
    return log if user.is_staff else log.filter(recipient=user)


def receives_reminders(user: AbstractBaseUser) -> bool:
    preference = ReminderPreference.objects.filter(user=user).first()
    return preference is None or preference.receives_reminders
