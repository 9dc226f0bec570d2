"""The range of dates a person may give: one definition for every date field, form, service,
import and command.

Without it a date could be anything Python takes (0001-01-01, 9999-12-31), and the deadline
engine counts working days across whatever span it is handed: an extension "until 9999-12-31"
made every read of its request take seconds (issue 15, item 1). No FOI question, answer or
period of this tracker lies outside 1990-2100, and the holiday calendars cover those years."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError

EARLIEST = dt.date(1990, 1, 1)
LATEST = dt.date(2100, 12, 31)


def date_out_of_range(value: dt.date) -> str | None:
    """Why the date is refused, in words, or None when it is within the range."""
    day = value.date() if isinstance(value, dt.datetime) else value
    if EARLIEST <= day <= LATEST:
        return None
    return f"{day.isoformat()} is outside the dates this tracker takes ({EARLIEST} to {LATEST})."


def validate_date_in_range(value: dt.date) -> None:
    """A field validator: model fields carry it, so ModelForms, the admin and ModelSerializers
    refuse the date beside the field before a service sees it."""
    problem = date_out_of_range(value)
    if problem is not None:
        raise ValidationError(problem, code="date_out_of_range")


def check_date_in_range(value: dt.date, field: str) -> None:
    """The same check in a service, naming the caller's field."""
    problem = date_out_of_range(value)
    if problem is not None:
        raise ValidationError({field: problem}, code="date_out_of_range")
