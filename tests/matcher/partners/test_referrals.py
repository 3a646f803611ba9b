"""Attribution under real concurrency: two partners refer the same candidate to the same employer at the same
instant, 100 times; each time exactly one owns the placement — on SQLite and on PostgreSQL."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from matcher.errors import Conflict
from matcher.partners import referrals
from matcher.people import accounts
from matcher.people.accounts import Caller, Role
from matcher.platform import Platform
from matcher.store.models import Attribution, Candidate, Job, Referral, utcnow

ROUNDS = 100


def _setup(platform: Platform) -> tuple[list[Caller], int, list[int]]:
    with platform.session() as session:
        callers = []
        for firm in ("Firm One", "Firm Two"):
            _, key = accounts.create_account(session, Role.partner, f"consultant of {firm}", organization=firm)
            caller = accounts.authenticate(session, key)
            assert caller is not None
            callers.append(caller)
        candidate = Candidate(source="test", external_id="c-race", name="Race Test", record_hash="")
        session.add(candidate)
        jobs = [
            Job(
                source="test",
                external_id=f"j-race-{i}",
                title="工程师",
                enterprise_name=f"Employer {i}",
                record_hash="",
            )
            for i in range(ROUNDS)
        ]
        session.add_all(jobs)
        session.flush()
        return callers, candidate.id, [job.id for job in jobs]


@pytest.mark.committed  # two threads, two connections: the database decides
def test_two_simultaneous_referrals_have_exactly_one_owner(platform: Platform) -> None:
    callers, candidate_id, job_ids = _setup(platform)
    for job_id in job_ids:
        barrier = threading.Barrier(2)
        outcomes: list[str] = []

        def refer(
            caller: Caller, target: int = job_id, start: threading.Barrier = barrier, outcomes: list[str] = outcomes
        ) -> None:
            start.wait()
            try:
                with platform.session(write=True) as session:
                    referrals.refer(session, caller, candidate_id, target, window_days=180)
                outcomes.append(f"won:{caller.organization_id}")
            except Conflict as exc:
                assert "already referred to this employer" in exc.message
                outcomes.append("refused")

        threads = [threading.Thread(target=refer, args=(caller,)) for caller in callers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert sorted(o.split(":")[0] for o in outcomes) == ["refused", "won"], (job_id, outcomes)
    with platform.session() as session:
        claims = session.scalars(select(Attribution)).all()
        assert len(claims) == ROUNDS and len({(c.candidate_id, c.employer_key) for c in claims}) == ROUNDS
        assert session.scalar(select(func.count()).select_from(Referral)) == ROUNDS  # the refused left nothing
        owners = {c.referral_id: c.partner_id for c in claims}
        for referral in session.scalars(select(Referral)):
            assert owners[referral.id] == referral.partner_id


def test_an_expired_claim_passes_to_the_next_partner(platform: Platform) -> None:
    callers, candidate_id, job_ids = _setup(platform)
    first, second = callers
    with platform.session(write=True) as session:
        referrals.refer(session, first, candidate_id, job_ids[0], window_days=30)
    # Refused, and the caller carries on with its unit of work: nothing of the refused referral is left behind.
    with platform.session(write=True) as session, pytest.raises(Conflict, match="owns the placement until"):
        referrals.refer(session, second, candidate_id, job_ids[0], window_days=30)
    with platform.session(write=True) as session:  # 31 days later
        claim = session.scalars(select(Attribution)).one()
        claim.since, claim.expires_at = utcnow() - timedelta(days=31), utcnow() - timedelta(days=1)
    with platform.session(write=True) as session:
        referrals.refer(session, second, candidate_id, job_ids[0], window_days=30)
    with platform.session() as session:
        claim = session.scalars(select(Attribution)).one()
        assert claim.partner_id == second.organization_id and claim.expires_at > utcnow()


def test_one_employer_has_one_claim_key_linked_or_not() -> None:
    crawled = Job(title="x", enterprise_name=" Acme  Robotics ", record_hash="")
    linked = Job(title="y", enterprise_name="acme robotics", enterprise_id=7, record_hash="")
    assert referrals.employer_key(crawled) == referrals.employer_key(linked) == "name:acme robotics"
