"""The compliance report over a seven-force campaign, every number counted by hand.

Today is Tue 20 Jan 2026. The campaign went to seven forces on Mon 3 Nov 2025 (received that
day). On a printed calendar (Python's `calendar` module), with the FOIA holidays of the
`holidays` package (the union of the four UK calendars): Mon 1 Dec 2025 (St Andrew's Day
observed, Scotland), Thu 25 and Fri 26 Dec, Thu 1 Jan 2026 and Fri 2 Jan (Scotland).

       November 2025           December 2025           January 2026
    Mo Tu We Th Fr Sa Su    Mo Tu We Th Fr Sa Su    Mo Tu We Th Fr Sa Su
                    1  2     1  2  3  4  5  6  7              1  2  3  4
     3  4  5  6  7  8  9     8  9 10 11 12 13 14     5  6  7  8  9 10 11
    10 11 12 13 14 15 16    15 16 17 18 19 20 21    12 13 14 15 16 17 18
    17 18 19 20 21 22 23    22 23 24 25 26 27 28    19 20 21 22 23 24 25
    24 25 26 27 28 29 30    29 30 31                26 27 28 29 30 31

Working days (WD) after Mon 3 Nov: 4-7 Nov are WD 1-4, 10-14 Nov 5-9, 17-21 Nov 10-14, 24-28 Nov
15-19, (1 Dec skipped) Tue 2 Dec WD 20: the answer is due on 2 Dec. The ICO's ceiling for an
extension, 20 WD after 2 Dec: 3-5 Dec 1-3, 8-12 Dec 4-8, 15-19 Dec 9-13, 22-24 Dec 14-16, (25-26
Dec skipped) 29-31 Dec 17-19, (1-2 Jan skipped) Mon 5 Jan 20: the ceiling is 5 Jan 2026.

Force by force: working days to answer (WD), in time, in extended time.
- kent: fee notice Fri 7 Nov (3 WD used: 4-6 Nov), paid Wed 12 Nov; the 17 WD left run from 12 Nov:
  13-14 Nov 1-2, 17-21 3-7, 24-28 8-12, 2-5 Dec 13-16, Mon 8 Dec 17: due 8 Dec. Granted Thu 4 Dec
  (13 Nov - 4 Dec is 15 WD): 3 + 15 = 18 WD, in time (it would be late without the pause).
- essex: granted Thu 4 Dec: 3 Dec is WD 21, 4 Dec WD 22. Late.
- surrey: extension Fri 28 Nov (WD 19, by the due date) to Fri 19 Dec, within the ceiling: proper.
  Granted Wed 17 Dec: 3-5 Dec WD 21-23, 8-12 24-28, 15-17 29-31: 31 WD, late, but in extended
  time and kept to the ceiling.
- sussex: extension Tue 2 Dec (WD 20, in time) to Fri 16 Jan 2026, beyond the 5 Jan ceiling: not
  proper. Granted Wed 14 Jan: 5 Jan is WD 40, 6-9 Jan 41-44, 12-14 Jan 45-47: 47 WD, late, not in
  extended time, missed the ceiling.
- dorset: refused under s.12 Mon 24 Nov: WD 15, in time. Review asked Wed 26 Nov, due 20 WD later:
  27-28 Nov 1-2, 2-5 Dec 3-6, 8-12 7-11, 15-19 12-16, 22-24 17-19, Mon 29 Dec 20. Upheld Fri 19 Dec:
  in time.
- devon-and-cornwall: clarification asked Wed 5 Nov, received Mon 10 Nov, so the 20 WD run again:
  11-14 Nov 1-4, 17-21 5-9, 24-28 10-14, 2-5 Dec 15-18, 8 Dec 19, Tue 9 Dec 20: due 9 Dec. Refused
  under s.40(2) Mon 8 Dec: 19 WD, in time (it would be late without the restart).
- cheshire: acknowledged Wed 5 Nov, then silence: late, and overdue since 2 Dec.

Shares: in time 3 of 7 = 0.428571... -> 0.429; in extended time (surrey too) 4 of 7 = 0.571428...
-> 0.571. Working days, sorted: 15, 18, 19, 22, 31, 47. Median (19 + 22) / 2 = 20.5. 90th
percentile (inclusive): rank position (6 - 1) x 0.9 = 4.5 (from 0), so 31 + 0.5 x (47 - 31) = 39.
Extensions: 2, 1 proper, 1 estimate beyond the ceiling, 1 kept to it, 1 missed it. Refusals: 2
(s.12 once, s.40(2) once). Reviews: 1 asked, 1 answered in time, upheld. Overdue now: cheshire.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from requests_app.models import Force
from requests_app.services import campaign_send, request_record_event
from responses_app import services
from tests.factories import CampaignFactory

COMPLIANCE = "/api/v1/compliance/"
SENT_ON = dt.date(2025, 11, 3)
TODAY = dt.datetime(2026, 1, 20, 12, 0)
SEVEN = ["kent", "essex", "surrey", "sussex", "dorset", "devon-and-cornwall", "cheshire"]


def day(iso: str) -> dt.date:
    return dt.date.fromisoformat(iso)


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(TODAY, tick=False):
        yield


def send(campaign, owner, slugs, sent_on=SENT_ON) -> dict:
    forces = list(Force.objects.filter(slug__in=slugs))
    sent = campaign_send(campaign=campaign, forces=forces, sent_on=sent_on, user=owner)
    return {request.force.slug: request for request in sent}


def log(request, user, *events) -> None:
    for kind, on, *extra in events:
        options = extra[0] if extra else {}
        request_record_event(request=request, kind=kind, on=day(on), user=user, **options)


def answer(request, user, on, outcome="granted", **extra):
    return services.response_record(
        request=request, received_on=day(on), outcome=outcome, user=user, **extra
    )


@pytest.fixture
def seven(campaign, owner, data_entry):
    requests = send(campaign, owner, SEVEN)
    kent = requests["kent"]
    log(kent, owner, ("acknowledged", "2025-11-04"), ("fee_notice", "2025-11-07"))
    log(kent, owner, ("fee_paid", "2025-11-12"))
    answer(kent, data_entry, "2025-12-04")
    answer(requests["essex"], data_entry, "2025-12-04")
    log(requests["surrey"], owner, ("extension", "2025-11-28", {"until": day("2025-12-19")}))
    answer(requests["surrey"], data_entry, "2025-12-17")
    log(requests["sussex"], owner, ("extension", "2025-12-02", {"until": day("2026-01-16")}))
    answer(requests["sussex"], data_entry, "2026-01-14")
    dorset = requests["dorset"]
    answer(dorset, data_entry, "2025-11-24", "refused", exemptions=["s12"])
    log(
        dorset,
        owner,
        ("internal_review_requested", "2025-11-26"),
        ("internal_review_response", "2025-12-19", {"review_outcome": "upheld"}),
    )
    devon = requests["devon-and-cornwall"]
    log(devon, owner, ("clarification_requested", "2025-11-05"))
    log(devon, owner, ("clarification_received", "2025-11-10"))
    answer(devon, data_entry, "2025-12-08", "refused", exemptions=["s40(2)"])
    log(requests["cheshire"], owner, ("acknowledged", "2025-11-05"))
    return campaign


def report(client, **params) -> dict:
    response = client.get(COMPLIANCE, params)
    assert response.status_code == 200, response.json()
    return response.json()


def rows_by_force(body: dict) -> dict[str, dict]:
    return {row["force"]: row for row in body["rows"]}


def test_it_reports_the_seven_forces_totals_worked_out_by_hand(client_for, owner, seven):
    total = report(client_for(owner), campaign=seven.pk)["total"]
    assert (total["requests"], total["answered"], total["overdue"]) == (7, 6, 1)
    assert total["in_time"] == {"count": 3, "of": 7, "share": 0.429}
    assert total["in_extended_time"] == {"count": 4, "of": 7, "share": 0.571}
    assert total["working_days"] == {"answers": 6, "median": 20.5, "p90": 39.0}
    assert total["extensions"] == {
        "count": 2,
        "proper": 1,
        "notice_late": 0,
        "estimate_beyond_ceiling": 1,
        "kept_to_ceiling": 1,
        "missed_ceiling": 1,
    }
    assert total["outcomes"] == [
        {"code": "granted", "label": "Granted", "count": 4},
        {"code": "refused", "label": "Refused", "count": 2},
    ]
    assert total["refusals"] == {
        "count": 2,
        "by_exemption": [
            {
                "code": "s12",
                "label": "s.12 cost of compliance exceeds the appropriate limit",
                "count": 1,
            },
            {"code": "s40(2)", "label": "s.40(2) personal information", "count": 1},
        ],
        "other_exemptions": 0,
    }
    assert total["reviews"] == {
        "requested": 1,
        "answered": 1,
        "answered_in_time": 1,
        "late": 0,
        "outcomes": [{"code": "upheld", "label": "Upheld: the original answer stands", "count": 1}],
    }


def test_each_force_has_its_row_with_names_and_dates(client_for, owner, seven):
    body = report(client_for(owner), campaign=seven.pk)
    assert body["campaign"] == {"id": seven.pk, "title": seven.title}
    assert body["force"] is None
    assert body["today"] == "2026-01-20"
    rows = rows_by_force(body)
    # The page lists forces by name: Cheshire, Devon and Cornwall, Dorset, Essex, Kent...
    assert list(rows) == [
        "cheshire",
        "devon-and-cornwall",
        "dorset",
        "essex",
        "kent",
        "surrey",
        "sussex",
    ]
    facts = {
        slug: (
            row["due_on"],
            row["answered_on"],
            row["working_days"],
            row["in_time"],
            row["in_extended_time"],
            row["overdue"],
        )
        for slug, row in rows.items()
    }
    assert facts == {
        "kent": ("2025-12-08", "2025-12-04", 18, True, True, False),
        "essex": ("2025-12-02", "2025-12-04", 22, False, False, False),
        "surrey": ("2025-12-02", "2025-12-17", 31, False, True, False),
        "sussex": ("2025-12-02", "2026-01-14", 47, False, False, False),
        "dorset": ("2025-12-02", "2025-11-24", 15, True, True, False),
        "devon-and-cornwall": ("2025-12-09", "2025-12-08", 19, True, True, False),
        "cheshire": ("2025-12-02", None, None, False, False, True),
    }
    assert rows["kent"]["force_name"] == "Kent Police"
    assert rows["kent"]["campaign_title"] == seven.title
    assert (rows["cheshire"]["status"], rows["cheshire"]["status_label"]) == (
        "sent",
        "Sent, awaiting response",
    )


def test_extensions_within_and_beyond_the_ceiling(client_for, owner, seven):
    rows = rows_by_force(report(client_for(owner), campaign=seven.pk))
    assert rows["surrey"]["extension"] == {
        "notice_on": "2025-11-28",
        "estimate": "2025-12-19",
        "ceiling": "2026-01-05",
        "notice_in_time": True,
        "estimate_within_ceiling": True,
        "proper": True,
        "kept_to_ceiling": True,
    }
    assert rows["sussex"]["extension"] == {
        "notice_on": "2025-12-02",
        "estimate": "2026-01-16",
        "ceiling": "2026-01-05",
        "notice_in_time": True,
        "estimate_within_ceiling": False,
        "proper": False,
        "kept_to_ceiling": False,
    }
    assert rows["kent"]["extension"] is None


def test_refusals_and_the_review_carry_their_labels(client_for, owner, seven):
    rows = rows_by_force(report(client_for(owner), campaign=seven.pk))
    assert rows["dorset"]["answer"] == {
        "outcome": "refused",
        "outcome_label": "Refused",
        "exemptions": [
            {"code": "s12", "label": "s.12 cost of compliance exceeds the appropriate limit"}
        ],
        "other_exemptions": "",
    }
    assert rows["dorset"]["review"] == {
        "requested_on": "2025-11-26",
        "due_on": "2025-12-29",
        "answered_on": "2025-12-19",
        "outcome": "upheld",
        "outcome_label": "Upheld: the original answer stands",
        "note": "",
        "answered_in_time": True,
    }
    assert rows["cheshire"]["answer"] is None and rows["cheshire"]["review"] is None


# --------------------------------------------------------------------------------------------
# One force across campaigns, and who sees what
# --------------------------------------------------------------------------------------------


@pytest.fixture
def second_campaigns(seven, owner, outsider, data_entry):
    """Kent in two more campaigns, both sent Mon 5 Jan 2026 (due 20 WD later: 6-9 Jan 1-4, 12-16
    5-9, 19-23 10-14, 26-30 15-19, Mon 2 Feb 20). The owner's: granted Fri 16 Jan, WD 9. The
    outsider's own: not answered yet, and not due either."""
    mine = CampaignFactory(owner=owner)
    kent = send(mine, owner, ["kent"], dt.date(2026, 1, 5))["kent"]
    answer(kent, data_entry, "2026-01-16")
    theirs = CampaignFactory(owner=outsider)
    send(theirs, outsider, ["kent"], dt.date(2026, 1, 5))
    return mine, theirs


def test_one_force_across_the_campaigns_the_caller_can_see(
    client_for, owner, seven, second_campaigns
):
    """Kent for the owner: 18 WD in the seven-force campaign, 9 WD in the second; the outsider's
    campaign is not the owner's to see. Both in time: 2 of 2. Median (9 + 18) / 2 = 13.5; 90th
    percentile at rank position (2 - 1) x 0.9 = 0.9: 9 + 0.9 x (18 - 9) = 17.1."""
    mine, _ = second_campaigns
    body = report(client_for(owner), force="kent")
    assert body["force"] == {"slug": "kent", "name": "Kent Police"}
    assert body["campaign"] is None
    assert [(row["campaign"], row["working_days"]) for row in body["rows"]] == [
        (seven.pk, 18),
        (mine.pk, 9),
    ]
    total = body["total"]
    assert total["in_time"] == {"count": 2, "of": 2, "share": 1.0}
    assert total["working_days"] == {"answers": 2, "median": 13.5, "p90": 17.1}
    assert (total["requests"], total["overdue"]) == (2, 0)


def test_a_campaign_and_a_force_together_give_one_row(client_for, owner, seven):
    body = report(client_for(owner), campaign=seven.pk, force="essex")
    assert [(row["force"], row["working_days"]) for row in body["rows"]] == [("essex", 22)]
    assert body["total"]["in_time"] == {"count": 0, "of": 1, "share": 0.0}


def test_outsiders_see_nothing_of_others_unpublished_campaigns(
    client_for, outsider, seven, second_campaigns
):
    _, theirs = second_campaigns
    client = client_for(outsider)
    refused = client.get(COMPLIANCE, {"campaign": seven.pk})
    assert refused.status_code == 400
    assert refused.json()["errors"] == [
        {"field": "campaign", "message": f"No campaign {seven.pk} that you can see."}
    ]
    body = report(client, force="kent")
    # Only the outsider's own request: sent, not due until 2 Feb, so in no share yet.
    assert [(row["campaign"], row["in_time"]) for row in body["rows"]] == [(theirs.pk, None)]
    assert body["total"]["in_time"] == {"count": 0, "of": 0, "share": None}


def test_a_published_campaign_is_read_by_consumers_and_if_allowed_anonymously(
    client_for, consumer, seven, settings
):
    assert report(client_for(consumer), force="kent")["rows"] == []
    seven.published = True
    seven.save()
    assert report(client_for(consumer), force="kent")["total"]["requests"] == 1
    assert client_for(None).get(COMPLIANCE, {"force": "kent"}).status_code == 401
    settings.FOI_PUBLIC_ENDPOINTS = ["compliance"]
    assert report(client_for(None), campaign=seven.pk)["total"]["requests"] == 7


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({}, "campaign", "Give a campaign (campaign=<id>), a force (force=<slug>), or both."),
        ({"campaign": "seven"}, "campaign", "Give the campaign's id, a number."),
        ({"campaign": "999999"}, "campaign", "No campaign 999999 that you can see."),
        (
            {"force": "atlantis"},
            "force",
            "No force has the slug 'atlantis'; see /api/v1/forces/ for the list.",
        ),
        ({"force": "kent\x00"}, "force", "A force is given by its slug, a string such as 'kent'."),
    ],
)
def test_bad_parameters_get_a_400_naming_the_field(client_for, owner, params, field, message):
    response = client_for(owner).get(COMPLIANCE, params)
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": field, "message": message}]


# --------------------------------------------------------------------------------------------
# Reviews logged before outcomes were kept; the query count
# --------------------------------------------------------------------------------------------


def test_a_review_without_an_outcome_is_counted_as_not_recorded_with_its_note(
    client_for, owner, campaign, data_entry
):
    """Sent Mon 3 Nov 2025, refused Mon 24 Nov; review asked Wed 26 Nov, answered Mon 5 Jan 2026
    (after its 29 Dec due date: late) with the outcome only in its note."""
    kent = send(campaign, owner, ["kent"])["kent"]
    answer(kent, data_entry, "2025-11-24", "refused", exemptions=["s12"])
    log(kent, owner, ("internal_review_requested", "2025-11-26"))
    log(kent, owner, ("internal_review_response", "2026-01-05", {"note": "Refusal upheld."}))
    body = report(client_for(owner), campaign=campaign.pk)
    [row] = body["rows"]
    assert (row["review"]["outcome"], row["review"]["note"]) == ("", "Refusal upheld.")
    assert row["review"]["outcome_label"] == "Not recorded (see the event's note)"
    assert row["review"]["answered_in_time"] is False
    assert body["total"]["reviews"] == {
        "requested": 1,
        "answered": 1,
        "answered_in_time": 0,
        "late": 1,
        "outcomes": [
            {"code": "not_recorded", "label": "Not recorded (see the event's note)", "count": 1}
        ],
    }


def test_a_consumer_reads_the_reviews_outcome_but_not_the_events_note(
    client_for, owner, consumer, campaign, data_entry
):
    """Event notes are working records (docs/api.md, "Who reads what"): a consumer of the
    published campaign gets the review's dates and outcome, and an empty note."""
    campaign.published = True
    campaign.save()
    kent = send(campaign, owner, ["kent"])["kent"]
    answer(kent, data_entry, "2025-11-24", "refused", exemptions=["s12"])
    log(kent, owner, ("internal_review_requested", "2025-11-26"))
    log(kent, owner, ("internal_review_response", "2026-01-05", {"note": "Refusal upheld."}))
    [row] = report(client_for(consumer), campaign=campaign.pk)["rows"]
    assert (row["review"]["answered_on"], row["review"]["note"]) == ("2026-01-05", "")
    [row] = report(client_for(owner), campaign=campaign.pk)["rows"]
    assert row["review"]["note"] == "Refusal upheld."


def test_its_query_count_does_not_grow_with_requests(
    client_for, owner, seven, data_entry, django_assert_num_queries
):
    def client():
        # A fresh user each time, as a real request loads one (roles are cached on it).
        return client_for(type(owner).objects.get(pk=owner.pk))

    first = client()
    with django_assert_num_queries(QUERIES):
        first.get(COMPLIANCE, {"campaign": seven.pk})
    more = send(seven, owner, ["cumbria", "durham", "gwent", "jersey"], dt.date(2025, 12, 1))
    for slug, request in more.items():
        log(request, owner, ("extension", "2025-12-20", {"until": day("2026-01-09")}))
        withheld = ["art42" if slug == "jersey" else "s31"]
        answer(request, data_entry, "2026-01-08", "partly_granted", exemptions=withheld)
        log(request, owner, ("internal_review_requested", "2026-01-09"))
    second = client()
    with django_assert_num_queries(QUERIES):
        body = second.get(COMPLIANCE, {"campaign": seven.pk}).json()
    assert body["total"]["requests"] == 11


# The caller's roles, the campaign asked for, the requests with their forces and campaigns,
# their events, their responses, and the extra holidays.
QUERIES = 6
