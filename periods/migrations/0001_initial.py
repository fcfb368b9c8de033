"""Periods and their extensions, moved here from reporting: the tables keep their names until
0002 renames them; only Django's state moves, and with it the models' content types (so their
permissions and admin history stay theirs)."""

import django.core.validators
import django.db.models.deletion
import django.db.models.expressions
from django.conf import settings
from django.db import migrations, models

MODELS = ("reportingperiod", "deadlineextension")


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="reporting", model__in=MODELS).update(app_label="periods")


def move_content_types_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="periods", model__in=MODELS).update(app_label="reporting")



class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('reporting', '0008_history_names'),
        ('cities', '0003_reportingunit_submitters'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ReportingPeriod',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('year', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(2000), django.core.validators.MaxValueValidator(2100)], verbose_name='年份')),
                        ('granularity', models.CharField(choices=[('year', '年度'), ('half', '半年'), ('quarter', '季度'), ('month', '月度')], default='year', max_length=10, verbose_name='周期类型')),
                        ('number', models.PositiveSmallIntegerField(default=1, help_text='年度填 1；半年 1–2；季度 1–4；月度 1–12。', verbose_name='序号')),
                        ('opens_on', models.DateField(verbose_name='开始填报日期')),
                        ('deadline', models.DateField(verbose_name='截止日期')),
                        ('closed_at', models.DateTimeField(blank=True, help_text='省局提前结束本周期的报送时填写。留空时，截止日期（含各单位的延期）过后报送自动结束。', null=True, verbose_name='提前结束报送时间')),
                        ('start_month', models.GeneratedField(db_persist=True, expression=models.Case(models.When(granularity='half', then=django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(models.F('number'), '-', models.Value(1)), '*', models.Value(6)), '+', models.Value(1))), models.When(granularity='quarter', then=django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(models.F('number'), '-', models.Value(1)), '*', models.Value(3)), '+', models.Value(1))), models.When(granularity='month', then=models.F('number')), default=models.Value(1), output_field=models.PositiveSmallIntegerField()), output_field=models.PositiveSmallIntegerField())),
                        ('length_in_months', models.GeneratedField(db_persist=True, expression=models.Case(models.When(granularity='half', then=models.Value(6)), models.When(granularity='quarter', then=models.Value(3)), models.When(granularity='month', then=models.Value(1)), default=models.Value(12), output_field=models.PositiveSmallIntegerField()), output_field=models.PositiveSmallIntegerField())),
                    ],
                    options={
                        'db_table': 'reporting_reportingperiod',
                        'verbose_name': '报送周期',
                        'verbose_name_plural': '报送周期',
                        'ordering': ['-year', '-start_month', '-length_in_months'],
                        'constraints': [models.UniqueConstraint(fields=('year', 'granularity', 'number'), name='period_unique', violation_error_message='该报送周期已存在。'), models.CheckConstraint(condition=models.Q(models.Q(('granularity', 'year'), ('number', 1)), models.Q(('granularity', 'half'), ('number__gte', 1), ('number__lte', 2)), models.Q(('granularity', 'quarter'), ('number__gte', 1), ('number__lte', 4)), models.Q(('granularity', 'month'), ('number__gte', 1), ('number__lte', 12)), _connector='OR'), name='period_number_in_range', violation_error_message='序号超出该周期类型的范围。'), models.CheckConstraint(condition=models.Q(('deadline__gte', models.F('opens_on'))), name='period_deadline_after_opening', violation_error_message='截止日期不能早于开始填报日期。')],
                    },
                ),
                migrations.CreateModel(
                    name='DeadlineExtension',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('until', models.DateField(verbose_name='延期至')),
                        ('reason', models.CharField(max_length=200, verbose_name='原因')),
                        ('granted_at', models.DateTimeField(auto_now_add=True, verbose_name='批准时间')),
                        ('granted_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='批准人')),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='extensions', to='cities.reportingunit', verbose_name='填报单位')),
                        ('period', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='extensions', to='periods.reportingperiod', verbose_name='报送周期')),
                    ],
                    options={
                        'db_table': 'reporting_deadlineextension',
                        'verbose_name': '延期报送',
                        'verbose_name_plural': '延期报送',
                        'ordering': ['period', 'unit__code', '-until'],
                        'constraints': [models.UniqueConstraint(fields=('period', 'unit'), name='extension_unique_per_unit_and_period', violation_error_message='该单位在该周期已有延期。')],
                    },
                ),
            ],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
