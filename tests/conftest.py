"""The cast every permission test uses, API clients signed in as each of them, and the switches
for tests that need a real service."""

from __future__ import annotations

import os

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from rest_framework.test import APIClient

from requests_app import roles
from tests.factories import CampaignFactory, UserFactory

REQUIRE_SERVICES = os.environ.get("FOI_REQUIRE_SERVICES") == "1"


def service_missing(reason: str) -> None:
    """Skip with a visible reason, or fail when CI says every service must be there."""
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} (FOI_REQUIRE_SERVICES=1)")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Users are made in most tests; the real hasher is slow on purpose (about 0.4 s a user).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def cache_emptied():
    # Stored report answers and throttle counts belong to one test's database.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def postgres(db) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("runs in the PostgreSQL pass: set DATABASE_URL=postgres://...")


def _user(username: str, *role_names: str, **extra):
    user = UserFactory(username=username, **extra)
    user.groups.add(*Group.objects.filter(name__in=role_names))
    return user


@pytest.fixture
def owner(db):
    return _user("owner", roles.RESEARCHER)


@pytest.fixture
def colleague(db):
    return _user("colleague", roles.RESEARCHER)


@pytest.fixture
def outsider(db):
    return _user("outsider", roles.RESEARCHER)


@pytest.fixture
def data_entry(db):
    return _user("data_entry", roles.DATA_ENTRY)


@pytest.fixture
def consumer(db):
    return _user("consumer", roles.CONSUMER)


@pytest.fixture
def staff(db):
    return _user("staff", roles.ADMIN, is_staff=True, is_superuser=True)


@pytest.fixture
def campaign(owner, colleague):
    campaign = CampaignFactory(owner=owner)
    campaign.collaborators.add(colleague)
    return campaign


@pytest.fixture
def client_for():
    """An API client signed in as the given user (anonymous for None)."""

    def make(user) -> APIClient:
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return make
