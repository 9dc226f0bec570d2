from django.core.management.base import BaseCommand, CommandError

from accounts.models import ApiToken
from accounts.services import token_revoke


class Command(BaseCommand):
    help = "Revoke an API token by its prefix (the part before the dot), or every token of a user."

    def add_arguments(self, parser) -> None:
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("prefix", nargs="?", help="The token's 8-character prefix.")
        which.add_argument("--user", help="Revoke every token of this username.")

    def handle(self, *args, prefix: str | None, user: str | None, **options) -> None:
        if user:
            tokens = list(ApiToken.objects.filter(user__username=user, revoked_at__isnull=True))
            revoked = sum(token_revoke(token=token) for token in tokens)
            self.stdout.write(f"Revoked {revoked} token(s) of '{user}'.")
            return
        token = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
        if token is None:
            raise CommandError(f"No token starts with '{prefix}'.")
        if not token_revoke(token=token):
            self.stdout.write(f"Token {prefix} of '{token.user}' was already revoked.")
            return
        self.stdout.write(f"Revoked token {prefix} of '{token.user}'.")
