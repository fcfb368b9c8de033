import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from cities.models import ReportingUnit, UnitKind

pytestmark = pytest.mark.django_db

PREFECTURE_CODES = {
    "郑州": "410100", "开封": "410200", "洛阳": "410300", "平顶山": "410400", "安阳": "410500",
    "鹤壁": "410600", "新乡": "410700", "焦作": "410800", "濮阳": "410900", "许昌": "411000",
    "漯河": "411100", "三门峡": "411200", "南阳": "411300", "商丘": "411400", "信阳": "411500",
    "周口": "411600", "驻马店": "411700",
}  # fmt: skip
COUNTIES = {
    # short name: (code, full name, 省辖市 it lies in)
    "巩义": ("410181", "巩义市", "郑州"),
    "兰考": ("410225", "兰考县", "开封"),
    "汝州": ("410482", "汝州市", "平顶山"),
    "滑县": ("410526", "滑县", "安阳"),
    "长垣": ("410783", "长垣市", "新乡"),
    "邓州": ("411381", "邓州市", "南阳"),
    "永城": ("411481", "永城市", "商丘"),
    "固始": ("411525", "固始县", "信阳"),
    "鹿邑": ("411628", "鹿邑县", "周口"),
    "新蔡": ("411729", "新蔡县", "驻马店"),
}


def test_the_migration_loads_every_prefecture_with_its_code(units):
    prefectures = ReportingUnit.objects.filter(kind=UnitKind.PREFECTURE)
    assert {u.short_name: u.code for u in prefectures} == PREFECTURE_CODES
    assert all(u.name == u.short_name + "市" for u in prefectures)


def test_the_migration_loads_jiyuan_as_the_demonstration_zone(units):
    jiyuan = units["济源"]
    assert (jiyuan.code, jiyuan.name, jiyuan.kind, jiyuan.parent) == (
        "419001", "济源示范区", UnitKind.DEMONSTRATION_ZONE, None,
    )  # fmt: skip
    assert sorted(a.name for a in jiyuan.aliases.all()) == ["济源产城融合示范区", "济源市"]


def test_the_migration_loads_every_direct_county_with_the_prefecture_it_lies_in(units):
    counties = ReportingUnit.objects.filter(kind=UnitKind.DIRECT_COUNTY).select_related("parent")
    assert {u.short_name: (u.code, u.name, u.parent.short_name) for u in counties} == COUNTIES


def test_the_province_wide_tables_have_eighteen_rows(units):
    ranked = ReportingUnit.objects.ranked()
    assert ranked.count() == 18
    assert list(ranked.values_list("code", flat=True)) == sorted(
        [*PREFECTURE_CODES.values(), "419001"]
    )


def test_a_direct_county_without_its_prefecture_is_refused(units):
    county = ReportingUnit(
        code="410999", name="某县", short_name="某县", kind=UnitKind.DIRECT_COUNTY
    )
    with pytest.raises(ValidationError) as error:
        county.full_clean()
    assert error.value.message_dict["parent"] == ["省直管县（市）必须填写所在省辖市。"]


def test_a_prefecture_with_a_parent_is_refused(units):
    unit = units["郑州"]
    unit.parent = units["开封"]
    with pytest.raises(ValidationError) as error:
        unit.full_clean()
    assert error.value.message_dict["parent"] == ["只有省直管县（市）填写所在省辖市。"]


def test_a_county_cannot_lie_in_another_county(units):
    county = units["巩义"]
    county.parent = units["兰考"]
    with pytest.raises(ValidationError) as error:
        county.full_clean()
    assert error.value.message_dict["parent"] == ["所在单位必须是省辖市。"]


def test_the_database_refuses_a_county_without_a_parent_even_around_the_forms(units):
    with pytest.raises(IntegrityError):
        ReportingUnit.objects.filter(pk=units["巩义"].pk).update(parent=None)


def test_a_code_must_have_six_digits(units):
    unit = units["郑州"]
    unit.code = "4101"
    with pytest.raises(ValidationError) as error:
        unit.full_clean()
    assert error.value.message_dict["code"] == ["行政区划代码是 6 位数字（GB/T 2260）。"]


def test_an_alias_may_not_repeat_another_units_name(units):
    alias = units["济源"].aliases.model(unit=units["济源"], name="洛阳")
    with pytest.raises(ValidationError) as error:
        alias.full_clean()
    assert error.value.message_dict["name"] == ["别名与另一个填报单位的名称相同。"]
