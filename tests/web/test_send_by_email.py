"""The send page's choice between the tracker emailing the letters and recording letters the
researcher sent, and the campaign form's settings for letters by email.

Time stands at Mon 1 March 2021, 12:00 (tests/web/conftest.py)."""

from __future__ import annotations

import html
import re

import pytest

from correspondence.models import Message, RequestMailbox
from requests_app.models import Campaign, FoiRequest, RequestEvent
from requests_app.status import Status

REQUESTER = "Alex Researcher"


@pytest.fixture(autouse=True)
def mail_settings(settings):
    settings.CORRESPONDENCE_FROM_EMAIL = "foi@tracker.example.org"
    settings.REPLY_ADDRESS = "foi+{token}@replies.example.org"
    settings.MAIL_REFERENCE_PREFIX = "FT"
    settings.MAIL_SEND_RATE_PER_MINUTE = 20


@pytest.fixture
def signed(campaign):
    campaign.requester_name = REQUESTER
    campaign.save()
    return campaign


def _checked(page: str) -> str:
    return re.search(r'name="how" value="(\w+)"[^>]*checked', page).group(1)


def _text(page: str, element_id: str) -> str:
    found = re.search(rf'id="{element_id}"[^>]*>(.*?)</', page, re.S).group(1)
    return html.unescape(re.sub(r"<[^>]+>", "", found)).strip()


def written() -> tuple[int, int, int, int]:
    return (
        FoiRequest.objects.count(),
        RequestEvent.objects.count(),
        Message.objects.count(),
        RequestMailbox.objects.count(),
    )


def test_email_is_proposed_when_every_force_has_an_address_and_the_letter_is_shown(
    browser_for, owner, signed
):
    page = (
        browser_for(owner)
        .get(f"/campaigns/{signed.pk}/send/", {"forces": ["kent", "gwent", "essex"]})
        .content.decode()
    )
    assert _checked(page) == "email"
    assert _text(page, "email-from") == "Alex Researcher <foi@tracker.example.org>"
    assert _text(page, "email-reply-to").startswith("foi+{token}@replies.example.org, with")
    # Three letters at 20 a minute: the third leaves 6 seconds after the first.
    assert _text(page, "email-rate") == (
        "20 letters a minute: the last leaves within 1 minute of the first"
    )
    # The first force in the list (by name) and its FOIA wording, signed with the name.
    assert "The letter, as Essex Police gets it" in page
    assert _text(page, "letter-subject") == (
        f"Freedom of Information request: {signed.title} [FT-number]"
    )
    body = _text(page, "letter-body")
    assert body.startswith("Dear Essex Police,\n\nI am writing to request information under")
    assert "Alex Researcher\nfoi+{token}@replies.example.org" in body
    assert "info.rights.freedom@essex.police.uk" in page
    assert written() == (0, 0, 0, 0)


@pytest.mark.parametrize(
    ("requester", "forces"),
    [
        ("", ["kent"]),  # no name to sign the letter with
        (REQUESTER, ["kent", "jersey"]),  # Jersey's FOI address is not in the register
    ],
)
def test_record_only_is_proposed_when_the_tracker_cannot_email_every_letter(
    browser_for, owner, campaign, requester, forces
):
    campaign.requester_name = requester
    campaign.save()
    page = browser_for(owner).get(f"/campaigns/{campaign.pk}/send/", {"forces": forces})
    assert _checked(page.content.decode()) == "record"


def test_sending_by_email_queues_one_letter_a_force_and_a_second_post_writes_nothing(
    browser_for, owner, signed
):
    client = browser_for(owner)
    body = {"forces": ["kent", "gwent"], "how": "email", "sent_on": ""}
    response = client.post(f"/campaigns/{signed.pk}/send/", body, follow=True)
    assert response.redirect_chain == [(f"/campaigns/{signed.pk}/", 302)]
    assert "2 letters queued to be emailed" in response.content.decode()
    requests = FoiRequest.objects.filter(campaign=signed).order_by("force__slug")
    # Drafts until the mail server accepts their letters: no event, no clock yet.
    assert [(r.force.slug, r.status) for r in requests] == [
        ("gwent", Status.DRAFT),
        ("kent", Status.DRAFT),
    ]
    letters = Message.objects.order_by("to_addresses")
    assert [(m.to_addresses, m.state, m.letter) for m in letters] == [
        ("foi@gwent.pnn.police.uk", "queued", "request"),
        ("freedomofinformation@kent.police.uk", "queued", "request"),
    ]
    before = written()
    assert before == (2, 0, 2, 2)
    again = client.post(f"/campaigns/{signed.pk}/send/", body, follow=True)
    assert "was already sent to these 2 forces: nothing was written" in again.content.decode()
    assert written() == before


def test_sending_by_email_without_a_requesters_name_says_so_and_writes_nothing(
    browser_for, owner, campaign
):
    response = browser_for(owner).post(
        f"/campaigns/{campaign.pk}/send/", {"forces": ["kent"], "how": "email"}
    )
    assert response.status_code == 400
    assert "The campaign has no requester&#x27;s name" in response.content.decode()
    assert written() == (0, 0, 0, 0)


def test_recording_without_a_date_names_the_date_and_writes_nothing(browser_for, owner, signed):
    response = browser_for(owner).post(
        f"/campaigns/{signed.pk}/send/", {"forces": ["kent"], "how": "record", "sent_on": ""}
    )
    assert response.status_code == 400
    assert "Give the date you sent the requests." in response.content.decode()
    assert written() == (0, 0, 0, 0)


def test_sending_without_choosing_how_asks_for_the_choice(browser_for, owner, signed):
    response = browser_for(owner).post(
        f"/campaigns/{signed.pk}/send/", {"forces": ["kent"], "sent_on": "2021-03-01"}
    )
    assert response.status_code == 400
    assert "Choose whether the tracker sends the letters by email." in response.content.decode()
    assert written() == (0, 0, 0, 0)


def test_the_campaign_form_keeps_the_requester_and_the_chasers(browser_for, owner, campaign):
    client = browser_for(owner)
    page = client.get(f"/campaigns/{campaign.pk}/edit/").content.decode()
    assert 'name="requester_name"' in page and 'name="chase_after_working_days"' in page
    body = {
        "title": campaign.title,
        "question": campaign.question,
        "periods-TOTAL_FORMS": "1",
        "periods-INITIAL_FORMS": "0",
        "periods-0-start": "2019-10-01",
        "periods-0-end": "2020-09-30",
        "requester_name": "Alex Researcher",
        "chase_by_email": "on",
        "chase_after_working_days": "3",
    }
    assert client.post(f"/campaigns/{campaign.pk}/edit/", body).status_code == 302
    saved = Campaign.objects.get(pk=campaign.pk)
    assert (saved.requester_name, saved.chase_by_email, saved.chase_after_working_days) == (
        "Alex Researcher",
        True,
        3,
    )
    bad = client.post(f"/campaigns/{campaign.pk}/edit/", {**body, "chase_after_working_days": "0"})
    assert bad.status_code == 400
    assert "chase_after_working_days-error" in bad.content.decode()
    assert Campaign.objects.get(pk=campaign.pk).chase_after_working_days == 3
