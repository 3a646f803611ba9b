"""The rewards ledger, called directly: every certified hire's reward, owed or paid, with when it was certified and
paid; a partner firm sees its own lines; the whole ledger is read in two queries, however long it is."""

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from matcher.errors import Forbidden
from matcher.office import reports
from matcher.platform import Platform
from tests import factories
from tests.conftest import sql_target


@contextmanager
def _statements(platform: Platform) -> Iterator[list[str]]:
    """The SQL statements the platform's units of work run inside the block."""
    seen: list[str] = []

    def count(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        seen.append(statement)

    event.listen(sql_target(platform), "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(sql_target(platform), "before_cursor_execute", count)


def test_the_ledger_lists_owed_and_paid_rewards_a_partner_its_own(platform: Platform, session: Session) -> None:
    office = factories.admin(session).caller
    firm, other = factories.partner(session), factories.partner(session)
    job = factories.job(session, enterprise=factories.enterprise(session))

    def refer(partner: factories.Member, stage: str, reward: int) -> int:
        person = factories.candidate(session)
        return factories.referral(
            session, partner.caller, person, job, stage=stage, office=office, tier="B", reward=reward
        ).id

    owed = refer(firm, "certified", 30_000)
    paid = refer(firm, "rewarded", 50_000)
    refer(firm, "hired", 0)  # not certified yet: not in the ledger
    theirs = refer(other, "certified", 10_000)

    everything = reports.rewards_ledger(session, office)
    assert [(line.referral_id, line.status, line.reward, line.tier) for line in everything] == [
        (owed, "owed", 30_000, "B"),
        (paid, "paid", 50_000, "B"),
        (theirs, "owed", 10_000, "B"),
    ]
    by_id = {line.referral_id: line for line in everything}
    assert by_id[owed].certified_at is not None and by_id[owed].paid_at is None
    assert by_id[paid].certified_at is not None and by_id[paid].paid_at is not None
    assert by_id[paid].paid_at >= by_id[paid].certified_at
    assert by_id[theirs].partner_id == other.caller.organization_id and by_id[theirs].partner

    assert [line.referral_id for line in reports.rewards_ledger(session, firm.caller)] == [owed, paid]
    assert [line.referral_id for line in reports.rewards_ledger(session, other.caller)] == [theirs]


def test_the_ledger_is_read_in_two_queries_however_long(platform: Platform) -> None:
    with platform.session() as session:
        office = factories.admin(session).caller
        firm = factories.partner(session).caller
        job = factories.job(session, enterprise=factories.enterprise(session))
        for _ in range(6):
            factories.referral(session, firm, factories.candidate(session), job, stage="rewarded", office=office)

    with platform.session() as session, _statements(platform) as statements:
        lines = reports.rewards_ledger(session, office)
    assert len(lines) == 6 and all(line.paid_at is not None for line in lines)
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 2


def test_the_ledger_is_not_for_enterprises_or_candidates(session: Session) -> None:
    for member in (factories.enterprise_account(session), factories.candidate_account(session)):
        with pytest.raises(Forbidden):
            reports.rewards_ledger(session, member.caller)
