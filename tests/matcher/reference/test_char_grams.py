import pytest

from matcher.reference.char_grams import CharGramIndex, char_grams


def test_character_grams_and_their_cosine() -> None:
    assert char_grams("电商运营 KA") == {"电", "商", "运", "营", "电商", "商运", "运营", "ka"}
    index = CharGramIndex(["叉车司机", "货车司机", "Forklift Driver"])
    cosines = index.cosines("叉车司机")
    assert cosines[0] == pytest.approx(1.0) and cosines[0] > cosines[1] > 0 and cosines[2] == 0
    assert index.cosines("forklift")[2] > 0 and not index.cosines("").any()
