"""The change feed: logged with the rows, read in order, late commits below what was read are not missed, old
entries pruned, and a reader behind the pruning is told to rebuild."""

import time
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from matcher.errors import IndexUnavailable
from matcher.platform import Platform
from matcher.search.live import LiveIndexes
from matcher.store import feed
from matcher.store.changes import note_changed
from matcher.store.models import ChangeLogEntry
from tests import factories


def test_a_unit_of_work_logs_what_it_noted_and_readers_read_it_in_order(platform: Platform) -> None:
    with platform.session() as session:
        start = feed.FeedPosition(feed.head(session))
    with platform.session() as session:
        job = factories.job(session, title="Synthetic feed job")
        note_changed(session, "jobs", [job.id])
        note_changed(session, "majors", [1])  # not an indexed kind: nothing to follow
    with platform.session() as session:
        batch = feed.read(session, start)
        assert batch.changes == {"jobs": {job.id}} and batch.entries == 1 and not batch.more
        assert batch.position.sequence == feed.head(session)
        # numbers in between (taken meanwhile by another test process's rolled-back units of work) are gaps
        assert all(start.sequence < gap < batch.position.sequence for gap in batch.position.gaps)
        assert feed.read(session, batch.position).entries == 0


def test_a_failed_unit_of_work_logs_nothing(platform: Platform) -> None:
    with platform.session() as session:
        before = feed.head(session)
    with pytest.raises(RuntimeError), platform.session() as session:
        note_changed(session, "jobs", [factories.job(session, title="Synthetic rolled back").id])
        raise RuntimeError("the use case failed")
    with platform.session() as session:
        assert feed.head(session) == before


def test_a_reader_limit_leaves_the_rest_for_the_next_read(platform: Platform) -> None:
    with platform.session() as session:
        start = feed.FeedPosition(feed.head(session))
        feed.publish(session, {"jobs": [101, 102, 103]})
        first = feed.read(session, start, limit=2)
        assert first.more and first.changes == {"jobs": {101, 102}}
        second = feed.read(session, first.position, limit=2)
        assert not second.more and second.changes == {"jobs": {103}}


def test_missing_numbers_are_asked_for_again_until_patience_runs_out(platform: Platform) -> None:
    """A number below what was read (a transaction that took it earlier and commits later) is a gap: read again
    until it arrives; one that never arrives (rolled back) is given up after GAP_PATIENCE."""
    with platform.session() as session:
        start = feed.FeedPosition(feed.head(session))
        feed.publish(session, {"jobs": [1, 2, 3]})
        after = select(ChangeLogEntry.sequence).where(ChangeLogEntry.sequence > start.sequence)
        sequences = sorted(session.scalars(after))
        first, late, last = sequences
        session.execute(update(ChangeLogEntry).where(ChangeLogEntry.sequence == late).values(sequence=-late))
        batch = feed.read(session, start)
        assert batch.changes == {"jobs": {1, 3}} and late in batch.position.gaps
        session.execute(update(ChangeLogEntry).where(ChangeLogEntry.sequence == -late).values(sequence=late))
        again = feed.read(session, batch.position)  # the late commit arrives
        assert again.changes == {"jobs": {2}} and late not in again.position.gaps and again.position.sequence == last
        expired = feed.FeedPosition(last, {late: time.monotonic() - feed.GAP_PATIENCE - 1})
        assert feed.read(session, expired).position.gaps == {}
        assert first < late < last


def test_every_gap_is_asked_for_however_many_there_are(platform: Platform) -> None:
    """More gaps than one query may name (numbers taken by rolled-back transactions, say): the late commit is still
    read when it arrives, whichever its place among them."""
    with platform.session() as session:
        start = feed.FeedPosition(feed.head(session))
        feed.publish(session, {"jobs": [4, 5, 6]})
        sequences = sorted(
            session.scalars(select(ChangeLogEntry.sequence).where(ChangeLogEntry.sequence > start.sequence))
        )
        late = sequences[1]
        session.execute(update(ChangeLogEntry).where(ChangeLogEntry.sequence == late).values(sequence=-late))
        batch = feed.read(session, start)
        never = {number: time.monotonic() for number in range(-(10**9), -(10**9) + 2 * feed.GAP_QUERY)}
        position = feed.FeedPosition(batch.position.sequence, {**never, **batch.position.gaps})
        session.execute(update(ChangeLogEntry).where(ChangeLogEntry.sequence == -late).values(sequence=late))
        again = feed.read(session, position)
        assert again.changes == {"jobs": {5}} and late not in again.position.gaps
        assert set(never) <= set(again.position.gaps)  # those never arrive: still waited for


def test_a_new_reader_counts_recent_missing_numbers_as_gaps(platform: Platform) -> None:
    with platform.session() as session:
        feed.publish(session, {"jobs": [7, 8]})
        top = feed.head(session)
        session.execute(update(ChangeLogEntry).where(ChangeLogEntry.sequence == top - 1).values(sequence=-(top - 1)))
        assert top - 1 in feed.position_now(session).gaps


def test_pruning_keeps_what_a_snapshot_lacks_and_a_reader_behind_it_must_rebuild(platform: Platform) -> None:
    with platform.session() as session:
        feed.publish(session, {"jobs": [1, 2]})
        top = feed.head(session)
        old = session.query(ChangeLogEntry).filter(ChangeLogEntry.sequence > top - 2).all()
        for entry in old:
            entry.at = entry.at - timedelta(days=30)
        session.flush()
        assert feed.prune(session, older_than=timedelta(days=7), keep_after=top - 1) >= 1
        assert feed.pruned_through(session) == top - 1
        assert session.get(ChangeLogEntry, top) is not None  # after the snapshot's position: kept
        live = LiveIndexes(platform.settings, platform.encoder)
        live.position = feed.FeedPosition(top - 2)
        with pytest.raises(IndexUnavailable, match="restart it"):
            live.catch_up(session)


def test_the_writer_applies_its_own_changes_at_once(loaded: Platform) -> None:
    """Read-your-writes: after the commit, the writing process's engine already holds the row."""
    with loaded.session() as session:
        engine = loaded.matching(session)
        count = engine.index("jobs").count
    with loaded.session() as session:
        job = factories.job(session, title="Synthetic 深海机器人控制工程师")
        note_changed(session, "jobs", [job.id])
    assert engine.index("jobs").count == count + 1 and engine.index("jobs").contains(job.id)
