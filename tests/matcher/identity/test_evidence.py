"""Identity evidence: identifiers normalised so that two spellings of one meet, from the record and its texts."""

import pytest

from matcher.identity.evidence import (
    evidence_of,
    find_orcids,
    normalize_email,
    normalize_link,
    normalize_organization,
    normalize_phone,
)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Wang.Li@Example.com", "wang.li@example.com"),
        ("wang.li+cv@example.com", "wang.li@example.com"),
        ("Wang.Li@gmail.com", "wangli@gmail.com"),
        ("wangli@googlemail.com", "wangli@gmail.com"),
        ("wang [at] example [dot] com", "wang@example.com"),
        ("wang＠example.com", "wang@example.com"),
        ("not an address", None),
    ],
)
def test_emails(written: str, expected: str | None) -> None:
    assert normalize_email(written) == expected


@pytest.mark.parametrize(
    "written", ["138-0013-8000", "13800138000", "+86 138 0013 8000", "0086 13800138000", "(+86)138.0013.8000"]
)
def test_one_chinese_mobile_in_every_spelling(written: str) -> None:
    assert normalize_phone(written) == "8613800138000"


def test_landlines_and_foreign_numbers_keep_their_country() -> None:
    assert normalize_phone("(0371) 6888 8888") == "8637168888888"
    assert normalize_phone("+44 20 7946 0958") == "442079460958"
    assert normalize_phone("12345") is None


def test_orcid_ids_are_found_in_text_and_links_and_checked() -> None:
    assert find_orcids("ORCID: 0000-0002-1825-0097") == {"0000-0002-1825-0097"}
    assert find_orcids("see https://orcid.org/0000-0001-5109-3700") == {"0000-0001-5109-3700"}
    assert find_orcids("orcid 000000021825009x") == set()  # a wrong check digit links nothing
    assert find_orcids("ORCID: 0000-0002-1825-0098") == set()
    assert find_orcids("phone 2019-2023-1234-5678 no") == set()


def test_personal_links_lose_scheme_and_slash_and_organisations_are_not_personal() -> None:
    assert normalize_link("https://www.linkedin.com/in/wenjing-li/") == "linkedin.com/in/wenjing-li"
    assert normalize_link("http://cn.linkedin.com/in/wenjing-li") == "linkedin.com/in/wenjing-li"
    assert normalize_link("https://www.linkedin.com/company/acme") is None


def test_employers_lose_their_legal_form() -> None:
    assert normalize_organization("郑州宇通客车股份有限公司") == normalize_organization("郑州宇通客车")
    assert normalize_organization("Acme Robotics Ltd.") == normalize_organization("ACME Robotics")


def test_evidence_of_a_record_gathers_every_identifier_and_resolves_schools() -> None:
    evidence = evidence_of(
        name="Wendy Li (李文静)",
        email="Wendy.Li@Example.com",
        url="https://orcid.org/0000-0002-1825-0097",
        texts=["Reach me on +86 138 0013 8000 or wendy [at] mail.example.edu; github.com/wendyli"],
        extras={"orcid": "0000-0001-5109-3700"},
        education=[("伦敦大学学院", "硕士", "", 2021), ("郑州大学", "Bachelor", "China", 2019)],
        employers=["宇通客车股份有限公司"],
    )
    assert evidence.emails == {"wendy.li@example.com", "wendy@mail.example.edu"}
    assert evidence.phones == {"8613800138000"}
    assert evidence.orcids == {"0000-0002-1825-0097", "0000-0001-5109-3700"}
    assert evidence.links == {"github.com/wendyli"}
    assert evidence.name.characters == "李文静"
    assert [(s.school, s.end_year) for s in evidence.schooling] == [
        ("University College London", 2021),
        ("Zhengzhou University", 2019),
    ]
    assert evidence.employers == {"宇通客车"}
