"""The platform's post-write hook: what a unit of work noted as changed is logged to the change feed with it and is
in the writer's indexes once it has committed, for every entry point alike; nothing is done for a unit of work that
rolled back or changed nothing indexed."""

import json

import pytest

from matcher import platform as platform_module
from matcher.platform import Platform, index_updates
from matcher.search.matching import Filters, MatchingEngine
from matcher.store import feed, queries
from matcher.store.changes import note_changed, take_changes
from matcher.store.models import Candidate

PROFILE = {
    "source": "test",
    "external_id": "c-hook",
    "name": "Hook Test",
    "summary": "Hydrogen fuel cell stack engineer, membrane electrode assemblies",
    "skills": ["fuel cells", "electrochemistry"],
    "education": [{"school": "Tsinghua University", "degree": "PhD", "major": "Chemical Engineering"}],
}


def _import(platform: Platform, profile: dict[str, object]) -> dict[str, object]:
    with platform.session(write=True) as session:
        platform.importer(session, "candidates").run([json.dumps(profile)])
    return dict(index_updates(session))


def _indexed_ids(platform: Platform) -> set[int]:
    """The candidates an engine opened now holds (as a process starting now would)."""
    with platform.session() as session:
        return set(MatchingEngine.open(session, platform.settings, platform.encoder).index("candidates").ids().tolist())


def test_a_committed_import_is_logged_and_in_the_loaded_engine(loaded: Platform) -> None:
    with loaded.session() as session:
        engine = loaded.matching(session)  # loaded now: the hook must update it in place too
        start = feed.position_now(session)
    updates = _import(loaded, PROFILE)
    with loaded.session() as session:
        row = queries.get_by_ref(Candidate, session=session, source="test", external_id="c-hook")
        assert row is not None
        found = engine.search(session, "candidates", "燃料电池 膜电极", Filters(), limit=3)
    update = updates["candidates"]
    assert update.rows == 1 and update.encoded == 1 and update.problem is None
    assert row.id in _indexed_ids(loaded)
    assert found and found[0].id == row.id
    with loaded.session() as session:
        assert feed.read(session, start).changes == {"candidates": {row.id}}

    erased = dict(PROFILE, summary="Battery management systems")  # an update is followed too (re-encoded)
    assert _import(loaded, erased)["candidates"].encoded == 1
    assert _import(loaded, erased) == {}  # unchanged: nothing noted, nothing done


def test_nothing_is_followed_after_a_rollback(loaded: Platform) -> None:
    before = _indexed_ids(loaded)
    with pytest.raises(RuntimeError), loaded.session(write=True) as session:
        loaded.importer(session, "candidates").run([json.dumps(PROFILE)])
        assert take_changes(session) != {}  # noted ...
        note_changed(session, "candidates", [1])
        raise RuntimeError("the unit of work fails")
    assert index_updates(session) == {}  # ... but never followed: nothing was committed
    assert _indexed_ids(loaded) == before


def test_only_candidates_and_jobs_are_followed(platform: Platform) -> None:
    with platform.session() as session:
        note_changed(session, "enterprises", [1, 2])
        note_changed(session, "majors", [3])
        assert take_changes(session) == {}


def test_warming_up_builds_what_a_first_posting_needs(platform: Platform, monkeypatch: pytest.MonkeyPatch) -> None:
    """A server's first posted job or import must not wait for the major and occupation mappers (a second or more
    on the demo): the app's start-up builds them."""
    monkeypatch.setattr(platform_module, "_REFERENCE", {})
    platform.warm_up()
    encoder = platform.settings.encoder
    assert {("majors", encoder), ("job-majors", encoder), ("occupations", encoder)} <= set(platform_module._REFERENCE)
