"""Henan's reporting units: 17 省辖市, 济源示范区 and the 10 省直管县（市）.

Codes are GB/T 2260. The data is written out here, not imported, so that this
migration means the same thing forever.
"""

from django.db import migrations

# code, full name, short name
PREFECTURES = [
    ("410100", "郑州市", "郑州"),
    ("410200", "开封市", "开封"),
    ("410300", "洛阳市", "洛阳"),
    ("410400", "平顶山市", "平顶山"),
    ("410500", "安阳市", "安阳"),
    ("410600", "鹤壁市", "鹤壁"),
    ("410700", "新乡市", "新乡"),
    ("410800", "焦作市", "焦作"),
    ("410900", "濮阳市", "濮阳"),
    ("411000", "许昌市", "许昌"),
    ("411100", "漯河市", "漯河"),
    ("411200", "三门峡市", "三门峡"),
    ("411300", "南阳市", "南阳"),
    ("411400", "商丘市", "商丘"),
    ("411500", "信阳市", "信阳"),
    ("411600", "周口市", "周口"),
    ("411700", "驻马店市", "驻马店"),
]
ZONE = ("419001", "济源示范区", "济源")
ZONE_ALIASES = ["济源市", "济源产城融合示范区"]

# code, full name, short name, code of the 省辖市 it lies in, aliases
DIRECT_COUNTIES = [
    ("410181", "巩义市", "巩义", "410100", []),
    ("410225", "兰考县", "兰考", "410200", []),
    ("410482", "汝州市", "汝州", "410400", []),
    ("410526", "滑县", "滑县", "410500", []),
    ("410783", "长垣市", "长垣", "410700", ["长垣县"]),
    ("411381", "邓州市", "邓州", "411300", []),
    ("411481", "永城市", "永城", "411400", []),
    ("411525", "固始县", "固始", "411500", []),
    ("411628", "鹿邑县", "鹿邑", "411600", []),
    ("411729", "新蔡县", "新蔡", "411700", []),
]


def load_units(apps, schema_editor):
    Unit = apps.get_model("cities", "ReportingUnit")
    Alias = apps.get_model("cities", "UnitAlias")
    by_code = {}
    for code, name, short in PREFECTURES:
        by_code[code], _ = Unit.objects.update_or_create(
            code=code, defaults={"name": name, "short_name": short, "kind": "prefecture"}
        )
    code, name, short = ZONE
    zone, _ = Unit.objects.update_or_create(
        code=code, defaults={"name": name, "short_name": short, "kind": "zone"}
    )
    for alias in ZONE_ALIASES:
        Alias.objects.get_or_create(name=alias, defaults={"unit": zone})
    for code, name, short, parent_code, aliases in DIRECT_COUNTIES:
        county, _ = Unit.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "short_name": short,
                "kind": "county",
                "parent": by_code[parent_code],
            },
        )
        for alias in aliases:
            Alias.objects.get_or_create(name=alias, defaults={"unit": county})


class Migration(migrations.Migration):
    dependencies = [("cities", "0001_initial")]

    operations = [migrations.RunPython(load_units, migrations.RunPython.noop)]
