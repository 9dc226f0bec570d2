"""What a message from a force is, by rules tried in this order (docs/email.md):

1. **Delivery report** (RFC 3464): a multipart/report of report-type delivery-status, as
   Postfix, Exim and Exchange send. If any recipient's Action is `failed` it is a **bounce**;
   otherwise (delayed, relayed, delivered) a **delivery report** that changes nothing. Exim's
   X-Failed-Recipients header, without a report, is a bounce too.
2. **Acknowledgement**: the subject speaks of an acknowledgement or receipt, or the opening of
   the body says the request was received or logged; and the message carries no file and its
   opening speaks of no exemption, refusal, "not held", withholding, section or clarification
   (an answer thanks you for your request too, but it brings its answer).
3. **Automatic reply** (RFC 3834): Auto-Submitted other than `no`; X-Autoreply or
   X-Autorespond; Precedence `auto_reply`, `bulk` or `junk`; or a subject that begins
   "Automatic reply", "Auto-reply", "Autoreply", "Out of office" or "Away".
4. Anything else is a **reply**, which a person classifies.

Acknowledgements and automatic replies both mean the force has the request: each records an
`acknowledged` event. No database here: the rules read the parsed message only.
"""

from __future__ import annotations

import re

from correspondence.models import Classification
from correspondence.parsing import ParsedMessage

AUTO_SUBJECT = re.compile(
    r"^\s*(automatic reply|auto[- ]?reply|autoreply|auto[- ]?response|out of (the )?office"
    r"|away from (the )?office|away)\b",
    re.IGNORECASE,
)
ACK_SUBJECT = re.compile(r"acknowledg|receipt of|request received|received your", re.IGNORECASE)
ACK_BODY = re.compile(
    r"acknowledge (the )?receipt|we have (now )?received your|your (request|email|e-mail) "
    r"(has been|was) (received|logged|registered)|has been logged|been passed to the "
    r"(relevant|appropriate)|is being processed|will (aim to )?respond (to you )?within",
    re.IGNORECASE,
)
# An answer in the body is never an acknowledgement, whatever thanks it opens with.
ANSWER_WORDS = re.compile(
    r"\bexempt|\brefus|\bnot held\b|\bwithh[eo]ld|\bsection \d|\bs\.\s?\d|\bclarif",
    re.IGNORECASE,
)
OPENING = 3000

# A force's own reference: "Our ref: FOI 1234/20", "FOI reference 2020/1234", "Reference number:
# 001234/20". A digit is required, so "Our ref: see below" is not one.
REFERENCE_LEAD = (
    r"(?:\bour\s+ref(?:erence)?|\bfoi\s+ref(?:erence)?|\brequest\s+ref(?:erence)?"
    r"|\breference)(?:\s+(?:no|number))?\.?\s*[:#-]?\s*"
)
REFERENCE = re.compile(
    REFERENCE_LEAD + r"(?P<ref>[A-Za-z]{0,8}[ /.-]?\d[A-Za-z0-9/.-]{0,40}(?: \d[\d/.-]{0,20})?)",
    re.IGNORECASE,
)


def classify(parsed: ParsedMessage) -> str:
    if parsed.statuses or parsed.report_type == "delivery-status":
        if any(status.action == "failed" for status in parsed.statuses):
            return Classification.BOUNCE
        return Classification.DELIVERY_REPORT
    if parsed.headers.get("x-failed-recipients"):
        return Classification.BOUNCE
    if _acknowledges(parsed):
        return Classification.ACKNOWLEDGEMENT
    if _automatic(parsed):
        return Classification.AUTO_REPLY
    return Classification.REPLY


def _automatic(parsed: ParsedMessage) -> bool:
    headers = parsed.headers
    submitted = headers.get("auto-submitted", "").strip().lower()
    if submitted and not submitted.startswith("no"):
        return True
    if "x-autoreply" in headers or "x-autorespond" in headers:
        return True
    if headers.get("precedence", "").strip().lower() in ("auto_reply", "bulk", "junk"):
        return True
    return bool(AUTO_SUBJECT.match(parsed.subject))


def _acknowledges(parsed: ParsedMessage) -> bool:
    opening = parsed.text[:OPENING]
    if any(not attached.inline_image for attached in parsed.attachments):
        return False
    if ANSWER_WORDS.search(opening):
        return False
    return bool(ACK_SUBJECT.search(parsed.subject) or ACK_BODY.search(opening))


def force_reference(parsed: ParsedMessage, ours: str) -> str:
    """The force's reference for the request, from the subject or the opening of the body;
    never our own (which a reply quotes back)."""
    for text in (parsed.subject, parsed.text[:OPENING]):
        for match in REFERENCE.finditer(text):
            reference = match.group("ref").strip(" .-/")
            if (
                reference
                and reference.upper() != ours.upper()
                and any(c.isdigit() for c in reference)
            ):
                return reference[:80]
    return ""


def bounce_reason(parsed: ParsedMessage) -> str:
    failed = [status.reason() for status in parsed.statuses if status.action == "failed"]
    if failed:
        return "; ".join(failed)[:2000]
    recipients = parsed.headers.get("x-failed-recipients", "")
    return f"{recipients}: returned by the mail server ({parsed.subject})"[:2000]
