"""Sign-in protection: five failed admin sign-ins for one username from one address lock that
pair out for an hour, with a message that says so."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.test.client import RequestFactory

from accounts.sign_in import client_address
from tests.factories import UserFactory

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
PASSWORD = "a-long-test-password"


@pytest.fixture
def admin_user(db):
    return UserFactory(username="editor", is_staff=True, is_superuser=True)


def sign_in(password: str, address: str = "203.0.113.7"):
    return Client(REMOTE_ADDR=address).post(
        "/admin/login/?next=/admin/", {"username": "editor", "password": password}
    )


def test_it_locks_out_after_five_failures_for_an_hour_then_lets_in(admin_user):
    with time_machine.travel(NOW, tick=False):
        for _ in range(4):
            assert sign_in("wrong").status_code == 200  # the form again, with its error
        locked = sign_in("wrong")
        assert locked.status_code == 429
        assert locked.content.decode() == (
            "Too many failed sign-ins for this username from your address: sign-in is locked "
            "for 1 hour. Try again later, or ask an administrator to unlock it."
        )
        # Locked even with the right password, but only for that address.
        assert sign_in(PASSWORD).status_code == 429
        assert sign_in(PASSWORD, address="198.51.100.1").status_code == 302
    with time_machine.travel(NOW + dt.timedelta(minutes=61), tick=False):
        assert sign_in(PASSWORD).status_code == 302


def test_an_attempt_while_locked_out_restarts_the_hour(admin_user):
    with time_machine.travel(NOW, tick=False):
        for _ in range(5):
            sign_in("wrong")
    with time_machine.travel(NOW + dt.timedelta(minutes=59), tick=False):
        assert sign_in(PASSWORD).status_code == 429
    # Past the first failures' hour, but within the hour of the attempt at 59 minutes.
    with time_machine.travel(NOW + dt.timedelta(minutes=61), tick=False):
        assert sign_in(PASSWORD).status_code == 429
    with time_machine.travel(NOW + dt.timedelta(minutes=61 + 61), tick=False):
        assert sign_in(PASSWORD).status_code == 302


def test_a_success_resets_the_count(admin_user):
    with time_machine.travel(NOW, tick=False):
        for _ in range(4):
            sign_in("wrong")
        assert sign_in(PASSWORD).status_code == 302
        for _ in range(4):
            assert sign_in("wrong").status_code == 200


def test_the_limit_and_cool_off_come_from_settings(admin_user, settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_TIME = dt.timedelta(minutes=30)
    with time_machine.travel(NOW, tick=False):
        assert sign_in("wrong").status_code == 200
        locked = sign_in("wrong")
    assert locked.status_code == 429
    assert "locked for 0.5 hours" in locked.content.decode()


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        # Through our proxy: the client the proxy appended, not what the client claimed.
        ("127.0.0.1", "6.6.6.6, 203.0.113.7", "203.0.113.7"),
        ("127.0.0.1", "", "127.0.0.1"),
        ("127.0.0.1", "not-an-address", "127.0.0.1"),
        # Straight from the internet: X-Forwarded-For is the client's own claim, ignored.
        ("198.51.100.1", "203.0.113.7", "198.51.100.1"),
    ],
)
def test_the_address_counted_is_the_one_our_proxy_saw(settings, remote, forwarded, expected):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected
