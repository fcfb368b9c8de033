"""A pending upload names what it becomes once confirmed by that model's content type, rather
than by a label each import flow chose ("figures", "contracts", "measures-events"…)."""

import django.db.models.deletion
from django.db import migrations, models

# The labels the flows used, and the models their files become.
TARGETS = {
    "figures": ("reporting", "pledgefigures"),
    "contracts": ("contracts", "pledgecontract"),
    "measures-policies": ("measures", "policy"),
    "measures-funds": ("measures", "riskfund"),
    "measures-events": ("measures", "event"),
    "measures-practices": ("measures", "practice"),
}


def name_targets(apps, schema_editor):
    PendingImport = apps.get_model("uploads", "PendingImport")
    ContentType = apps.get_model("contenttypes", "ContentType")
    for label, (app_label, model) in TARGETS.items():
        pending = PendingImport.objects.filter(importer=label)
        if pending.exists():
            target, _created = ContentType.objects.get_or_create(app_label=app_label, model=model)
            pending.update(target=target)
    # A file of a flow no longer known cannot be confirmed: it is uploaded again.
    PendingImport.objects.filter(target__isnull=True).delete()


def name_labels(apps, schema_editor):
    PendingImport = apps.get_model("uploads", "PendingImport")
    for label, (app_label, model) in TARGETS.items():
        PendingImport.objects.filter(
            target__app_label=app_label, target__model=model
        ).update(importer=label)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("uploads", "0002_table_named_after_the_app"),
    ]

    operations = [
        migrations.AddField(
            model_name="pendingimport",
            name="target",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="contenttypes.contenttype",
                verbose_name="导入内容",
            ),
        ),
        migrations.RunPython(name_targets, name_labels),
        migrations.AlterField(
            model_name="pendingimport",
            name="target",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="contenttypes.contenttype",
                verbose_name="导入内容",
            ),
        ),
        migrations.RemoveField(model_name="pendingimport", name="importer"),
    ]
