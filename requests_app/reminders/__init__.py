"""Deadline reminders: the policy read as stages (rules), the daily sweep that claims what is
owed (sweep), and the one email a day that carries it (digests). See docs/reminders.md."""

from requests_app.reminders.digests import digest_send, digests_retry, digests_waiting
from requests_app.reminders.sweep import (
    DueReminder,
    SweepResult,
    reminders_claim,
    reminders_due,
    reminders_sweep,
)

__all__ = [
    "DueReminder",
    "SweepResult",
    "digest_send",
    "digests_retry",
    "digests_waiting",
    "reminders_claim",
    "reminders_due",
    "reminders_sweep",
]
