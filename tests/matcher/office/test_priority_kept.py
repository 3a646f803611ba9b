"""The priority-major list kept by a process between requests (matcher.store.derived): what it serves is always what
computing it afresh gives. Two platforms on one database stand for two replicas: a job posted on one changes the
list the other serves at once; a process's own unnoted writes drop what it kept; a unit of work that wrote computes
afresh and keeps nothing; the caller's copy is its own."""

from datetime import date
from typing import Any

import pytest

from matcher.ingest import postings
from matcher.office import priority
from matcher.office.decisions import priority_stars
from matcher.people.accounts import Caller
from matcher.platform import Platform
from matcher.reference import leading_industries
from tests import factories

AS_OF = date(2026, 11, 30)
POSTING: dict[str, Any] = {
    "title": "遥感算法工程师",
    "industry": "卫星导航",
    "majors": ["遥感科学与技术"],
    "min_degree": "硕士",
    "location": "郑州",
    "salary_min": 20000,
    "salary_max": 30000,
    "posted_at": date(2026, 11, 20),
}


def _served(platform: Platform) -> priority.PriorityList:
    with platform.session() as session:
        return priority.current_list(session, None, AS_OF)


def _afresh(platform: Platform) -> priority.PriorityList:
    config, config_hash = leading_industries.load_config(None)
    with platform.session() as session:
        return priority.compute_priority(session, config, config_hash, AS_OF)


def _codes(result: priority.PriorityList) -> list[tuple[str, int, float]]:
    return [(e.code, e.stars, e.demand) for e in result.entries]


def _hr(platform: Platform) -> Caller:
    with platform.session() as session:
        employer = factories.enterprise(session, name="郑州遥感科技")
        factories.job(
            session, enterprise=employer, industry="卫星导航", majors=["金融学"], major_codes=["020301K"],
            posted_at=date(2026, 11, 3),
        )  # fmt: skip
        return factories.enterprise_account(session, employer).caller


@pytest.mark.committed
def test_a_job_posted_on_one_replica_changes_the_list_the_other_serves(platform: Platform) -> None:
    hr = _hr(platform)
    other = Platform(platform.settings)  # a second replica: its own engine, pool and kept values
    other.__dict__["encoder"] = platform.encoder
    try:
        before = _served(other)
        assert _codes(before) == _codes(_afresh(other)) and len(other.derived) == 1
        assert "081202" not in {e.code for e in before.entries}

        with platform.session() as session:
            postings.post_job(session, platform.importer(session, "jobs"), hr, POSTING)

        after = _served(other)
        assert "081202" in {e.code for e in after.entries}, "the other replica served the list kept before the post"
        assert _codes(after) == _codes(_afresh(other))
    finally:
        other.close()


def test_a_kept_list_is_served_until_something_it_reads_changes(platform: Platform, monkeypatch: Any) -> None:
    _hr(platform)
    computed: list[date] = []
    compute = priority.compute_priority

    def counted(*args: Any, **kwargs: Any) -> priority.PriorityList:
        computed.append(args[3])
        return compute(*args, **kwargs)

    monkeypatch.setattr(priority, "compute_priority", counted)
    first = _served(platform)
    first.entries[0].stars = 99  # the caller's copy is its own
    second = _served(platform)
    assert len(computed) == 1 and second.entries[0].stars != 99
    assert _codes(second) == _codes(_afresh(platform))

    with platform.session() as session:  # a write of this process, not noted for the feed (as a script might)
        factories.job(
            session, industry="卫星导航", majors=["遥感科学与技术"], major_codes=["081202"], posted_at=date(2026, 11, 9)
        )
    third = _served(platform)
    assert "081202" in {e.code for e in third.entries}
    assert _codes(third) == _codes(_afresh(platform))


def test_a_unit_of_work_that_wrote_computes_afresh_and_keeps_nothing(platform: Platform) -> None:
    _hr(platform)
    _served(platform)
    with platform.session() as session:
        factories.job(
            session, industry="卫星导航", majors=["遥感科学与技术"], major_codes=["081202"], posted_at=date(2026, 11, 9)
        )
        config, config_hash = leading_industries.load_config(None)
        seen = priority.computed_priority(session, config, config_hash, AS_OF)
        assert "081202" in {e.code for e in seen.entries}
        assert len(platform.derived) == 0
        stars = priority_stars(session, platform.settings, AS_OF)
        assert stars.get("081202") is not None
        session.rollback()
    assert "081202" not in {e.code for e in _served(platform).entries}
