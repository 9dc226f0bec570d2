"""The classification rules on their own, one message shape at a time (no database)."""

from __future__ import annotations

import pytest

from correspondence.classifying import classify, force_reference
from correspondence.parsing import AttachedFile, ParsedMessage, RecipientStatus


def message(subject="Your request", text="", headers=None, attachments=(), statuses=()):
    return ParsedMessage(
        subject=subject,
        text=text,
        headers=headers or {},
        attachments=list(attachments),
        statuses=list(statuses),
    )


PDF = AttachedFile("reply.pdf", "application/pdf", b"%PDF-1.7")
LOGO = AttachedFile("logo.png", "image/png", b"\x89PNG", inline_image=True)


@pytest.mark.parametrize(
    ("parsed", "expected"),
    [
        (message(statuses=[RecipientStatus("a@b", "failed", "5.1.1", "")]), "bounce"),
        (message(statuses=[RecipientStatus("a@b", "delayed", "4.4.7", "")]), "delivery_report"),
        (message(headers={"x-failed-recipients": "a@b"}), "bounce"),
        (message(headers={"auto-submitted": "auto-replied"}), "auto_reply"),
        (message(headers={"auto-submitted": "no"}), "reply"),
        (message(headers={"x-autoreply": "yes"}), "auto_reply"),
        (message(headers={"x-autorespond": ""}), "auto_reply"),
        (message(headers={"precedence": "bulk"}), "auto_reply"),
        (message(headers={"precedence": "list"}), "reply"),
        (message(subject="Automatic reply: FOI request"), "auto_reply"),
        (message(subject="Out of Office: back Monday"), "auto_reply"),
        (message(subject="Acknowledgement of your request"), "acknowledgement"),
        (message(text="We acknowledge receipt of your request."), "acknowledgement"),
        (message(text="Your request has been logged as FOI 12/26."), "acknowledgement"),
        (message(text="We have received your request.", attachments=[LOGO]), "acknowledgement"),
        # An answer thanks you for your request too, but it brings its answer.
        (
            message(text="We have received your request. Please see attached.", attachments=[PDF]),
            "reply",
        ),
        (message(text="We have received your request; the information is not held."), "reply"),
        (message(text="Your request has been received. We refuse it under section 12."), "reply"),
        (message(text="Please find our response below."), "reply"),
    ],
)
def test_each_rule(parsed, expected):
    assert classify(parsed) == expected


@pytest.mark.parametrize(
    ("subject", "text", "expected"),
    [
        ("Acknowledgement", "Our ref: FOI 1234/20\nWe will reply.", "FOI 1234/20"),
        ("FOI reference 2020/1234 - your request", "", "2020/1234"),
        ("Re: request", "Reference number: 001234/20.", "001234/20"),
        ("Re: request", "Our Reference: CAS-12345-ABCD", "CAS-12345-ABCD"),
        ("Re: request [FT-12]", "Reference: FT-12", ""),
        ("Re: request", "Our ref: see below", ""),
    ],
)
def test_the_forces_reference(subject, text, expected):
    assert force_reference(message(subject=subject, text=text), "FT-12") == expected
