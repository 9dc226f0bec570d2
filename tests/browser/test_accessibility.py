"""axe-core on every page of the page table (tests/web/pages.py): no serious or critical
violation, and nothing wider than the window at a laptop's width or a phone's (390 px).
axe-core is read from node_modules (package.json pins it; `make install` runs
`npm ci`), never fetched while the tests run; a page added to the table is checked here too."""

from __future__ import annotations

from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

from requests_app import roles
from tests.api_world import documents_in, documents_restore, member
from tests.browser.conftest import PHONE, from_database
from tests.conftest import service_missing
from tests.web.page_world import NOW, page_world_build
from tests.web.pages import pages_shown

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
SERIOUS = ("serious", "critical")


@pytest.fixture
def world(transactional_db, tmp_path):
    saved = documents_in(tmp_path / "documents")
    # Ticking, so the browser's waits and the server's clock both move on normally.
    with time_machine.travel(NOW, tick=True):
        built = page_world_build()
        member("consumer", roles.CONSUMER)  # for the consumer's home (pages.DIFFERENT_FOR)
        yield built
    documents_restore(saved)


@pytest.fixture
def axe_context(browser_context):
    if not AXE.exists():
        service_missing(f"axe-core is not installed at {AXE}: run `make install` (npm ci)")
    # An init script runs through the browser's debugging protocol, so the pages' content
    # security policy, which allows no inline script, does not stop it.
    browser_context.add_init_script(path=str(AXE))
    return browser_context


def _sign_in(context, live_server, who: str) -> None:
    context.clear_cookies()
    if who == "anonymous":
        return
    client = Client()
    from_database(lambda: client.force_login(get_user_model().objects.get(username=who)))
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )


def _serious_violations(page) -> list[str]:
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']}: {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in SERIOUS
    ]


def test_every_page_has_no_serious_accessibility_violation(world, axe_context, live_server):
    pages = pages_shown()
    assert len(pages) >= 12
    page = axe_context.new_page()
    found = {}
    for who, path in sorted(pages):
        _sign_in(axe_context, live_server, who)
        for viewport in ({"width": 1280, "height": 860}, PHONE):
            page.set_viewport_size(viewport)
            page.goto(live_server.url + path.format(**world.ids()))
            # Open every folded section, so the forms inside them are checked too.
            page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
            violations = _serious_violations(page)
            # Nothing wider than a phone: a wide table scrolls inside its own box.
            page.wait_for_load_state("load")
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > viewport["width"]:
                violations.append(f"the page is {width}px wide")
            if violations:
                found[f"{path} as {who} at {viewport['width']}px"] = violations
    assert found == {}


def test_a_page_with_errors_has_no_serious_accessibility_violation(world, axe_context, live_server):
    _sign_in(axe_context, live_server, "owner")
    page = axe_context.new_page()
    page.goto(f"{live_server.url}/campaigns/new/")
    page.get_by_role("button", name="Create and choose forces").click()
    assert page.locator(".error").count() >= 3
    assert _serious_violations(page) == []
    page.goto(f"{live_server.url}/campaigns/{world.campaign}/")
    page.get_by_role("button", name="Record for the ticked forces").click()
    assert "Tick at least one force" in page.locator("#bulk-requests-error").inner_text()
    assert _serious_violations(page) == []
