"""Jobs an enterprise posts, edits and closes, called directly: a posted job is normalized like an imported one and
belongs to the caller's enterprise; an edit changes only what it names; closing is once. Anyone else's job, an
imported or closed one, an unknown field or a bad value is refused, and a refusal changes nothing."""

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from matcher.degrees import DegreeLevel
from matcher.errors import Conflict, Forbidden, Invalid, NotFound
from matcher.ingest import postings
from matcher.ingest.export import job_record
from matcher.people import audit
from matcher.people.accounts import Caller
from matcher.platform import Platform
from matcher.store.models import Job
from tests import factories

POSTING: dict[str, Any] = {
    "title": "北斗导航算法工程师",
    "industry": "卫星导航",
    "majors": ["遥感科学与技术"],
    "min_degree": "硕士",
    "location": "郑州",
    "salary_min": 20000,
    "salary_max": 30000,
    "posted_at": date(2026, 11, 2),
}


def _post(platform: Platform, caller: Caller, **fields: Any) -> int:
    with platform.session() as session:
        return postings.post_job(session, platform.importer(session, "jobs"), caller, {**POSTING, **fields}).id


@pytest.fixture
def hr(platform: Platform) -> Caller:
    """An HR user of an enterprise that has one imported job already."""
    with platform.session() as session:
        employer = factories.enterprise(session, name="郑州北斗科技")
        factories.job(session, enterprise=employer, title="imported earlier")
        return factories.enterprise_account(session, employer).caller


def test_a_posted_job_is_normalized_and_belongs_to_the_enterprise(platform: Platform, hr: Caller) -> None:
    job_id = _post(platform, hr)
    with platform.session() as session:
        job = session.get(Job, job_id)
        assert job is not None
        assert (job.source, job.enterprise_id, job.enterprise_name) == (
            "enterprise-api",
            hr.enterprise_id,
            "郑州北斗科技",
        )
        assert job.external_id.startswith(f"{hr.enterprise_id}-")
        assert (job.title, job.min_degree, job.salary_min, job.salary_max, job.posted_at) == (
            "北斗导航算法工程师",
            DegreeLevel.MASTER,
            20000,
            30000,
            date(2026, 11, 2),
        )
        assert job.major_codes == ["081202"] and job.major_source == "given"
        assert job.text_hash and "北斗" in " ".join(job.lexical_tokens)
        assert job.closed_at is None
        [entry] = audit.entries(session, action="job.create")
        assert (entry.subject, entry.actor_account_id) == (f"job:{job_id}", hr.account_id)
        assert postings.own_job(session, hr, job_id) is job


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"salary_min": 40000, "salary_max": 30000}, "salary_min 40000.0 is above salary_max 30000.0"),
        ({"min_degree": "black belt"}, "unknown degree level"),
        ({"title": "  "}, "title"),
        ({"enterprise_id": 1}, "enterprise_id"),
    ],
    ids=["salary-range", "degree", "empty-title", "unknown-field"],
)
def test_a_bad_posting_is_refused_and_nothing_is_stored(
    platform: Platform, hr: Caller, table_counts: Callable[[], dict[str, int]], fields: dict[str, Any], message: str
) -> None:
    before = table_counts()
    with platform.session() as session, pytest.raises(Invalid, match=message):
        postings.post_job(session, platform.importer(session, "jobs"), hr, {**POSTING, **fields})
    assert table_counts() == before


def test_only_an_enterprise_posts(platform: Platform, table_counts: Callable[[], dict[str, int]]) -> None:
    with platform.session() as session:
        others = [factories.partner(session).caller, factories.admin(session).caller]
        others.append(factories.candidate_account(session).caller)
    before = table_counts()
    for caller in others:
        with platform.session() as session, pytest.raises(Forbidden, match="only enterprise accounts post jobs"):
            postings.post_job(session, platform.importer(session, "jobs"), caller, POSTING)
    assert table_counts() == before


def test_an_edit_changes_only_the_fields_it_names(platform: Platform, hr: Caller) -> None:
    job_id = _post(platform, hr)
    with platform.session() as session:
        edited = postings.update_job(
            session,
            platform.importer(session, "jobs"),
            hr,
            job_id,
            {"title": "GNSS 高精度定位工程师", "salary_max": 35000},
        )
        assert edited.id == job_id
    with platform.session() as session:
        job = session.get(Job, job_id)
        assert job is not None
        assert (job.title, job.salary_min, job.salary_max) == ("GNSS 高精度定位工程师", 20000, 35000)
        assert (job.industry, job.min_degree, job.major_codes, job.posted_at) == (
            "卫星导航",
            DegreeLevel.MASTER,
            ["081202"],
            date(2026, 11, 2),
        )
        assert (job.source, job.enterprise_id) == ("enterprise-api", hr.enterprise_id)
        [entry] = audit.entries(session, action="job.update")
        assert (entry.subject, entry.detail) == (f"job:{job_id}", {"fields": ["salary_max", "title"]})


def test_edits_that_cannot_be_made_are_refused_and_change_nothing(
    platform: Platform, hr: Caller, table_counts: Callable[[], dict[str, int]]
) -> None:
    mine, closed = _post(platform, hr), _post(platform, hr)
    with platform.session() as session:
        imported = session.scalars(select(Job.id).where(Job.source == "test")).one()
        postings.close_job(session, hr, closed)
        stranger = factories.enterprise_account(session).caller
    theirs = _post(platform, stranger)
    before = table_counts()
    refused: list[tuple[int, dict[str, Any], type[Exception], str]] = [
        (theirs, {"title": "x"}, NotFound, f"job {theirs} not found"),
        (mine + theirs + closed + 1000, {"title": "x"}, NotFound, "not found"),
        (imported, {"title": "x"}, Conflict, f"job {imported} was imported from test"),
        (closed, {"title": "x"}, Conflict, f"job {closed} is closed"),
        (mine, {"source": "elsewhere"}, Invalid, "cannot change source"),
        (mine, {"salary_min": 90000}, Invalid, "is above salary_max"),
    ]
    for job_id, changes, error, message in refused:
        with platform.session() as session, pytest.raises(error, match=message):
            postings.update_job(session, platform.importer(session, "jobs"), hr, job_id, changes)
    assert table_counts() == before
    with platform.session() as session:
        job = session.get(Job, mine)
        assert job is not None and (job.title, job.salary_min) == ("北斗导航算法工程师", 20000)


def test_closing_is_once_and_only_for_the_owner(
    platform: Platform, hr: Caller, table_counts: Callable[[], dict[str, int]]
) -> None:
    job_id = _post(platform, hr)
    with platform.session() as session:
        first = postings.close_job(session, hr, job_id).closed_at
        assert first is not None
    with platform.session() as session:
        assert postings.close_job(session, hr, job_id).closed_at == first  # closing again changes nothing
        assert [e.subject for e in audit.entries(session, action="job.close")] == [f"job:{job_id}"]
    with platform.session() as session:
        stranger = factories.enterprise_account(session).caller
    open_job = _post(platform, hr)
    before = table_counts()
    with platform.session() as session, pytest.raises(NotFound, match=f"job {open_job} not found"):
        postings.close_job(session, stranger, open_job)
    assert table_counts() == before
    with platform.session() as session:
        for other in (factories.partner(session).caller, factories.admin(session).caller):
            with pytest.raises(Forbidden, match="only enterprise accounts"):
                postings.close_job(session, other, open_job)  # a job is closed by the enterprise that posted it
    assert table_counts()["audit_log"] == before["audit_log"]
    with platform.session() as session:
        job = session.get(Job, open_job)
        assert job is not None and job.closed_at is None


def test_own_job_hides_other_enterprises_jobs(session: Session) -> None:
    mine, theirs = factories.enterprise(session), factories.enterprise(session)
    hr = factories.enterprise_account(session, mine).caller
    own, other = factories.job(session, enterprise=mine), factories.job(session, enterprise=theirs)
    assert postings.own_job(session, hr, own.id) is own
    with pytest.raises(NotFound, match=f"job {other.id} not found"):
        postings.own_job(session, hr, other.id)
    assert postings.own_job(session, factories.admin(session).caller, other.id) is other  # the office sees all


def test_a_jobs_terms_are_stored_edited_cleared_and_exported(platform: Platform, hr: Caller) -> None:
    terms = {"openings": 3, "experience_years": 2, "employment_type": "FULL_TIME", "valid_through": date(2026, 12, 31)}
    job_id = _post(platform, hr, **terms)
    with platform.session() as session:
        job = session.get(Job, job_id)
        assert job is not None
        assert (job.openings, job.experience_years, job.employment_type, job.valid_through) == (
            3,
            2.0,
            "full_time",  # schema.org's FULL_TIME read as ours
            date(2026, 12, 31),
        )
        assert job.extras["valid_through"] == "2026-12-31"  # where crawled postings keep it too
        exported = job_record(job)
        assert (exported.openings, exported.employment_type, exported.valid_through) == (
            3,
            "full_time",
            date(2026, 12, 31),
        )
    with platform.session() as session:
        postings.update_job(
            session, platform.importer(session, "jobs"), hr, job_id, {"openings": None, "employment_type": "实习"}
        )
    with platform.session() as session:
        job = session.get(Job, job_id)
        assert job is not None and job.openings is None and job.employment_type == "internship"
        assert job.valid_through == date(2026, 12, 31)  # not named: unchanged
    with platform.session() as session, pytest.raises(Invalid) as refused:
        postings.update_job(
            session, platform.importer(session, "jobs"), hr, job_id, {"valid_through": date(2026, 1, 1)}
        )
    assert "valid_through 2026-01-01 is before posted_at 2026-11-02" in str(refused.value)
    with platform.session() as session, pytest.raises(Invalid):
        postings.update_job(session, platform.importer(session, "jobs"), hr, job_id, {"employment_type": "forever"})
