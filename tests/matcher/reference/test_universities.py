"""University names as candidates write them, resolved against the real ARWU 2025 file and alias list."""

import json
from importlib.resources import files

import pytest

from matcher.reference.universities import (
    UniversityResolver,
    alias_rows,
    country_code,
    default_resolver,
    normalize,
    one_edit_apart,
    parse_rank,
    ranking_records,
)

# The aliases deliberately listed for several institutions (the resolver leaves them unresolved unless the country
# given with the degree picks one). A new clash must be a decision, not an accident.
AMBIGUOUS_KEYS = {
    "ntu",
    "uw",
    "uva",
    "northeastern university",
    "washington university",
    "university of newcastle",
    "free university of brussels",
    "东北大学",
    "西北大学",
    "约克大学",
    "维多利亚大学",
    "纽卡斯尔大学",
    "布鲁塞尔自由大学",
}


@pytest.fixture(scope="module")
def resolver() -> UniversityResolver:
    return default_resolver()


@pytest.mark.parametrize(
    ("written", "institution", "method"),
    [
        ("Harvard University", "Harvard University", "exact"),
        ("MIT", "Massachusetts Institute of Technology", "alias"),
        ("UCL", "University College London", "alias"),
        ("NUS", "National University of Singapore", "alias"),
        ("ETH Zurich", "ETH Zurich", "exact"),
        ("ETH Zürich", "ETH Zurich", "exact"),
        ("帝国理工", "Imperial College London", "alias"),
        ("Imperial College", "Imperial College London", "alias"),
        ("港大", "The University of Hong Kong", "alias"),
        ("香港大學", "The University of Hong Kong", "alias"),
        ("Univ. of Toronto", "University of Toronto", "exact"),
        ("university of toronto", "University of Toronto", "exact"),
        ("University of California, Berkeley", "University of California, Berkeley", "exact"),
        ("University of California Berkeley", "University of California, Berkeley", "exact"),
        ("UC Berkeley", "University of California, Berkeley", "alias"),
        ("加州大学伯克利分校", "University of California, Berkeley", "alias"),
        ("TU Munich", "Technical University of Munich", "alias"),
        ("Technische Universität München", "Technical University of Munich", "alias"),
        ("慕尼黑工业大学", "Technical University of Munich", "alias"),
        ("LMU Munich", "University of Munich", "alias"),
        ("University of Tokyo", "The University of Tokyo", "exact"),
        ("东京大学", "The University of Tokyo", "alias"),
        ("Tokyo Institute of Technology", "Institute of Science Tokyo", "alias"),
        ("KAIST", "Korea Advanced Institute of Science and Technology", "alias"),
        ("首尔大学", "Seoul National University", "alias"),
        ("University of Edinburgh", "The University of Edinburgh", "exact"),
        ("King's College London", "King's College London", "exact"),
        ("Kings College London", "King's College London", "exact"),
        ("King’s College London", "King's College London", "exact"),
        ("Texas A&M University", "Texas A&M University", "exact"),
        ("Texas A and M University", "Texas A&M University", "exact"),
        ("Wageningen University and Research", "Wageningen University & Research", "exact"),
        ("University of Tübingen", "University of Tuebingen", "alias"),
        ("Washington University in Saint Louis", "Washington University in St Louis", "exact"),
        ("University of Illinois at Urbana-Champaign", "University of Illinois - Urbana Champaign", "exact"),
        ("UIUC", "University of Illinois - Urbana Champaign", "alias"),
        ("约翰斯·霍普金斯大学", "Johns Hopkins University", "alias"),
        ("约翰斯 霍普金斯大学", "Johns Hopkins University", "alias"),
        ("LSE", "London School of Economics", "alias"),
        ("UNSW", "The University of New South Wales", "alias"),
        ("悉尼大学", "University of Sydney", "alias"),
        ("UBC", "University of British Columbia", "alias"),
        ("EPFL", "Swiss Federal Institute of Technology - Lausanne", "alias"),
        ("TU Delft", "Delft University of Technology", "alias"),
        ("KU Leuven", "KU Leuven", "exact"),
        ("Université Paris-Saclay", "Paris-Saclay University", "alias"),
        ("CUHK", "The Chinese University of Hong Kong", "alias"),
        ("HKUST", "Hong Kong University of Science and Technology", "alias"),
        ("南洋理工大学", "Nanyang Technological University", "alias"),
        ("东北大学（日本）", "Tohoku University", "alias"),
        ("美国东北大学", "Northeastern University (Boston)", "alias"),
        ("华盛顿大学", "University of Washington", "alias"),
        ("清华大学", "Tsinghua University", "alias"),
        ("郑州大学", "Zhengzhou University", "alias"),
        # A country or a department after a comma or in brackets, a Chinese country prefix
        ("University of Toronto, Canada", "University of Toronto", "exact"),
        ("Harvard University (USA)", "Harvard University", "exact"),
        ("University of California, Davis, School of Medicine", "University of California, Davis", "exact"),
        ("英国曼彻斯特大学", "The University of Manchester", "alias"),
        ("澳大利亚悉尼大学", "University of Sydney", "alias"),
        # Typos: one letter, same first letter, in a long word
        ("Massachusets Institute of Technology", "Massachusetts Institute of Technology", "fuzzy"),
        ("Univeristy of Edinburgh", "The University of Edinburgh", "fuzzy"),
        ("Carnegie Melon University", "Carnegie Mellon University", "fuzzy"),
        ("University of Warwik", "The University of Warwick", "fuzzy"),
    ],
)
def test_names_resolve(resolver: UniversityResolver, written: str, institution: str, method: str) -> None:
    match = resolver.resolve(written)
    assert match is not None, written
    assert (match.institution, match.method, match.written) == (institution, method, written)


@pytest.mark.parametrize(
    "written",
    [
        "NTU",  # Nanyang Technological University or National Taiwan University
        "UW",  # Washington, Wisconsin or Waterloo
        "Northeastern University",  # Boston or Shenyang
        "东北大学",  # Northeastern (Shenyang or Boston) or Tohoku
        "西北大学",  # Northwestern University (US) or Northwest University (Xi'an)
        "Washington University",  # WashU or the University of Washington
        "约克大学",  # University of York (UK) or York University (Canada)
        # Not in ARWU 2025, and close to names that are: must not be taken for them
        "Eastern University",  # not Western University
        "Jönköping University",  # not Linköping
        "University of Nottingham Ningbo China",  # not the University of Nottingham
        "宁波诺丁汉大学",
        "Oxford Brookes University",  # not Oxford
        "Miami University",  # Ohio, not the University of Miami
        "Aston University",  # not Boston University
        "University of London",  # a federation, not one of its colleges
        "Imperial College Business School",
        "Harvrd",  # single words are never fuzzy-matched
        "",
        "大学",
    ],
)
def test_doubtful_names_stay_unresolved(resolver: UniversityResolver, written: str) -> None:
    assert resolver.resolve(written) is None


def test_ambiguous_names_say_what_they_could_mean(resolver: UniversityResolver) -> None:
    lookup = resolver.lookup("NTU")
    assert lookup.match is None
    assert lookup.ambiguous == ("Nanyang Technological University", "National Taiwan University")


@pytest.mark.parametrize(
    ("written", "country", "institution"),
    [
        ("NTU", "Singapore", "Nanyang Technological University"),
        ("NTU", "台湾", "National Taiwan University"),
        ("西北大学", "United States", "Northwestern University"),
        ("西北大学", "中国", "Northwest University"),
        ("约克大学", "Canada", "York University"),
        ("约克大学", "UK", "University of York"),
        ("东北大学", "日本", "Tohoku University"),
        ("UW", "CA", "University of Waterloo"),
        ("UvA", "Netherlands", "University of Amsterdam"),
        ("The University of Hong Kong", "Hong Kong, China", "The University of Hong Kong"),
        ("The University of Hong Kong", "China", "The University of Hong Kong"),  # HK, MO, TW fit "China"
    ],
)
def test_the_country_picks_among_ambiguous_names(
    resolver: UniversityResolver, written: str, country: str, institution: str
) -> None:
    match = resolver.resolve(written, country)
    assert match is not None and match.institution == institution


def test_a_name_from_another_country_is_not_taken(resolver: UniversityResolver) -> None:
    assert resolver.resolve("University of Cambridge", "United States") is None
    lookup = resolver.lookup("Newcastle University, Australia")  # the UK one, with Australia given
    assert lookup.match is None and lookup.country_conflict
    assert resolver.resolve("Northeastern University", "United States") is not None


def test_ranks_and_bands(resolver: UniversityResolver) -> None:
    cambridge = resolver.resolve("University of Cambridge")
    assert cambridge is not None
    assert (cambridge.world_rank, cambridge.rank_floor, cambridge.rank_ceiling) == ("4", 4, 4)
    assert (cambridge.country_code, cambridge.country) == ("GB", "United Kingdom")
    boston = resolver.resolve("Boston University")
    assert boston is not None and (boston.world_rank, boston.rank_floor, boston.rank_ceiling) == ("101-150", 101, 150)
    assert parse_rank("901-1000") == (901, 1000)


def test_a_name_listed_twice_keeps_its_better_rank(resolver: UniversityResolver) -> None:
    listed = [
        r["world_rank"] for r in ranking_records() if r["institution"] == "Nanjing University of Science and Technology"
    ]
    assert listed == ["201-300", "301-400"]
    match = resolver.resolve("南京理工大学")
    assert match is not None and match.world_rank == "201-300"


def test_every_alias_names_a_ranked_institution() -> None:
    ranked = {r["institution"] for r in ranking_records()}
    rows = alias_rows()
    assert len(rows) > 1000
    assert not [institution for _, institution in rows if institution not in ranked]
    with pytest.raises(ValueError, match=r"not in arwu-2025\.csv"):
        UniversityResolver(ranking_records(), [("Hogwarts", "Hogwarts School")])


def test_only_the_deliberate_aliases_are_ambiguous(resolver: UniversityResolver) -> None:
    ambiguous = {key for key, names in resolver.alias.items() if len(names) > 1}
    assert ambiguous == AMBIGUOUS_KEYS
    clashes = {key for key, names in resolver.alias.items() if key in resolver.exact and resolver.exact[key] != names}
    assert not clashes


def test_the_top_200_all_have_aliases() -> None:
    aliased = {institution for _, institution in alias_rows()}
    top = [r["institution"] for r in ranking_records() if parse_rank(r["world_rank"])[0] <= 200]
    assert [name for name in top if name not in aliased] == []


def test_chinese_names_of_the_demo_universities_resolve(resolver: UniversityResolver) -> None:
    text = files("matcher").joinpath("data", "demo-vocabulary.jsonl").read_text(encoding="utf-8")
    rows = [json.loads(line) for line in text.splitlines() if '"universities"' in line]
    countries = {r["institution"]: r["country"] for r in ranking_records()}
    assert len(rows) > 100
    for row in rows:
        match = resolver.resolve(row["value"][0], countries[row["key"]])
        assert match is not None and match.institution == row["key"], row


def test_normalisation() -> None:
    assert normalize("The University of Tübingen") == "university of tubingen"
    assert normalize("Univ. of Toronto") == "university of toronto"
    assert normalize("Texas A&M") == "texas a and m"
    assert normalize("King’s College, London") == "kings college london"
    assert normalize("香港大學（HKU）") == "香港大学 hku"
    assert normalize("约翰斯·霍普金斯 大学") == "约翰斯霍普金斯大学"


def test_countries_as_written() -> None:
    assert [country_code(c) for c in ("United States", "USA", "美国", "us", "UK", "英国", "Hong Kong, China")] == [
        "US",
        "US",
        "US",
        "US",
        "GB",
        "GB",
        "HK",
    ]
    assert country_code("Atlantis") is None and country_code("") is None


def test_one_edit() -> None:
    assert one_edit_apart("edinburgh", "edinburg") and one_edit_apart("univeristy", "university")
    assert one_edit_apart("mellon", "melon") and not one_edit_apart("jonkoping", "linkoping")
    assert not one_edit_apart("abc", "abcde")
