"""A measure report's period is now ``periods.ReportingPeriod`` (the same table): state only."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("measures", "0001_initial"),
        ("periods", "0001_initial"),
    ]
    # Before reporting forgets its copy of the model.
    run_before = [("reporting", "0009_periods_and_uploads_move_out")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="historicalmeasurereport",
                    name="period",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="periods.reportingperiod",
                        verbose_name="报送周期",
                    ),
                ),
                migrations.AlterField(
                    model_name="measurereport",
                    name="period",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="measure_reports",
                        to="periods.reportingperiod",
                        verbose_name="报送周期",
                    ),
                ),
            ],
        ),
    ]
