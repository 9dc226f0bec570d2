"""The Celery application. Redis is the broker in production (REDIS_URL); without it, tasks run
eagerly in-process so that a laptop needs no other service (see docs/reminders.md)."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "foitracker.settings")

app = Celery("foitracker")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The one beat schedule. Times are London time (CELERY_TIMEZONE).
app.conf.beat_schedule = {
    # The reminder sweep, hourly through the working day. The first run of the day sends each
    # person's digest; later runs are cheap (what is owed is already claimed), send a first
    # digest to people who had nothing earlier, and re-queue any digest that a broker outage or
    # a dead worker left waiting.
    "reminders-sweep": {
        "task": "requests_app.tasks.sweep_reminders",
        "schedule": crontab(minute=0, hour="7-19"),
    },
    # Replies in the IMAP mailbox (nothing to do without IMAP_URL).
    "mail-fetch": {
        "task": "correspondence.tasks.fetch_mail",
        "schedule": crontab(minute="*/2"),
    },
    # Letters whose task a broker outage or a restart lost.
    "mail-waiting-letters": {
        "task": "correspondence.tasks.send_waiting_letters",
        "schedule": crontab(minute="*/10"),
    },
    # Chasers, once a morning; a missed morning is caught up by the next.
    "mail-chasers": {
        "task": "correspondence.tasks.sweep_chasers",
        "schedule": crontab(minute=30, hour=8),
    },
}
