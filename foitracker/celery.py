"""The Celery application. Redis is the broker in production (REDIS_URL); without it, tasks run
eagerly in-process so that a laptop needs no other service."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "foitracker.settings")

app = Celery("foitracker")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
