"""Forms of the data-entry pages: recording a response with its documents, attaching another
document, and checking a figure. Each runs the service's own check in clean(), so an error is
shown beside its field before anything is written."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from requests_app.models import FoiRequest
from responses_app import services
from responses_app.documents import ACCEPTED
from responses_app.models import EXEMPTIONS, Outcome
from web.forms import DateInput

MAX_MEGABYTES_HINT = "up to 20 MB in all"


def errors_beside_fields(form: forms.Form, check: Callable[..., object], **arguments) -> None:
    """Run a service's check and put each error beside the form's field of that name, or above
    the form when the form has no such field."""
    try:
        check(**arguments)
    except ValidationError as refused:
        form_errors_from(form, refused)


def form_errors_from(form: forms.Form, refused: ValidationError) -> None:
    if not hasattr(refused, "error_dict"):
        form.add_error(None, refused.messages)
        return
    for field, messages in refused.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files under one name; cleans to a list (empty when none was chosen)."""

    widget = MultipleFileInput

    def clean(self, data, initial=None) -> list[UploadedFile]:
        uploads = data if isinstance(data, list | tuple) else [data] if data else []
        if not uploads and self.required:
            raise ValidationError(self.error_messages["required"], code="required")
        return [super(MultipleFileField, self).clean(upload, initial) for upload in uploads]


def _read_checked(form: forms.Form, field: str, uploads: list[UploadedFile]) -> list:
    """Each upload's name and bytes, after the same check `document_attach` makes; a refused
    file is named in the error beside `field`."""
    read = []
    for upload in uploads:
        content = upload.read()
        try:
            services.document_check(name=upload.name, content=content)
        except ValidationError as refused:
            form.add_error(field, [f"{upload.name}: {message}" for message in refused.messages])
        else:
            read.append((upload.name, content))
    return read


class ResponseForm(forms.Form):
    received_on = forms.DateField(
        label="Received on",
        widget=DateInput,
        help_text="The day the answer arrived: the internal review and complaint windows "
        "count from it.",
    )
    outcome = forms.ChoiceField(choices=Outcome.choices)
    exemptions = forms.MultipleChoiceField(
        label="Exemptions cited",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick every exemption the force relied on, in whole or in part.",
    )
    other_exemptions = forms.CharField(
        label="Other exemptions",
        max_length=300,
        required=False,
        help_text="Any exemption not on the list, as the force cited it.",
    )
    caveats = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="What the force says its figures do or do not cover.",
    )
    documents = MultipleFileField(
        label="Documents",
        required=False,
        # document_check refuses an empty file, naming it.
        allow_empty_file=True,
        help_text=f"The files the force sent: {ACCEPTED}, {MAX_MEGABYTES_HINT}.",
    )

    def __init__(self, *args, foi_request: FoiRequest, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.foi_request = foi_request
        self.documents_read: list[tuple[str, bytes]] = []
        pick_list = EXEMPTIONS.get(foi_request.force.regime, {})
        if pick_list:
            self.fields["exemptions"].choices = list(pick_list.items())
        else:
            del self.fields["exemptions"]
            self.fields["other_exemptions"].help_text = (
                f"{foi_request.force.get_regime_display()} has no pick-list here: write the "
                "exemptions as the force cited them."
            )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("received_on"):
            errors_beside_fields(
                self,
                services.response_check,
                request=self.foi_request,
                received_on=data["received_on"],
                exemptions=data.get("exemptions") or [],
            )
        self.documents_read = _read_checked(self, "documents", data.get("documents") or [])
        return data

    def details(self) -> dict:
        """The response's fields as `response_record` takes them."""
        data = self.cleaned_data
        return {
            "received_on": data["received_on"],
            "outcome": data["outcome"],
            "exemptions": data.get("exemptions") or [],
            "other_exemptions": data["other_exemptions"],
            "caveats": data["caveats"],
        }


class DocumentForm(forms.Form):
    file = forms.FileField(
        label="Attach a document", help_text=f"{ACCEPTED}, up to 20 MB.", allow_empty_file=True
    )  # document_check refuses an empty file, naming it

    def clean(self) -> dict:
        data = super().clean()
        read = _read_checked(self, "file", [data["file"]] if data.get("file") else [])
        self.document_read = read[0] if read else None
        return data


class FigureCheckForm(forms.Form):
    """A second person's check of one figure: confirm it as entered, key the value they read
    (the same value confirms it, another disputes it), or correct it."""

    CONFIRM, KEY, CORRECT = "confirm", "key", "correct"

    action = forms.ChoiceField(
        choices=[
            (CONFIRM, "Confirm as entered"),
            (KEY, "Key the value you read"),
            (CORRECT, "Correct the value"),
        ]
    )
    raw = forms.CharField(label="Value", max_length=100, required=False)
    note = forms.CharField(label="Note", max_length=500, required=False)
    reason = forms.CharField(
        label="Why",
        max_length=100,
        required=False,
        help_text="A correction's reason, kept in the history and listed in the next release.",
    )

    def __init__(self, *args, figure, **kwargs) -> None:
        super().__init__(*args, prefix=f"figure-{figure.pk}", **kwargs)
        self.figure = figure

    def clean(self) -> dict:
        data = super().clean()
        if data.get("action") in (self.KEY, self.CORRECT):
            if not data.get("raw", "").strip():
                self.add_error("raw", "Key the value as the force wrote it (12, 0, *, <5...).")
            else:
                errors_beside_fields(
                    self, services.figure_check_value, figure=self.figure, raw=data["raw"]
                )
        return data
