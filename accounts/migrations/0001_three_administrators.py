"""Separation of duties (三员分立): the provincial administrators' group becomes the system
administrators' (系统管理员), keeping its members; the security and audit administrators'
groups are made with their permissions after every migrate (accounts.groups)."""

from django.db import migrations

OLD, NEW = "省级管理员", "系统管理员"


def rename(apps, schema_editor, old=OLD, new=NEW):
    Group = apps.get_model("auth", "Group")
    if not Group.objects.filter(name=new).exists():
        Group.objects.filter(name=old).update(name=new)


def rename_back(apps, schema_editor):
    rename(apps, schema_editor, old=NEW, new=OLD)


class Migration(migrations.Migration):
    dependencies = [("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(rename, rename_back, elidable=False)]
