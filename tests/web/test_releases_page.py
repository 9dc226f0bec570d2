"""A campaign's Releases page: the list, and making a release from it.

The campaign is tests/responses_app/conftest.py's SUPPRESSED_ELSEWHERE one: Kent answered with
five figures and Essex with three (8 in all), both on 1 February 2021; Surrey was asked on
18 January 2021 too and has not answered, so at this folder's frozen time (1 March 2021) it is
overdue (due 15 February, 20 working days on). Three forces asked, two with figures, one overdue.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from responses_app import services
from responses_app.models import DatasetRelease, Figure
from responses_app.releases import release_create
from tests.core.test_conflicts import CALLS, at_once
from tests.responses_app.conftest import SUPPRESSED_ELSEWHERE, figures_enter

ANSWERED_ON = dt.date(2021, 2, 1)


@pytest.fixture
def answered(campaign, send_to, data_entry):
    requests = send_to(*SUPPRESSED_ELSEWHERE, "surrey")
    for force, cells in SUPPRESSED_ELSEWHERE.items():
        response = services.response_record(
            request=requests[force], received_on=ANSWERED_ON, outcome="granted", user=data_entry
        )
        figures_enter(response, data_entry, cells)
    return campaign


def releases_of(campaign) -> str:
    return f"/campaigns/{campaign.pk}/releases/"


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _figure(force: str, platform: str) -> Figure:
    return Figure.objects.get(response__request__force__slug=force, platform__slug=platform)


def test_it_lists_the_releases_newest_first_with_who_made_them_and_their_checksums(
    answered, owner, colleague, browser_for
):
    first = release_create(campaign=answered, name="First look", user=owner)
    second = release_create(campaign=answered, name="Press release", user=colleague)
    text = _text(browser_for(owner).get(releases_of(answered)).content.decode())
    assert "2 releases, newest first" in text
    assert text.index("Release 2: Press release") < text.index("Release 1: First look")
    assert (
        f"Release 2: Press release 1 March 2021 8 colleague {second.sha256} "
        "data.csv of release 2 · data.json of release 2 · datapackage.json of release 2 "
        "Preview: the campaign is not published"
    ) in text
    assert f"Release 1: First look 1 March 2021 8 owner {first.sha256}" in text


def test_a_consumer_reads_a_published_campaigns_releases_without_names_or_a_form(
    answered, owner, consumer, browser_for
):
    answered.published = True
    answered.save()
    release = release_create(campaign=answered, name="Press release", user=owner)
    client = browser_for(consumer)
    response = client.get(releases_of(answered))
    assert response.status_code == 200
    text = _text(response.content.decode())
    assert f"Release 1: Press release 1 March 2021 8 {release.sha256}" in text
    assert "Public" in text
    assert "Made by" not in text and "owner" not in text
    assert "Make release" not in text and 'name="after"' not in response.content.decode()


def test_a_consumer_cannot_make_one_and_nothing_is_written(answered, consumer, browser_for):
    answered.published = True
    answered.save()
    posted = browser_for(consumer).post(
        releases_of(answered), {"name": "Mine", "note": "", "after": "0"}
    )
    assert posted.status_code == 403
    assert DatasetRelease.objects.count() == 0


def test_data_entry_reads_the_list_but_cannot_make_one(answered, data_entry, browser_for):
    client = browser_for(data_entry)
    assert client.get(releases_of(answered)).status_code == 200
    posted = client.post(releases_of(answered), {"name": "Mine", "note": "", "after": "0"})
    assert posted.status_code == 403
    assert DatasetRelease.objects.count() == 0


def test_an_outsider_gets_404_on_an_unpublished_campaign(answered, outsider, browser_for):
    client = browser_for(outsider)
    assert client.get(releases_of(answered)).status_code == 404
    posted = client.post(releases_of(answered), {"name": "Mine", "note": "", "after": "0"})
    assert posted.status_code == 404
    assert DatasetRelease.objects.count() == 0


def test_it_shows_what_a_release_would_freeze_before_it_is_made(
    answered, data_entry, staff, owner, browser_for
):
    """Of the 8 figures staff confirms Kent's Instagram and WhatsApp (2 verified) and keys
    Essex's TikTok as 11 where data entry keyed 10 (disputed): 6 not yet verified, 1 disputed."""
    for platform in ("instagram", "whatsapp"):
        services.figure_verify(figure=_figure("kent", platform), user=staff)
    figures_enter(_figure("essex", "tiktok").response, staff, [("tiktok", "11")])
    assert _figure("essex", "tiktok").disputed
    html = browser_for(owner).get(releases_of(answered)).content.decode()
    text = _text(html)
    assert "Make release 1" in text
    assert "Figures 8 Verified by a second person 2 Not yet verified 6 (1 disputed)" in text
    assert "3 forces asked. Answered with figures: 2. Overdue: 1." in text
    assert "No release yet." in text
    assert 'name="after" value="0"' in html
    assert DatasetRelease.objects.count() == 0


def test_making_release_2_after_correcting_one_figure_lists_the_change_on_its_page(
    answered, owner, staff, browser_for
):
    client = browser_for(owner)
    made = client.post(releases_of(answered), {"name": "First look", "note": "", "after": "0"})
    assert made.status_code == 302
    assert made["Location"] == f"/campaigns/{answered.pk}/releases/1/"
    services.figure_correct(
        figure=_figure("kent", "instagram"),
        raw="44",
        user=staff,
        reason="Kent re-ran its search and wrote on 2 March 2021",
    )
    assert 'name="after" value="1"' in client.get(releases_of(answered)).content.decode()
    page = client.post(
        releases_of(answered),
        {"name": "Corrected", "note": "The Instagram count of Kent corrected.", "after": "1"},
        follow=True,
    )
    assert page.redirect_chain == [(f"/campaigns/{answered.pk}/releases/2/", 302)]
    text = _text(page.content.decode())
    assert "Release 2 made: 8 figures frozen." in text
    assert "Corrected The Instagram count of Kent corrected." in text
    assert "Compared with release 1 : 1 figure corrected, 0 added, 0 removed." in text
    assert (
        "Kent Police, Instagram, Sexual offences against children under 18 (all codes asked "
        "about), 2019-10-01 to 2020-09-30 (instances) 40 44 Kent re-ran its search and wrote on "
        "2 March 2021"
    ) in text
    second = DatasetRelease.objects.get(campaign=answered, number=2)
    assert (second.created_by, second.row_count) == (owner, 8)
    # The figures page links the latest release, and the page listing them all.
    figures = browser_for(owner).get(f"/campaigns/{answered.pk}/figures/").content.decode()
    assert (
        f'Latest: <a href="/campaigns/{answered.pk}/releases/2/">Release 2: Corrected</a>, '
        "made 1 March 2021 (not published)."
    ) in figures
    assert f'<a href="/campaigns/{answered.pk}/releases/">All releases</a>' in figures


def test_the_same_form_posted_twice_makes_one_release(answered, owner, browser_for):
    client = browser_for(owner)
    form = {"name": "Press release", "note": "", "after": "0"}
    assert client.post(releases_of(answered), form).status_code == 302
    again = client.post(releases_of(answered), form, follow=True)
    assert again.redirect_chain == [(releases_of(answered), 302)]
    assert (
        "Release 1 (Press release) was made after this form was opened, so nothing was written "
        "this time."
    ) in _text(again.content.decode())
    assert list(DatasetRelease.objects.values_list("number", flat=True)) == [1]


@pytest.mark.parametrize(
    ("form", "field", "error"),
    [
        (
            {"name": "  ", "note": "", "after": "0"},
            "name",
            "Give the release a name: readers cite it by its name and number.",
        ),
        (
            {"name": "x" * 201, "note": "", "after": "0"},
            "name",
            "Give the name in at most 200 characters.",
        ),
        (
            {"name": "Press release", "note": ""},
            "after",
            "This form is out of date: open the Releases page again.",
        ),
    ],
)
def test_a_form_with_errors_says_which_field_and_writes_nothing(
    answered, owner, browser_for, form, field, error
):
    response = browser_for(owner).post(releases_of(answered), form)
    assert response.status_code == 400
    html = response.content.decode()
    if field == "name":
        assert f'<span class="error" id="id_name-error" role="alert">{error}</span>' in html
    else:
        assert f'<p class="error" role="alert">{error}</p>' in html
    assert DatasetRelease.objects.count() == 0


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_the_list_reads_in_the_same_number_of_queries_however_many_releases(
    answered, owner, browser_for
):
    client = browser_for(owner)
    release_create(campaign=answered, name="One", user=owner)
    one = _queries(client, releases_of(answered))
    for name in ("Two", "Three", "Four"):
        release_create(campaign=answered, name=name, user=owner)
    assert _queries(client, releases_of(answered)) == one


CAST = ("owner", "colleague", "outsider", "data_entry", "consumer", "staff")


@pytest.mark.parametrize("published", [False, True])
def test_the_page_and_the_api_let_the_same_people_make_a_release(
    request, answered, browser_for, client_for, published
):
    """One rule: for each of the cast, the page makes a release exactly when the API does
    (the campaign's team and staff: owner, colleague and staff, published or not)."""
    answered.published = published
    answered.save()
    made_by = {}
    for who in CAST:
        user = request.getfixturevalue(who)
        latest = DatasetRelease.objects.filter(campaign=answered).count()
        page = browser_for(user).post(
            releases_of(answered), {"name": f"By {who}", "note": "", "after": str(latest)}
        )
        api = client_for(user).post(
            "/api/v1/releases/", {"campaign": answered.pk, "name": f"By {who}"}, format="json"
        )
        made_by[who] = (page.status_code == 302, api.status_code == 201)
    assert made_by == {
        "owner": (True, True),
        "colleague": (True, True),
        "outsider": (False, False),
        "data_entry": (False, False),
        "consumer": (False, False),
        "staff": (True, True),
    }
    assert DatasetRelease.objects.count() == 6


def test_ten_identical_forms_posted_at_once_make_one_release(
    transactional_db, campaign, owner, send_to, settings
):
    """On PostgreSQL, ten threads post the same form together: the campaign's lock lets one
    make release 1; the other nine find it made, write nothing and go back to the list."""
    if connection.vendor != "postgresql":
        pytest.skip("runs in the PostgreSQL pass: set DATABASE_URL=postgres://...")
    send_to("kent")
    signed_in = Client()
    signed_in.force_login(owner)
    session = signed_in.cookies[settings.SESSION_COOKIE_NAME].value
    form = {"name": "Press release", "note": "", "after": "0"}
    locations = []

    def post():
        client = Client()  # one a thread: a client's cookies are not shared safely
        client.cookies[settings.SESSION_COOKIE_NAME] = session
        answer = client.post(releases_of(campaign), form)
        locations.append(answer["Location"])
        return answer

    codes, _ = at_once(post)

    assert codes == {302: CALLS}
    assert Counter(locations) == {
        f"/campaigns/{campaign.pk}/releases/1/": 1,
        releases_of(campaign): CALLS - 1,
    }
    assert list(DatasetRelease.objects.values_list("number", flat=True)) == [1]
