"""Linking records of one person: identifiers decide, otherwise the evidence is weighed; namesakes stay apart."""

from matcher.identity.evidence import Evidence, evidence_of
from matcher.identity.resolution import COMMON_NAME_BLOCK, Decision, candidate_pairs, resolve, score_pair


def record(
    name: str,
    *,
    email: str | None = None,
    text: str = "",
    schools: tuple[tuple[str, str, int], ...] = (),
    employers: tuple[str, ...] = (),
    orcid: str | None = None,
) -> Evidence:
    return evidence_of(
        name=name,
        email=email,
        url=None,
        texts=[text],
        extras={"orcid": orcid} if orcid else {},
        education=[(school, degree, "", year) for school, degree, year in schools],
        employers=employers,
    )


ORCID = "0000-0002-1825-0097"
WENJING_EN = record("Wenjing Li", schools=(("Imperial College London", "MSc", 2021),), employers=("Huawei",))
WENJING_ZH = record("李文静", schools=(("帝国理工学院", "硕士", 2021),), employers=("华为",))


def test_a_shared_identifier_links_at_once_whatever_the_names() -> None:
    a = record("李文静", text=f"ORCID: {ORCID}")
    b = record("Wendy Li", orcid=ORCID)
    verdict = score_pair(a, b)
    assert verdict.decision is Decision.LINK
    assert verdict.reasons == ("same ORCID iD",)
    assert score_pair(record("A B", email="x.y+1@gmail.com"), record("C D", email="xy@gmail.com")).reasons == (
        "same e-mail",
    )


def test_different_orcid_ids_keep_records_apart_even_with_a_shared_email() -> None:
    a = record("Wenjing Li", email="lab@example.org", orcid=ORCID)
    b = record("Wenjing Li", email="lab@example.org", orcid="0000-0001-5109-3700")
    assert score_pair(a, b).decision is Decision.APART


def test_name_across_scripts_with_school_and_year_links() -> None:
    verdict = score_pair(WENJING_EN, WENJING_ZH, similarity=0.7)
    assert verdict.decision is Decision.LINK, verdict


def test_namesakes_one_sound_apart_or_homophones_stay_apart() -> None:
    lin = record("林文静", schools=(("帝国理工学院", "硕士", 2021),))
    assert score_pair(WENJING_ZH, lin, similarity=0.9).decision is Decision.APART
    zhang = record("张伟", schools=(("郑州大学", "本科", 2020),))
    zhang_homophone = record("章伟", schools=(("郑州大学", "本科", 2020),))
    assert score_pair(zhang, zhang_homophone, similarity=0.9).decision is Decision.APART


def test_the_same_name_with_another_school_and_field_stays_apart() -> None:
    other = record("Wenjing Li", schools=(("University of Toronto", "PhD", 2016),), employers=("Bank of China",))
    assert score_pair(WENJING_ZH, other, similarity=0.2).decision is Decision.APART


def test_the_same_name_alone_goes_to_review_at_most() -> None:
    assert score_pair(record("Wenjing Li"), record("李文静")).decision is not Decision.LINK


def test_resolve_groups_people_and_keeps_what_a_person_kept_apart() -> None:
    records = [(1, WENJING_EN), (2, WENJING_ZH), (3, record("林文静")), (4, record("Zhang San", email="z@example.com"))]
    records.append((5, record("张三", email="Z@Example.com")))
    result = resolve(records)
    assert result.groups == [[1, 2], [3], [4, 5]]
    assert resolve(records, kept_apart=[(5, 4), (1, 2)]).groups == [[1], [2], [3], [4], [5]]


def test_a_common_name_alone_does_not_make_a_block() -> None:
    many = [(i, record("王伟")) for i in range(COMMON_NAME_BLOCK + 5)]
    assert candidate_pairs(many) == set()
    few = [(i, record("王伟")) for i in range(3)]
    assert len(candidate_pairs(few)) == 3
    schooled = [(i, record("王伟", schools=(("郑州大学", "本科", 2020),))) for i in range(COMMON_NAME_BLOCK + 5)]
    assert len(candidate_pairs(schooled)) > 0
