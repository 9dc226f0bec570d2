"""The import form: which answer file, with optional hints; then the reading's questions as
choices, a new preview after any change, and the confirmation of exactly what was previewed.

Nothing is kept on the server between the steps (so there is nothing to clean up, and any web
process can take the next one): each preview carries a signed token of what it showed (the
file's SHA-256, the hints, the decisions taken, the questions asked, the reading's digest, who
previewed it and for which response). An uploaded file is chosen again at each later step and
must have the same SHA-256; an attached document is read again from the response.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import asdict, dataclass, field

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError

from responses_app import documents, services
from responses_app.importing.outcome import Hints, Question
from responses_app.importing.periods import Period
from responses_app.models import Document, FoiResponse, OffenceCategory, Platform, Unit
from web.forms import DateInput

SALT = "web.answer-import.preview"
# Long enough to read a preview of a big table and check it against the document.
PREVIEW_MAX_AGE = dt.timedelta(hours=12)
DECISION = "decision:"


@dataclass(frozen=True)
class Previewed:
    """What a preview showed, as the next step must find it again."""

    response: int
    user: int
    document: int | None
    name: str
    sha256: str
    digest: str
    count: int
    hints: dict
    decisions: dict = field(default_factory=dict)
    # Every question asked so far, [key, text, [[value, label], ...], any_of], so a decision
    # taken can still be changed once its question is answered.
    asked: list = field(default_factory=list)

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


def hints_as_data(hints: Hints) -> dict:
    return {
        "sheets": list(hints.sheets),
        "offence": hints.offence,
        "unit": hints.unit,
        "period": [hints.period.start.isoformat(), hints.period.end.isoformat()]
        if hints.period
        else None,
    }


def hints_from_data(data: dict, decisions: dict) -> Hints:
    period = data["period"] and Period(*(dt.date.fromisoformat(d) for d in data["period"]))
    return Hints(
        sheets=tuple(data["sheets"]),
        offence=data["offence"],
        unit=data["unit"],
        period=period or None,
        decisions=dict(decisions),
    )


def questions_asked(before: list, questions: list[Question]) -> list:
    asked = {item[0]: item for item in before}
    for q in questions:
        asked[q.key] = [q.key, q.text, [[c.value, c.label] for c in q.choices], list(q.any_of)]
    return list(asked.values())


class AnswerImportForm(forms.Form):
    document = forms.ModelChoiceField(
        label="A document of this response",
        queryset=Document.objects.none(),
        required=False,
        empty_label="None: upload a file below",
    )
    file = forms.FileField(
        label="Or upload a file",
        required=False,
        help_text="The file as the force sent it: XLSX, XLS, ODS, CSV, TXT, DOCX or PDF. It is "
        "read for the preview and attached only when you confirm.",
    )
    offence = forms.ChoiceField(
        label="Offence",
        required=False,
        help_text="Only for a table that names no offence; empty: the one its title names, or "
        "the campaign's.",
    )
    sheet = forms.CharField(
        label="Sheet", required=False, help_text="Empty: every visible sheet is read."
    )
    period_start = forms.DateField(
        label="Period from",
        required=False,
        widget=DateInput,
        help_text="Only for a table whose headings give no period.",
    )
    period_end = forms.DateField(label="Period to", required=False, widget=DateInput)
    unit = forms.ChoiceField(choices=Unit.choices, initial=Unit.INSTANCES, required=False)
    previewed = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, response: FoiResponse, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.response, self.user = response, user
        readable = response.documents.filter(content_type__in=documents.READABLE_ANSWERS)
        self.fields["document"].queryset = readable
        self.fields["document"].initial = readable.order_by("-uploaded_at", "-id").first()
        self.fields["offence"].choices = [
            ("", "From the table or the campaign"),
            *offence_choices(),
        ]
        self.content: bytes = b""
        self.name = ""
        self.chosen_document: Document | None = None
        self.previous: Previewed | None = None

    @property
    def follows_a_preview(self) -> bool:
        return bool(self.data.get("previewed"))

    @property
    def confirms(self) -> bool:
        return self.follows_a_preview and self.data.get("action") == "confirm"

    def clean(self) -> dict:
        data = super().clean()
        if self.follows_a_preview:
            self._clean_previous(data)
        else:
            self._clean_source(data)
            self._clean_period(data)
        return data

    def _clean_source(self, data: dict) -> None:
        # An upload wins over the list, which starts at the response's latest readable file.
        if data.get("file"):
            self._read_upload(data["file"])
        elif data.get("document"):
            self._read_document(data["document"])
        else:
            self.add_error("file", "Choose a document of the response, or upload a file.")

    def _clean_period(self, data: dict) -> None:
        start, end = data.get("period_start"), data.get("period_end")
        if bool(start) != bool(end):
            self.add_error("period_end" if start else "period_start", "Give both ends.")
        elif start and end < start:
            self.add_error("period_end", f"The period ends ({end}) before it starts.")

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

    def _clean_previous(self, data: dict) -> None:
        try:
            previous = Previewed.unsign(data.get("previewed", ""))
        except signing.BadSignature:
            self.add_error(None, "This preview has expired or was changed: preview it again.")
            return
        if (previous.response, previous.user) != (self.response.pk, self.user.pk):
            self.add_error(None, "This preview was for another response or person.")
            return
        self.previous = previous
        if previous.document is not None:
            document = self.response.documents.filter(pk=previous.document).first()
            if document is None:
                self.add_error(None, "The previewed document is no longer attached: start again.")
                return
            self._read_document(document)
        elif data.get("file") is None:
            self.add_error("file", "Choose the file you previewed again: it was not kept.")
            return
        else:
            self._read_upload(data["file"])
        if self.content and hashlib.sha256(self.content).hexdigest() != previous.sha256:
            self.add_error("file", "This is not the file you previewed.")

    def hints(self) -> Hints:
        if self.previous is not None:
            return hints_from_data(self.previous.hints, self.decisions())
        data = self.cleaned_data
        start, end = data.get("period_start"), data.get("period_end")
        return Hints(
            sheets=(data["sheet"].strip(),) if data.get("sheet", "").strip() else (),
            offence=data.get("offence") or "",
            unit=data.get("unit") or Unit.INSTANCES,
            period=Period(start, end) if start and end else None,
        )

    def decisions(self) -> dict[str, str]:
        """The decisions of the last preview, changed or added to by the choices posted."""
        decisions = dict(self.previous.decisions) if self.previous else {}
        for name in self.data:
            if name.startswith(DECISION):
                key, value = name.removeprefix(DECISION), self.data.get(name, "").strip()
                if value:
                    decisions[key] = value
                else:
                    decisions.pop(key, None)
        return decisions

    @property
    def decisions_changed(self) -> bool:
        return self.previous is not None and self.decisions() != self.previous.decisions

    def preview_token(self, reading) -> str:
        """The signed record of this preview, for the next step."""
        hints = self.hints()
        document = self.chosen_document
        return Previewed(
            response=self.response.pk,
            user=self.user.pk,
            document=document.pk if document else None,
            name=self.name,
            sha256=reading.sha256,
            digest=reading.digest,
            count=len(reading.figures),
            hints=hints_as_data(hints),
            decisions=dict(hints.decisions),
            asked=questions_asked(self.previous.asked if self.previous else [], reading.questions),
        ).sign()


def offence_choices() -> list[tuple[str, str]]:
    offences = OffenceCategory.objects.values_list("slug", "name", "home_office_code")
    return [(slug, f"{name} ({code})" if code else name) for slug, name, code in offences]


def decision_choices(choices: list, any_of: list) -> list[dict]:
    """A question's choices as groups for a select: its own, then every platform or offence it
    allows."""
    groups = [{"label": "", "options": [("", "Choose"), *((v, label) for v, label in choices)]}]
    if "platform" in any_of:
        platforms = Platform.objects.values_list("slug", "name")
        groups.append(
            {"label": "Platforms", "options": [(f"platform:{s}", n) for s, n in platforms]}
        )
    if "offence" in any_of:
        offences = [(f"offence:{s}", n) for s, n in offence_choices()]
        groups.append({"label": "Offences", "options": offences})
    return groups
