"""Realistic messages from the forces and their mail servers, built as the bytes a mail server
would pipe or an IMAP server would hold. The bounces follow what Postfix, Exim and Exchange
Online send (multipart/report with a message/delivery-status part, RFC 3464)."""

from __future__ import annotations

import io
import re
from email.message import EmailMessage
from email.utils import format_datetime

import openpyxl

from tests.correspondence.conftest import at

TRACKER = "foi@tracker.example.org"
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40


def reply_to(token: str) -> str:
    return f"foi+{token}@replies.example.org"


def xlsx_bytes() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Platforms"
    for row in [("Platform", "Oct 2019 - Mar 2020"), ("Instagram", 14), ("Snapchat", "*")]:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _message(
    *,
    sender: str,
    to: str,
    subject: str,
    body: str = "",
    message_id: str | None = "<auto>",
    day: str = "2026-03-03",
    **headers: str,
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(at(day, 9))
    if message_id:
        slug = re.sub(r"[^a-z0-9]+", "-", subject.lower()).strip("-")[:40]
        message["Message-ID"] = message_id if message_id != "<auto>" else f"<{slug}@mx.test>"
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    if body:
        message.set_content(body)
    return message


def acknowledgement(token: str, request_id: int) -> bytes:
    return _message(
        sender="Kent Police Freedom of Information <freedomofinformation@kent.police.uk>",
        to=reply_to(token),
        subject=f"Acknowledgement - FOI 1234/26 [FT-{request_id}]",
        body="Dear Alex Researcher,\n\n"
        "Thank you for your email. We acknowledge receipt of your request for information, "
        "which has been logged.\n\nOur ref: FOI 1234/26\n\nWe will respond within 20 working "
        "days, as the Freedom of Information Act 2000 requires.\n\nInformation Rights Unit\n"
        "Kent Police\n",
        message_id="<ack-1234-26@kent.police.uk>",
    ).as_bytes()


def out_of_office(token: str) -> bytes:
    return _message(
        sender="Jane Smith <freedomofinformation@kent.police.uk>",
        to=reply_to(token),
        subject="Automatic reply: Freedom of Information request",
        body="I am out of the office until Monday 9 March with no access to email.\n",
        message_id="<oof-20260303@kent.police.uk>",
        Auto_Submitted="auto-replied",
        X_Auto_Response_Suppress="All",
    ).as_bytes()


def answer_with_files(token: str, request_id: int) -> bytes:
    message = _message(
        sender="Kent Police Freedom of Information <freedomofinformation@kent.police.uk>",
        to=reply_to(token),
        subject=f"RE: Freedom of Information request [FT-{request_id}] - FOI 1234/26",
        body="Dear Alex Researcher,\n\nPlease find attached our response to your request, "
        "with the figures in the spreadsheet.\n\nInformation Rights Unit\n",
        message_id="<answer-1234-26@kent.police.uk>",
    )
    sheet = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    maintype, subtype = sheet.split("/")
    message.add_attachment(xlsx_bytes(), maintype=maintype, subtype=subtype, filename="FOI.xlsx")
    message.add_attachment(PDF, maintype="application", subtype="pdf", filename="Response.pdf")
    message.add_attachment(PNG, maintype="image", subtype="png", filename="logo.png")
    return message.as_bytes()


def reply_in_thread(our_message_id: str) -> bytes:
    """Sent to the tracker's From address, not the reply address, with no reference: only
    In-Reply-To ties it to our letter."""
    return _message(
        sender="Essex Police <info.rights.freedom@essex.police.uk>",
        to=TRACKER,
        subject="Your request",
        body="Could you confirm whether you want figures by financial year or calendar year?\n",
        message_id="<clarify-77@essex.police.uk>",
        In_Reply_To=our_message_id,
    ).as_bytes()


def from_another_kent_address(message_id: str = "<smith-1@kent.police.uk>") -> bytes:
    """A member of staff writing from their own address, to the tracker's From address, with
    neither our reference nor a thread."""
    return _message(
        sender="John Smith <john.smith@kent.police.uk>",
        to=TRACKER,
        subject="Question about your request",
        body="Hello, which offence codes do you want included?\n",
        message_id=message_id,
    ).as_bytes()


def forwarded(token: str, request_id: int) -> bytes:
    """The researcher forwards to the request's address an answer the force sent to them."""
    inner = _message(
        sender="Kent Police <freedomofinformation@kent.police.uk>",
        to="alex@charity.example.org",
        subject="FOI 1234/26 response",
        body="Please see the attached figures.\n",
        message_id="<inner-1234@kent.police.uk>",
    )
    sheet = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    maintype, subtype = sheet.split("/")
    inner.add_attachment(xlsx_bytes(), maintype=maintype, subtype=subtype, filename="kent.xlsx")
    outer = _message(
        sender="Alex Researcher <alex@charity.example.org>",
        to=reply_to(token),
        subject=f"Fwd: FOI 1234/26 response [FT-{request_id}]",
        body="Forwarding Kent's answer, which came to my own address.\n",
        message_id="<fwd-1@charity.example.org>",
    )
    outer.add_attachment(inner)
    return outer.as_bytes()


def without_message_id(token: str) -> bytes:
    return _message(
        sender="Kent Police <freedomofinformation@kent.police.uk>",
        to=reply_to(token),
        subject="Further to your request",
        body="We are still gathering the figures.\n",
        message_id=None,
    ).as_bytes()


def oversized(token: str, size: int) -> bytes:
    message = _message(
        sender="Kent Police <freedomofinformation@kent.police.uk>",
        to=reply_to(token),
        subject="Our response (large attachment)",
        body="Please find the full extract attached.\n",
        message_id="<huge-1@kent.police.uk>",
    )
    message.add_attachment(
        PDF + b"0" * size, maintype="application", subtype="pdf", filename="x.pdf"
    )
    return message.as_bytes()


def malformed(token: str) -> bytes:
    """A broken boundary, base64 that is not, an unknown charset and a header in raw 8-bit."""
    return (
        f"From: Kent Police <freedomofinformation@kent.police.uk>\r\n"
        f"To: {reply_to(token)}\r\n"
        "Subject: =?x-unknown?Q?Re=3A_request?= \xff\xfe\r\n"
        "Message-ID: <broken-1@kent.police.uk>\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/mixed; boundary="outer"\r\n'
        "\r\n"
        "--outer\r\n"
        "Content-Type: text/plain; charset=x-no-such-charset\r\n"
        "\r\n"
        "The figures are \x93attached\x94.\r\n"
        "--outer\r\n"
        'Content-Type: application/pdf; name="reply.pdf"\r\n'
        "Content-Transfer-Encoding: base64\r\n"
        'Content-Disposition: attachment; filename="reply.pdf"\r\n'
        "\r\n"
        "this is not base64 !!!\r\n"
        "--outer-broken\r\n"
    ).encode("latin-1")


def in_charset(token: str, charset: str, text: str, message_id: str) -> bytes:
    head = (
        f"From: Kent Police <freedomofinformation@kent.police.uk>\r\n"
        f"To: {reply_to(token)}\r\n"
        f"Subject: Figures\r\nMessage-ID: {message_id}\r\nMIME-Version: 1.0\r\n"
        f"Content-Type: text/plain; charset={charset}\r\n"
        "Content-Transfer-Encoding: 8bit\r\n\r\n"
    )
    return head.encode("ascii") + text.encode(charset)


def html_only(token: str) -> bytes:
    message = _message(
        sender="Kent Police <freedomofinformation@kent.police.uk>",
        to=reply_to(token),
        subject="Our response",
        message_id="<html-1@kent.police.uk>",
    )
    message.set_content(
        "<html><head><style>p {color: red}</style><script>steal(document.cookie)</script>"
        "</head><body><p>Dear Alex,</p><p>We hold <b>14</b> records &amp; more.</p>"
        '<img src="https://tracker.example.net/pixel.gif?id=1" width="1">'
        '<p onclick="evil()">Regards</p></body></html>',
        subtype="html",
    )
    return message.as_bytes()


def postfix_bounce(token: str, our_message_id: str, recipient: str) -> bytes:
    boundary = "3F1A2B0C3D.1772445605/mx.replies.example.org"
    return (
        "Return-Path: <>\r\n"
        f"Delivered-To: {reply_to(token)}\r\n"
        "Date: Mon,  2 Mar 2026 10:00:05 +0000 (GMT)\r\n"
        "From: MAILER-DAEMON@mx.replies.example.org (Mail Delivery System)\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\n"
        f"To: {reply_to(token)}\r\n"
        "Auto-Submitted: auto-replied\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: multipart/report; report-type=delivery-status;\r\n"
        f'\tboundary="{boundary}"\r\n'
        "Message-Id: <20260302100005.3F1A2B0C3D@mx.replies.example.org>\r\n"
        "\r\n"
        "This is a MIME-encapsulated message.\r\n"
        "\r\n"
        f"--{boundary}\r\n"
        "Content-Description: Notification\r\n"
        "Content-Type: text/plain; charset=us-ascii\r\n"
        "\r\n"
        "This is the mail system at host mx.replies.example.org.\r\n"
        "\r\n"
        "I'm sorry to have to inform you that your message could not\r\n"
        "be delivered to one or more recipients. It's attached below.\r\n"
        "\r\n"
        f"<{recipient}>: host mx.kent.police.uk[192.0.2.10] said: 550 5.1.1\r\n"
        f"    <{recipient}>: Recipient address rejected: User unknown (in reply to RCPT TO\r\n"
        "    command)\r\n"
        "\r\n"
        f"--{boundary}\r\n"
        "Content-Description: Delivery report\r\n"
        "Content-Type: message/delivery-status\r\n"
        "\r\n"
        "Reporting-MTA: dns; mx.replies.example.org\r\n"
        "X-Postfix-Queue-ID: 3F1A2B0C3D\r\n"
        f"X-Postfix-Sender: rfc822; {reply_to(token)}\r\n"
        "Arrival-Date: Mon,  2 Mar 2026 10:00:01 +0000 (GMT)\r\n"
        "\r\n"
        f"Final-Recipient: rfc822; {recipient}\r\n"
        f"Original-Recipient: rfc822;{recipient}\r\n"
        "Action: failed\r\n"
        "Status: 5.1.1\r\n"
        "Remote-MTA: dns; mx.kent.police.uk\r\n"
        f"Diagnostic-Code: smtp; 550 5.1.1 <{recipient}>: Recipient address\r\n"
        "    rejected: User unknown\r\n"
        "\r\n"
        f"--{boundary}\r\n"
        "Content-Description: Undelivered Message Headers\r\n"
        "Content-Type: text/rfc822-headers\r\n"
        "\r\n"
        f"Return-Path: <{reply_to(token)}>\r\n"
        f"From: Alex Researcher <{TRACKER}>\r\n"
        f"To: {recipient}\r\n"
        "Subject: Freedom of Information request\r\n"
        f"Message-ID: {our_message_id}\r\n"
        "\r\n"
        f"--{boundary}--\r\n"
    ).encode("ascii")


def exim_bounce(our_message_id: str, recipient: str) -> bytes:
    """To the tracker's From address (an envelope sender rewritten by a relay), so only the
    returned message ties it to our letter."""
    boundary = "1772445605-eximdsn-1804289383"
    return (
        "Return-path: <>\r\n"
        f"Envelope-to: {TRACKER}\r\n"
        "From: Mail Delivery System <Mailer-Daemon@smtp.relay.example.net>\r\n"
        f"To: {TRACKER}\r\n"
        f"Content-Type: multipart/report; report-type=delivery-status; boundary={boundary}\r\n"
        "MIME-Version: 1.0\r\n"
        "Subject: Mail delivery failed: returning message to sender\r\n"
        "Message-Id: <E1vXyZa-000123-AB@smtp.relay.example.net>\r\n"
        "Date: Mon, 02 Mar 2026 10:00:05 +0000\r\n"
        f"X-Failed-Recipients: {recipient}\r\n"
        "Auto-Submitted: auto-replied\r\n"
        "\r\n"
        f"--{boundary}\r\n"
        "Content-type: text/plain; charset=us-ascii\r\n"
        "\r\n"
        "This message was created automatically by mail delivery software.\r\n"
        "\r\n"
        "A message that you sent could not be delivered to one or more of its\r\n"
        "recipients. This is a permanent error. The following address(es) failed:\r\n"
        "\r\n"
        f"  {recipient}\r\n"
        "    host mx.essex.police.uk [192.0.2.20]\r\n"
        f"    SMTP error from remote mail server after RCPT TO:<{recipient}>:\r\n"
        "    550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found\r\n"
        "\r\n"
        f"--{boundary}\r\n"
        "Content-type: message/delivery-status\r\n"
        "\r\n"
        "Reporting-MTA: dns; smtp.relay.example.net\r\n"
        "\r\n"
        "Action: failed\r\n"
        f"Final-Recipient: rfc822;{recipient}\r\n"
        "Status: 5.0.0\r\n"
        "Remote-MTA: dns; mx.essex.police.uk\r\n"
        "Diagnostic-Code: smtp; 550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found\r\n"
        "\r\n"
        f"--{boundary}\r\n"
        "Content-type: message/rfc822\r\n"
        "\r\n"
        f"From: Alex Researcher <{TRACKER}>\r\n"
        f"To: {recipient}\r\n"
        "Subject: Freedom of Information request\r\n"
        f"Message-ID: {our_message_id}\r\n"
        "\r\n"
        "Dear Essex Police,\r\n"
        "\r\n"
        f"--{boundary}--\r\n"
    ).encode("ascii")


def exchange_ndr(token: str, our_message_id: str, recipient: str, action: str = "failed") -> bytes:
    """Exchange Online's non-delivery report; `action="delayed"` makes its delay notice."""
    boundary = "_000_LO2P265MB1234ABCDprodoutlookcom_"
    status = "5.4.1" if action == "failed" else "4.4.7"
    subject = "Undeliverable" if action == "failed" else "Delivery delayed"
    return (
        "From: Microsoft Outlook <postmaster@replies.example.org>\r\n"
        f"To: <{reply_to(token)}>\r\n"
        "Date: Mon, 2 Mar 2026 10:00:07 +0000\r\n"
        f"Subject: {subject}: Freedom of Information request\r\n"
        "Message-ID: <5b0e8c1a-ndr-" + action + "@LO2P265MB1234.GBRP265.PROD.OUTLOOK.COM>\r\n"
        "Auto-Submitted: auto-replied\r\n"
        "X-MS-Exchange-Message-Is-Ndr:\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: multipart/report; report-type=delivery-status;\r\n"
        f'\tboundary="{boundary}"\r\n'
        "\r\n"
        f"--{boundary}\r\n"
        "Content-Type: text/plain; charset=us-ascii\r\n"
        "\r\n"
        f"Your message to {recipient} couldn't be delivered.\r\n"
        "Access denied.\r\n"
        "\r\n"
        f"--{boundary}\r\n"
        "Content-Type: message/delivery-status\r\n"
        "\r\n"
        "Reporting-MTA: dns;LO2P265MB1234.GBRP265.PROD.OUTLOOK.COM\r\n"
        "Received-From-MTA: dns;smtp.relay.example.net\r\n"
        "Arrival-Date: Mon, 2 Mar 2026 10:00:03 +0000\r\n"
        "\r\n"
        f"Final-Recipient: rfc822;{recipient}\r\n"
        f"Action: {action}\r\n"
        f"Status: {status}\r\n"
        "Diagnostic-Code: smtp;550 5.4.1 Recipient address rejected: Access denied.\r\n"
        " AS(201806281) [LO2P265MB1234.GBRP265.PROD.OUTLOOK.COM]\r\n"
        "\r\n"
        f"--{boundary}\r\n"
        "Content-Type: message/rfc822\r\n"
        "\r\n"
        f"From: Alex Researcher <{TRACKER}>\r\n"
        f"To: <{recipient}>\r\n"
        "Subject: Freedom of Information request\r\n"
        f"Message-ID: {our_message_id}\r\n"
        "\r\n"
        "Dear British Transport Police,\r\n"
        "\r\n"
        f"--{boundary}--\r\n"
    ).encode("ascii")
