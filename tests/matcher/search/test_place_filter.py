"""The location filter compares canonical place ids: every spelling of a country admits the same people."""

import pytest

from matcher.platform import Platform
from matcher.search.matching import Filters
from matcher.store import queries
from matcher.store.models import Candidate

WRITTEN = {"c-sec": "USA", "c-bms": "United States", "c-food": "美国", "c-nlp": "U.S."}
SPELLINGS = ["US", "U.S.A.", "united states", "美国"]


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_every_spelling_of_a_country_admits_every_profile_written_in_any_spelling(
    loaded: Platform, spelling: str
) -> None:
    with loaded.session() as session:
        for external_id, written in WRITTEN.items():
            row = queries.get_by_ref(Candidate, session=session, source="test", external_id=external_id)
            assert row is not None
            row.location, row.preferred_locations = written, []
    with loaded.session() as session:
        engine = loaded.matching(session)
        found = engine.search(session, "candidates", "engineer 工程师", Filters(location=spelling), limit=50)
        rows = [r for r in session.query(Candidate).all() if Filters(location=spelling).admits(r)]
    assert {m.external_id for m in found} >= set(WRITTEN) and {"c-quant"} <= {m.external_id for m in found}
    assert {r.external_id for r in rows} == {*WRITTEN, "c-quant"}  # c-quant lives in "New York, USA"
