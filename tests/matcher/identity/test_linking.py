"""One person from several sources: records that share an identifier, or a name across scripts with a school, are
linked as they are imported; search shows the person once with every record behind it; a namesake stays apart;
nothing is lost (export, unlink); the office's verdicts hold and are audited; an erasure takes every record."""

import io
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from matcher.errors import Conflict, Forbidden, Invalid
from matcher.ingest.export import export_jsonl
from matcher.ingest.importer import ImportReport
from matcher.office import decisions, overrides, person_records
from matcher.partners import referrals
from matcher.people import personal_data
from matcher.platform import Platform
from matcher.search.matching import Filters
from matcher.store import queries
from matcher.store.models import AuditEvent, Candidate, PersonLink
from tests import factories

ORCID = "0000-0002-1825-0097"
WORK_EN = "Hyperspectral remote sensing of crop water stress; UAV imaging and deep learning for precision irrigation"
WORK_ZH = "高光谱遥感作物水分胁迫监测，无人机成像与深度学习精准灌溉"
HER = [
    {  # crawled from ORCID
        "source": "orcid",
        "external_id": ORCID,
        "name": "Wenjing Li",
        "url": f"https://orcid.org/{ORCID}",
        "headline": "PhD researcher, hyperspectral remote sensing",
        "summary": WORK_EN,
        "skills": ["hyperspectral imaging", "remote sensing", "UAV"],
        "education": [
            {
                "school": "University of Twente",
                "degree": "PhD",
                "major": "Geo-information Science",
                "country": "Netherlands",
                "end_year": 2025,
            }
        ],
    },
    {  # a partner firm's upload, in Chinese, with her ORCID iD in the summary
        "source": "partner-upload",
        "external_id": "hb-0042",
        "name": "李文静",
        "email": "wenjing.li@example.nl",
        "headline": "高光谱遥感博士",
        "summary": f"{WORK_ZH}。ORCID：{ORCID}",
        "skills": ["高光谱", "遥感", "无人机"],
        "education": [
            {"school": "特文特大学", "degree": "博士", "major": "地理信息科学", "country": "荷兰", "end_year": 2025}
        ],
    },
    {  # an English résumé batch, the same e-mail written otherwise
        "source": "resume-batch",
        "external_id": "cv-2026-117",
        "name": "Wendy Li",
        "email": "Wenjing.Li@Example.NL",
        "headline": "Remote sensing scientist (hyperspectral, UAV)",
        "summary": WORK_EN,
        "skills": ["remote sensing", "deep learning", "irrigation"],
    },
]
NAMESAKE = {  # the same name, another e-mail, school and field
    "source": "partner-upload",
    "external_id": "hb-0043",
    "name": "李文静",
    "email": "lwj.accounting@example.cn",
    "headline": "审计师",
    "summary": "注册会计师，负责上市公司年度财务报表审计与内部控制评价。",
    "skills": ["审计", "财务报表", "内部控制"],
    "education": [
        {"school": "河南财经政法大学", "degree": "本科", "major": "会计学", "country": "中国", "end_year": 2018}
    ],
}


def _write(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    return path


def _ids(platform: Platform) -> dict[str, int]:
    with platform.session() as session:
        rows = session.execute(select(Candidate.external_id, Candidate.id)).all()
    return {external_id: row_id for external_id, row_id in rows}


@pytest.fixture
def imported(loaded: Platform, import_file: Callable[[str, Path], ImportReport], tmp_path: Path) -> dict[str, int]:
    """Her three records (each from its own file, as they would arrive) and the namesake; their ids by external id."""
    for n, row in enumerate([*HER, NAMESAKE]):
        assert import_file("candidates", _write(tmp_path / f"{n}.jsonl", [row])).inserted == 1
    ids = _ids(loaded)
    return {row["external_id"]: ids[row["external_id"]] for row in [*HER, NAMESAKE]}


def _person(platform: Platform, row_id: int) -> int | None:
    with platform.session() as session:
        return session.scalar(select(Candidate.person_id).where(Candidate.id == row_id))


def test_her_three_records_are_one_person_and_the_namesake_is_not(loaded: Platform, imported: dict[str, int]) -> None:
    hers = [imported[row["external_id"]] for row in HER]
    people = {_person(loaded, row_id) for row_id in hers}
    assert people == {min(hers)}
    assert _person(loaded, imported["hb-0043"]) is None
    with loaded.session() as session:
        links = {(link.first_id, link.second_id): link for link in session.scalars(select(PersonLink))}
    orcid, upload, resume = hers
    assert links[(orcid, upload)].status == "linked" and links[(orcid, upload)].decided_by == "identifier"
    assert links[(upload, resume)].status == "linked" and "same e-mail" in " ".join(links[(upload, resume)].reasons)
    assert not any(imported["hb-0043"] in pair and link.status == "linked" for pair, link in links.items())


@pytest.mark.parametrize("query", [WORK_EN, WORK_ZH, "hyperspectral remote sensing UAV", "高光谱 遥感 无人机"])
def test_a_search_about_her_work_shows_her_once_with_every_record(
    loaded: Platform, imported: dict[str, int], query: str
) -> None:
    hers = {imported[row["external_id"]] for row in HER}
    with loaded.session() as session:
        engine = loaded.matching(session)
        matches = engine.search(session, "candidates", query, Filters(), limit=10)
        total = engine.count("candidates", Filters())
    found = [m for m in matches if m.id in hers]
    assert len(found) == 1, [(m.id, m.external_id) for m in matches]
    shown = {found[0].id} | {r["id"] for r in found[0].records}
    assert shown == hers  # provenance: every record behind the person
    assert {r["source"] for r in found[0].records} | {found[0].source} == {"orcid", "partner-upload", "resume-batch"}
    assert total == 10 + 4 - 2  # the person counts once: 10 samples and 4 new records, 3 of them one person


def test_export_still_holds_every_source_record(loaded: Platform, imported: dict[str, int]) -> None:
    out = io.StringIO()
    with loaded.session() as session:
        export_jsonl(session, "candidates", out)
    exported = {json.loads(line)["external_id"] for line in out.getvalue().splitlines()}
    assert exported >= {row["external_id"] for row in [*HER, NAMESAKE]}


def test_unlink_restores_separate_people_and_the_verdict_holds(loaded: Platform, imported: dict[str, int]) -> None:
    orcid, upload, resume = (imported[row["external_id"]] for row in HER)
    with loaded.session() as session:
        assert person_records.unlink(session, None, resume) == [upload]
    assert _person(loaded, resume) is None
    assert _person(loaded, orcid) == _person(loaded, upload) == orcid  # the other two stay one person
    with loaded.session() as session:
        report = loaded.people_linker().link(session, [resume, upload])  # linking again does not undo the office
    assert report.linked == 0 and _person(loaded, resume) is None
    with loaded.session() as session:
        engine = loaded.matching(session)
        matches = engine.search(session, "candidates", WORK_EN, Filters(), limit=10)
    assert resume in {m.id for m in matches}  # stands alone again in results
    with loaded.session() as session:
        person = person_records.decide(session, None, resume, orcid, "linked")
    assert {r.id for r in person.records} == {orcid, upload, resume}
    with loaded.session() as session:
        actions = [e.action for e in session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert "people.unlinked" in actions and "people.linked" in actions


def test_the_review_queue_and_the_office_verdicts(
    loaded: Platform, import_file: Callable[..., Any], tmp_path: Path
) -> None:
    unsure = [  # a name across scripts and one school (no year), nothing else: up for review, not linked
        {
            "source": "crawl",
            "external_id": "u-1",
            "name": "Zhang Haoran",
            "headline": "Bridge structural design engineer",
            "education": [{"school": "Imperial College London", "degree": "MSc", "end_year": 2024}],
        },
        {
            "source": "partner-upload",
            "external_id": "u-2",
            "name": "张浩然",
            "headline": "土木工程施工管理",
            "education": [{"school": "帝国理工学院", "degree": "硕士"}],
        },
    ]
    import_file("candidates", _write(tmp_path / "u.jsonl", unsure))
    ids = _ids(loaded)
    first, second = sorted((ids["u-1"], ids["u-2"]))
    with loaded.session() as session:
        total, pairs = person_records.duplicates(session, None)
    assert total == 1 and (pairs[0].first.id, pairs[0].second.id) == (first, second)
    assert pairs[0].status == "review" and pairs[0].score is not None
    assert _person(loaded, first) is None
    with loaded.session() as session:
        with pytest.raises(Forbidden):
            person_records.duplicates(session, factories.partner(session).caller)
        with pytest.raises(Invalid):
            person_records.decide(session, None, first, first, "linked")
        with pytest.raises(Invalid):
            person_records.decide(session, None, first, second, "merge")
    with loaded.session() as session:
        person_records.decide(session, None, first, second, "apart")
    with loaded.session() as session:
        assert person_records.duplicates(session, None)[0] == 0
        with pytest.raises(Conflict):
            person_records.unlink(session, None, first)  # not linked with anything


def test_apart_is_refused_while_other_links_still_join_them(loaded: Platform, imported: dict[str, int]) -> None:
    orcid, _, resume = (imported[row["external_id"]] for row in HER)
    with loaded.session() as session, pytest.raises(Conflict) as refused:
        person_records.decide(session, None, orcid, resume, "apart")
    assert refused.value.reason == "still_linked"
    assert _person(loaded, resume) == orcid  # the refused verdict left nothing behind


def test_an_erasure_erases_every_linked_record(loaded: Platform, imported: dict[str, int]) -> None:
    hers = [imported[row["external_id"]] for row in HER]
    with loaded.session() as session:
        account = factories.candidate_account(
            session, queries.get_many(Candidate, session=session, ids=[hers[2]])[hers[2]]
        )
        exported = personal_data.export(session, account.caller, hers[2])
        assert {r["id"] for r in exported["linked_records"]} == set(hers[:2])
        assert sorted(personal_data.erase(session, account.caller, hers[2])) == sorted(hers)
    with loaded.session() as session:
        left = set(session.scalars(select(Candidate.id).where(Candidate.id.in_([*hers, imported["hb-0043"]]))))
    assert left == {imported["hb-0043"]}


def test_a_placement_claimed_on_one_record_is_claimed_for_the_person(
    loaded: Platform, imported: dict[str, int]
) -> None:
    orcid, upload, _ = (imported[row["external_id"]] for row in HER)
    with loaded.session() as session:
        first, second = factories.partner(session), factories.partner(session)
        post, other_post = (
            factories.job(session, enterprise_name="郑州遥感科技"),
            factories.job(session, enterprise_name="郑州遥感科技"),
        )
        referrals.refer(session, first.caller, orcid, post.id, window_days=180)
        with pytest.raises(Conflict) as owned:  # another firm, another record of her, the same employer
            referrals.refer(session, second.caller, upload, other_post.id, window_days=180)
        assert owned.value.reason == "placement_owned"
        with pytest.raises(Conflict) as again:  # the same firm, the same job, through her other record
            referrals.refer(session, first.caller, upload, post.id, window_days=180)
        assert again.value.reason == "already_referred"
        namesake = referrals.refer(session, second.caller, imported["hb-0043"], other_post.id, window_days=180)
        assert namesake.id  # a namesake is not her


def test_the_office_tier_set_on_one_record_is_the_person_s(loaded: Platform, imported: dict[str, int]) -> None:
    orcid, upload, resume = (imported[row["external_id"]] for row in HER)
    today = date(2026, 12, 1)
    with loaded.session() as session:
        computed = decisions.assess(session, loaded.settings, upload, today).decision.tier
        chosen = "D" if computed != "D" else "C"
        overrides.set_tier(session, loaded.settings, factories.admin(session).caller, orcid, chosen, "面谈确认", today)
        assert {decisions.assess(session, loaded.settings, i, today).decision.tier for i in (upload, resume)} == {
            chosen
        }
        person_records.unlink(session, None, resume)
        assert decisions.assess(session, loaded.settings, resume, today).decision.override is None  # not hers now


def test_a_sign_up_claiming_her_e_mail_is_not_linked_until_the_office_says_so(
    loaded: Platform, imported: dict[str, int]
) -> None:
    """Anyone may type anyone's e-mail at sign-up: that alone never reaches her records (export, erasure)."""
    stranger = {"source": "self-signup", "external_id": "s-1", "name": "Li Wenjing", "email": "wenjing.li@example.nl",
                "headline": "Hyperspectral remote sensing"}  # fmt: skip
    with loaded.session() as session:
        assert loaded.importer(session, "candidates").run([json.dumps(stranger)]).ok
    own = _ids(loaded)["s-1"]
    assert _person(loaded, own) is None
    with loaded.session() as session:
        _, pairs = person_records.duplicates(session, None)
        waiting = [p for p in pairs if own in (p.first.id, p.second.id)]
        assert waiting and all(p.status == "review" and "unverified" in " ".join(p.reasons) for p in waiting)
        assert waiting[0] is pairs[0]  # an identifier in common: first in the queue
        account = factories.candidate_account(session, queries.get_many(Candidate, session=session, ids=[own])[own])
        assert personal_data.export(session, account.caller, own)["linked_records"] == []
        assert personal_data.erase(session, account.caller, own) == [own]
    assert _person(loaded, imported["hb-0042"]) == imported[ORCID]  # her records untouched
