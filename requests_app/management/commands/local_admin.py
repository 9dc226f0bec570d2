from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

USERNAME = "admin"
PASSWORD = "foi-tracker-local"


def local_admin_create():
    """The laptop's superuser, made once; a password changed since is left alone."""
    User = get_user_model()
    admin = User.objects.filter(username=USERNAME).first()
    return admin or User.objects.create_superuser(USERNAME, "", PASSWORD)


class Command(BaseCommand):
    help = "Create a local admin sign-in for a laptop (refused in production)."

    def handle(self, *args, **options) -> None:
        if settings.PRODUCTION:
            raise CommandError("local_admin is for a laptop; use adduser --role admin instead.")
        local_admin_create()
        self.stdout.write(
            f"Sign in at {settings.SITE_URL}/admin/ as '{USERNAME}' with password '{PASSWORD}' "
            "(local only)."
        )
