"""Writes that span models, by area: events (the one path of every change of a request's
status), campaigns (and sending them), reference data. Import from here or from the module."""

from requests_app.services.campaigns import (
    campaign_archive,
    campaign_create,
    campaign_drafts_create,
    campaign_periods_check,
    campaign_repeat,
    campaign_send,
    campaign_update,
)
from requests_app.services.events import (
    EventAlreadyRecorded,
    event_check,
    request_create,
    request_dates_check,
    request_reask,
    request_record_event,
    requests_record_event,
)
from requests_app.services.reference import (
    force_register_load,
    holiday_add,
    requests_recompute,
    roles_create,
)

__all__ = [
    "EventAlreadyRecorded",
    "campaign_archive",
    "campaign_create",
    "campaign_drafts_create",
    "campaign_periods_check",
    "campaign_repeat",
    "campaign_send",
    "campaign_update",
    "event_check",
    "force_register_load",
    "holiday_add",
    "request_create",
    "request_dates_check",
    "request_reask",
    "request_record_event",
    "requests_recompute",
    "requests_record_event",
    "roles_create",
]
