"""A sign-in for each role on a laptop, printed with what it is for: the demo's researcher, a
data-entry clerk, a consumer and the admin. Safe to run every time: users that exist are left
as they are (a password changed since stays changed)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from requests_app import roles
from requests_app.management.commands import local_admin
from responses_app.management.commands import load_demo

# role, username, password, what the sign-in is for
SIGN_INS = [
    (
        roles.RESEARCHER,
        load_demo.USERNAME,
        load_demo.PASSWORD,
        "owns the demo: creates and sends campaigns, records what forces do",
    ),
    (
        roles.DATA_ENTRY,
        "clerk",
        "foi-clerk-local",
        "records responses, imports and confirms figures (Data entry)",
    ),
    (
        roles.CONSUMER,
        "reader",
        "foi-reader-local",
        "reads the figures of published campaigns, the demo among them",
    ),
    (
        roles.ADMIN,
        local_admin.USERNAME,
        local_admin.PASSWORD,
        "staff: users, roles and reference lists at /admin/",
    ),
]
ROLE_NAMES = {roles.DATA_ENTRY: "data entry"}


def local_user_create(role: str, username: str, password: str):
    """The user, made once with the role's group; an existing one is left alone."""
    if role == roles.ADMIN:
        return local_admin.local_admin_create()
    if role == roles.RESEARCHER:
        return load_demo.demo_researcher()
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username)
    if created:
        user.set_password(password)
        user.save()
        user.groups.add(Group.objects.get(name=role))
    return user


class Command(BaseCommand):
    help = "Create and print a local sign-in for every role (refused in production)."

    def handle(self, *args, **options) -> None:
        if settings.PRODUCTION:
            raise CommandError("local_signins is for a laptop; use adduser in production.")
        with transaction.atomic():
            for role, username, password, _ in SIGN_INS:
                local_user_create(role, username, password)
        self.stdout.write(f"Sign in at {settings.SITE_URL}/ (local only, refused in production):")
        for role, username, password, purpose in SIGN_INS:
            who = f"{ROLE_NAMES.get(role, role):<11} {username} / {password}"
            self.stdout.write(f"  {who:<38} {purpose}")
