"""The form that makes a release on a campaign's Releases page. The hidden `after` is the number
of the latest release the page showed: `release_create` refuses when a newer one exists, so the
same form posted twice makes one release."""

from __future__ import annotations

from django import forms

from responses_app.models import DatasetRelease

NAME_LENGTH = DatasetRelease._meta.get_field("name").max_length


class ReleaseForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=NAME_LENGTH,
        help_text="As readers will cite it, for instance “Press release, March 2021”.",
        error_messages={
            "required": "Give the release a name: readers cite it by its name and number.",
            "max_length": f"Give the name in at most {NAME_LENGTH} characters.",
        },
    )
    note = forms.CharField(
        label="Note",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown on the release's page: what it is for, or what changed.",
    )
    after = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=0,
        error_messages={
            "required": "This form is out of date: open the Releases page again.",
            "invalid": "This form is out of date: open the Releases page again.",
            "min_value": "This form is out of date: open the Releases page again.",
        },
    )
