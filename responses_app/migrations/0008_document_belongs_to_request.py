# A document belongs to its request, and to a response only once one is recorded: a force's
# reply by email carries its files before anyone records the response. The column is filled
# here and made required in the next migration: PostgreSQL refuses to alter a table in the
# transaction that updated its rows' foreign keys (pending trigger events).

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def request_from_response(apps, schema_editor):
    Document = apps.get_model("responses_app", "Document")
    FoiResponse = apps.get_model("responses_app", "FoiResponse")
    # One UPDATE for every existing document: each was attached to a response.
    Document.objects.update(
        request=Subquery(
            FoiResponse.objects.filter(pk=OuterRef("response_id")).values("request_id")[:1]
        )
    )


class Migration(migrations.Migration):

    dependencies = [
        ("requests_app", "0011_campaign_correspondence"),
        ("responses_app", "0007_campaign_categories"),
    ]

    operations = [
        migrations.AddField(
            model_name="document",
            name="request",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="documents",
                to="requests_app.foirequest",
            ),
        ),
        migrations.RunPython(request_from_response, migrations.RunPython.noop),
    ]
