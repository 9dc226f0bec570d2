"""Aggregates over a small campaign whose every number is worked out by hand below.

Seven forces asked (time is frozen on 11 January 2021 by this folder's conftest):

| force   | answer                    | figures (instances, Oct 2019 - Sep 2020, one offence)      |
|---------|---------------------------|------------------------------------------------------------|
| kent    | granted                   | instagram 10, facebook *, snapchat 5, not recorded 7,      |
|         |                           | stated total 26 (never added to its parts)                 |
| essex   | granted                   | instagram <5, whatsapp 20, facebook-messenger 3,           |
|         |                           | not recorded *                                             |
| surrey  | granted                   | one offence on two platforms: instagram 1, snapchat 1      |
| sussex  | refused, s.12             | none                                                       |
| dorset  | not held                  | none                                                       |
| devon   | sent 2 Nov 2020, silent   | none: due 1 Dec 2020 (30 Nov is St Andrew's Day), overdue  |
| jersey  | sent 4 Jan 2021           | none: still within 20 working days                         |

'*' and '<5' are 1..4 (threshold 5). By platform, (reported, low, high, figures, forces):
instagram (11, 12, 15, 3, 3): 10 + [1..4] + 1; facebook (0, 1, 4, 1, 1); snapchat (6, 6, 6, 2, 2);
whatsapp (20, 20, 20, 1, 1); facebook-messenger (3, 3, 3, 1, 1).
Total where the platform was recorded: reported 40, low 42, high 48, 8 figures, 3 forces.
Not recorded: reported 7, low 8 (7 + 1), high 11 (7 + 4).
Instagram's share: 11/40 = 0.275; lowest 12/(12 + 48 - 15) = 12/45 = 0.2667; highest
15/(15 + 42 - 12) = 15/45 = 0.3333.
By owner: meta = instagram + facebook + whatsapp + messenger = (34, 36, 42, 6 figures, 3 forces),
share 34/40 = 0.85, lowest 36/(36 + 48 - 42) = 36/42 = 0.8571, highest 42/(42 + 42 - 36) =
42/48 = 0.875; snap = (6, 6, 6, 2, 2), share 0.15, lowest 6/48 = 0.125, highest 6/42 = 0.1429.
"""

from __future__ import annotations

import datetime as dt

import pytest

from responses_app import services
from tests.responses_app.conftest import ANSWERED_ON, figures_enter, send


def aggregates(client, **params):
    response = client.get("/api/v1/aggregates/", params)
    assert response.status_code == 200, response.json()
    return response.json()


def by_key(answer, dimension):
    return {group["key"][dimension]: group for group in answer["groups"]}


def test_it_groups_by_platform_with_intervals_and_shares(client_for, owner, hand_checked):
    answer = aggregates(client_for(owner), campaign=hand_checked.pk, group_by="platform")
    groups = by_key(answer, "platform")
    assert list(groups) == ["facebook", "facebook-messenger", "instagram", "snapchat", "whatsapp"]
    counts = {
        slug: (g["reported"], g["low"], g["high"], g["figures"], g["forces"])
        for slug, g in groups.items()
    }
    assert counts == {
        "instagram": (11, 12, 15, 3, 3),
        "facebook": (0, 1, 4, 1, 1),
        "snapchat": (6, 6, 6, 2, 2),
        "whatsapp": (20, 20, 20, 1, 1),
        "facebook-messenger": (3, 3, 3, 1, 1),
    }
    instagram = groups["instagram"]
    assert (instagram["share"], instagram["share_low"], instagram["share_high"]) == (
        0.275,
        0.2667,
        0.3333,
    )
    assert instagram["label"] == {"platform": "Instagram"}
    assert answer["total"] == {"reported": 40, "low": 42, "high": 48, "figures": 8, "forces": 3}
    assert answer["not_recorded"] == {"reported": 7, "low": 8, "high": 11}


def test_it_groups_by_owner(client_for, owner, hand_checked):
    groups = by_key(
        aggregates(client_for(owner), campaign=hand_checked.pk, group_by="owner"), "owner"
    )
    meta, snap = groups["meta"], groups["snap"]
    assert (meta["reported"], meta["low"], meta["high"], meta["figures"], meta["forces"]) == (
        34,
        36,
        42,
        6,
        3,
    )
    assert (meta["share"], meta["share_low"], meta["share_high"]) == (0.85, 0.8571, 0.875)
    assert (snap["reported"], snap["low"], snap["high"]) == (6, 6, 6)
    assert (snap["share"], snap["share_low"], snap["share_high"]) == (0.15, 0.125, 0.1429)
    assert set(groups) == {"meta", "snap"}


def test_it_reports_coverage_force_by_force(client_for, owner, hand_checked):
    coverage = aggregates(client_for(owner), campaign=hand_checked.pk, group_by="force")["coverage"]
    assert coverage["asked"] == 7
    assert coverage["answered_with_figures"] == {"count": 3, "forces": ["essex", "kent", "surrey"]}
    assert coverage["refused"] == {"count": 1, "forces": ["sussex"], "exemptions": {"s12": 1}}
    assert coverage["not_held"] == {"count": 1, "forces": ["dorset"]}
    assert coverage["overdue"] == {"count": 1, "forces": ["devon-and-cornwall"]}
    assert coverage["awaiting"] == {"count": 1, "forces": ["jersey"]}


def test_two_dimensions_split_each_force_by_platform(client_for, owner, hand_checked):
    answer = aggregates(client_for(owner), campaign=hand_checked.pk, group_by="force,platform")
    cells = {
        (g["key"]["force"], g["key"]["platform"]): (g["reported"], g["low"], g["high"])
        for g in answer["groups"]
    }
    assert cells == {
        ("essex", "facebook-messenger"): (3, 3, 3),
        ("essex", "instagram"): (0, 1, 4),
        ("essex", "whatsapp"): (20, 20, 20),
        ("kent", "facebook"): (0, 1, 4),
        ("kent", "instagram"): (10, 10, 10),
        ("kent", "snapchat"): (5, 5, 5),
        ("surrey", "instagram"): (1, 1, 1),
        ("surrey", "snapchat"): (1, 1, 1),
    }


def test_filters_narrow_the_rows_and_the_coverage(client_for, owner, hand_checked):
    answer = aggregates(
        client_for(owner),
        campaign=hand_checked.pk,
        group_by="platform",
        force="kent,essex",
        owner="meta",
    )
    # Kent's instagram 10 and facebook *, Essex's instagram <5, whatsapp 20 and messenger 3.
    assert answer["total"] == {"reported": 33, "low": 35, "high": 41, "figures": 5, "forces": 2}
    assert answer["coverage"]["asked"] == 2


def test_the_method_states_the_denominator(client_for, owner, hand_checked):
    method = aggregates(client_for(owner), campaign=hand_checked.pk, group_by="platform")["method"]
    assert "Shares are of the 40 instances where the platform was recorded" in method
    assert "(8 figures from 3 forces)" in method
    assert "7 instances with no platform recorded (between 8 and 11" in method
    assert "SYNTHETIC" not in method


def test_a_synthetic_campaign_says_so(client_for, owner, hand_checked):
    hand_checked.synthetic_data = True
    hand_checked.save()
    method = aggregates(client_for(owner), campaign=hand_checked.pk, group_by="platform")["method"]
    assert method.startswith("The per-force figures of this campaign are SYNTHETIC")


def test_verified_only_counts_confirmedfigures_enter(client_for, owner, staff, hand_checked):
    instagram_kent = (
        hand_checked.requests.get(force__slug="kent")
        .responses.get()
        .figures.get(platform__slug="instagram")
    )
    services.figure_verify(figure=instagram_kent, user=staff)
    answer = aggregates(
        client_for(owner), campaign=hand_checked.pk, group_by="platform", verified="true"
    )
    assert answer["total"] == {"reported": 10, "low": 10, "high": 10, "figures": 1, "forces": 1}


@pytest.mark.parametrize(
    "params, field, message",
    [
        ({"group_by": "colour"}, "group_by", "Cannot group by colour. Allowed: platform, owner"),
        ({"group_by": "force,platform,owner"}, "group_by", "Group by one or two"),
        ({"group_by": "force,force"}, "group_by", "Group by one or two"),
        ({"group_by": "platform", "platform": "myspace"}, "platform", "Unknown: myspace."),
        (
            {"group_by": "platform", "period_start": "2020-02-30"},
            "period_start",
            "Date has wrong format",
        ),
        (
            {"group_by": "platform", "period_start": "2020-09-30", "period_end": "2019-10-01"},
            "period_end",
            "The period ends (2019-10-01) before it starts (2020-09-30).",
        ),
        (
            {"group_by": "platform", "campaign": "999999"},
            "campaign",
            "No campaign 999999 that you can see.",
        ),
        ({"group_by": "platform", "unit": "pounds"}, "unit", '"pounds" is not a valid choice.'),
        (
            {"group_by": "platform", "country": "France"},
            "country",
            "Unknown: France. Allowed: England, Great Britain, Guernsey, Jersey, Wales.",
        ),
    ],
)
def test_bad_parameters_get_a_400_naming_the_field(client_for, owner, params, field, message):
    response = client_for(owner).get("/api/v1/aggregates/", params)
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["field"] == field
    assert message in error["message"]


def test_it_hides_campaigns_the_caller_may_not_see(client_for, outsider, hand_checked):
    response = client_for(outsider).get(
        "/api/v1/aggregates/", {"campaign": hand_checked.pk, "group_by": "platform"}
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == (
        f"No campaign {hand_checked.pk} that you can see."
    )
    everything = aggregates(client_for(outsider), group_by="platform")
    assert everything["groups"] == [] and everything["coverage"]["asked"] == 0


def test_its_query_count_does_not_grow_with_rows(
    client_for, owner, hand_checked, data_entry, django_assert_num_queries
):
    def client():
        # A fresh user object each time, as a real request loads one (roles are cached on it).
        return client_for(type(owner).objects.get(pk=owner.pk))

    params = {"campaign": hand_checked.pk, "group_by": "force,platform"}
    first = client()
    with django_assert_num_queries(QUERIES):
        first.get("/api/v1/aggregates/", params)
    more = send(hand_checked, owner, ["cheshire", "cumbria"], dt.date(2020, 11, 2))
    for request in more.values():
        response = services.response_record(
            request=request, received_on=ANSWERED_ON, outcome="granted", user=data_entry
        )
        figures_enter(response, data_entry, [("instagram", "4"), ("tiktok", "9"), ("kik", "*")])
    second = client()
    with django_assert_num_queries(QUERIES):
        answer = second.get("/api/v1/aggregates/", params).json()
    assert len(answer["groups"]) == 8 + 6


# The caller's roles, the campaign asked for, whether it is synthetic, the grouped query (which
# also gives the not-recorded remainder and the totals) and the coverage query.
QUERIES = 5
