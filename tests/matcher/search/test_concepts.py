"""The bilingual concept layer: one concept whichever language names it; places, degrees and filters through it."""

import pytest

from matcher.concepts import OVERSEAS, lexicon, words
from matcher.degrees import DegreeLevel
from matcher.search.preferences import QueryPreferences, industry_matches
from matcher.search.scoring import location_fit, matched_skills, place_matches


@pytest.mark.parametrize(
    ("chinese", "english"),
    [
        ("渗透测试", "penetration testing"),
        ("电池管理系统", "battery management system"),
        ("机器学习", "Machine Learning"),
        ("伦敦", "London"),
        ("英国", "United Kingdom"),
        ("郑州", "Zhengzhou"),
        ("网络空间安全", "Cyber Security"),  # a catalogue major
        ("电子信息", "electronics"),  # a leading industry
        ("硕士", "MSc"),
    ],
)
def test_a_concept_is_the_same_in_either_language(chinese: str, english: str) -> None:
    found_zh = {c.id for c in lexicon().find(chinese)}
    found_en = {c.id for c in lexicon().find(english)}
    assert found_zh and found_zh == found_en


def test_longest_match_wins_and_latin_forms_are_whole_words() -> None:
    ids = [c.id for c in lexicon().find("负责电池管理系统开发")]
    assert ids == ["skill:battery-management-system"] or len(ids) == 1
    assert lexicon().find("unsupervised") == [] or all(c.id != "skill:python" for c in lexicon().find("unsupervised"))


def test_english_inflections_and_spellings_fold() -> None:
    assert words("Characterise materials, optimised cell-culture processes") == words(
        "characterization material optimize cell culture process"
    )


def test_places_lie_in_their_country_and_abroad() -> None:
    assert place_matches("英国", "London, UK")
    assert place_matches("London", "英国伦敦")
    assert place_matches("海外", "Munich, Germany")
    assert place_matches("abroad", "新加坡")
    assert not place_matches("海外", "郑州市高新区")
    assert not place_matches("郑州", "Birmingham, UK")
    assert place_matches("高新区", "郑州市高新区")  # a district the gazetteer does not name: the words still match
    assert location_fit(["Manchester, UK", "Zhengzhou"], "郑州市金水区") == 1.0
    assert location_fit(["Manchester, UK"], "郑州市金水区") == 0.0
    assert OVERSEAS in lexicon().place_keys("Toronto")


def test_degree_words_in_a_query() -> None:
    assert lexicon().degree("电池 博士") == DegreeLevel.DOCTORATE
    assert lexicon().degree("PhD battery modelling") == DegreeLevel.DOCTORATE
    assert lexicon().degree("master's in finance") == DegreeLevel.MASTER
    assert lexicon().degree("嵌入式 RTOS") is None
    wanted = QueryPreferences.read("嵌入式 硕士 伦敦")
    assert wanted is not None and wanted.degree == DegreeLevel.MASTER
    assert [p.id for p in wanted.places] == ["place:london"]


def test_industry_by_either_name() -> None:
    assert industry_matches("electronics", "电子信息")
    assert industry_matches("新能源汽车", "new energy vehicles")
    assert industry_matches("电子", "电子信息")  # part of the name still works
    assert not industry_matches("finance", "电子信息")


def test_a_skill_matches_a_posting_in_the_other_language() -> None:
    assert matched_skills(["Penetration testing", "Cooking"], "负责渗透测试与漏洞挖掘") == ["Penetration testing"]


def test_filters_are_explained_like_the_words_of_a_query() -> None:
    from matcher.search.matching import Filters
    from matcher.search.preferences import place_note
    from matcher.search.scoring import Explanation
    from matcher.store.models import Candidate

    filters = Filters.parse("郑州", "master", None)
    wanted = QueryPreferences.read("渗透测试", filters.min_degree, filters.location)
    assert wanted is not None and wanted.degree == DegreeLevel.MASTER
    assert [p.id for p in wanted.places] == ["place:zhengzhou"]
    person = Candidate(location="Birmingham, UK", preferred_locations=["Zhengzhou"], highest_degree=2)
    explanation = Explanation(dense=0.5)
    wanted.explain(person, explanation)
    assert explanation.location_fit == 1.0 and explanation.degree_fit == 0.5
    assert "wants to work in Zhengzhou" in explanation.notes
    assert "意向工作地包括郑州" in explanation.notes_zh
    assert "要求硕士" in " ".join(explanation.notes_zh) and "(" not in " ".join(explanation.notes)
    abroad = [c for c in lexicon().places("海外")]
    assert place_note(abroad, False, True) == ("lives abroad", "现居海外")
    assert QueryPreferences.read("渗透测试") is None
