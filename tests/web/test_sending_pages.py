"""Choosing forces and sending from the browser, the board's bulk action and re-asking a force.

Time stands at 1 March 2021 (tests/web/conftest.py); `send_to` sends on 18 January 2021."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from requests_app.models import FoiRequest, Force, RequestEvent
from requests_app.services import campaign_send, request_record_event
from responses_app.services import response_record
from tests.factories import CampaignFactory

D = dt.date


def _ticked(html: str) -> list[str]:
    return re.findall(r'name="forces" value="([\w-]+)" id="force-[\w-]+" checked>', html)


def _disabled(html: str) -> list[str]:
    return re.findall(
        r'name="forces" value="([\w-]+)" id="force-[\w-]+"(?: checked)? disabled>', html
    )


def test_the_chooser_ticks_the_forces_of_a_country_and_keeps_single_ticks(
    browser_for, owner, campaign
):
    client = browser_for(owner)
    url = f"/campaigns/{campaign.pk}/forces/"
    assert _ticked(client.get(url).content.decode()) == []
    html = client.get(url, {"pick": "1", "country": "Wales", "forces": ["jersey"]}).content.decode()
    # Forces are listed by country, then name: Jersey sorts before Wales.
    assert _ticked(html) == ["jersey", "dyfed-powys", "gwent", "north-wales", "south-wales"]


@pytest.mark.parametrize(
    ("pick", "count"),
    [
        ({}, 46),  # "Any" everywhere: every force
        ({"regime": "foia-2000"}, 44),
        ({"kind": "non-territorial"}, 1),  # British Transport Police
        ({"country": "England", "kind": "territorial"}, 39),
    ],
)
def test_the_chooser_ticks_by_regime_and_kind(browser_for, owner, campaign, pick, count):
    html = (
        browser_for(owner)
        .get(f"/campaigns/{campaign.pk}/forces/", {"pick": "1", **pick})
        .content.decode()
    )
    assert len(_ticked(html)) == count


def test_forces_already_asked_are_marked_and_cannot_be_chosen(
    browser_for, owner, campaign, send_to
):
    send_to("kent", "gwent")
    html = (
        browser_for(owner)
        .get(f"/campaigns/{campaign.pk}/forces/", {"pick": "1", "country": "Wales"})
        .content.decode()
    )
    assert _disabled(html) == ["kent", "gwent"]
    assert _ticked(html) == ["dyfed-powys", "north-wales", "south-wales"]
    assert "asked 18 Jan 2021" in html
    assert "2 forces already asked are marked" in html


def test_the_choosers_query_count_does_not_grow_with_the_forces_asked(
    browser_for, owner, campaign, send_to
):
    client = browser_for(owner)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            client.get(f"/campaigns/{campaign.pk}/forces/")
        return len(captured)

    few = queries()
    send_to("kent", "gwent", "essex", "dorset", "jersey")
    assert queries() == few


def test_the_confirmations_query_count_does_not_grow_with_the_forces(browser_for, owner, campaign):
    client = browser_for(owner)

    def queries(*slugs: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            url = f"/campaigns/{campaign.pk}/send/"
            assert client.get(url, {"forces": list(slugs)}).status_code == 200
        return len(captured)

    assert queries("kent") == queries("kent", "gwent", "jersey", "essex", "dorset", "surrey")


def test_the_confirmation_shows_the_forces_and_the_date_before_anything_is_written(
    browser_for, owner, campaign
):
    html = (
        browser_for(owner)
        .get(f"/campaigns/{campaign.pk}/send/", {"forces": ["gwent", "jersey"]})
        .content.decode()
    )
    assert re.findall(r'<th scope="row">(.*?)<input', html) == [
        "Gwent Police",
        "States of Jersey Police",
    ]
    assert 'name="sent_on" value="2021-03-01"' in html
    assert "Send to 2 forces" in html
    assert FoiRequest.objects.count() == 0


def _send(client, campaign, *slugs, **extra):
    return client.post(
        f"/campaigns/{campaign.pk}/send/",
        {"forces": list(slugs), "sent_on": "2021-03-01", "how": "record", **extra},
    )


def test_sending_writes_one_request_a_force_and_a_second_post_writes_nothing(
    browser_for, owner, campaign
):
    client = browser_for(owner)
    response = _send(client, campaign, "gwent", "jersey")
    assert response.status_code == 302 and response["Location"] == f"/campaigns/{campaign.pk}/"
    assert sorted(campaign.requests.values_list("force__slug", "sent_on")) == [
        ("gwent", D(2021, 3, 1)),
        ("jersey", D(2021, 3, 1)),
    ]
    before = (FoiRequest.objects.count(), RequestEvent.objects.count())
    again = _send(client, campaign, "gwent", "jersey")
    assert again.status_code == 302
    assert (FoiRequest.objects.count(), RequestEvent.objects.count()) == before
    board = client.get(again["Location"]).content.decode()
    assert "was already sent to these 2 forces: nothing was written this time." in board


def test_sending_to_a_force_already_asked_among_new_ones_is_refused_by_name(
    browser_for, owner, campaign, send_to
):
    send_to("gwent")
    response = _send(browser_for(owner), campaign, "gwent", "jersey")
    assert response.status_code == 400
    assert "This campaign was already sent to: gwent." in response.content.decode()
    assert list(campaign.requests.values_list("force__slug", flat=True)) == ["gwent"]


def test_guernsey_needs_the_requesters_eligibility_confirmed(browser_for, owner, campaign):
    client = browser_for(owner)
    refused = _send(client, campaign, "guernsey", "jersey")
    assert refused.status_code == 400
    assert "open to Bailiwick residents only: confirm the requester" in refused.content.decode()
    assert FoiRequest.objects.count() == 0
    sent = _send(client, campaign, "guernsey", "jersey", guernsey_eligible="on")
    assert sent.status_code == 302
    campaign.refresh_from_db()
    assert campaign.guernsey_eligibility_confirmed and campaign.requests.count() == 2
    assert campaign.history.first().history_user == owner


def test_a_date_sent_in_the_future_is_refused_beside_its_field(browser_for, owner, campaign):
    response = browser_for(owner).post(
        f"/campaigns/{campaign.pk}/send/",
        {"forces": ["gwent"], "sent_on": "2021-03-02", "how": "record"},
    )
    assert response.status_code == 400
    assert re.search(
        r'id="id_sent_on-error" role="alert">2021-03-02 is in the future', response.content.decode()
    )
    assert FoiRequest.objects.count() == 0


def test_an_unknown_force_is_refused(browser_for, owner, campaign):
    response = _send(browser_for(owner), campaign, "atlantis")
    assert response.status_code == 400
    assert (
        "Select a valid choice. atlantis is not one of the available choices."
        in response.content.decode()
    )


# The board's bulk action ----------------------------------------------------------------------


def test_one_event_is_recorded_for_the_forces_ticked(browser_for, owner, campaign, send_to):
    sent = send_to("kent", "gwent", "jersey", "surrey")
    ticked = [sent[slug].pk for slug in ("kent", "gwent", "jersey")]
    response = browser_for(owner).post(
        f"/campaigns/{campaign.pk}/",
        {"kind": "acknowledged", "on": "2021-01-19", "requests": ticked},
    )
    assert response.status_code == 302
    acknowledged = RequestEvent.objects.filter(kind="acknowledged")
    assert sorted(acknowledged.values_list("request__force__slug", flat=True)) == [
        "gwent",
        "jersey",
        "kent",
    ]


def test_a_refusal_by_any_force_writes_nothing_and_lists_each_refusal(
    browser_for, owner, campaign, send_to
):
    sent = send_to("kent", "gwent", "jersey")
    request_record_event(request=sent["gwent"], kind="fee_notice", on=D(2021, 1, 20), user=owner)
    response_record(
        request=sent["jersey"], received_on=D(2021, 1, 25), outcome="granted", user=owner
    )
    before = RequestEvent.objects.count()
    response = browser_for(owner).post(
        f"/campaigns/{campaign.pk}/",
        {"kind": "acknowledged", "on": "2021-01-26", "requests": [r.pk for r in sent.values()]},
    )
    assert response.status_code == 400
    listed = re.search(
        r"<p>Nothing was written:</p><ul>(.*?)</ul>", response.content.decode()
    ).group(1)
    assert re.findall(r"<li>(.*?):", listed) == ["Gwent Police", "States of Jersey Police"]
    assert RequestEvent.objects.count() == before
    # The ticks survive the refusal, so the user can untick the forces refused and try again.
    assert (
        len(
            re.findall(
                r'name="requests" value="\d+" aria-label="[^"]+" checked>',
                response.content.decode(),
            )
        )
        == 3
    )


def test_nothing_ticked_is_refused(browser_for, owner, campaign, send_to):
    send_to("kent")
    response = browser_for(owner).post(
        f"/campaigns/{campaign.pk}/", {"kind": "acknowledged", "on": "2021-01-19"}
    )
    assert response.status_code == 400
    assert "Tick at least one force in the table." in response.content.decode()


def test_a_request_of_another_campaign_cannot_be_ticked(browser_for, owner, campaign, send_to):
    send_to("kent")
    other = CampaignFactory(owner=owner)
    [foreign] = campaign_send(
        campaign=other,
        forces=[Force.objects.get(slug="surrey")],
        sent_on=D(2021, 1, 18),
        user=owner,
    )
    response = browser_for(owner).post(
        f"/campaigns/{campaign.pk}/",
        {"kind": "acknowledged", "on": "2021-01-19", "requests": [foreign.pk]},
    )
    assert response.status_code == 400
    assert not RequestEvent.objects.filter(kind="acknowledged").exists()


# Re-asking ------------------------------------------------------------------------------------


def test_a_refused_force_is_re_asked_and_both_pages_link_the_other(
    browser_for, owner, campaign, send_to, data_entry
):
    surrey = send_to("surrey")["surrey"]
    response_record(
        request=surrey,
        received_on=D(2021, 2, 10),
        outcome="refused",
        exemptions=["s12"],
        user=data_entry,
    )
    client = browser_for(owner)
    assert (
        "Re-ask this force a narrowed question"
        in client.get(f"/requests/{surrey.pk}/").content.decode()
    )
    response = client.post(
        f"/requests/{surrey.pk}/reask/", {"question": "Instagram only.", "sent_on": "2021-02-15"}
    )
    child = FoiRequest.objects.get(parent=surrey)
    assert response["Location"] == f"/requests/{child.pk}/"
    parent_page = client.get(f"/requests/{surrey.pk}/").content.decode()
    assert f'<a href="/requests/{child.pk}/">see the re-ask</a>' in parent_page
    assert "Re-ask this force a narrowed question" not in parent_page
    child_page = client.get(f"/requests/{child.pk}/").content.decode()
    assert f'A re-ask of <a href="/requests/{surrey.pk}/">the request it replaces</a>' in child_page
    assert "Instagram only." in child_page
    # Sent Mon 15 Feb 2021: 20 working days later (no holiday) is Mon 15 Mar 2021.
    assert '<dd id="due">15 Mar 2021</dd>' in child_page
    board = client.get(f"/campaigns/{campaign.pk}/").content.decode()
    assert board.count("Surrey Police</a>") == 2 and '<span class="tag">Re-ask</span>' in board
    assert "1 force asked" in board


def test_a_re_ask_before_the_answer_is_refused_beside_its_field(
    browser_for, owner, send_to, data_entry
):
    surrey = send_to("surrey")["surrey"]
    response_record(request=surrey, received_on=D(2021, 2, 10), outcome="refused", user=data_entry)
    response = browser_for(owner).post(
        f"/requests/{surrey.pk}/reask/", {"question": "Narrower", "sent_on": "2021-02-01"}
    )
    assert response.status_code == 400
    assert "send it on or after 10 Feb 2021" in response.content.decode()
    assert FoiRequest.objects.count() == 1
