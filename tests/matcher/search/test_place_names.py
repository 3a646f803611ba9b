"""Places in the page's language: a person's own words when already in it, else the place they name."""

import pytest

from matcher.search.place_names import place_shown


@pytest.mark.parametrize(
    ("text", "lang", "shown"),
    [
        ("London, UK", "en", "London, UK"),  # already English: as written
        ("英国伦敦", "zh", "英国伦敦"),
        ("英国伦敦", "en", "London, United Kingdom (英国伦敦)"),  # what it names, the words after it
        ("London, UK", "zh", "英国伦敦 (London, UK)"),
        ("卡尔加里", "en", "Calgary"),  # just a place's name: its name
        ("美国", "en", "United States"),
        ("香港", "en", "Hong Kong"),
        ("Boston, MA", "zh", "美国波士顿 (Boston, MA)"),
        ("郑州市高新区", "en", "Zhengzhou, China (郑州市高新区)"),  # the district kept in the words
        ("Zhengzhou", "zh", "郑州"),
        ("CH", "en", "Switzerland"),  # a code is no language's words: the country's name
        ("KR", "zh", "韩国"),
        ("郑州市惠济区, 河南省, CN", "en", "Zhengzhou, China (郑州市惠济区, 河南省, CN)"),  # the city, not its province
        ("Atlantis, Mars", "zh", "Atlantis, Mars"),  # no place known: as written
        ("  ", "en", ""),
    ],
)
def test_a_place_in_the_pages_language(text: str, lang: str, shown: str) -> None:
    assert place_shown(text, lang) == shown
