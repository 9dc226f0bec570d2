import datetime as dt

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def expire_the_tokens_that_never_did(apps, schema_editor):
    """Tokens made before every token expired get the longest lifetime, counted from when they
    were made: one older than that stops working now."""
    ApiToken = apps.get_model("accounts", "ApiToken")
    lifetime = dt.timedelta(days=settings.API_TOKEN_MAX_DAYS)
    for token in ApiToken.objects.filter(expires_at__isnull=True):
        token.expires_at = token.created_at + lifetime
        token.save(update_fields=["expires_at"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="parent",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                help_text="The token it was made with, if it was made through the API with a token.",
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="children",
                to="accounts.apitoken",
            ),
        ),
        migrations.RunPython(expire_the_tokens_that_never_did, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(help_text="When it stops working."),
        ),
    ]
