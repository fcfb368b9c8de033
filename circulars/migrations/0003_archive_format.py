"""Archived tables carry their format: a bare list of tables becomes {"format": 1, "tables": [...]}.

Written out here, not imported from lib.printed, so that this migration stays as it is
whatever later formats the code learns.
"""

from django.db import migrations


def wrap_bare_lists(apps, schema_editor):
    Circular = apps.get_model("circulars", "Circular")
    archived = Circular.objects.filter(frozen_tables__isnull=False).values_list("pk", "frozen_tables")
    for pk, tables in archived:
        if isinstance(tables, list):
            # update(), not save(): the circular's updated_at stays as it was.
            Circular.objects.filter(pk=pk).update(frozen_tables={"format": 1, "tables": tables})


def unwrap_format_1(apps, schema_editor):
    Circular = apps.get_model("circulars", "Circular")
    archived = Circular.objects.filter(frozen_tables__isnull=False).values_list("pk", "frozen_tables")
    for pk, archive in archived:
        if isinstance(archive, dict) and archive.get("format") == 1:
            Circular.objects.filter(pk=pk).update(frozen_tables=archive["tables"])


class Migration(migrations.Migration):
    dependencies = [("circulars", "0002_attachment_form")]

    operations = [migrations.RunPython(wrap_bare_lists, unwrap_format_1)]
