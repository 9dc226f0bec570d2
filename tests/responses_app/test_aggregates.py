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
Midpoints, (low + high) / 2: instagram 13.5, facebook 2.5, snapchat 6, whatsapp 20, messenger 3;
so by size: whatsapp, instagram, snapchat, messenger, facebook.
Total where the platform was recorded: reported 40, low 42, high 48 (midpoint 45), 8 figures, 3
forces. Not recorded: reported 7, low 8 (7 + 1), high 11 (7 + 4), midpoint 9.5.
Shares are rounded half up to three places from the exact fraction. Instagram's lowest
12/(12 + 48 - 15) = 12/45 = 0.26667 -> 0.267; highest 15/(15 + 42 - 12) = 15/45 = 0.33333 ->
0.333; midpoint (12 + 15)/(42 + 48) = 27/90 = 0.3.
By owner: meta = instagram + facebook + whatsapp + messenger = (34, 36, 42, 6 figures, 3 forces),
lowest 36/(36 + 48 - 42) = 36/42 = 0.85714 -> 0.857, highest 42/(42 + 42 - 36) = 42/48 = 0.875,
midpoint 78/90 = 0.86667 -> 0.867; snap = (6, 6, 6, 2, 2), lowest 6/48 = 0.125, highest 6/42 =
0.14286 -> 0.143, midpoint 12/90 = 0.13333 -> 0.133.

Within each force (force,platform): Kent's named cells are instagram 10, facebook 1..4, snapchat 5,
together 16..19. Kent/instagram: lowest 10/(10 + 19 - 10) = 10/19 = 0.52632 -> 0.526, highest
10/(10 + 16 - 10) = 10/16 = 0.625, midpoint 20/35 = 0.57143 -> 0.571 (of the national total:
10/48 = 0.20833 -> 0.208, 10/42 = 0.23810 -> 0.238, 20/90 = 0.22222 -> 0.222). Kent/facebook:
lowest 1/(1 + 15) = 0.0625 exactly -> 0.063 (half up), highest 4/19 = 0.21053 -> 0.211, midpoint
5/35 = 0.14286 -> 0.143. Kent/snapchat: 5/19 = 0.26316 -> 0.263, 5/16 = 0.3125 -> 0.313 (half up),
10/35 = 0.28571 -> 0.286. Surrey's two cells of 1 are half each.
"""

from __future__ import annotations

import datetime as dt

import pytest

from responses_app import services
from tests.factories import CampaignFactory
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
    assert list(groups) == ["whatsapp", "instagram", "snapchat", "facebook-messenger", "facebook"]
    counts = {
        slug: (g["reported"], g["low"], g["high"], g["midpoint"], g["figures"], g["forces"])
        for slug, g in groups.items()
    }
    assert counts == {
        "instagram": (11, 12, 15, 13.5, 3, 3),
        "facebook": (0, 1, 4, 2.5, 1, 1),
        "snapchat": (6, 6, 6, 6, 2, 2),
        "whatsapp": (20, 20, 20, 20, 1, 1),
        "facebook-messenger": (3, 3, 3, 3, 1, 1),
    }
    instagram = groups["instagram"]
    assert (instagram["share_low"], instagram["share_midpoint"], instagram["share_high"]) == (
        0.267,
        0.3,
        0.333,
    )
    assert "share" not in instagram
    assert instagram["share_within_first_midpoint"] is None and answer["share_within"] is None
    assert instagram["label"] == {"platform": "Instagram"}
    assert answer["total"] == {
        "reported": 40,
        "low": 42,
        "high": 48,
        "midpoint": 45,
        "figures": 8,
        "forces": 3,
    }
    assert answer["not_recorded"] == {"reported": 7, "low": 8, "high": 11, "midpoint": 9.5}
    assert (answer["synthetic"], answer["ordering"]) == (False, "-midpoint")


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
    assert (meta["share_low"], meta["share_midpoint"], meta["share_high"]) == (0.857, 0.867, 0.875)
    assert (snap["reported"], snap["low"], snap["high"]) == (6, 6, 6)
    assert (snap["share_low"], snap["share_midpoint"], snap["share_high"]) == (0.125, 0.133, 0.143)
    assert set(groups) == {"meta", "snap"}


def test_it_reports_coverage_force_by_force(client_for, owner, hand_checked):
    coverage = aggregates(client_for(owner), campaign=hand_checked.pk, group_by="force")["coverage"]
    assert coverage["asked"] == 7
    assert coverage["answered_with_figures"] == {"count": 3, "forces": ["essex", "kent", "surrey"]}
    assert coverage["refused"] == {"count": 1, "forces": ["sussex"], "exemptions": {"s12": 1}}
    assert coverage["not_held"] == {"count": 1, "forces": ["dorset"]}
    assert coverage["overdue"] == {"count": 1, "forces": ["devon-and-cornwall"]}
    assert coverage["awaiting"] == {"count": 1, "forces": ["jersey"]}


def test_over_several_campaigns_coverage_counts_requests_and_names_each_force_once(
    client_for, owner, hand_checked
):
    """The owner's second campaign asks Kent and Essex again on 4 January 2021 (awaiting on
    11 January). Over both campaigns: 7 + 2 = 9 requests; awaiting, Jersey's one and the two new
    ones (3 requests, 3 forces); Kent and Essex are also still named where their first answers
    stand, with figures."""
    send(CampaignFactory(owner=owner), owner, ["kent", "essex"], dt.date(2021, 1, 4))
    coverage = aggregates(client_for(owner), group_by="force")["coverage"]
    assert coverage["asked"] == 9
    assert coverage["awaiting"] == {"count": 3, "forces": ["essex", "jersey", "kent"]}
    assert coverage["answered_with_figures"] == {"count": 3, "forces": ["essex", "kent", "surrey"]}

    # Kent asked a third time: four requests awaiting, still three forces.
    send(CampaignFactory(owner=owner), owner, ["kent"], dt.date(2021, 1, 5))
    coverage = aggregates(client_for(owner), group_by="force")["coverage"]
    assert coverage["asked"] == 10
    assert coverage["awaiting"] == {"count": 4, "forces": ["essex", "jersey", "kent"]}


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


def test_two_dimensions_give_each_cells_share_within_its_first_dimension(
    client_for, owner, hand_checked
):
    answer = aggregates(client_for(owner), campaign=hand_checked.pk, group_by="force,platform")
    assert answer["share_within"] == "force"
    within = {
        (g["key"]["force"], g["key"]["platform"]): tuple(
            g[f"share_within_first_{end}"] for end in ("low", "midpoint", "high")
        )
        for g in answer["groups"]
    }
    assert within[("kent", "instagram")] == (0.526, 0.571, 0.625)
    assert within[("kent", "facebook")] == (0.063, 0.143, 0.211)
    assert within[("kent", "snapchat")] == (0.263, 0.286, 0.313)
    assert within[("surrey", "instagram")] == within[("surrey", "snapchat")] == (0.5, 0.5, 0.5)
    kent_instagram = next(
        g for g in answer["groups"] if g["key"] == {"force": "kent", "platform": "instagram"}
    )
    # The share of the national total stays beside it, under its own name.
    assert (
        kent_instagram["share_low"],
        kent_instagram["share_midpoint"],
        kent_instagram["share_high"],
    ) == (0.208, 0.222, 0.238)


ESSEX_KENT_SURREY = {
    "-midpoint": [
        ("essex", "whatsapp"),
        ("kent", "instagram"),
        ("kent", "snapchat"),
        ("essex", "facebook-messenger"),
        # Both 2.5: in the order of their labels, Essex Police before Kent Police.
        ("essex", "instagram"),
        ("kent", "facebook"),
        ("surrey", "instagram"),
        ("surrey", "snapchat"),
    ],
    "label": [
        ("essex", "facebook-messenger"),
        ("essex", "instagram"),
        ("essex", "whatsapp"),
        ("kent", "facebook"),
        ("kent", "instagram"),
        ("kent", "snapchat"),
        ("surrey", "instagram"),
        ("surrey", "snapchat"),
    ],
    "reported": [
        ("essex", "instagram"),
        ("kent", "facebook"),
        ("surrey", "instagram"),
        ("surrey", "snapchat"),
        ("essex", "facebook-messenger"),
        ("kent", "snapchat"),
        ("kent", "instagram"),
        ("essex", "whatsapp"),
    ],
}


@pytest.mark.parametrize("ordering", [None, "label", "-label", "reported"])
def test_groups_come_largest_first_unless_another_ordering_is_asked(
    client_for, owner, hand_checked, ordering
):
    params = {"campaign": hand_checked.pk, "group_by": "force,platform"}
    if ordering:
        params["ordering"] = ordering
    answer = aggregates(client_for(owner), **params)
    order = [(g["key"]["force"], g["key"]["platform"]) for g in answer["groups"]]
    expected = {**ESSEX_KENT_SURREY, "-label": ESSEX_KENT_SURREY["label"][::-1]}
    assert order == expected[ordering or "-midpoint"]
    assert answer["ordering"] == (ordering or "-midpoint")


def test_filters_narrow_the_rows_and_the_coverage(client_for, owner, hand_checked):
    answer = aggregates(
        client_for(owner),
        campaign=hand_checked.pk,
        group_by="platform",
        force="kent,essex",
        owner="meta",
    )
    # Kent's instagram 10 and facebook *, Essex's instagram <5, whatsapp 20 and messenger 3.
    assert answer["total"] == {
        "reported": 33,
        "low": 35,
        "high": 41,
        "midpoint": 38,
        "figures": 5,
        "forces": 2,
    }
    assert answer["coverage"]["asked"] == 2


def test_the_method_states_the_denominator(client_for, owner, hand_checked):
    method = aggregates(client_for(owner), campaign=hand_checked.pk, group_by="platform")["method"]
    assert (
        "Shares are of the instances where the platform was recorded, not of all instances: "
        "between 42 and 48 (40 counted exactly), in 8 figures from 3 forces. The instances "
        "with no platform recorded, between 8 and 11 (7 counted exactly), are left out"
    ) in method
    assert "rounded once, half up, to 3 decimal places" in method
    assert "SYNTHETIC" not in method


def test_the_method_speaks_of_one_force_and_of_counts_with_no_interval(
    client_for, owner, hand_checked
):
    method = aggregates(
        client_for(owner), campaign=hand_checked.pk, group_by="platform", force="surrey"
    )["method"]
    assert (
        "Shares are of the instances where the platform was recorded, not of all instances: 2, "
        "in 2 figures from 1 force. The instances with no platform recorded, 0, are left out"
    ) in method
    assert "between 2 and 2" not in method and "1 forces" not in method


def test_a_synthetic_campaign_says_so(client_for, owner, hand_checked):
    hand_checked.synthetic_data = True
    hand_checked.save()
    answer = aggregates(client_for(owner), campaign=hand_checked.pk, group_by="platform")
    assert answer["method"].startswith("The per-force figures of this campaign are SYNTHETIC")
    assert answer["synthetic"] is True


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
    assert answer["total"] == {
        "reported": 10,
        "low": 10,
        "high": 10,
        "midpoint": 10,
        "figures": 1,
        "forces": 1,
    }


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
            {"group_by": "platform", "ordering": "size"},
            "ordering",
            "Unknown ordering 'size'. Allowed: -midpoint, midpoint, -low, low, -high, high, "
            "-reported, reported, -label, label.",
        ),
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


# The caller's roles, the campaign asked for (it says whether it is synthetic, and that the
# caller may see it), the grouped query (which also gives the not-recorded remainder and the
# totals) and the coverage's two grouped queries (the requests with no answer yet, and those
# answered).
QUERIES = 5


def test_the_point_lies_inside_its_interval_when_suppression_sits_on_other_platforms(
    client_for, owner, suppressed_elsewhere
):
    """Kent: instagram 40, whatsapp 12, snapchat 30, twitch *, online gaming <5; Essex: facebook
    or messenger 8, tiktok 10, kik *. Meta = 40 + 12 + 8 = 60, all exact; the others are 30 + 10
    exact and three cells of 1..4, so the total is reported 100, low 103, high 112.
    The old point, 60/100 = 0.6, is outside Meta's interval: lowest 60/(60 + 52) = 60/112 =
    0.53571 -> 0.536, highest 60/(60 + 43) = 60/103 = 0.58252 -> 0.583. The midpoint, 120/215 =
    0.55814 -> 0.558, is inside. Online gaming has no owner: 1..4, midpoint 2.5, lowest
    1/(1 + 108) = 0.00917 -> 0.009, highest 4/(4 + 102) = 0.03774 -> 0.038, midpoint 5/215 =
    0.02326 -> 0.023; it sorts after Amazon and Kik (also 2.5) by its label."""
    answer = aggregates(client_for(owner), campaign=suppressed_elsewhere.pk, group_by="owner")
    owners = [(g["key"]["owner"], g["label"]["owner"]) for g in answer["groups"]]
    assert owners == [
        ("meta", "Meta Platforms (Facebook, Inc. until 2021)"),
        ("snap", "Snap Inc."),
        ("bytedance", "ByteDance"),
        ("amazon", "Amazon"),
        ("kik", "Kik"),
        (None, "No owner on record"),
    ]
    meta, nobody = answer["groups"][0], answer["groups"][-1]
    assert (meta["reported"], meta["low"], meta["high"], meta["midpoint"]) == (60, 60, 60, 60)
    assert (meta["share_low"], meta["share_midpoint"], meta["share_high"]) == (0.536, 0.558, 0.583)
    assert not meta["share_low"] <= 60 / 100 <= meta["share_high"]
    assert (nobody["reported"], nobody["low"], nobody["high"], nobody["midpoint"]) == (0, 1, 4, 2.5)
    assert (nobody["share_low"], nobody["share_midpoint"], nobody["share_high"]) == (
        0.009,
        0.023,
        0.038,
    )
    assert answer["total"] == {
        "reported": 100,
        "low": 103,
        "high": 112,
        "midpoint": 107.5,
        "figures": 8,
        "forces": 2,
    }
    for group in answer["groups"]:
        assert group["low"] <= group["midpoint"] <= group["high"]
        assert group["share_low"] <= group["share_midpoint"] <= group["share_high"]
