"""The admin over the correspondence: messages are records (read, never edited or deleted
here); a failed or returned letter is resent through the same service as the API; a force's
address is corrected in its contact."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.html import format_html

from correspondence.models import Attachment, ForceContact, Message, RequestMailbox
from correspondence.services import sending


@admin.register(ForceContact)
class ForceContactAdmin(admin.ModelAdmin):
    list_display = ["force", "address", "more_domains"]
    search_fields = ["force__name", "address", "more_domains"]
    autocomplete_fields = ["force"]


@admin.register(RequestMailbox)
class RequestMailboxAdmin(admin.ModelAdmin):
    """Which requests' letters came back, and why: correct the force's address in its
    contact, then resend the letter from its message."""

    list_display = ["request", "undelivered_at", "undelivered_reason"]
    list_filter = [("undelivered_at", admin.EmptyFieldListFilter)]
    list_select_related = ["request__force", "request__campaign"]
    search_fields = ["request__force__name", "request__campaign__title"]
    fields = ["request", "token", "undelivered_at", "undelivered_reason", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    can_delete = False
    fields = ["filename", "declared_type", "size", "download", "refused"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="document")
    def download(self, attachment: Attachment) -> str:
        if attachment.document_id is None:
            return "-"
        url = reverse("document-download", args=[attachment.document_id])
        return format_html('<a href="{}">{}</a>', url, attachment.filename)


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "direction",
        "letter",
        "classification",
        "state",
        "request",
        "from_address",
        "subject",
        "happened_at",
        "from_outside_force",
    ]
    list_filter = ["direction", "state", "letter", "classification", "from_outside_force"]
    list_select_related = ["request__force", "request__campaign"]
    search_fields = ["subject", "from_address", "to_addresses", "message_id"]
    inlines = [AttachmentInline]
    actions = ["resend"]
    # The text only: an HTML body is shown as its cleaned source, never rendered.
    fields = [
        "direction",
        "request",
        "force",
        "letter",
        "classification",
        "state",
        "matched_by",
        "from_outside_force",
        "from_address",
        "to_addresses",
        "cc_addresses",
        "subject",
        "date",
        "message_id",
        "in_reply_to",
        "force_reference",
        "bounce_reason",
        "note",
        "event",
        "body_text",
        "body_html",
        "size",
        "too_large",
        "attempts",
        "last_error",
        "not_before",
        "sent_at",
        "received_at",
        "handled_by",
        "handled_at",
        "replaces",
        "created_by",
    ]
    readonly_fields = fields

    def get_queryset(self, request) -> QuerySet[Message]:
        return super().get_queryset(request).defer("raw")

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description="Resend the selected letters that failed or came back")
    def resend(self, request, queryset: QuerySet[Message]) -> None:
        resent = 0
        for message in queryset:
            try:
                sending.letter_resend(message=message, user=request.user)
            except ValidationError as refused:
                self.message_user(
                    request, f"Message {message.pk}: {' '.join(refused.messages)}", messages.ERROR
                )
            else:
                resent += 1
        if resent:
            self.message_user(request, f"{resent} letter(s) queued again.", messages.SUCCESS)
