"""The attachment's period is now ``periods.ReportingPeriod`` (the same table): state only."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("circulars", "0006_attachment_measures"),
        ("periods", "0001_initial"),
    ]
    # Before reporting forgets its copy of the model.
    run_before = [("reporting", "0009_periods_and_uploads_move_out")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="circularattachment",
                    name="period",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="periods.reportingperiod",
                        verbose_name="报送周期",
                    ),
                ),
            ],
        ),
    ]
