"""Reading one RFC 5322 message from its bytes, whatever state it is in: no database here.

Mail from the outside is hostile or broken as often as not: a header the parser chokes on, a
charset that does not exist, a part that claims base64 and is not. Nothing here raises on bad
input; what cannot be read is left out and noted in `defects`. HTML is never kept as it came:
its text is extracted, and a copy cleaned by nh3 (no script, style, image or remote content)
is kept for display.
"""

from __future__ import annotations

import codecs
import datetime as dt
import email
import email.policy
import html
import re
from dataclasses import dataclass, field
from email.header import decode_header, make_header
from email.message import Message as MimePart
from email.parser import BytesHeaderParser
from email.utils import parsedate_to_datetime

import nh3

from correspondence.addresses import addresses_of

MESSAGE_ID = re.compile(r"<[^<>\s]{1,900}>")
# HTML kept for display: nh3's defaults without images, which would load remote content.
SHOWN_TAGS = nh3.ALLOWED_TAGS - {"img"}
BLOCK_END = re.compile(r"(?i)<(br|/p|/div|/tr|/li|/h[1-6]|/table|/blockquote)\b[^>]*>")


@dataclass(frozen=True)
class AttachedFile:
    filename: str
    content_type: str
    content: bytes
    inline_image: bool = False


@dataclass(frozen=True)
class RecipientStatus:
    """One recipient of a delivery status notification (RFC 3464)."""

    recipient: str
    action: str
    status: str
    diagnostic: str

    def reason(self) -> str:
        parts = [self.status, self.diagnostic]
        return f"{self.recipient}: " + " ".join(p for p in parts if p)


@dataclass
class ParsedMessage:
    message_id: str = ""
    in_reply_to: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    from_header: str = ""
    from_address: str = ""
    to: list[str] = field(default_factory=list)
    cc: list[str] = field(default_factory=list)
    delivered_to: list[str] = field(default_factory=list)
    subject: str = ""
    date: dt.datetime | None = None
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = ""
    report_type: str = ""
    text: str = ""
    html: str = ""
    attachments: list[AttachedFile] = field(default_factory=list)
    statuses: list[RecipientStatus] = field(default_factory=list)
    # The Message-ID of the message a delivery report returns (ours, if it is a bounce).
    returned_message_id: str = ""
    defects: list[str] = field(default_factory=list)


# Headers the classifier reads, by lower-case name.
KEPT_HEADERS = (
    "auto-submitted",
    "x-autoreply",
    "x-autorespond",
    "x-auto-response-suppress",
    "precedence",
    "x-failed-recipients",
    "return-path",
)


def message_parse(raw: bytes, *, headers_only: bool = False) -> ParsedMessage:
    """Everything the tracker uses of a message. With `headers_only` (a message over the size
    limit) the body is not read at all."""
    if headers_only:
        mime = BytesHeaderParser(policy=email.policy.compat32).parsebytes(raw[:256_000])
    else:
        mime = email.message_from_bytes(raw, policy=email.policy.compat32)
    parsed = ParsedMessage()
    _read_headers(mime, parsed)
    if not headers_only:
        _read_parts(mime, parsed)
    parsed.defects += [type(defect).__name__ for defect in getattr(mime, "defects", [])]
    return parsed


def header_text(mime: MimePart, name: str) -> str:
    """A header decoded from RFC 2047, or its raw text when the encoding is broken."""
    value = mime.get(name)
    if value is None:
        return ""
    try:
        return str(make_header(decode_header(str(value)))).strip()
    except (LookupError, UnicodeError, ValueError, TypeError):
        return str(value).strip()


def _read_headers(mime: MimePart, parsed: ParsedMessage) -> None:
    ids = _message_ids(header_text(mime, "Message-ID"))
    parsed.message_id = ids[0] if ids else ""
    parsed.in_reply_to = _message_ids(header_text(mime, "In-Reply-To"))
    parsed.references = _message_ids(header_text(mime, "References"))
    parsed.from_header = header_text(mime, "From")[:320]
    parsed.from_address = (addresses_of(parsed.from_header) or [""])[0][:320]
    parsed.to = addresses_of(*_all(mime, "To"))
    parsed.cc = addresses_of(*_all(mime, "Cc"))
    parsed.delivered_to = addresses_of(
        *_all(mime, "Delivered-To"), *_all(mime, "X-Original-To"), *_all(mime, "Envelope-To")
    )
    parsed.subject = re.sub(r"\s+", " ", header_text(mime, "Subject"))[:998]
    parsed.date = _date(header_text(mime, "Date"))
    parsed.headers = {name: header_text(mime, name) for name in KEPT_HEADERS if name in mime}
    parsed.content_type = mime.get_content_type()
    parsed.report_type = (mime.get_param("report-type") or "").lower()


def _all(mime: MimePart, name: str) -> list[str]:
    return [str(value) for value in mime.get_all(name) or []]


def _message_ids(value: str) -> list[str]:
    return list(dict.fromkeys(MESSAGE_ID.findall(value)))


def _date(value: str) -> dt.datetime | None:
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=dt.UTC)


def _read_parts(mime: MimePart, parsed: ParsedMessage) -> None:
    for part in mime.walk():
        content_type = part.get_content_type()
        if content_type == "message/delivery-status":
            parsed.statuses += _delivery_statuses(part)
        elif content_type in ("message/rfc822", "text/rfc822-headers") and parsed.statuses:
            parsed.returned_message_id = parsed.returned_message_id or _returned_id(part)
        elif part.is_multipart():
            continue
        elif _is_attachment(part):
            attached = _attached_file(part, parsed)
            if attached is not None:
                parsed.attachments.append(attached)
        elif content_type == "text/plain" and not parsed.text:
            parsed.text = _text_of(part, parsed)
        elif content_type == "text/html" and not parsed.html:
            parsed.html = _text_of(part, parsed)
    if parsed.html:
        if not parsed.text:
            parsed.text = html_to_text(parsed.html)
        parsed.html = html_cleaned(parsed.html)


def _is_attachment(part: MimePart) -> bool:
    disposition = (part.get_content_disposition() or "").lower()
    if disposition == "attachment" or part.get_filename():
        return True
    return part.get_content_maintype() not in ("text", "message", "multipart")


def _attached_file(part: MimePart, parsed: ParsedMessage) -> AttachedFile | None:
    try:
        content = part.get_payload(decode=True)
    except (ValueError, TypeError, AssertionError):
        content = None
    if content is None:
        parsed.defects.append("UnreadableAttachment")
        return None
    filename = _filename(part)
    inline_image = part.get_content_maintype() == "image" and bool(part.get("Content-ID"))
    return AttachedFile(filename, part.get_content_type(), content, inline_image)


def _filename(part: MimePart) -> str:
    try:
        name = part.get_filename() or ""
        name = str(make_header(decode_header(name))) if name else ""
    except (LookupError, UnicodeError, ValueError, TypeError):
        name = ""
    return name or "attachment"


def _text_of(part: MimePart, parsed: ParsedMessage) -> str:
    """The part's text in its declared charset; an unknown or wrong one is read as
    Windows-1252 (a superset of ISO-8859-1 that mail from Windows often really is)."""
    try:
        content = part.get_payload(decode=True) or b""
    except (ValueError, TypeError, AssertionError):
        parsed.defects.append("UnreadableText")
        return ""
    charset = (part.get_content_charset() or "us-ascii").strip().lower()
    try:
        codecs.lookup(charset)
    except LookupError:
        parsed.defects.append(f"UnknownCharset:{charset[:40]}")
        charset = "cp1252"
    if charset in ("iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii"):
        # Mail that says latin-1 or ASCII is often Windows-1252 (curly quotes, the euro sign).
        charset = "cp1252"
    try:
        text = content.decode(charset)
    except UnicodeDecodeError:
        parsed.defects.append(f"WrongCharset:{charset}")
        text = content.decode("utf-8" if charset != "utf-8" else "cp1252", errors="replace")
    return text.replace("\r\n", "\n")


def html_to_text(markup: str) -> str:
    """The words of an HTML body, with line breaks where blocks end; scripts and styles go
    with their content."""
    spaced = BLOCK_END.sub("\n", markup)
    bare = html.unescape(nh3.clean(spaced, tags=set()))
    lines = (re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in bare.splitlines())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def html_cleaned(markup: str) -> str:
    """Safe to show: no script, style, image, form or event handler; links open nothing here."""
    return nh3.clean(
        markup,
        tags=SHOWN_TAGS,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    ).strip()


def _delivery_statuses(part: MimePart) -> list[RecipientStatus]:
    """The per-recipient blocks of a message/delivery-status part (RFC 3464 section 2.3)."""
    blocks = part.get_payload()
    if not isinstance(blocks, list):
        return []
    statuses = []
    for block in blocks:
        recipient = str(block.get("Final-Recipient") or block.get("Original-Recipient") or "")
        action = str(block.get("Action") or "").strip().lower()
        if not recipient or not action:
            continue
        statuses.append(
            RecipientStatus(
                recipient=recipient.partition(";")[2].strip() or recipient.strip(),
                action=action,
                status=str(block.get("Status") or "").strip(),
                diagnostic=re.sub(r"\s+", " ", str(block.get("Diagnostic-Code") or "")).strip(),
            )
        )
    return statuses


def _returned_id(part: MimePart) -> str:
    if part.get_content_type() == "message/rfc822":
        payload = part.get_payload()
        returned = payload[0] if isinstance(payload, list) and payload else None
    else:
        content = part.get_payload(decode=True) or b""
        returned = BytesHeaderParser(policy=email.policy.compat32).parsebytes(content)
    if returned is None:
        return ""
    found = _message_ids(header_text(returned, "Message-ID"))
    return found[0] if found else ""
