"""Certification against the packaged criteria and real ranking data: plain functions, no database."""

from datetime import date
from pathlib import Path

import pytest

from matcher.degrees import DegreeLevel
from matcher.errors import Invalid
from matcher.office.certification import (
    CRITERIA,
    Applicant,
    CertificationConfig,
    CriterionResult,
    Decision,
    Education,
    certify,
    load_config,
)
from matcher.office.policies import eligible_policies, load_catalogue
from matcher.reference.universities import default_resolver

AS_OF = date(2026, 6, 1)
BACHELOR, MASTER, DOCTORATE = DegreeLevel.BACHELOR, DegreeLevel.MASTER, DegreeLevel.DOCTORATE
CYBER = "080911TK"  # 网络空间安全
COMPUTING = "080901"  # 计算机科学与技术
PRIORITY = {CYBER: 4, "080717T": 5}
DEFAULT_TEXT = (Path(__file__).resolve().parents[3] / "matcher" / "data" / "certification.yaml").read_text("utf-8")


def decide(
    applicant: Applicant,
    config: CertificationConfig | None = None,
    majors: dict[str, int] | set[str] | None = None,
    as_of: date = AS_OF,
) -> Decision:
    return certify(
        applicant, config or load_config()[0], PRIORITY if majors is None else majors, as_of, default_resolver()
    )


def one(
    school: str, level: int, born: int | None = 1995, major: str | None = COMPUTING, country: str = "", years: float = 0
) -> Applicant:
    return Applicant(born, [Education(school, level, major, 2023, country)], years)


def criterion(decision: Decision, key: str) -> CriterionResult:
    return next(c for c in decision.criteria if c.key == key)


@pytest.mark.parametrize(
    ("applicant", "tier", "rule"),
    [
        (
            one("University of Cambridge", DOCTORATE, 1993),
            "A",
            "doctorate from a top-100 university (ARWU 2025) aged 45 or under",
        ),
        (
            one("University of Cambridge", DOCTORATE, 1982),
            "A",
            "doctorate from a top-100 university (ARWU 2025) aged 45 or under",
        ),
        (one("UCL", MASTER), "B", "master's or above from a top-200 university (ARWU 2025)"),
        (one("Boston University", MASTER), "B", "master's or above from a top-200 university (ARWU 2025)"),
        (one("港大", MASTER, country="Hong Kong"), "B", "master's or above from a top-200 university (ARWU 2025)"),
        (one("University of Hull", DOCTORATE), "B", "doctorate"),
        (one("University of Sussex", MASTER), "C", "master's or above from a top-500 university (ARWU 2025)"),
        (
            one("University of Leeds", BACHELOR, major=CYBER),
            "C",
            "bachelor's or above from a top-200 university (ARWU 2025) in a priority major",
        ),
        (
            one("The University of Manchester", BACHELOR, years=3.5),
            "C",
            "bachelor's or above from a top-100 university (ARWU 2025) with 3+ years of work experience",
        ),
        (one("University of Leeds", BACHELOR), "D", "bachelor's or above"),
        (one("The University of Manchester", BACHELOR, years=2), "D", "bachelor's or above"),
        (one("Oxford Brookes University", BACHELOR, country="United Kingdom"), "D", "bachelor's or above"),
        (one("NTU", MASTER, country="Singapore"), "B", "master's or above from a top-200 university (ARWU 2025)"),
        (one("NTU", MASTER, country="Germany"), "D", "bachelor's or above"),
    ],
)
def test_every_tier_is_reachable(applicant: Applicant, tier: str, rule: str) -> None:
    decision = decide(applicant)
    assert (decision.tier, decision.rule) == (tier, rule)
    assert all(c.passed for c in decision.criteria)
    assert [c.key for c in decision.criteria] == list(CRITERIA)


@pytest.mark.parametrize(
    ("applicant", "failed"),
    [
        (one("University of Cambridge", DOCTORATE, 1980), "age 46 exceeds the limit 40 for doctorate holders"),
        (one("UCL", MASTER, 1989), "age 37 exceeds the limit 35 for master's degree holders"),
        (one("郑州大学", MASTER, country="中国"), "郑州大学 (China) is a domestic university"),
        (one("Zhengzhou University", DOCTORATE), "Zhengzhou University (China) is a domestic university"),
        (one("UCL", DegreeLevel.ASSOCIATE), "associate degree is below the required bachelor's"),
        (
            one("UCL", MASTER, None),
            "birth year unknown: the age limit of 35 for master's degree holders cannot be checked",
        ),
        (
            one("Hogwarts School", MASTER),
            "no country given for Hogwarts School and it is not in ARWU 2025: cannot tell whether it is abroad",
        ),
    ],
)
def test_not_eligible_and_why(applicant: Applicant, failed: str) -> None:
    decision = decide(applicant)
    assert decision.tier is None and not decision.eligible
    assert failed in [c.reason for c in decision.criteria if not c.passed]
    assert len(decision.not_reached) == 4


def test_no_degree_at_all() -> None:
    decision = decide(Applicant(1995, []))
    assert decision.tier is None
    assert criterion(decision, "degree_level").reason == "no degree is below the required bachelor's"
    assert criterion(decision, "degree_level").reason_zh == "无学位，未达到本科及以上要求"


def test_the_reasons_of_a_tier_a_decision() -> None:
    decision = decide(one("University of Cambridge", DOCTORATE, 1993, major=CYBER, country="UK", years=2))
    reasons = {c.key: (c.passed, c.required, c.value, c.reason) for c in decision.criteria}
    assert reasons == {
        "overseas_degree": (
            True,
            True,
            "United Kingdom, abroad",
            "University of Cambridge (United Kingdom) is a university abroad",
        ),
        "degree_level": (True, True, "doctorate", "doctorate meets the minimum of doctorate"),
        "university_rank": (
            True,
            True,
            "ARWU 2025 4",
            "University of Cambridge resolved to ARWU 2025 rank 4 (top 100)",
        ),
        "priority_major": (
            True,
            False,
            "080911TK Cyberspace Security (★★★★)",
            "major 080911TK Cyberspace Security is on the priority list (★★★★) (not required by this rule)",
        ),
        "age": (True, True, "33 (born 1993)", "age 33 is within the limit 45 for doctorate holders"),
        "experience": (True, False, "2 years", "2 years of work experience (none required)"),
    }
    assert criterion(decision, "age").reason_zh == "年龄33岁，未超过博士45岁的年龄上限"
    values_zh = [c.value_zh for c in decision.criteria]  # what each criterion saw, in Chinese for Chinese pages
    assert values_zh == [
        "英国，境外",
        "博士",
        "ARWU 2025 第4名",
        "080911TK 网络空间安全 (★★★★)",
        "33岁（1993年出生）",
        "2年",
    ]
    assert criterion(decision, "overseas_degree").reason_zh == "University of Cambridge（英国）为境外高校"
    assert criterion(decision, "university_rank").name_zh == "院校排名"
    assert (decision.tier_name_zh, decision.priority_stars, decision.age) == ("A类 顶尖青年人才", 4, 33)
    assert decision.university is not None and decision.university.institution == "University of Cambridge"
    assert decision.rule_zh == "博士学位，ARWU 2025前100名高校，年龄不超过45岁"
    assert decision.not_reached == []


def rank(applicant: Applicant) -> str:
    return criterion(decide(applicant), "university_rank").reason


def test_reasons_name_aliases_typos_bands_and_unresolved_names() -> None:
    assert rank(one("UCL", MASTER)) == "UCL resolved to University College London, ARWU 2025 rank 14 (top 200)"
    assert rank(one("Univeristy of Edinburgh", MASTER)) == (
        "Univeristy of Edinburgh resolved to The University of Edinburgh (spelling differs), "
        "ARWU 2025 rank 37 (top 200)"
    )
    assert (
        rank(one("University of Sussex", MASTER)) == "University of Sussex resolved to ARWU 2025 rank 201-300 (top 500)"
    )
    assert rank(one("Oxford Brookes University", BACHELOR, country="UK")) == (
        "Oxford Brookes University could not be matched to ARWU 2025: counted as unranked, which this rule accepts"
    )
    assert rank(one("NTU", MASTER, country="Germany")) == (
        "NTU names Nanyang Technological University / National Taiwan University, which is not in the country given: "
        "counted as unranked, which this rule accepts"
    )
    missed = decide(one("NTU", MASTER)).not_reached
    assert "NTU is ambiguous (could be Nanyang Technological University or National Taiwan University)" in missed[1]


def test_a_band_counts_only_when_it_lies_within_the_limit() -> None:
    decision = decide(one("University of Sussex", MASTER))  # 201-300: not top-200, within top-500
    assert decision.tier == "C"
    assert decision.not_reached[1] == (
        "Tier B not reached. Needs master's or above from a top-200 university (ARWU 2025): University of Sussex "
        "resolved to ARWU 2025 rank 201-300, not within the top 200. Or doctorate: master's is below the required "
        "doctorate."
    )
    assert len(decision.not_reached_zh) == len(decision.not_reached)
    why = decision.not_reached_zh[1]
    assert why.startswith("未达到B类：需") and "University of Sussex" in why


def test_priority_major_reasons() -> None:
    listed = decide(one("University of Leeds", BACHELOR, major=CYBER))
    major = criterion(listed, "priority_major")
    assert (major.passed, major.required) == (True, True)
    assert major.reason == "major 080911TK Cyberspace Security is on the priority list (★★★★)"
    assert major.reason_zh == "专业080911TK 网络空间安全在重点专业清单内 (★★★★)"
    as_set = decide(one("University of Leeds", BACHELOR, major=CYBER), majors={CYBER})
    assert as_set.tier == "C"
    assert criterion(as_set, "priority_major").reason == "major 080911TK Cyberspace Security is on the priority list"
    unlisted = decide(one("University of Leeds", BACHELOR))
    assert "major 080901 Computer Science and Technology is not on the priority list" in unlisted.not_reached[2]
    no_code = decide(one("University of Leeds", BACHELOR, major=None))
    assert (
        criterion(no_code, "priority_major").reason
        == "the degree has no catalogue major code (not required by this rule)"
    )


def test_experience_reasons() -> None:
    enough = criterion(decide(one("The University of Manchester", BACHELOR, years=3.5)), "experience")
    assert (enough.passed, enough.reason) == (True, "3.5 years of work experience meets the 3 required")
    assert enough.reason_zh == "工作经历3.5年，达到3年要求"
    short = decide(one("The University of Manchester", BACHELOR, years=1))
    assert "1 year of work experience is below the 3 required" in short.not_reached[2]


def test_the_best_degree_decides() -> None:
    applicant = Applicant(
        1994,
        [
            Education("University of Cambridge", BACHELOR, COMPUTING, 2016, "United Kingdom"),
            Education("Oxford Brookes University", MASTER, COMPUTING, 2018, "United Kingdom"),
            Education("郑州大学", DOCTORATE, COMPUTING, 2023, "中国"),
        ],
        4,
    )
    decision = decide(applicant)
    assert decision.tier == "C"  # the Cambridge bachelor's with 3+ years beats the unranked master's (D)
    assert decision.basis is not None and decision.basis.school == "University of Cambridge"


def test_the_date_decides_the_age() -> None:
    applicant = one("UCL", MASTER, 1990)
    assert decide(applicant, as_of=date(2025, 12, 31)).tier == "B"
    assert decide(applicant, as_of=date(2026, 1, 1)).tier is None


def test_a_changed_rule_changes_the_decision_and_the_entitlements(tmp_path: Path) -> None:
    applicant = one("UCL", MASTER, 1989)
    catalogue = load_catalogue()[0]
    before = decide(applicant)
    assert before.tier is None and eligible_policies(before, applicant, catalogue) == []

    changed = tmp_path / "certification.yaml"
    changed.write_text(DEFAULT_TEXT.replace("  master: 35", "  master: 38"), encoding="utf-8")
    config, digest = load_config(changed)
    assert digest != load_config()[1] and len(digest) == 12
    after = decide(applicant, config)
    assert after.tier == "B"
    assert criterion(after, "age").reason == "age 37 is within the limit 38 for master's degree holders"
    assert {e.key for e in eligible_policies(after, applicant, catalogue)} >= {"living_subsidy", "settling_subsidy"}


def test_a_stricter_rule_needs_more_stars(tmp_path: Path) -> None:
    changed = tmp_path / "strict.yaml"
    changed.write_text(DEFAULT_TEXT.replace("priority_major: true", "priority_major: true\n        min_stars: 5"))
    decision = decide(one("University of Leeds", BACHELOR, major=CYBER), load_config(changed)[0])
    assert decision.tier == "D"
    assert (
        "major 080911TK Cyberspace Security is on the priority list (★★★★), below the ★★★★★ this rule needs"
        in (decision.not_reached[2])
    )


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "min_degree: master         # 世界排名前200",
            "min_degree: masters  # ",
            "line 45: tiers.1.rules.0.min_degree: Input should be 'bachelor', 'master' or 'doctorate'",
        ),
        (
            "max_rank: 100\n        max_age: 45",
            "max_rnak: 100",
            "line 38: tiers.0.rules.0.max_rnak: Extra inputs are not permitted",
        ),
        ("max_rank: 500", "max_rank: -5", "line 54: tiers.2.rules.0.max_rank: Input should be greater than 0"),
        (
            "- tier: B",
            "- tier: E",
            "tiers must be listed best first, each once, in letter order (got ['A', 'E', 'C', 'D'])",
        ),
        ("  doctorate: 40", "  doctorate: forty", "line 30: age_limits.doctorate: Input should be a valid integer"),
        ("priority_major: true", "priority_major: false\n        min_stars: 3", "min_stars needs priority_major: true"),
        ("tiers:\n", "tiers:\n  - [", "is not valid YAML"),
        ("ranking: ARWU 2025", "ranking: QS 2026", "ranking must be 'ARWU 2025'"),
    ],
)
def test_a_bad_file_says_where(tmp_path: Path, old: str, new: str, message: str) -> None:
    assert old in DEFAULT_TEXT
    bad = tmp_path / "bad.yaml"
    bad.write_text(DEFAULT_TEXT.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(Invalid) as caught:
        load_config(bad)
    assert message in caught.value.message
    assert str(bad) in caught.value.message


def test_a_missing_file() -> None:
    with pytest.raises(Invalid, match="cannot read the certification criteria"):
        load_config(Path("/nonexistent/certification.yaml"))


def test_the_packaged_default() -> None:
    config, digest = load_config()
    assert [t.tier for t in config.tiers] == ["A", "B", "C", "D"]
    assert config.age_limits == {"bachelor": 35, "master": 35, "doctorate": 40}
    assert len(digest) == 12
