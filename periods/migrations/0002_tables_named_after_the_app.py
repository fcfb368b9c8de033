"""The moved tables take the app's name (``periods_…``); references to them follow."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("periods", "0001_initial"),
        ("reporting", "0009_periods_and_uploads_move_out"),
    ]

    operations = [
        migrations.AlterModelTable(name="reportingperiod", table=None),
        migrations.AlterModelTable(name="deadlineextension", table=None),
    ]
