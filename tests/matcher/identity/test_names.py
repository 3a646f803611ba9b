"""Names across scripts: one person's name in characters and in pinyin meet; namesakes do not."""

import pytest

from matcher.identity.names import NameMatch, compare_names, name_keys


@pytest.mark.parametrize(
    "written",
    ["Wenjing Li", "Li Wenjing", "LI Wen-Jing", "li wen jing", "Wendy Li (李文静)", "Dr. Wenjing Li", "Wénjìng Lǐ"],
)
def test_one_name_in_every_spelling_meets_the_characters(written: str) -> None:
    assert compare_names(name_keys("李文静"), name_keys(written)) >= NameMatch.PINYIN


def test_namesakes_one_sound_apart_do_not_meet() -> None:
    assert compare_names(name_keys("李文静"), name_keys("林文静")) is NameMatch.DIFFERENT
    assert compare_names(name_keys("Wenjing Li"), name_keys("Wenjing Lin")) is NameMatch.DIFFERENT
    assert compare_names(name_keys("李文静"), name_keys("Wenjing Lin")) is NameMatch.DIFFERENT


def test_the_same_pinyin_from_other_characters_is_a_homophone_not_a_match() -> None:
    assert compare_names(name_keys("张伟"), name_keys("章伟")) is NameMatch.HOMOPHONE
    assert compare_names(name_keys("张伟"), name_keys("张伟")) is NameMatch.SAME_CHARACTERS


@pytest.mark.parametrize(
    ("characters", "latin"),
    [
        ("欧阳娜娜", "Nana Ouyang"),
        ("欧阳娜娜", "Ou Yang Nana"),
        ("司马光", "Guang Sima"),
        ("曾小贤", "Xiaoxian Zeng"),  # 曾 is zeng as a surname, ceng in words
        ("单田芳", "Tianfang Shan"),
        ("区志伟", "Zhiwei Ou"),
        ("吕思", "Si Lyu"),
        ("吕思", "Lu Si"),
        ("吕思", "LV Si"),
    ],
)
def test_compound_and_polyphonic_surnames_and_u_umlaut(characters: str, latin: str) -> None:
    assert compare_names(name_keys(characters), name_keys(latin)) is NameMatch.PINYIN


def test_a_single_word_or_an_empty_name_gives_no_key() -> None:
    assert not name_keys("Wendy").keys
    assert not name_keys("").keys
    assert not name_keys("李").keys
