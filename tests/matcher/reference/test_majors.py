"""Mapping what people write about their degree to the national major catalogue, across languages."""

import pytest

from matcher.platform import Platform
from matcher.reference import english_names, majors
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
    assert strip_degree_words("Mathematics with a Year in Data Science") == "Mathematics"
    assert strip_degree_words("BA Spanish with a Year Abroad in Spain") == "Spanish"
    assert strip_degree_words("BSc Computer Science (Year in Industry)") == "Computer Science"
    assert strip_degree_words("Master of Teaching (Primary)") == "Teaching Primary"
    assert strip_degree_words("Master of Financial Engineering (MFE)") == "Financial Engineering"
    assert (
        strip_degree_words("Chemistry (MSci)") == "Chemistry" and strip_degree_words("MSc (Res) Physics") == "Physics"
    )
    assert strip_degree_words("公共卫生硕士（MPH）") == "公共卫生"


def test_aliases_and_variants_each_name_one_major_and_map_to_it(mapper: MajorMapper) -> None:
    aliases, variants = alias_records(), variant_records()
    assert len(aliases) > 200 and len(variants) > 500
    names: dict[str, set[str]] = {}
    for code, name in aliases + variants:
        names.setdefault(normalize_name(name), set()).add(code)
    assert not {name: codes for name, codes in names.items() if len(codes) > 1}, "a name given to two majors"
    catalogue = {normalize_name(hit.name) for hit in (mapper.map(code, 1)[0] for code in mapper.codes())}
    catalogue |= {normalize_name(name) for name in english_names.major_names().values()}
    assert not [name for _, name in variants if normalize_name(name) in catalogue]  # a variant is no catalogue name
    wrong = [(name, code) for code, name in aliases + variants if mapper.map(name, 1)[0].code != code]
    assert not wrong, wrong[:10]
    assert (
        mapper.seen("计科") and mapper.seen("MSc Quantity Surveying") and not mapper.seen("Underwater Basket Weaving")
    )


def test_shared_words_lift_a_major_the_model_ranks_lower(mapper: MajorMapper) -> None:
    """The model alone puts 精细化工 (Fine Chemical Engineering) first; the n-gram cosine, with "chemical" and
    "engineering" both in 081301's English name (Chemical Engineering and Technology), puts that major first."""
    text = "MEng Chemical Engineering with Management"
    assert not mapper.seen(text)
    assert mapper.map(text, 1, lexical=False)[0].code == "081308T"
    hits = mapper.map(text, 3)
    assert hits[0].code == "081301" and hits[0].score > hits[1].score > hits[2].score


@pytest.mark.parametrize("text", ["MSc", "MA", "MEng", "MPhil", "Postgraduate", "硕士研究生", "专业", "无", "MFA"])
def test_a_text_that_names_no_field_maps_to_no_major(mapper: MajorMapper, text: str) -> None:
    """Degree words alone, or one character, name no field: nothing rather than a major an abbreviation resembles
    (MA is not MAcc, MEng not MEd)."""
    assert mapper.best_code(text) is None and not [hit for hit in mapper.map(text) if hit.score >= 1.0]


def test_abbreviations_count_as_written_only(mapper: MajorMapper) -> None:
    assert mapper.map("MAcc", 1)[0].code == "120203K" and mapper.map("计科", 1)[0].code == "080901"
    assert majors._abbreviation("MAcc") and majors._abbreviation("计科") and not majors._abbreviation("Law")


def test_foreign_degrees_map_to_the_catalogue(mapper: MajorMapper) -> None:
    right = {text: mapper.best_code(text) == code for text, code in DEGREES.items() if code}
    wrong = [text for text, ok in right.items() if not ok]
    assert len(wrong) <= 2, f"mapped wrongly: {[(t, mapper.map(t, 3)) for t in wrong]}"


# Titles none of the mapper's names holds as written: mapped by similarity alone.
UNSEEN_DEGREES = {
    "MSc Advanced Cyber Security and Digital Forensics": "080911TK",
    "BSc (Hons) Computer Science and Software Development": "080901",
    "MSc Sustainable Civil Engineering Infrastructure": "081001",
    "MSc Financial Mathematics and Computation": "020305T",
    "BA (Hons) Accounting and Financial Management": "120203K",
}


def test_unseen_degree_titles_map_by_similarity(mapper: MajorMapper) -> None:
    assert not [text for text in UNSEEN_DEGREES if mapper.seen(text)]
    hits = {text: [hit.code for hit in mapper.map(text, 5)] for text in UNSEEN_DEGREES}
    assert all(code in hits[text] for text, code in UNSEEN_DEGREES.items()), hits


def test_unknown_subjects_map_to_nothing_rather_than_something_wrong(mapper: MajorMapper) -> None:
    assert mapper.best_code("Underwater Basket Weaving") is None
    assert mapper.best_code("") is None
    assert mapper.map("083901")[0].code != "083901"


def test_a_name_that_is_a_major_and_a_class_stem_is_the_major(mapper: MajorMapper) -> None:
    assert mapper.job_codes(["统计学"]) == ["071201"] and mapper.job_codes(["统计学类"]) == ["0712"]


def test_a_job_asking_for_a_class_stem_gets_the_class_not_the_variant(mapper: MajorMapper) -> None:
    """计算机 is a CV's variant of 计算机科学与技术; a job's 计算机相关 or 计算机 asks for the class."""
    assert mapper.map("计算机", 1)[0].code == "080901"
    assert mapper.job_codes(["计算机相关"]) == ["0809"] and mapper.job_codes(["计算机"]) == ["0809"]


def test_job_majors_accept_classes(mapper: MajorMapper) -> None:
    assert mapper.job_codes(["计算机类", "电子信息类相关专业", "网络空间安全", "网络空间安全"]) == [
        "0809",
        "0807",
        "080911TK",
    ]
