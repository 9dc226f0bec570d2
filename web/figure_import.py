"""The import form: which file, read how; then the confirmation of what the preview showed.

The preview writes nothing: it reads an attached document, or an uploaded file held in memory for
the one request. The confirmation carries a signed token of what was previewed (the file's
SHA-256, the layout, how many figures it read as, who previewed it, for which response); an
uploaded file is chosen again and must have the same digest. Nothing is kept on the server
between the two steps, so there is nothing to clean up and any web process can confirm.

This module and `web.views.imports` are the seam where a richer table reader can replace today's
`Layout`: the view asks the form for bytes and a layout, and calls one service.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import asdict, dataclass

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError

from responses_app import documents, services
from responses_app.importing.shapes import Layout
from responses_app.models import Document, FoiResponse, OffenceCategory, Unit
from web.forms import DateInput
from web.response_forms import form_errors_from

SALT = "web.figure-import.preview"
# Long enough to read a preview of a big table and check it against the document.
PREVIEW_MAX_AGE = dt.timedelta(hours=12)
SPREADSHEETS = (documents.CSV, documents.XLSX)


@dataclass(frozen=True)
class Previewed:
    """What a preview showed, as the confirmation must find it again."""

    response: int
    user: int
    document: int | None
    name: str
    sha256: str
    count: int
    layout: dict

    def sign(self) -> str:
        return signing.dumps(asdict(self), salt=SALT, compress=True)

    @classmethod
    def unsign(cls, token: str) -> Previewed:
        data = signing.loads(token, salt=SALT, max_age=PREVIEW_MAX_AGE)
        try:
            return cls(**data)
        except TypeError as other_shape:
            # Signed by another version of this form (a deploy between preview and confirm).
            raise signing.BadSignature("not a preview of this version") from other_shape


def _layout_as_data(layout: Layout) -> dict:
    data = asdict(layout)
    for name in ("period_start", "period_end"):
        data[name] = data[name] and data[name].isoformat()
    return data


def _layout_from_data(data: dict) -> Layout:
    dates = {n: data[n] and dt.date.fromisoformat(data[n]) for n in ("period_start", "period_end")}
    return Layout(**{**data, **dates})


class FigureImportForm(forms.Form):
    document = forms.ModelChoiceField(
        label="A document of this response",
        queryset=Document.objects.none(),
        required=False,
        empty_label="None: upload a file below",
    )
    file = forms.FileField(
        label="Or upload a file",
        required=False,
        help_text="CSV or XLSX. It is read for the preview and attached only when you confirm.",
    )
    shape = forms.ChoiceField(
        label="Shape of the table",
        choices=[
            ("wide", "Wide: platforms down column A, a column per period or offence"),
            ("long", "Long: one figure per row, with the template's columns"),
        ],
    )
    columns_are = forms.ChoiceField(
        label="Wide: the columns are",
        choices=[("period", "Periods"), ("offence", "Offences")],
        required=False,
    )
    columns = forms.CharField(
        label="Wide: what columns B, C, ... hold",
        required=False,
        help_text="One per column, separated by commas: a period (2019-10-01/2020-03-31), an "
        "offence (its Home Office code or name), or 'skip'.",
    )
    offence = forms.ChoiceField(label="Wide, columns are periods: the offence", required=False)
    period_start = forms.DateField(
        label="Wide, columns are offences: period from", required=False, widget=DateInput
    )
    period_end = forms.DateField(label="Period to", required=False, widget=DateInput)
    unit = forms.ChoiceField(choices=Unit.choices, initial=Unit.INSTANCES)
    sheet = forms.CharField(
        label="Sheet", required=False, help_text="Empty: the first visible sheet of an XLSX."
    )
    previewed = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, response: FoiResponse, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.response, self.user = response, user
        spreadsheets = response.documents.filter(content_type__in=SPREADSHEETS)
        self.fields["document"].queryset = spreadsheets
        self.fields["document"].initial = spreadsheets.order_by("-uploaded_at", "-id").first()
        offences = OffenceCategory.objects.values_list("slug", "name", "home_office_code")
        self.fields["offence"].choices = [("", "Choose")] + [
            (slug, f"{name} ({code})" if code else name) for slug, name, code in offences
        ]
        if self.confirms:
            # The layout comes from the signed preview; the form's own fields are not read.
            for name in ("shape", "unit"):
                self.fields[name].required = False
        self.content: bytes = b""
        self.name = ""
        self.chosen_document: Document | None = None
        self.confirming: Previewed | None = None

    @property
    def confirms(self) -> bool:
        return bool(self.data.get("previewed"))

    def clean(self) -> dict:
        data = super().clean()
        if self.confirms:
            self._clean_confirmation(data)
        else:
            self._clean_source(data)
            self._clean_layout(data)
        return data

    def _clean_source(self, data: dict) -> None:
        # An upload wins over the list, which starts at the response's latest spreadsheet.
        if data.get("file"):
            self._read_upload(data["file"])
        elif data.get("document"):
            self._read_document(data["document"])
        else:
            self.add_error("file", "Choose a document of the response, or upload a file.")

    def _read_document(self, document: Document) -> None:
        with document.file.open("rb") as stored:
            self.content = stored.read()
        self.name, self.chosen_document = document.original_name, document

    def _read_upload(self, upload) -> None:
        content = upload.read()
        try:
            services.document_check(name=upload.name, content=content)
        except ValidationError as refused:
            self.add_error("file", refused.messages)
            return
        self.content, self.name = content, upload.name

    def _clean_layout(self, data: dict) -> None:
        if data.get("shape") != "wide":
            return
        if not data.get("columns", "").strip():
            self.add_error("columns", "Say what each value column holds, separated by commas.")
        if data.get("columns_are") == "offence":
            start, end = data.get("period_start"), data.get("period_end")
            if not (start and end):
                self.add_error("period_start", "Give the period every column counts.")
            elif end < start:
                self.add_error("period_end", f"The period ends ({end}) before it starts.")
        elif not data.get("offence"):
            self.add_error("offence", "Choose the offence every column counts.")

    def _clean_confirmation(self, data: dict) -> None:
        try:
            previewed = Previewed.unsign(data.get("previewed", ""))
        except signing.BadSignature:
            self.add_error(None, "This preview has expired or was changed: preview it again.")
            return
        if (previewed.response, previewed.user) != (self.response.pk, self.user.pk):
            self.add_error(None, "This preview was for another response or person.")
            return
        self.confirming = previewed
        if previewed.document is None:
            upload = data.get("file")
            if upload is None:
                self.add_error("file", "Choose the file you previewed again: it was not kept.")
                return
            self._read_upload(upload)
            return
        document = self.response.documents.filter(pk=previewed.document).first()
        if document is None:
            self.add_error(None, "The previewed document is no longer attached to this response.")
            return
        self._read_document(document)

    def layout(self) -> Layout:
        if self.confirming is not None:
            return _layout_from_data(self.confirming.layout)
        data = self.cleaned_data
        columns = [c.strip() for c in data["columns"].split(",")] if data["columns"] else []
        wide = data["shape"] == "wide"
        return Layout(
            shape=data["shape"],
            columns_are=(data["columns_are"] or "period") if wide else "period",
            columns=columns if wide else [],
            offence=data["offence"] if wide else "",
            period_start=data["period_start"] if wide else None,
            period_end=data["period_end"] if wide else None,
            unit=data["unit"],
            sheet=data["sheet"].strip(),
        )

    def preview_token(self, count: int) -> str:
        """The signed record of this preview, for the confirmation form."""
        document = self.chosen_document
        return Previewed(
            response=self.response.pk,
            user=self.user.pk,
            document=document.pk if document else None,
            name=self.name,
            sha256=hashlib.sha256(self.content).hexdigest(),
            count=count,
            layout=_layout_as_data(self.layout()),
        ).sign()

    def import_errors(self, errors) -> list:
        """Put the import's errors about a field of this form beside it; return the rest (by row
        and column of the file) for the table of problems."""
        rest = []
        for error in errors:
            if error.column in self.fields:
                form_errors_from(self, ValidationError({error.column: error.message}))
            else:
                rest.append(error)
        return rest
