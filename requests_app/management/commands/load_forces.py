from django.core.management.base import BaseCommand

from requests_app.services import force_register_load


class Command(BaseCommand):
    help = "Insert or update the force register from fixtures/forces.csv (safe to run again)."

    def handle(self, *args, **options) -> None:
        count = force_register_load()
        self.stdout.write(f"Force register loaded: {count} forces.")
