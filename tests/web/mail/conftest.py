"""The correspondence tests' world for the pages: mail settings, documents in a temporary
folder, a campaign sent by email on Mon 2 Mar 2026 to Kent, Essex and BTP, replies on Tue 3 Mar,
and the real SMTP server on loopback."""

from tests.correspondence.conftest import (  # noqa: F401  (fixtures)
    document_files,
    frozen,
    mail_campaign,
    mail_settings,
    next_day,
    sent_by_email,
    smtp_server,
)
