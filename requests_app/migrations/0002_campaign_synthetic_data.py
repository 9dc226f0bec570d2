from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("requests_app", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="campaign",
            name="synthetic_data",
            field=models.BooleanField(
                default=False,
                help_text="Its figures are made up (the demo): every report of them says so.",
            ),
        ),
    ]
