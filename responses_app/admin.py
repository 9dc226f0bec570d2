"""A thin data-entry screen over the same services as the API: recording a response moves its
request by an event; figures are entered, confirmed and corrected through the services."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from responses_app import selectors, services
from responses_app.models import (
    EXEMPTIONS,
    Document,
    Figure,
    FigureAwaitingVerification,
    FigureDisagreement,
    FoiResponse,
    LabelAlias,
    OffenceAlias,
    OffenceCategory,
    Platform,
    PlatformAlias,
    PlatformOwner,
    PlatformOwnership,
)

EXEMPTION_CHOICES = [
    (code, label) for codes in EXEMPTIONS.values() for code, label in codes.items()
]


@admin.register(PlatformOwner)
class PlatformOwnerAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]


class PlatformAliasInline(admin.TabularInline):
    model = PlatformAlias
    extra = 1


class PlatformOwnershipInline(admin.TabularInline):
    model = PlatformOwnership
    extra = 1


@admin.register(Platform)
class PlatformAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug", "aliases__name"]
    inlines = [PlatformAliasInline, PlatformOwnershipInline]


class OffenceAliasInline(admin.TabularInline):
    model = OffenceAlias
    extra = 1


@admin.register(OffenceCategory)
class OffenceCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "home_office_code", "slug"]
    search_fields = ["name", "home_office_code", "slug", "aliases__name"]
    inlines = [OffenceAliasInline]


@admin.register(LabelAlias)
class LabelAliasAdmin(admin.ModelAdmin):
    list_display = ["name", "meaning"]
    list_filter = ["meaning"]
    search_fields = ["name"]


class DocumentInline(admin.TabularInline):
    model = Document
    extra = 0
    can_delete = False
    fields = ["download", "content_type", "size", "sha256", "uploaded_by", "uploaded_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="document")
    def download(self, document: Document) -> str:
        url = reverse("document-download", args=[document.pk])
        return format_html('<a href="{}">{}</a>', url, document.original_name)


class FigureInline(admin.TabularInline):
    """Shown for reading; figures are entered on their own page or imported."""

    model = Figure
    extra = 0
    can_delete = False
    show_change_link = True
    fields = [
        "period_start",
        "period_end",
        "offence",
        "platform",
        "platform_scope",
        "unit",
        "raw",
        "status",
        "low",
        "high",
        "sheet",
        "cell",
        "verified",
        "disputed",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("offence", "platform")


class FoiResponseForm(forms.ModelForm):
    exemptions = forms.MultipleChoiceField(
        choices=EXEMPTION_CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )
    attach = forms.FileField(label="Attach a document", required=False)
    withdraw_reason = forms.CharField(
        label="Withdraw this response",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Say why (recorded in error, taken back by the force): the response, its "
        "documents and figures stay, out of the dataset, and the request can take a new one.",
    )

    class Meta:
        model = FoiResponse
        fields = ["request", "received_on", "outcome", "exemptions", "other_exemptions", "caveats"]

    def clean(self) -> dict:
        """Everything the services would refuse, refused here: save_model runs inside the
        admin's transaction, too late to put an error beside its field without having written
        the response (and moved the request) already."""
        data = super().clean()
        if self.instance.pk is None and data.get("request") and data.get("received_on"):
            _beside_fields(
                self,
                services.response_check,
                request=data["request"],
                received_on=data["received_on"],
                exemptions=data.get("exemptions") or [],
            )
        elif self.instance.pk is not None:
            _beside_fields(
                self,
                services.response_check_exemptions,
                request=self.instance.request,
                exemptions=data.get("exemptions") or [],
            )
        upload = data.get("attach")
        if upload:
            self.attachment = upload.read()
            try:
                services.document_check(name=upload.name, content=self.attachment)
            except ValidationError as refused:
                self.add_error("attach", refused.messages)
        return data


def _beside_fields(form: forms.Form, check, **arguments) -> None:
    """Run a service's check and put each of its errors beside the form's field of that name
    (or above the form when the form has no such field)."""
    try:
        check(**arguments)
    except ValidationError as refused:
        for field, messages_ in refused.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)


class RefusalsRollBack:
    """The forms refuse what the services would, beside the fields. A refusal that only the
    save can find (someone else recorded the response a moment ago) is caught here, outside the
    admin's transaction, so everything the save had written is rolled back before the message is
    shown; caught inside it, the earlier writes would stay."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return redirect(request.get_full_path())


WITHDRAWAL_FIELDS = ["withdrawn_at", "withdrawn_by", "withdrawal_reason"]


@admin.register(FoiResponse)
class FoiResponseAdmin(RefusalsRollBack, SimpleHistoryAdmin):
    form = FoiResponseForm
    list_display = ["request", "received_on", "outcome", "entered_by"]
    list_filter = ["outcome", "request__campaign"]
    list_select_related = ["request__force", "request__campaign", "entered_by"]
    search_fields = ["request__force__name", "request__campaign__title"]
    inlines = [DocumentInline, FigureInline]
    change_form_template = "admin/responses_app/foiresponse/change_form.html"

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["request", "received_on", "entered_by", *WITHDRAWAL_FIELDS]

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj is None or obj.withdrawn_at is not None:
            return [f for f in fields if f != "withdraw_reason"]
        return fields

    def has_delete_permission(self, request, obj=None) -> bool:
        # Withdrawn with a reason, never deleted: its documents and figures are its history.
        return False

    def save_model(self, request, obj: FoiResponse, form, change: bool) -> None:
        data = form.cleaned_data
        if change and data.get("withdraw_reason"):
            services.response_withdraw(
                response=obj, reason=data["withdraw_reason"], user=request.user
            )
            return
        fields = {name: data.get(name) for name in ("outcome", "other_exemptions", "caveats")}
        fields["exemptions"] = list(data.get("exemptions") or [])
        if change:
            services.response_update(response=obj, user=request.user, **fields)
        else:
            created = services.response_record(
                request=data["request"],
                received_on=data["received_on"],
                user=request.user,
                **fields,
            )
            obj.pk = created.pk
            obj.refresh_from_db()
        if data.get("attach"):
            services.document_attach(
                response=obj, name=data["attach"].name, content=form.attachment, user=request.user
            )


class TotalMismatchFilter(admin.SimpleListFilter):
    title = "stated total"
    parameter_name = "total"

    def lookups(self, request, model_admin):
        return [("mismatch", "Disagrees with the sum of its parts")]

    def queryset(self, request, queryset):
        if self.value() == "mismatch":
            return queryset.filter(
                pk__in=selectors.total_mismatches(Figure.objects.all()).values("pk")
            )
        return queryset


# What a person keys in; the admin shows the derived fields beside them, read only.
KEYED_FIELDS = [
    "response",
    "period_start",
    "period_end",
    "offence",
    "platform",
    "platform_scope",
    "unit",
    "raw",
    "note",
    "document",
    "sheet",
    "cell",
    "page",
]


class FigureForm(forms.ModelForm):
    reason = forms.CharField(
        max_length=100,
        required=False,
        help_text="When correcting a value: why it changed. Kept with the figure's history and "
        "listed in the next release's changes.",
    )

    class Meta:
        model = Figure
        fields = KEYED_FIELDS

    def clean(self) -> dict:
        data = super().clean()
        if self.instance.pk is not None:
            _beside_fields(self, services.figure_check_value, figure=self.instance, raw=data["raw"])
        elif all(data.get(name) for name in ("response", "period_start", "period_end", "raw")):
            cell = ("response", "period_start", "period_end", "platform", "platform_scope", "raw")
            _beside_fields(self, services.figure_check, **{name: data.get(name) for name in cell})
        return data


@admin.register(Figure)
class FigureAdmin(RefusalsRollBack, SimpleHistoryAdmin):
    form = FigureForm
    list_display = [
        "__str__",
        "response",
        "offence",
        "unit",
        "status",
        "low",
        "high",
        "verified",
        "disputed",
        "entered_by",
    ]
    list_filter = [
        "verified",
        "disputed",
        "status",
        "platform_scope",
        "unit",
        "owner",
        TotalMismatchFilter,
    ]
    list_select_related = ["response__request__force", "offence", "platform", "entered_by"]
    search_fields = ["raw", "platform__name", "response__request__force__name"]
    raw_id_fields = ["response", "document"]
    actions = ["confirm_figures"]
    # Worked out by the services from the raw text, the platform and the people involved.
    derived = [
        "status",
        "low",
        "high",
        "owner",
        "entered_by",
        "verified",
        "verified_by",
        "disputed",
        "disputed_raw",
        "disputed_by",
    ]
    fields = [*KEYED_FIELDS, "reason", *derived]

    def get_fields(self, request, obj=None):
        # A reason explains a correction: a new figure has none.
        fields = super().get_fields(request, obj)
        return fields if obj is not None else [name for name in fields if name != "reason"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return self.derived
        editable = {"raw", "note", "reason"}
        return [f for f in self.fields if f not in editable]

    def save_model(self, request, obj: Figure, form, change: bool) -> None:
        data = form.cleaned_data
        if change:
            services.figure_correct(
                figure=obj,
                raw=data["raw"],
                note=data["note"],
                reason=data.get("reason", ""),
                user=request.user,
            )
            return
        entered = [name for name in self.fields if name not in {*self.derived, "reason"}]
        entry = services.figure_enter(
            user=request.user, **{name: data.get(name) for name in entered}
        )
        obj.pk = entry.figure.pk
        if not entry.created:
            verdict = "confirmed" if entry.confirmed else "disputed (a different value)"
            self.message_user(request, f"This figure was already entered: your entry {verdict}.")

    @admin.action(description="Confirm the selected figures (as the second person)")
    def confirm_figures(self, request, queryset) -> None:
        confirmed, refused = 0, 0
        for figure in queryset:
            try:
                services.figure_verify(figure=figure, user=request.user)
                # Bulk actions are not in the admin's history unless logged.
                self.log_change(request, figure, "Confirmed as the second person.")
                confirmed += 1
            except ValidationError:
                refused += 1
        self.message_user(request, f"{confirmed} confirmed.")
        if refused:
            self.message_user(
                request,
                f"{refused} were entered by you: a second person must confirm them.",
                messages.WARNING,
            )


@admin.register(FigureAwaitingVerification)
class FigureAwaitingVerificationAdmin(FigureAdmin):
    """Figures that one person entered and a second has not yet confirmed."""

    def get_queryset(self, request):
        return selectors.figures_awaiting_verification(super().get_queryset(request))

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(FigureDisagreement)
class FigureDisagreementAdmin(FigureAdmin):
    """Figures two people keyed differently: correct the value, then a second person confirms."""

    list_display = ["__str__", "response", "raw", "entered_by", "disputed_raw", "disputed_by"]

    def get_queryset(self, request):
        return selectors.figures_disputed(super().get_queryset(request))

    def has_add_permission(self, request) -> bool:
        return False
