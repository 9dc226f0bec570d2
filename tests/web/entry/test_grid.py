"""Keying a response's figures by hand on a grid, and the blind second keying.

The campaign asks about two half-years, H1 = 1 Oct 2019 to 31 Mar 2020 and H2 = 1 Apr to 30 Sep
2020, on Instagram, Snapchat and WhatsApp, for sexual offences against children. Kent's force has
the default suppression threshold of 5, so '*' is 1..4 and '<5' is 1..4 too ('fewer than 5');
'<=5' would be 1..5. Kent answered on 12 Feb 2021 with a scanned letter (a PDF with no text).
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from requests_app.services import campaign_update
from responses_app import services
from responses_app.models import Figure, OffenceCategory, Platform
from tests.web.entry.conftest import RECEIVED_ON, queries_of, written

H1 = (dt.date(2019, 10, 1), dt.date(2020, 3, 31))
H2 = (dt.date(2020, 4, 1), dt.date(2020, 9, 30))
PLATFORMS = ("instagram", "snapchat", "whatsapp")
OFFENCE = "child-sexual-offences"
SCAN = b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n"

# The letter's table, as the first clerk keys it.
KEYED = {
    "cell-instagram-2019-10-01": "14",
    "cell-instagram-2020-04-01": "<5",
    "cell-snapchat-2019-10-01": "*",
    "cell-snapchat-2020-04-01": "0",
    "cell-whatsapp-2019-10-01": "not held",
    "cell-whatsapp-2020-04-01": "1,203",
}


def figures() -> list[tuple]:
    """Every figure as (platform, period start, raw, status, low, high), in a fixed order."""
    return list(
        Figure.objects.order_by("platform__slug", "period_start").values_list(
            "platform__slug", "period_start", "raw", "status", "low", "high"
        )
    )


@pytest.fixture
def kent_response(campaign, owner, send_to, data_entry):
    """The campaign's periods and categories are set before it is sent."""
    campaign_update(campaign=campaign, user=owner, periods=[H1, H2])
    services.campaign_categories_set(
        campaign=campaign,
        offences=[OffenceCategory.objects.get(slug=OFFENCE)],
        platforms=list(Platform.objects.filter(slug__in=PLATFORMS)),
    )
    kent = send_to("kent")["kent"]
    return services.response_record_with_documents(
        request=kent,
        received_on=RECEIVED_ON,
        outcome="granted",
        user=data_entry,
        files=[("kent-letter.pdf", SCAN)],
    )


def shown_values(html: str) -> list[str]:
    return re.findall(r'<input type="text" name="cell-[^"]+" id="[^"]+" value="([^"]*)"', html)


def grid_url(response, verify: bool = False) -> str:
    return f"/responses/{response.pk}/grid/{'verify/' if verify else ''}"


def save(client, response, cells: dict, verify: bool = False, **fields):
    return client.post(grid_url(response, verify), {**cells, **fields})


def test_the_grid_shows_platforms_by_periods_beside_the_documents(
    kent_response, browser_for, data_entry
):
    html = browser_for(data_entry).get(grid_url(kent_response)).content.decode()
    document = kent_response.documents.get()
    link = f'href="/api/v1/documents/{document.pk}/download/" target="_blank" rel="noopener"'
    assert f"{link}>kent-letter.pdf</a>" in html
    for name in KEYED:
        assert f'name="{name}"' in html
    # Then the rows without a platform: 'not recorded' and the force's stated total.
    assert 'name="cell-scope.not_recorded-2019-10-01"' in html
    assert 'name="cell-scope.all_platforms-2020-04-01"' in html
    assert "1 Oct 2019 to 31 Mar 2020" in html and "1 Apr 2020 to 30 Sep 2020" in html
    assert '<option value="child-sexual-offences" selected>' in html


def test_a_clerk_saves_three_platforms_by_two_periods_in_one_submission(
    kent_response, browser_for, data_entry
):
    letter = kent_response.documents.get()
    answer = save(browser_for(data_entry), kent_response, KEYED, document=letter.pk)
    assert answer.status_code == 302
    assert answer["Location"] == (f"{grid_url(kent_response)}?offence={OFFENCE}&unit=instances")
    assert figures() == [
        ("instagram", H1[0], "14", "reported", 14, 14),
        ("instagram", H2[0], "<5", "suppressed", 1, 4),
        ("snapchat", H1[0], "*", "suppressed", 1, 4),
        ("snapchat", H2[0], "0", "zero", 0, 0),
        ("whatsapp", H1[0], "not held", "not_held", None, None),
        ("whatsapp", H2[0], "1,203", "reported", 1203, 1203),
    ]
    stored = Figure.objects.all()
    assert {(f.period_end, f.offence.slug, f.unit) for f in stored if f.period_start == H1[0]} == {
        (H1[1], OFFENCE, "instances")
    }
    assert {f.entered_by for f in stored} == {data_entry}
    assert {f.document.original_name for f in stored} == {"kent-letter.pdf"}
    assert not any(f.verified or f.disputed for f in stored)
    # Each figure's creation is in its history, by the clerk.
    assert [h.history_user for f in stored for h in f.history.all()] == [data_entry] * 6


def test_the_saved_values_are_shown_again_and_resaving_writes_nothing(
    kent_response, browser_for, data_entry, documents_folder
):
    client = browser_for(data_entry)
    save(client, kent_response, KEYED)
    html = client.get(grid_url(kent_response)).content.decode()
    assert 'id="cell-instagram-2020-04-01" value="&lt;5"' in html
    assert 'id="cell-whatsapp-2019-10-01" value="not held"' in html
    before = written(documents_folder)
    histories = Figure.history.count()
    answer = save(client, kent_response, KEYED)
    assert answer.status_code == 302
    assert written(documents_folder) == before
    assert Figure.history.count() == histories


def test_a_changed_value_corrects_its_figure_with_the_reason(
    kent_response, browser_for, data_entry
):
    client = browser_for(data_entry)
    save(client, kent_response, KEYED)
    changed = {**KEYED, "cell-snapchat-2020-04-01": "3"}
    answer = save(client, kent_response, changed, reason="Misread the scan")
    assert answer.status_code == 302
    figure = Figure.objects.get(platform__slug="snapchat", period_start=H2[0])
    assert (figure.raw, figure.status, figure.low, figure.high) == ("3", "reported", 3, 3)
    latest = figure.history.first()
    assert (latest.raw, latest.history_change_reason) == ("3", "Misread the scan")
    assert Figure.objects.count() == 6


def test_one_bad_cell_refuses_the_whole_grid_naming_each_bad_cell(
    kent_response, browser_for, data_entry, documents_folder
):
    before = written(documents_folder)
    bad = {**KEYED, "cell-snapchat-2019-10-01": "lots", "cell-whatsapp-2020-04-01": "-3"}
    answer = save(browser_for(data_entry), kent_response, bad)
    assert answer.status_code == 400
    html = answer.content.decode()
    assert "Nothing was saved: 2 cells to change." in html
    assert (
        "Snapchat, 1 Oct 2019 to 31 Mar 2020</a>: &#x27;lots&#x27; is not a figure; give a whole"
        in html
    )
    assert (
        "WhatsApp, 1 Apr 2020 to 30 Sep 2020</a>: &#x27;-3&#x27; is negative; a count cannot be "
        "below zero." in html
    )
    assert 'id="cell-snapchat-2019-10-01-error"' in html
    # What was typed is shown again to be corrected; nothing was written.
    assert 'id="cell-instagram-2019-10-01" value="14"' in html
    assert written(documents_folder) == before


def test_a_dash_is_refused_unless_the_clerk_says_what_it_means(
    kent_response, browser_for, data_entry
):
    client = browser_for(data_entry)
    dash = {"cell-instagram-2019-10-01": "-"}
    refused = save(client, kent_response, dash)
    assert refused.status_code == 400
    assert "A &#x27;-&#x27; means nil only where the answer says so" in refused.content.decode()
    assert Figure.objects.count() == 0
    assert save(client, kent_response, dash, dash="zero").status_code == 302
    assert figures() == [("instagram", H1[0], "-", "zero", 0, 0)]


def test_emptying_a_keyed_cell_is_refused(kent_response, browser_for, data_entry):
    client = browser_for(data_entry)
    save(client, kent_response, KEYED)
    emptied = {**KEYED, "cell-instagram-2019-10-01": ""}
    answer = save(client, kent_response, emptied)
    assert answer.status_code == 400
    assert "Instagram, 1 Oct 2019 to 31 Mar 2020</a>: This cell holds 14" in (
        answer.content.decode()
    )
    assert Figure.objects.count() == 6


def test_the_blind_second_keying_verifies_five_and_lists_the_one_disagreement(
    kent_response, browser_for, data_entry, second_clerk
):
    save(browser_for(data_entry), kent_response, KEYED)
    client = browser_for(second_clerk)
    page = client.get(grid_url(kent_response, verify=True)).content.decode()
    # Blind: every cell of the grid (3 platforms and 2 rows without one, by 2 periods) is empty.
    assert shown_values(page) == [""] * 10
    assert "1,203" not in page
    # '1-4' and '<5' are the same interval; 'NOT HELD' the same status; 12 is not 14.
    second = {**KEYED, "cell-instagram-2019-10-01": "12", "cell-instagram-2020-04-01": "1-4"}
    second["cell-whatsapp-2019-10-01"] = "NOT HELD"
    answer = save(client, kent_response, second, verify=True)
    assert answer.status_code == 200
    html = answer.content.decode()
    assert "5 figures verified; 1 disagreement." in html
    row = (
        '<tr><th scope="row">Instagram</th><td>1 Oct 2019 to 31 Mar 2020</td>'
        '<td class="raw">14</td><td class="raw">12</td></tr>'
    )
    assert row in html
    stored = {(f.platform.slug, f.period_start): f for f in Figure.objects.all()}
    disputed = stored.pop(("instagram", H1[0]))
    assert (disputed.verified, disputed.disputed, disputed.disputed_raw) == (False, True, "12")
    assert disputed.disputed_by == second_clerk
    assert {(f.verified, f.verified_by, f.disputed) for f in stored.values()} == {
        (True, second_clerk, False)
    }


def test_the_first_keyer_may_not_key_the_grid_again(
    kent_response, browser_for, data_entry, documents_folder
):
    client = browser_for(data_entry)
    save(client, kent_response, KEYED)
    before = written(documents_folder)
    page = client.get(grid_url(kent_response, verify=True))
    assert page.status_code == 403
    assert "You keyed 6 figures of this grid" in page.content.decode()
    answer = save(client, kent_response, KEYED, verify=True)
    assert answer.status_code == 403
    assert written(documents_folder) == before


def test_a_bad_cell_in_the_second_keying_compares_nothing(
    kent_response, browser_for, data_entry, second_clerk, documents_folder
):
    save(browser_for(data_entry), kent_response, KEYED)
    before = written(documents_folder)
    bad = {**KEYED, "cell-snapchat-2019-10-01": "4.5"}
    answer = save(browser_for(second_clerk), kent_response, bad, verify=True)
    assert answer.status_code == 400
    # A page sends text, so '4.5' is read as text, not as the number 4.5.
    assert "Snapchat, 1 Oct 2019 to 31 Mar 2020</a>: &#x27;4.5&#x27; is not a figure" in (
        answer.content.decode()
    )
    assert written(documents_folder) == before


def test_the_response_page_and_the_to_do_list_link_to_the_grids(
    kent_response, browser_for, data_entry, second_clerk
):
    grid, verify = grid_url(kent_response), grid_url(kent_response, verify=True)
    response_page = browser_for(data_entry).get(f"/responses/{kent_response.pk}/")
    html = response_page.content.decode()
    assert f'href="{grid}">Key figures by hand</a>' in html
    assert f'href="{verify}">Second keying</a>' in html
    to_do = browser_for(data_entry).get("/entry/").content.decode()
    assert f'href="{grid}">Key figures by hand<span' in to_do
    save(browser_for(data_entry), kent_response, KEYED)
    to_do = browser_for(second_clerk).get("/entry/").content.decode()
    assert f'href="{verify}">Second keying<span' in to_do


@pytest.mark.parametrize("verify", [False, True])
def test_the_grid_costs_the_same_queries_however_many_platforms_and_periods(
    campaign, owner, send_to, data_entry, second_clerk, browser_for, verify
):
    """One platform by one period, then six platforms by four quarters with every cell keyed."""
    quarters = [(dt.date(2020, m, 1), dt.date(2020, m + 2, 28)) for m in (1, 4, 7, 10)]
    offences = [OffenceCategory.objects.get(slug=OFFENCE)]
    campaign_update(campaign=campaign, user=owner, periods=quarters[:1])
    services.campaign_categories_set(
        campaign=campaign, offences=offences, platforms=[Platform.objects.get(slug="instagram")]
    )
    response = services.response_record(
        request=send_to("kent")["kent"], received_on=RECEIVED_ON, outcome="granted", user=owner
    )
    client = browser_for(second_clerk)
    url = grid_url(response, verify)
    small = queries_of(client, url)
    slugs = ("instagram", "snapchat", "whatsapp", "tiktok", "kik", "discord")
    campaign_update(campaign=campaign, user=owner, periods=quarters)
    services.campaign_categories_set(
        campaign=campaign,
        offences=offences,
        platforms=list(Platform.objects.filter(slug__in=slugs)),
    )
    cells = {f"cell-{slug}-{start}": "3" for slug in slugs for start, _ in quarters}
    assert save(browser_for(data_entry), response, cells).status_code == 302
    assert Figure.objects.count() == 24
    assert queries_of(client, url) == small


def test_the_grid_of_another_offence_and_unit_is_chosen_in_the_address(
    kent_response, browser_for, data_entry
):
    client = browser_for(data_entry)
    url = f"{grid_url(kent_response)}?offence=indecent-image-offences&unit=victims"
    answer = client.post(url, {"cell-instagram-2019-10-01": "2"})
    assert answer["Location"] == url
    figure = Figure.objects.get()
    assert (figure.offence.slug, figure.unit, figure.raw) == (
        "indecent-image-offences",
        "victims",
        "2",
    )
    # The grid of the campaign's offence is another grid: nothing shown there.
    assert shown_values(client.get(grid_url(kent_response)).content.decode()) == [""] * 10


def test_an_unknown_offence_is_a_400_naming_the_choice(kent_response, browser_for, data_entry):
    answer = browser_for(data_entry).get(f"{grid_url(kent_response)}?offence=burglary")
    assert answer.status_code == 400
    assert "Select a valid choice. burglary is not one of the available choices." in (
        answer.content.decode()
    )
    assert 'name="cell-' not in answer.content.decode()
