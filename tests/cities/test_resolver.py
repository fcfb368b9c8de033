import pytest

from cities.resolver import UnitResolver, UnknownUnitError, normalize_name, resolve_unit

pytestmark = pytest.mark.django_db

# Every spelling of a unit in 豫知〔2021〕8号 (both attachments) and the unit it means.
SEED_SPELLINGS = {
    "三门峡": "三门峡市", "洛阳": "洛阳市", "驻马店": "驻马店市", "焦作": "焦作市", "漯河": "漯河市",
    "安阳": "安阳市", "郑州": "郑州市", "濮阳": "濮阳市", "鹤壁": "鹤壁市", "南阳": "南阳市",
    "商丘": "商丘市", "济源": "济源示范区", "信阳": "信阳市", "许昌": "许昌市", "平顶山": "平顶山市",
    "周口": "周口市", "新乡": "新乡市", "开封": "开封市",
    "南阳市": "南阳市", "洛阳市": "洛阳市", "商丘市": "商丘市", "周口市": "周口市", "鹤壁市": "鹤壁市",
    "濮阳市": "濮阳市", "新乡市": "新乡市", "郑州市": "郑州市", "开封市": "开封市",
    "平顶山市": "平顶山市", "安阳市": "安阳市", "焦作市": "焦作市", "许昌市": "许昌市",
    "漯河市": "漯河市", "三门峡市": "三门峡市", "信阳市": "信阳市",
}  # fmt: skip


@pytest.mark.parametrize(("spelling", "expected"), SEED_SPELLINGS.items())
def test_every_spelling_in_the_seed_circular_resolves(spelling, expected):
    assert resolve_unit(spelling).name == expected


@pytest.mark.parametrize(
    ("spelling", "expected"),
    [
        ("南阳市市场监督管理局", "南阳市"),
        ("南阳市场监管局", "南阳市"),
        ("河南省南阳市", "南阳市"),
        ("南阳市市场监管局（知识产权局）", "南阳市"),
        ("南阳市知识产权局", "南阳市"),
        (" 南阳 ", "南阳市"),
        ("南\u3000阳\u3000市", "南阳市"),
        ("南阳\t市\n", "南阳市"),
        ("济源市", "济源示范区"),
        ("济源示范区市场监督管理局", "济源示范区"),
        ("济源产城融合示范区", "济源示范区"),
        ("长垣县", "长垣市"),
        ("长垣", "长垣市"),
        ("滑县", "滑县"),
        ("巩义市市场监督管理局", "巩义市"),
        ("驻马店市", "驻马店市"),
    ],
)
def test_names_as_people_write_them_resolve(spelling, expected):
    assert resolve_unit(spelling).name == expected


def test_an_unknown_name_names_the_closest_units():
    with pytest.raises(UnknownUnitError) as error:
        resolve_unit("洛杨")
    assert [unit.name for unit in error.value.suggestions] == ["洛阳市"]
    assert str(error.value) == "未知的填报单位“洛杨”。是否指：洛阳市？"


def test_a_name_with_nothing_close_says_so_plainly():
    with pytest.raises(UnknownUnitError) as error:
        resolve_unit("北京市")
    assert error.value.suggestions == []
    assert str(error.value) == "未知的填报单位“北京市”。"


@pytest.mark.parametrize("blank", ["", "   ", "\u3000", None])
def test_a_blank_name_is_unknown(blank):
    with pytest.raises(UnknownUnitError):
        resolve_unit(blank)


def test_the_unknown_unit_error_is_a_value_error_for_importers():
    assert issubclass(UnknownUnitError, ValueError)


def test_one_resolver_answers_many_names_without_querying_again(django_assert_num_queries):
    resolver = UnitResolver()
    with django_assert_num_queries(0):
        names = [resolver.resolve(name).short_name for name in SEED_SPELLINGS]
    assert len(names) == len(SEED_SPELLINGS)


def test_normalisation_folds_full_width_characters():
    assert normalize_name("（济源）\u3000") == "(济源)"
