"""Forms of the keying grid: which grid (an offence and a unit, from the query string, so a grid
can be linked), and how to read the cells keyed into it. The cells are not form fields: the grid
(responses_app.keying) names them and the services check them all at once."""

from __future__ import annotations

from django import forms

from responses_app.keying.services import DASH_MEANINGS
from responses_app.models import FoiResponse, OffenceCategory, Unit
from responses_app.values import ValueStatus


class GridChoiceForm(forms.Form):
    offence = forms.ChoiceField(label="Offence")
    unit = forms.ChoiceField(label="Unit", choices=Unit.choices)

    def __init__(self, data, *, default_offence: OffenceCategory | None) -> None:
        initial = {"offence": default_offence and default_offence.slug, "unit": Unit.INSTANCES}
        # Both chosen by default: an address without a query is the campaign's first grid.
        super().__init__({**initial, **{k: v for k, v in data.items() if v}})
        offences = OffenceCategory.objects.values_list("slug", "name", "home_office_code")
        self.fields["offence"].choices = [
            (slug, f"{name} ({code})" if code else name) for slug, name, code in offences
        ]

    def query(self) -> str:
        data = self.cleaned_data
        return f"?offence={data['offence']}&unit={data['unit']}"


class GridKeyingForm(forms.Form):
    """How to read the keyed cells; the first keying also says where they come from and why a
    changed value was changed."""

    dash = forms.ChoiceField(
        label="A '-' in this answer means",
        required=False,
        choices=[("", "Nothing: refuse a '-'")]
        + [(meaning, ValueStatus(meaning).label) for meaning in DASH_MEANINGS],
        help_text="Only if the answer says so (a legend such as '- = nil').",
    )
    document = forms.ModelChoiceField(
        label="Keyed from",
        queryset=None,
        required=False,
        empty_label="Not said",
        help_text="The document new figures are keyed from.",
    )
    reason = forms.CharField(
        label="Why a keyed value was changed",
        max_length=100,
        required=False,
        help_text="Kept in the figure's history and listed in the next release.",
    )

    def __init__(self, data=None, *, response: FoiResponse, blind: bool) -> None:
        super().__init__(data)
        documents = response.documents.order_by("-uploaded_at", "-id")
        self.fields["document"].queryset = documents
        self.fields["document"].initial = documents.first()
        if blind:
            # The second keying compares values; where they came from is the first's to say.
            del self.fields["document"], self.fields["reason"]
