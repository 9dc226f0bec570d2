"""The forms of the correspondence on the pages: classifying a reply, discarding or assigning a
message, and drafting the letters a person writes after the force's answer. Each form is
prefixed with its message, so a thread of many messages has one set of ids per message."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from correspondence.models import Message
from correspondence.services.actions import FROM_THE_FORCE
from requests_app.models import FoiRequest
from requests_app.status import EventKind, kinds_allowed
from responses_app.models import EXEMPTIONS, Outcome
from web.forms import DateInput


def kinds_proposed(foi_request: FoiRequest) -> list[str]:
    """What a force's message can record on its request now: the force's own steps that the
    status machine allows from the request's status."""
    allowed = set(kinds_allowed(foi_request.status))
    return [kind for kind in FROM_THE_FORCE if kind in allowed]


class ServiceErrors:
    """Errors a service names by field shown beside that field, the rest above the form."""

    def add_service_errors(self: forms.Form, refused: ValidationError) -> None:
        for field, problems in refused.message_dict.items():
            self.add_error(field if field in self.fields else None, problems)


class ClassifyForm(ServiceErrors, forms.Form):
    """What a reply is: one button for each event the status machine allows now; the details
    (an answer's outcome, an extension's date) only where that event needs them."""

    kind = forms.ChoiceField(
        label="What it is",
        error_messages={"required": "Choose what the message is (one of the buttons)."},
    )
    on = forms.DateField(label="On", widget=DateInput, help_text="The day it arrived is filled in.")
    outcome = forms.ChoiceField(
        label="Answer's outcome (a response)",
        choices=[("", "Not a response"), *Outcome.choices],
        required=False,
    )
    exemptions = forms.MultipleChoiceField(
        label="Exemptions cited (a refusal)",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    until = forms.DateField(
        label="Estimated answer date (an extension)", required=False, widget=DateInput
    )
    force_reference = forms.CharField(label="The force's reference", max_length=80, required=False)
    note = forms.CharField(max_length=2000, required=False)

    def __init__(self, data=None, *, message: Message, foi_request: FoiRequest) -> None:
        # The arrival's date in the deployment's time zone: the day the force's answer counts from.
        initial = {"on": timezone.localdate(message.received_at or message.created_at)}
        super().__init__(data, prefix=f"m{message.pk}", initial=initial)
        self.message = message
        self.kinds = [(kind, EventKind(kind).label) for kind in kinds_proposed(foi_request)]
        self.fields["kind"].choices = self.kinds
        pick_list = EXEMPTIONS.get(foi_request.force.regime, {})
        if pick_list:
            self.fields["exemptions"].choices = list(pick_list.items())
        else:
            del self.fields["exemptions"]

    def clean(self) -> dict:
        data = super().clean()
        if data.get("kind") == EventKind.RESPONSE and not data.get("outcome"):
            self.add_error("outcome", "Say what the answer was (granted, refused...).")
        return data

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        arguments = {
            "kind": data["kind"],
            "on": data["on"],
            "note": data["note"],
            "force_reference": data["force_reference"],
        }
        if data["kind"] == EventKind.RESPONSE:
            arguments |= {"outcome": data["outcome"], "exemptions": data.get("exemptions") or []}
        if data["kind"] == EventKind.EXTENSION:
            arguments["until"] = data["until"]
        return arguments


class DiscardForm(ServiceErrors, forms.Form):
    reason = forms.CharField(
        label="Why discard it",
        max_length=500,
        error_messages={"required": "Say why the message is discarded (e.g. 'spam')."},
        help_text="It stays on record, with this reason.",
    )

    def __init__(self, data=None, *, message: Message) -> None:
        super().__init__(data, prefix=f"d{message.pk}")
        self.message = message


class AssignForm(ServiceErrors, forms.Form):
    request = forms.ModelChoiceField(
        label="The request it is about",
        queryset=FoiRequest.objects.none(),
        error_messages={
            "required": "Choose the request the message is about.",
            "invalid_choice": "Choose one of your team's requests from the list.",
        },
    )

    def __init__(self, data=None, *, message: Message, requests: QuerySet[FoiRequest]) -> None:
        super().__init__(data, prefix=f"a{message.pk}")
        self.message = message
        self.fields["request"].queryset = requests

    def propose(self, requests: list[FoiRequest]) -> None:
        """Preselect the one open request to the force the message came from, if only one."""
        if not self.is_bound and len(requests) == 1:
            self.initial["request"] = requests[0].pk


class DraftNewForm(ServiceErrors, forms.Form):
    """Start a letter (which one is in the address posted to)."""

    grounds = forms.CharField(
        label="Your grounds",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Why the answer is wrong (e.g. the exemption does not apply): put in the letter.",
    )


class DraftForm(ServiceErrors, forms.Form):
    to = forms.CharField(
        label="To",
        required=False,
        help_text="The force's FOI address; for a complaint, the regulator's address.",
    )
    subject = forms.CharField(max_length=998)
    body = forms.CharField(label="Letter", widget=forms.Textarea(attrs={"rows": 20}))
