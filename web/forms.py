from __future__ import annotations

import datetime as dt

from django import forms
from django.db.models import QuerySet

from requests_app.deadlines import REGIME_CHOICES
from requests_app.models import FoiRequest, Force
from requests_app.status import EventKind, Status

ANY = [("", "Any")]
# A request is sent by sending its campaign, and a response is recorded with its outcome and
# withdrawn with a reason (the responses screen); every other event can be recorded from the
# request's page.
BY_OTHER_SCREENS = ("sent", "response", "response_withdrawn")
PAGE_EVENTS = [(k, label) for k, label in EventKind.choices if k not in BY_OTHER_SCREENS]


class DateInput(forms.DateInput):
    input_type = "date"


class BoardFilterForm(forms.Form):
    """The board's filters, read from the query string so a filtered board can be linked."""

    status = forms.ChoiceField(choices=ANY + Status.choices, required=False)
    overdue = forms.BooleanField(label="Overdue only", required=False)
    country = forms.ChoiceField(choices=ANY, required=False)
    regime = forms.ChoiceField(label="Legal regime", choices=ANY + REGIME_CHOICES, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        countries = Force.objects.order_by("country").values_list("country", flat=True).distinct()
        self.fields["country"].choices = ANY + [(c, c) for c in countries]

    def filter(self, requests: QuerySet[FoiRequest], today: dt.date) -> QuerySet[FoiRequest]:
        if not self.is_valid():
            return requests
        data = self.cleaned_data
        if data["status"]:
            requests = requests.filter(status=data["status"])
        if data["overdue"]:
            requests = requests.overdue(today)
        if data["country"]:
            requests = requests.filter(force__country=data["country"])
        if data["regime"]:
            requests = requests.filter(force__regime=data["regime"])
        return requests


class EventForm(forms.Form):
    kind = forms.ChoiceField(label="What happened", choices=PAGE_EVENTS)
    on = forms.DateField(label="On", widget=DateInput, help_text="The day it happened.")
    until = forms.DateField(
        label="Until (extensions only)",
        required=False,
        widget=DateInput,
        help_text="The force's estimated answer date.",
    )
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    # The service names these fields; anything else is shown above the form.
    FIELDS = ("kind", "on", "until", "note")

    def add_service_errors(self, message_dict: dict[str, list[str]]) -> None:
        for field, messages in message_dict.items():
            for message in messages:
                self.add_error(field if field in self.FIELDS else None, message)
