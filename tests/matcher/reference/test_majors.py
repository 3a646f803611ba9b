"""Mapping what people write about their degree to the national major catalogue, across languages."""

import pytest

from matcher.platform import Platform
from matcher.reference.majors import MajorMapper, alias_records, normalize_name, strip_degree_words, variant_records

# Written for this test, independently of the alias list: how graduates abroad name their degrees.
DEGREES = {
    "MSc Cyber Security": "080911TK",
    "Master of Financial Engineering": "020302",
    "BEng EEE": "080601",
    "MSc Computer Science": "080901",
    "BSc (Hons) Software Engineering": "080902",
    "MEng Civil Engineering": "081001",
    "MSc Artificial Intelligence": "080717T",
    "BA Economics": "020101",
    "Bachelor of Laws": "030101K",
    "MSc Statistics": "071201",
    "PhD in Chemistry": "070301",
    "MSc Physics": "070201",
    "MSc Environmental Engineering": "082502",
    "Bachelor of Architecture": "082801",
    "MA Industrial Design": "080205",
    "MSc Accounting": "120203K",
    "MSc Microelectronics": "080704",
    "BSc Biotechnology": "071002",
    "MSc Food Science": "082701",
    "MSc Marketing": "120202",
    "BSc Mathematics": "070101",
    "MSc Automotive Engineering": "080207",
    "MSc Psychology": "071102",
    "计算机科学与技术": "080901",
    "网络空间安全": "080911TK",
    "083901": None,  # not a catalogue code: graduate discipline codes are not undergraduate majors
    "080901": "080901",
}


@pytest.fixture
def mapper(platform: Platform) -> MajorMapper:
    with platform.session() as session:
        return platform.major_mapper(session)


def test_degree_words_are_stripped() -> None:
    assert strip_degree_words("Master of Financial Engineering") == "Financial Engineering"
    assert strip_degree_words("BSc (Hons) Software Engineering") == "Software Engineering"
    assert strip_degree_words("Doctor of Philosophy in Physics") == "Physics"
    assert strip_degree_words("网络空间安全专业硕士") == "网络空间安全"
    # a British year out is no part of the field; a word in brackets is, an acronym is not
    assert (
        strip_degree_words("BEng (Hons) Mechanical Engineering with Industrial Placement") == "Mechanical Engineering"
    )
    assert strip_degree_words("BSc Computer Science with a Year in Industry") == "Computer Science"
    assert strip_degree_words("BA Business Management (Sandwich)") == "Business Management"
    assert strip_degree_words("Mechanical Engineering with Business") == "Mechanical Engineering with Business"
    assert "Primary" in strip_degree_words("Master of Teaching (Primary)")
    assert strip_degree_words("Master of Financial Engineering (MFE)") == "Financial Engineering"


def test_aliases_and_variants_each_name_one_major_and_map_to_it(mapper: MajorMapper) -> None:
    aliases, variants = alias_records(), variant_records()
    assert len(aliases) > 200 and len(variants) > 500
    names: dict[str, set[str]] = {}
    for code, name in aliases + variants:
        names.setdefault(normalize_name(name), set()).add(code)
    assert not {name: codes for name, codes in names.items() if len(codes) > 1}, "a name given to two majors"
    catalogue = {normalize_name(hit.name) for hit in (mapper.map(code, 1)[0] for code in mapper.codes())}
    assert not [name for _, name in variants if normalize_name(name) in catalogue]  # a variant is not a catalogue name
    wrong = [(name, code) for code, name in aliases + variants if mapper.map(name, 1)[0].code != code]
    assert not wrong, wrong[:10]
    assert (
        mapper.seen("计科") and mapper.seen("MSc Quantity Surveying") and not mapper.seen("Underwater Basket Weaving")
    )


def test_shared_words_lift_a_major_the_model_ranks_lower(mapper: MajorMapper) -> None:
    """The model alone puts 精细化工 (Fine Chemical Engineering) first; the n-gram cosine, with "chemical" and
    "engineering" both in 081301's English name (Chemical Engineering and Technology), puts that major first."""
    assert not mapper.seen("MEng Chemical Engineering with Management")
    hits = mapper.map("MEng Chemical Engineering with Management", 3)
    assert hits[0].code == "081301" and hits[0].score > hits[1].score > hits[2].score


def test_foreign_degrees_map_to_the_catalogue(mapper: MajorMapper) -> None:
    right = {text: mapper.best_code(text) == code for text, code in DEGREES.items() if code}
    wrong = [text for text, ok in right.items() if not ok]
    assert len(wrong) <= 2, f"mapped wrongly: {[(t, mapper.map(t, 3)) for t in wrong]}"


def test_unknown_subjects_map_to_nothing_rather_than_something_wrong(mapper: MajorMapper) -> None:
    assert mapper.best_code("Underwater Basket Weaving") is None
    assert mapper.best_code("") is None
    assert mapper.map("083901")[0].code != "083901"


def test_a_name_that_is_a_major_and_a_class_stem_is_the_major(mapper: MajorMapper) -> None:
    assert mapper.job_codes(["统计学"]) == ["071201"] and mapper.job_codes(["统计学类"]) == ["0712"]


def test_job_majors_accept_classes(mapper: MajorMapper) -> None:
    assert mapper.job_codes(["计算机类", "电子信息类相关专业", "网络空间安全", "网络空间安全"]) == [
        "0809",
        "0807",
        "080911TK",
    ]
