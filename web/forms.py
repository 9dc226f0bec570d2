"""The pages' forms. They check input with the services' own *_check functions, so an error is
shown beside its field before anything is written; the services check again when they write."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from requests_app.deadlines import REGIME_CHOICES
from requests_app.models import FoiRequest, Force
from requests_app.selectors import users_named
from requests_app.services import campaign_periods_check
from requests_app.status import EventKind, Status
from responses_app.models import OffenceCategory, Platform

ANY = [("", "Any")]
# A request is sent by sending its campaign, and a response is recorded with its outcome and
# withdrawn with a reason (the response page of data entry); every other event can be recorded
# from the request's page.
NOT_ON_THE_PAGE = (EventKind.SENT, EventKind.RESPONSE, EventKind.RESPONSE_WITHDRAWN)
PAGE_EVENTS = [(k, label) for k, label in EventKind.choices if k not in NOT_ON_THE_PAGE]


class DateInput(forms.DateInput):
    """A browser's date picker, which reads and writes ISO dates whatever the site's locale."""

    input_type = "date"

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


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


# What each event does to the clocks, in words (docs/deadlines.md has the sources).
EVENT_EFFECTS = {
    EventKind.ACKNOWLEDGED: "The force says it has the request. No date moves.",
    EventKind.CLARIFICATION_REQUESTED: "The answer clock stops until you send the "
    "clarification (FOIA s.1(3)).",
    EventKind.CLARIFICATION_RECEIVED: "The 20 working days start again from this date.",
    EventKind.FEE_NOTICE: "The answer clock pauses until the fee is paid (FOIA s.10(2)).",
    EventKind.FEE_PAID: "The clock runs again from this date; the working days used before the "
    "notice still count.",
    EventKind.EXTENSION: "The force takes more time to weigh the public interest (FOIA s.10(3)).",
    EventKind.INTERNAL_REVIEW_REQUESTED: "The force should answer within 20 working days, 40 at "
    "most.",
    EventKind.INTERNAL_REVIEW_RESPONSE: "The review is the final answer: the six weeks to "
    "complain to the regulator run from this date.",
    EventKind.COMPLAINT: "The regulator now decides; no clock runs against the force.",
    EventKind.WITHDRAWN: "You withdraw the request: it is finished and no clock runs.",
    EventKind.CLOSED: "Nothing more is expected: the request is finished and no clock runs.",
}


class EventForm(forms.Form):
    """One kind of event: the page shows a form for each kind the status machine allows now,
    with only the fields that kind takes."""

    on = forms.DateField(label="On", widget=DateInput, help_text="The day it happened.")
    until = forms.DateField(label="Until", required=False, widget=DateInput)
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, help_text="Optional."
    )

    # The service names these fields; anything else is shown above the form.
    FIELDS = ("on", "until", "note")

    def __init__(self, *args, kind: str, today: dt.date, ceiling: dt.date | None, **kwargs):
        super().__init__(*args, prefix=kind, initial={"on": today}, **kwargs)
        self.kind = kind
        self.label = EventKind(kind).label
        self.effect = EVENT_EFFECTS.get(kind, "")
        self.fields["on"].help_text = "The day it happened; today's date is filled in."
        if kind != EventKind.EXTENSION:
            del self.fields["until"]
        elif ceiling is not None:
            self.fields["until"].help_text = (
                "The force's estimated answer date. Leave it empty if the force gave none: the "
                "extension then runs to the ICO ceiling, 20 working days after the due date: "
                f"{ceiling.day} {ceiling:%B %Y}."
            )

    def add_service_errors(self, refused: ValidationError) -> None:
        for field, messages in refused.message_dict.items():
            for message in messages:
                self.add_error(field if field in self.fields else None, message)


class BulkEventForm(forms.Form):
    """One event for every force ticked on the board."""

    kind = forms.ChoiceField(label="What happened", choices=PAGE_EVENTS)
    on = forms.DateField(label="On", widget=DateInput, help_text="Today's date is filled in.")
    until = forms.DateField(
        label="Until (extensions only)",
        required=False,
        widget=DateInput,
        help_text="Empty: the ICO ceiling, 20 working days after each force's due date.",
    )
    note = forms.CharField(required=False, help_text="Optional; the same for every force.")
    requests = forms.ModelMultipleChoiceField(
        queryset=FoiRequest.objects.none(),
        error_messages={"required": "Tick at least one force in the table."},
    )

    def __init__(self, *args, requests: QuerySet[FoiRequest], today: dt.date, **kwargs):
        super().__init__(*args, initial={"on": today}, **kwargs)
        self.fields["requests"].queryset = requests


class CollaboratorsField(forms.CharField):
    """Usernames or emails, separated by commas or spaces; each must name an active user."""

    def clean(self, value):
        names = [name for name in (super().clean(value) or "").replace(",", " ").split() if name]
        users, unknown = users_named(names)
        if unknown:
            raise ValidationError(f"No user has the username or email: {', '.join(unknown)}.")
        return users


class PeriodForm(forms.Form):
    start = forms.DateField(label="From", required=False, widget=DateInput)
    end = forms.DateField(label="To", required=False, widget=DateInput)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if (start is None) != (end is None) and not self.errors:
            missing = "end" if end is None else "start"
            self.add_error(missing, "Give both days of the period, or neither to leave it out.")
        return data


class BasePeriodFormSet(forms.BaseFormSet):
    def periods(self) -> list[tuple[dt.date, dt.date]]:
        return [
            (form.cleaned_data["start"], form.cleaned_data["end"])
            for form in self.forms
            if form.cleaned_data.get("start") and form.cleaned_data.get("end")
        ]

    def clean(self):
        if any(self.errors):
            return
        try:
            campaign_periods_check(self.periods())
        except ValidationError as refused:
            raise ValidationError(refused.message_dict["periods"]) from refused


# Two empty rows beyond the periods already given: the demo asks for two half-years.
PeriodFormSet = forms.formset_factory(PeriodForm, formset=BasePeriodFormSet, extra=2)


# The campaign's own settings the form edits, passed to campaign_create / campaign_update as is.
CAMPAIGN_FORM_SETTINGS = (
    "title",
    "question",
    "published",
    "requester_name",
    "chase_by_email",
    "chase_after_working_days",
)


class CampaignForm(forms.Form):
    title = forms.CharField(max_length=200)
    question = forms.CharField(
        label="Question",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="The request each force is sent, word for word.",
    )
    offences = forms.ModelMultipleChoiceField(
        queryset=OffenceCategory.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="What the question asks about: the defaults when the answers are read.",
    )
    platforms = forms.ModelMultipleChoiceField(
        queryset=Platform.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="The platforms the question names.",
    )
    collaborators = CollaboratorsField(
        required=False,
        help_text="Usernames or emails of the researchers who work on it with you, separated "
        "by commas.",
    )
    published = forms.BooleanField(
        required=False, help_text="Published campaigns can be read by API consumers."
    )
    # FOIA s.8(1)(b): the letters state the requester's name and an address for
    # correspondence, which by email is each request's own reply address.
    requester_name = forms.CharField(
        label="Requester's name",
        max_length=200,
        required=False,
        help_text="The real name that signs the letters the tracker sends by email (FOIA s.8). "
        "The address for correspondence is each request's own reply address.",
    )
    chase_by_email = forms.BooleanField(
        label="Chase overdue answers by email",
        required=False,
        help_text="A polite chaser to the force once an answer is overdue, once per deadline.",
    )
    chase_after_working_days = forms.IntegerField(
        label="Chase after how many working days",
        min_value=1,
        max_value=60,
        initial=1,
        required=False,
        help_text="Working days after the deadline before the chaser goes out (1 if blank).",
    )

    def clean_chase_after_working_days(self) -> int:
        return self.cleaned_data["chase_after_working_days"] or 1


class WaveForm(forms.Form):
    title = forms.CharField(max_length=200, help_text="The same question is asked again.")


class ForcePickForm(forms.Form):
    """Which forces to tick at once on the chooser; single forces are then ticked by hand."""

    KINDS = [("", "Any"), ("territorial", "Territorial"), ("non-territorial", "Non-territorial")]

    country = forms.ChoiceField(choices=ANY, required=False)
    regime = forms.ChoiceField(label="Legal regime", choices=ANY + REGIME_CHOICES, required=False)
    kind = forms.ChoiceField(label="Kind of force", choices=KINDS, required=False)

    def __init__(self, *args, countries: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = ANY + [(c, c) for c in countries]

    def picks(self, force: Force) -> bool:
        if not self.is_bound or not self.is_valid():
            return False
        data = self.cleaned_data
        territorial = {"territorial": True, "non-territorial": False}.get(data["kind"])
        return (
            data["country"] in ("", force.country)
            and data["regime"] in ("", force.regime)
            and territorial in (None, force.territorial)
        )


BY_EMAIL, RECORD_ONLY = "email", "record"


class SendForm(forms.Form):
    forces = forms.ModelMultipleChoiceField(
        # With each force's contact: the page shows where every letter would go.
        queryset=Force.objects.select_related("contact"),
        to_field_name="slug",
        error_messages={"required": "Choose at least one force to send the request to."},
    )
    how = forms.ChoiceField(
        label="How the letters go",
        choices=[
            (BY_EMAIL, "Send by email from the tracker"),
            (RECORD_ONLY, "I sent them myself (record only)"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the tracker sends the letters by email."},
    )
    sent_on = forms.DateField(
        label="Date sent",
        widget=DateInput,
        required=False,
        help_text="When you sent them yourself. By email, the date is the day the force's mail "
        "server accepts each letter.",
    )
    guernsey_eligible = forms.BooleanField(
        label="I confirm that the requester lives in the Bailiwick of Guernsey",
        required=False,
    )

    def clean(self) -> dict:
        data = super().clean()
        missing = not data.get("sent_on") and "sent_on" not in self.errors
        if data.get("how") == RECORD_ONLY and missing:
            self.add_error("sent_on", "Give the date you sent the requests.")
        return data


class ReaskForm(forms.Form):
    question = forms.CharField(
        label="Narrowed question",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What this force alone is asked now, e.g. fewer months or one platform, so "
        "that it fits the cost limit.",
    )
    sent_on = forms.DateField(label="Date sent", widget=DateInput)


def next_periods(periods: list[tuple[dt.date, dt.date]]) -> list[tuple[dt.date, dt.date]]:
    """The periods a new wave would likely ask about: each period moved on by the whole span,
    in months when the span is whole months (the demo's two half-years become the next two)."""
    if not periods:
        return []
    start, end = periods[0][0], periods[-1][1]
    after = end + dt.timedelta(days=1)
    if start.day == 1 and after.day == 1:
        months = (after.year - start.year) * 12 + after.month - start.month
        return [
            (
                _months_on(a, months),
                _months_on(b + dt.timedelta(days=1), months) - dt.timedelta(days=1),
            )
            for a, b in periods
        ]
    shift = after - start
    return [(a + shift, b + shift) for a, b in periods]


def _months_on(day: dt.date, months: int) -> dt.date:
    """The first of a month, `months` later (only ever called with a first of the month)."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)
