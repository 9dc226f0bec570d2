from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from accounts.services import token_create
from requests_app import roles


class Command(BaseCommand):
    help = "Create a user with one role and print their API token (shown once)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=roles.ROLES)
        parser.add_argument("--email", default="")
        parser.add_argument("--password", default=None, help="Allow admin sign-in with it.")
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
        with transaction.atomic():
            user = User(username=username, email=email, is_staff=role == roles.ADMIN)
            user.is_superuser = role == roles.ADMIN
            if password:
                user.set_password(password)
            else:
                user.set_unusable_password()
            user.save()
            user.groups.add(Group.objects.get(name=role))
            issued = token_create(user=user, name="adduser", expires_at=expires_at)
        self.stdout.write(f"Created {role} '{username}'. API token (keep it; shown once):")
        self.stdout.write(issued.key)
