"""Periods, their extensions and pending uploads now live in the periods and uploads apps.

Only Django's state changes here: the tables stay as they are (periods and uploads rename
them once every reference points at the new models). Apps above reporting point their own
foreign keys at the moved models before this runs (their migrations say ``run_before``).
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("periods", "0001_initial"),
        ("uploads", "0001_initial"),
        ("reporting", "0008_history_names"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="deadlinereminder",
                    name="period",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="periods.reportingperiod",
                        verbose_name="报送周期",
                    ),
                ),
                migrations.AlterField(
                    model_name="pledgereport",
                    name="period",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="reports",
                        to="periods.reportingperiod",
                        verbose_name="报送周期",
                    ),
                ),
                migrations.AlterField(
                    model_name="historicalpledgereport",
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
                migrations.DeleteModel(name="PendingImport"),
                migrations.DeleteModel(name="DeadlineExtension"),
                migrations.DeleteModel(name="ReportingPeriod"),
            ],
        ),
    ]
