from __future__ import annotations

import datetime as dt
import getpass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from accounts.services import token_create
from requests_app import roles

# `--password` given without a value: ask for it, so it stays out of the shell's history.
ASK = "\0ask"


class Command(BaseCommand):
    help = (
        "Create a user with one role and print their API token (shown once). With --password "
        "they also sign in to the pages (and staff to the admin)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=roles.ROLES)
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--password",
            nargs="?",
            const=ASK,
            default=None,
            help="A password to sign in with; give --password alone to be asked for it. "
            "Without it the user has the API token only.",
        )
        parser.add_argument(
            "--expires-in-days",
            type=int,
            default=None,
            help="The token stops working then (default API_TOKEN_DEFAULT_DAYS, at most "
            "API_TOKEN_MAX_DAYS).",
        )

    def handle(
        self,
        *args,
        username: str,
        role: str,
        email: str,
        password: str | None,
        expires_in_days: int | None,
        **opts,
    ):
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            raise CommandError(f"A user called '{username}' already exists.")
        if email:
            try:
                validate_email(email)
            except Exception as error:
                raise CommandError(f"--email: '{email}' is not an email address.") from error
        if expires_in_days is not None and not 1 <= expires_in_days <= settings.API_TOKEN_MAX_DAYS:
            raise CommandError(f"--expires-in-days must be 1 to {settings.API_TOKEN_MAX_DAYS}.")
        expires_at = (
            timezone.now() + dt.timedelta(days=expires_in_days) if expires_in_days else None
        )
        # Staff reach the admin through the admin role's group permissions, not as superusers.
        user = User(username=username, email=email, is_staff=role == roles.ADMIN)
        password = self._password(password, user)
        with transaction.atomic():
            if password:
                user.set_password(password)
            else:
                user.set_unusable_password()
            user.save()
            user.groups.add(Group.objects.get(name=role))
            issued = token_create(user=user, name="adduser", expires_at=expires_at)
        signs_in = (
            "with a password to sign in to the pages"
            if password
            else f"without a password: API token only (`changepassword {username}` gives one)"
        )
        self.stdout.write(f"Created {role} '{username}' {signs_in}.")
        self.stdout.write("API token (keep it; shown once):")
        self.stdout.write(issued.key)

    def _password(self, given: str | None, user) -> str | None:
        """The password, checked by the site's password rules before anything is written. It is
        never echoed or printed."""
        if given is None:
            return None
        if given == ASK:
            given = getpass.getpass("Password: ")
            if given != getpass.getpass("Password (again): "):
                raise CommandError("The two passwords differ; nothing was created.")
        try:
            validate_password(given, user)
        except ValidationError as weak:
            raise CommandError(f"--password: {' '.join(weak.messages)}") from weak
        return given
