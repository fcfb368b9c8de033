"""The moved table takes the app's name (``uploads_pendingimport``)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("uploads", "0001_initial"),
        ("reporting", "0009_periods_and_uploads_move_out"),
    ]

    operations = [
        migrations.AlterModelTable(name="pendingimport", table=None),
    ]
