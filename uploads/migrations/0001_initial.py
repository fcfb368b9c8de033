"""Pending uploads, moved here from reporting: the table keeps its name until 0002 renames it;
only Django's state moves, and with it the model's content type."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="reporting", model="pendingimport").update(
        app_label="uploads"
    )


def move_content_type_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="uploads", model="pendingimport").update(
        app_label="reporting"
    )



class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('reporting', '0008_history_names'),
        ('cities', '0003_reportingunit_submitters'),
        ('periods', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='PendingImport',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('filename', models.CharField(max_length=200, verbose_name='文件名')),
                        ('content', models.BinaryField(verbose_name='内容')),
                        ('kind', models.CharField(blank=True, max_length=20, verbose_name='类别')),
                        ('importer', models.CharField(default='figures', max_length=30, verbose_name='导入类型')),
                        ('versions', models.JSONField(default=dict, verbose_name='预览时的报表版本')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='上传时间')),
                        ('period', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='periods.reportingperiod')),
                        ('unit', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='cities.reportingunit')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='上传人')),
                    ],
                    options={
                        'db_table': 'reporting_pendingimport',
                        'verbose_name': '待确认的导入',
                        'verbose_name_plural': '待确认的导入',
                        'ordering': ['-created_at'],
                    },
                ),
            ],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
