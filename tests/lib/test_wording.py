from django.utils import translation

from lib.wording import join_clauses, join_names, join_sentences


def test_sentences_joined_end_once_in_the_readers_language():
    assert join_sentences(["甲不能为空。", "乙超过两位小数。"]) == "甲不能为空；乙超过两位小数。"
    assert join_sentences(["甲", "乙。"]) == "甲；乙。"
    assert join_sentences([]) == ""
    with translation.override("en"):
        assert join_sentences(["A is missing.", "B is too long."]) == "A is missing; B is too long."


def test_names_and_clauses_keep_their_items_as_they_are():
    assert join_names(["郑州市", "洛阳市"]) == "郑州市、洛阳市"
    assert (
        join_clauses(["扶持办法（郑市监〔2021〕3号）", "贴息办法"])
        == "扶持办法（郑市监〔2021〕3号）；贴息办法"
    )
