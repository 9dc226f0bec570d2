from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser

from requests_app.models import ReminderPreference


def reminder_preference_set(
    *, user: AbstractBaseUser, receives_reminders: bool
) -> ReminderPreference:
    """Turn a person's daily digest on or off; takes effect from the next sweep."""
    preference, _ = ReminderPreference.objects.update_or_create(
        user=user, defaults={"receives_reminders": receives_reminders}
    )
    return preference
