"""A published release as an anonymous reader meets it in a real browser: the page, the file
behind its citation and the data package that describes the file. The figures are those of
tests/responses_app/conftest.py's SUPPRESSED_ELSEWHERE (worked out in test_aggregates.py)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re

import frictionless
import pytest
import time_machine
from django.contrib.auth.models import Group

from requests_app import roles
from responses_app import services
from responses_app.releases import release_create
from tests.browser.conftest import PHONE, sign_in
from tests.factories import CampaignFactory, UserFactory
from tests.responses_app.conftest import SUPPRESSED_ELSEWHERE, figures_enter, send

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def release(transactional_db, settings):
    settings.FOI_PUBLISHER = "Online Safety Research Trust"
    # Ticking, so the browser's waits and the server's clock both move on normally.
    with time_machine.travel(dt.datetime(2021, 3, 1, 10, 0), tick=True):
        owner = UserFactory(username="owner")
        owner.groups.add(Group.objects.get(name=roles.RESEARCHER))
        campaign = CampaignFactory(owner=owner, published=True)
        requests = send(campaign, owner, list(SUPPRESSED_ELSEWHERE), dt.date(2020, 11, 2))
        for force, cells in SUPPRESSED_ELSEWHERE.items():
            response = services.response_record(
                request=requests[force],
                received_on=dt.date(2020, 11, 20),
                outcome="granted",
                user=owner,
            )
            figures_enter(response, owner, cells)
        yield release_create(campaign=campaign, name="Press release, March 2021", user=owner)


def test_an_anonymous_reader_opens_the_release_downloads_its_file_and_checks_it(
    release, browser_context, live_server, settings, tmp_path, screenshot
):
    settings.SITE_URL = live_server.url
    address = f"{live_server.url}/campaigns/{release.campaign_id}/releases/1/"
    page = browser_context.new_page()
    page.goto(address)
    assert page.locator("h1").inner_text() == release.campaign.title
    assert page.locator(".headline-share").inner_text() == "Between 53.6% and 58.3%"
    citation = page.locator("#citation").inner_text()
    assert citation.startswith("Online Safety Research Trust (2021). ")
    assert f"(release 1, 1 March 2021) [Data set]. {address}." in citation
    cited = re.search(r"SHA-256 of data\.csv: ([0-9a-f]{64})\.$", citation).group(1)
    screenshot(page, "release")

    with page.expect_download() as download:
        page.get_by_role("link", name="data.csv").click()
    data = tmp_path / "data.csv"
    download.value.save_as(data)
    assert hashlib.sha256(data.read_bytes()).hexdigest() == cited == release.sha256

    descriptor = page.request.get(f"{address}datapackage.json").json()
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert len(descriptor["resources"][0]["schema"]["fields"]) == len(
        data.read_text(encoding="utf-8").splitlines()[0].split(",")
    )

    page.set_viewport_size(PHONE)
    # A click returns once the new page commits: wait for its stylesheet before measuring.
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_an_unpublished_release_is_not_found(release, browser_context, live_server):
    release.campaign.published = False
    release.campaign.save()
    page = browser_context.new_page()
    answer = page.goto(f"{live_server.url}/campaigns/{release.campaign_id}/releases/1/")
    assert answer.status == 404


def test_a_researcher_makes_the_next_release_from_the_releases_page(
    release, browser_context, live_server, screenshot
):
    """Release 1 holds the 8 figures (none verified: the owner keyed them all); from the
    figures page the owner opens the releases, reads what release 2 would freeze, and makes it."""
    owner = release.created_by
    owner.set_password("release-walk-password")
    owner.save()
    page = browser_context.new_page()
    sign_in(page, live_server.url, "owner", "release-walk-password")
    page.goto(f"{live_server.url}/campaigns/{release.campaign_id}/figures/")
    page.get_by_role("link", name="All releases").click()
    frozen = " ".join(page.locator("#to-freeze").inner_text().split())
    assert frozen == "Figures 8 Verified by a second person 0 Not yet verified 8"
    assert page.locator("#coverage-words").inner_text() == (
        "2 forces asked. Answered with figures: 2."
    )
    page.get_by_label("Name").fill("Second look, April 2021")
    screenshot(page, "releases")
    page.get_by_role("button", name="Make release 2").click()
    page.wait_for_url(f"{live_server.url}/campaigns/{release.campaign_id}/releases/2/")
    assert page.locator(".messages").inner_text() == "Release 2 made: 8 figures frozen."
    assert page.locator(".release-name").inner_text() == "Second look, April 2021"

    page.goto(f"{live_server.url}/campaigns/{release.campaign_id}/releases/")
    rows = page.locator("table.releases-list tbody th").all_inner_texts()
    assert rows == ["Release 2: Second look, April 2021", "Release 1: Press release, March 2021"]
    page.set_viewport_size(PHONE)
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
