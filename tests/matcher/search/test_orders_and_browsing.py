"""Orders other than fit, browsing without words, and counting what the filters admit — over the real indexes."""

import pytest

from matcher.degrees import DegreeLevel
from matcher.errors import Invalid
from matcher.ingest import registration
from matcher.people import accounts
from matcher.platform import Platform
from matcher.search.matching import SORTED_WINDOW, Filters
from matcher.store import queries
from matcher.store.models import Candidate
from tests.api.conftest import make_keys


def degrees(platform: Platform, ids: list[int]) -> list[int]:
    with platform.session() as session:
        rows = queries.get_many(Candidate, session=session, ids=ids, experience=False)
        return [rows[i].highest_degree for i in ids]


def test_the_best_by_fit_reordered_newest_or_highest_degree_first(loaded: Platform) -> None:
    query = "卫星导航 GNSS positioning"
    with loaded.session() as session:
        engine = loaded.matching(session)
        fit = engine.search(session, "candidates", query, Filters(), limit=SORTED_WINDOW)
        newest = engine.search(session, "candidates", query, Filters(), limit=SORTED_WINDOW, order="newest")
        by_degree = engine.search(session, "candidates", query, Filters(), limit=SORTED_WINDOW, order="degree")
        paged = engine.search(session, "candidates", query, Filters(), limit=3, offset=3, order="newest")
    assert {m.id for m in newest} == {m.id for m in fit} == {m.id for m in by_degree}  # the same people
    assert [m.id for m in newest] == sorted((m.id for m in fit), reverse=True)
    levels = degrees(loaded, [m.id for m in by_degree])
    assert levels == sorted(levels, reverse=True) and levels[0] > levels[-1]
    assert [m.id for m in fit] != [m.id for m in newest]  # so the order did change something
    assert [m.id for m in paged] == [m.id for m in newest][3:6]
    assert all(m.explanation for m in newest)  # still explained: the order changes, not the reasons


def test_browsing_lists_every_admitted_row_and_counting_agrees(loaded: Platform) -> None:
    doctors = Filters(min_degree=DegreeLevel.DOCTORATE)
    with loaded.session() as session:
        engine = loaded.matching(session)
        everyone = engine.browse(session, "candidates", Filters(), "newest", limit=100)
        found = engine.browse(session, "candidates", doctors, "degree", limit=100)
        assert engine.count("candidates", Filters()) == len(everyone) == 10
        assert engine.count("candidates", doctors) == len(found) > 0
    keys = make_keys(loaded)
    with loaded.session() as session:
        me = accounts.authenticate(session, keys.candidate)
        assert me is not None
        registration.set_visibility(session, me, False)  # the sample candidate with an account hides their profile
    hidden = keys.candidate_id
    assert [m.id for m in everyone] == sorted((m.id for m in everyone), reverse=True)
    assert set(degrees(loaded, [m.id for m in found])) == {int(DegreeLevel.DOCTORATE)}
    assert all(m.score == 0 and m.explanation == {} and m.summary["name"] for m in everyone)
    with loaded.session() as session:
        engine = loaded.matching(session)
        visible = engine.browse(session, "candidates", Filters(visible_only=True), "newest", limit=100)
        assert hidden not in [m.id for m in visible] and len(visible) == 9
        assert engine.count("candidates", Filters(visible_only=True)) == 9  # the facets followed the change
        assert [m.id for m in engine.browse(session, "candidates", Filters(), "fit", limit=2, offset=1)] == [
            m.id for m in everyone[1:3]
        ]


def test_an_unknown_order_is_refused(loaded: Platform) -> None:
    with loaded.session() as session:
        engine = loaded.matching(session)
        with pytest.raises(Invalid, match="unknown order") as refused:
            engine.search(session, "candidates", "GNSS", Filters(), order="salary")
        assert refused.value.reason == "unknown_order"
        with pytest.raises(Invalid, match="unknown order"):
            engine.browse(session, "candidates", Filters(), "random")
