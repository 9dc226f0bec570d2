"""Every web page x method x caller, and what each caller gets: the table the page matrix
checks and the accessibility check walks (tests/browser/test_accessibility.py visits every
page a row shows to someone with 200, as that caller).

The world is tests/web/page_world.py. The rules the table follows:
- anonymous callers are sent to sign in (SIGN_IN), whatever the method;
- a campaign the caller may not see (the owner's unpublished one, for an outsider or a
  consumer) is a 404, so its existence does not leak;
- a caller who may read but not change (data entry on a campaign's settings, a consumer on a
  published campaign) gets 403 for a change, and for the pages that only exist to change;
- a consumer reads a published campaign's figures and releases, and gets 403 for its working
  records (board, requests, responses), as in the API (requests_app/roles.py reads_records);
- a method the page does not have is a 405, once the caller is signed in.

To add a page: add its rows (its URL name must have a row for each of METHODS), and its path's
ids come from the world by name (`{campaign}`).
"""

from __future__ import annotations

CALLERS = ("owner", "colleague", "outsider", "data_entry", "consumer", "staff", "anonymous")
METHODS = ("GET", "POST", "PUT", "DELETE")
SIGN_IN = "sign in"  # a redirect to the sign-in page, naming the page to come back to
OTHER = "PUT DELETE"

NEW_CAMPAIGN = {
    "title": "Online grooming by platform",
    "question": "How many offences of sexual communication with a child were recorded?",
    "periods-TOTAL_FORMS": "2",
    "periods-INITIAL_FORMS": "0",
    "periods-0-start": "2020-10-01",
    "periods-0-end": "2021-03-31",
    "periods-1-start": "",
    "periods-1-end": "",
}
NEW_WAVE = {**NEW_CAMPAIGN, "title": "Wave 2"}
SEND = {"forces": "dorset", "sent_on": "2021-03-01", "how": "record"}
ACKNOWLEDGE = {"kind": "acknowledged", "acknowledged-on": "2021-02-01"}
BULK = {"kind": "acknowledged", "on": "2021-02-01", "requests": "{essex}"}
BULK_PUBLISHED = {**BULK, "requests": "{jersey}"}
REASK = {"question": "Instagram only, for October 2019 to March 2020.", "sent_on": "2021-03-01"}
ASSIGN = {"a{unmatched}-request": "{essex}"}
DISCARD_UNMATCHED = {"d{unmatched}-reason": "A newsletter"}
DISCARD_REPLY = {"d{essex_reply}-reason": "Sent to us by mistake"}
CLASSIFY = {"m{essex_reply}-kind": "acknowledged", "m{essex_reply}-on": "2021-03-01"}
DRAFT_NEW = {"internal_review-grounds": "Section 12 was applied without advice (s.16)."}
DRAFT_SAVE = {
    "to": "foi@surrey.pnn.police.uk",
    "subject": "Internal review",
    "body": "Please review the answer.",
    "action": "save",
}
RELEASE_FILES = ("", "data.csv", "data.json", "datapackage.json")
# Release 2, made from the Releases page after release 1 (the world's latest).
MAKE_RELEASE = {"name": "Second release", "note": "", "after": "1"}
# The keying grid of Kent's answer (the campaign's one period, starting 1 Oct 2019) as a browser
# sends it: Instagram as keyed (12) and a new cell; and the blind second keying of Instagram.
GRID, VERIFY = "/responses/{kent_response}/grid/", "/responses/{kent_response}/grid/verify/"
KEY_GRID = {"cell-instagram-2019-10-01": "12", "cell-snapchat-2019-10-01": "3"}
KEY_AGAIN = {"cell-instagram-2019-10-01": "12"}
SIGN_IN_BODY = {"username": "nobody", "password": "wrong"}

# path, methods, body, outcome for each of CALLERS:
#   owner, colleague, outsider, data_entry, consumer, staff, anonymous
S = SIGN_IN
TABLE = [
    ("/", "GET", None, (200, 200, 200, 200, 200, 200, S)),
    ("/", "POST " + OTHER, None, (405, 405, 405, 405, 405, 405, S)),
    # Signed-in callers are sent home by the sign-in page; only anonymous ones see it.
    ("/accounts/login/", "GET", None, (302, 302, 302, 302, 302, 302, 200)),
    ("/accounts/login/", "POST", SIGN_IN_BODY, (302, 302, 302, 302, 302, 302, 200)),
    # Django's form views take PUT as POST: an empty sign-in form, shown again.
    ("/accounts/login/", "PUT", None, (302, 302, 302, 302, 302, 302, 200)),
    ("/accounts/login/", "DELETE", None, (302, 302, 302, 302, 302, 302, 405)),
    ("/accounts/logout/", "POST", None, (302, 302, 302, 302, 302, 302, 302)),
    ("/accounts/logout/", "GET " + OTHER, None, (405, 405, 405, 405, 405, 405, 405)),
    # Researchers and staff create campaigns.
    ("/campaigns/new/", "GET", None, (200, 200, 200, 403, 403, 200, S)),
    ("/campaigns/new/", "POST", NEW_CAMPAIGN, (302, 302, 302, 403, 403, 302, S)),
    ("/campaigns/new/", OTHER, None, (405, 405, 405, 405, 405, 405, S)),
    # The board: whoever sees the campaign; the bulk action: whoever may record its events.
    ("/campaigns/{campaign}/", "GET", None, (200, 200, 404, 200, 404, 200, S)),
    ("/campaigns/{campaign}/", "POST", BULK, (302, 302, 404, 302, 404, 302, S)),
    ("/campaigns/{campaign}/", OTHER, None, (405, 405, 405, 405, 405, 405, S)),
    # A consumer reads what is published (figures, compliance, releases), not the working
    # records: the board, request and response pages of a published campaign are a 403 naming
    # what it may read.
    ("/campaigns/{published}/", "GET", None, (200, 200, 200, 200, 403, 200, S)),
    ("/campaigns/{published}/", "POST", BULK_PUBLISHED, (302, 403, 403, 302, 403, 302, S)),
    # A campaign's settings, forces, sending and waves: its team and staff.
    ("/campaigns/{campaign}/edit/", "GET", None, (200, 200, 404, 403, 404, 200, S)),
    ("/campaigns/{campaign}/edit/", "POST", NEW_CAMPAIGN, (302, 302, 404, 403, 404, 302, S)),
    ("/campaigns/{campaign}/edit/", OTHER, None, (405, 405, 405, 405, 405, 405, S)),
    # Published: everyone reads it; only its own team (here the owner alone) changes it.
    ("/campaigns/{published}/edit/", "GET", None, (200, 403, 403, 403, 403, 200, S)),
    ("/campaigns/{published}/edit/", "POST", {}, (400, 403, 403, 403, 403, 400, S)),
    ("/campaigns/{campaign}/repeat/", "GET", None, (200, 200, 404, 403, 404, 200, S)),
    ("/campaigns/{campaign}/repeat/", "POST", NEW_WAVE, (302, 302, 404, 403, 404, 302, S)),
    ("/campaigns/{campaign}/repeat/", OTHER, None, (405, 405, 405, 405, 405, 405, S)),
    ("/campaigns/{campaign}/forces/", "GET", None, (200, 200, 404, 403, 404, 200, S)),
    ("/campaigns/{campaign}/forces/", "POST " + OTHER, None, (405, 405, 405, 405, 405, 405, S)),
    ("/campaigns/{campaign}/send/?forces=dorset", "GET", None, (200, 200, 404, 403, 404, 200, S)),
    ("/campaigns/{campaign}/send/", "POST", SEND, (302, 302, 404, 403, 404, 302, S)),
    ("/campaigns/{campaign}/send/", OTHER, None, (405, 405, 405, 405, 405, 405, S)),
    ("/campaigns/{campaign}/figures/", "GET", None, (200, 200, 404, 200, 404, 200, S)),
    ("/campaigns/{campaign}/figures/", "POST " + OTHER, None, (405, 405, 405, 405, 405, 405, S)),
    # How forces answered: whoever reads the campaign's figures, a consumer included.
    ("/campaigns/{campaign}/compliance/", "GET", None, (200, 200, 404, 200, 404, 200, S)),
    ("/campaigns/{published}/compliance/", "GET", None, (200, 200, 200, 200, 200, 200, S)),
    ("/campaigns/{campaign}/compliance/", "POST " + OTHER, None, (405,) * 6 + (S,)),
    # Forces across campaigns: every signed-in caller, over the campaigns they may read (a
    # consumer: the published ones). An unknown force is a 404. Read-only.
    ("/forces/", "GET", None, (200,) * 6 + (S,)),
    ("/forces/?sort=in-time", "GET", None, (200,) * 6 + (S,)),
    ("/forces/?sort=fastest", "GET", None, (400,) * 6 + (S,)),
    ("/forces/", "POST " + OTHER, None, (405,) * 6 + (S,)),
    ("/forces/kent/", "GET", None, (200,) * 6 + (S,)),
    ("/forces/jersey/", "GET", None, (200,) * 6 + (S,)),
    ("/forces/atlantis/", "GET", None, (404,) * 6 + (S,)),
    ("/forces/kent/", "POST " + OTHER, None, (405,) * 6 + (S,)),
    # A request: whoever sees its campaign; events: whoever may record them (data entry too).
    ("/requests/{essex}/", "GET", None, (200, 200, 404, 200, 404, 200, S)),
    ("/requests/{essex}/", "POST", ACKNOWLEDGE, (302, 302, 404, 302, 404, 302, S)),
    ("/requests/{essex}/", OTHER, None, (405, 405, 405, 405, 405, 405, S)),
    ("/requests/{kent}/", "GET", None, (200, 200, 404, 200, 404, 200, S)),
    ("/requests/{surrey}/", "GET", None, (200, 200, 404, 200, 404, 200, S)),
    ("/requests/{jersey}/", "GET", None, (200, 200, 200, 200, 403, 200, S)),
    ("/requests/{jersey}/", "POST", ACKNOWLEDGE, (302, 403, 403, 302, 403, 302, S)),
    # Re-asking a force: the campaign's team and staff.
    ("/requests/{surrey}/reask/", "GET", None, (200, 200, 404, 403, 404, 200, S)),
    ("/requests/{surrey}/reask/", "POST", REASK, (302, 302, 404, 403, 404, 302, S)),
    ("/requests/{surrey}/reask/", OTHER, None, (405, 405, 405, 405, 405, 405, S)),
    # Correspondence. Unmatched mail is sorted by researchers and staff: an outsider sees only
    # mail from the forces their team writes to (none here), so the message is a 404 to them.
    ("/mail/unmatched/", "GET", None, (200, 200, 200, 403, 403, 200, S)),
    ("/mail/unmatched/", "POST " + OTHER, None, (405, 405, 405, 405, 405, 405, S)),
    ("/messages/{unmatched}/assign/", "POST", ASSIGN, (302, 302, 404, 403, 403, 302, S)),
    ("/messages/{unmatched}/assign/", "GET " + OTHER, None, (405,) * 6 + (S,)),
    (
        "/messages/{unmatched}/discard/",
        "POST",
        DISCARD_UNMATCHED,
        (302, 302, 404, 403, 403, 302, S),
    ),
    ("/messages/{essex_reply}/discard/", "POST", DISCARD_REPLY, (302, 302, 404, 403, 403, 302, S)),
    ("/messages/{essex_reply}/discard/", "GET " + OTHER, None, (405,) * 6 + (S,)),
    # A reply is classified by whoever may record its request's events (data entry too).
    ("/messages/{essex_reply}/classify/", "POST", CLASSIFY, (302, 302, 404, 302, 404, 302, S)),
    ("/messages/{essex_reply}/classify/", "GET " + OTHER, None, (405,) * 6 + (S,)),
    # Letters are the campaign team's: resending one, drafting and sending a review request.
    ("/messages/{gwent_letter}/resend/", "POST", None, (302, 302, 404, 403, 404, 302, S)),
    ("/messages/{gwent_letter}/resend/", "GET " + OTHER, None, (405,) * 6 + (S,)),
    (
        "/requests/{surrey}/letters/internal_review/",
        "POST",
        DRAFT_NEW,
        (302, 302, 404, 403, 404, 302, S),
    ),
    ("/requests/{surrey}/letters/internal_review/", "GET " + OTHER, None, (405,) * 6 + (S,)),
    ("/messages/{surrey_draft}/draft/", "GET", None, (200, 200, 404, 403, 404, 200, S)),
    ("/messages/{surrey_draft}/draft/", "POST", DRAFT_SAVE, (302, 302, 404, 403, 404, 302, S)),
    ("/messages/{surrey_draft}/draft/", OTHER, None, (405, 405, 405, 405, 405, 405, S)),
    # Data entry: the pages as each caller opens them. What a POST does to each caller is in
    # tests/web/entry/test_page_permissions.py (uploads and a world of its own); the check that
    # every page has its rows reads both tables.
    ("/entry/", "GET", None, (200, 200, 200, 200, 200, 200, S)),
    ("/entry/", OTHER, None, (405, 405, 405, 405, 405, 405, S)),
    ("/requests/{essex}/response/", "GET", None, (200, 200, 404, 200, 404, 200, S)),
    ("/requests/{essex}/response/", OTHER, None, (405, 405, 405, 405, 405, 405, S)),
    ("/responses/{kent_response}/", "GET", None, (200, 200, 404, 200, 404, 200, S)),
    ("/responses/{kent_response}/", OTHER, None, (405, 405, 405, 405, 405, 405, S)),
    ("/responses/{kent_response}/documents/", "GET " + OTHER, None, (405,) * 6 + (S,)),
    ("/responses/{kent_response}/import/", "GET", None, (200, 200, 404, 200, 404, 200, S)),
    ("/responses/{kent_response}/import/", OTHER, None, (405, 405, 405, 405, 405, 405, S)),
    ("/figures/{kent_figure}/check/", "GET " + OTHER, None, (405,) * 6 + (S,)),
    # The keying grid: whoever may change the response; its second keying is refused (403) to
    # whoever keyed any of the grid (data entry keyed Kent's figure).
    (GRID, "GET", None, (200, 200, 404, 200, 404, 200, S)),
    (GRID, "POST", KEY_GRID, (302, 302, 404, 302, 404, 302, S)),
    (GRID, OTHER, None, (405,) * 6 + (S,)),
    (VERIFY, "GET", None, (200, 200, 404, 403, 404, 200, S)),
    (VERIFY, "POST", KEY_AGAIN, (200, 200, 404, 403, 404, 200, S)),
    (VERIFY, OTHER, None, (405,) * 6 + (S,)),
    # A campaign's releases: whoever reads its figures; a release is made by whoever the API
    # lets make one (a researcher of the campaign's team, or staff).
    ("/campaigns/{campaign}/releases/", "GET", None, (200, 200, 404, 200, 404, 200, S)),
    ("/campaigns/{campaign}/releases/", "POST", MAKE_RELEASE, (302, 302, 404, 403, 404, 302, S)),
    ("/campaigns/{campaign}/releases/", OTHER, None, (405,) * 6 + (S,)),
    ("/campaigns/{published}/releases/", "GET", None, (200,) * 6 + (S,)),
    ("/campaigns/{published}/releases/", "POST", MAKE_RELEASE, (302, 403, 403, 403, 403, 302, S)),
    # A release's page and files: anyone, when its campaign is published; else whoever sees
    # the campaign (a preview), and a 404 for the rest, signed in or not. Read-only.
    *[
        (f"/campaigns/{{published}}/releases/1/{file}", "GET", None, (200,) * 7)
        for file in RELEASE_FILES
    ],
    *[
        (
            f"/campaigns/{{campaign}}/releases/1/{file}",
            "GET",
            None,
            (200, 200, 404, 200, 404, 200, 404),
        )
        for file in RELEASE_FILES
    ],
    *[
        (f"/campaigns/{{published}}/releases/1/{file}", "POST " + OTHER, None, (405,) * 7)
        for file in RELEASE_FILES
    ],
]


def cases() -> list[tuple[str, str, dict | None, str, object]]:
    """(path, method, body, caller, outcome) for every cell of the table."""
    return [
        (path, method, body, caller, outcome)
        for path, methods, body, outcomes in TABLE
        for method in methods.split()
        for caller, outcome in zip(CALLERS, outcomes, strict=True)
    ]


def pages_shown() -> list[tuple[str, str]]:
    """(caller, path) for every page a caller is shown with 200: what the accessibility check
    visits. One caller a path is enough: the page is the same template for all of them."""
    shown: dict[str, str] = {}
    for path, methods, _, outcomes in TABLE:
        # The release's data files are downloads, not pages.
        if "GET" in methods.split() and not path.endswith((".csv", ".json")):
            for caller, outcome in zip(CALLERS, outcomes, strict=True):
                if outcome == 200:
                    shown.setdefault(path, caller)
    return [(caller, path) for path, caller in shown.items()] + DIFFERENT_FOR


# Pages that differ by caller, so the first caller shown is not enough: a consumer's home lists
# published campaigns with their figures and releases; its compliance page and a force's page
# link no request; its releases page names no one and offers no form.
DIFFERENT_FOR = [
    ("consumer", "/"),
    ("consumer", "/campaigns/{published}/compliance/"),
    ("consumer", "/campaigns/{published}/releases/"),
    ("consumer", "/forces/jersey/"),
]
