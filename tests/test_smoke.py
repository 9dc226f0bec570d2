from django.core.management import call_command
from django.db import connection


def test_migrations_are_complete(db):
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_postgresql_connections_run_without_the_jit_compiler(postgres):
    # The aggregates' cost estimates make PostgreSQL compile them, which cost more than it
    # saved (docs/BENCHMARKS.md); the settings turn it off for the application's connections.
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)
