"""Upgrading a database whose rows were derived by an older candidate_text (one that kept the contact details typed
into free text): `init` derives every row's text again, and the rows whose text changed — those only — are encoded,
logged to the change feed and taken up by every process's indexes, so no search finds anyone by an e-mail or a phone
number any more, and the vectors of the old texts are forgotten."""

import json

import numpy as np

from matcher.contact_details import strip
from matcher.platform import NORMALIZATION_KEY, TEXT_KEY, TOKENIZER_KEY, Platform
from matcher.reference.job_normalization import NORMALIZATION_VERSION
from matcher.search.matching import MatchingEngine
from matcher.store import embeddings, feed, meta, queries
from matcher.store.models import Candidate
from matcher.text import TEXT_VERSION, content_hash
from matcher.tokenize import TOKENIZER_VERSION, tokenize

SUMMARY = "I build hydrogen fuel cell stacks and membrane electrode assemblies. Contact me: wang.secret@example.com"
EMAIL = "wang.secret@example.com"
STRIPPED = strip(SUMMARY).strip()  # what candidate_text now makes of a profile that is just this summary


def _indexed(engine: MatchingEngine, candidate_id: int, text: str) -> bool:
    """Whether the engine holds the candidate as `text`: no document but theirs has the e-mail's words (their
    weight is that of a word no document has), and their vector is the text's."""
    lexical = engine.lexical["candidates"]
    unheard = lexical.idf("no-such-word-anywhere")
    has_email = any(lexical.idf(word) != unheard for word in tokenize(EMAIL))
    index = engine.index("candidates")
    stored, found = index.stored([candidate_id])
    expected = index.correct(engine.encoder.encode([text]))
    return has_email == (EMAIL in text) and found.size == 1 and bool(np.allclose(stored, expected, atol=1e-3))


def test_init_derives_old_texts_again_and_every_index_follows(loaded: Platform) -> None:
    profile = {"source": "test", "external_id": "c-upgrade", "name": "Upgrade Test", "summary": SUMMARY}
    with loaded.session(write=True) as session:
        assert loaded.importer(session, "candidates").run([json.dumps(profile)]).ok
    with loaded.session() as session:  # the row as an older release derived it: its text whole
        row = queries.get_by_ref(Candidate, session=session, source="test", external_id="c-upgrade")
        assert row is not None
        candidate_id, new_hash = row.id, row.text_hash
        assert new_hash == content_hash(STRIPPED)
        row.text_hash, row.lexical_tokens = content_hash(SUMMARY), tokenize(SUMMARY)
        old_vector = loaded.encoder.encode([SUMMARY])[0]
        embeddings.put_many(session=session, encoder=loaded.encoder.name, vectors={row.text_hash: old_vector})
        meta.put(session=session, key=TEXT_KEY, value="1")
        meta.put(session=session, key=TOKENIZER_KEY, value=TOKENIZER_VERSION)  # nothing else to redo
        meta.put(session=session, key=NORMALIZATION_KEY, value=NORMALIZATION_VERSION)
    with loaded.session() as session:
        engine = loaded.matching(session)  # a process serving the old derivation
        assert _indexed(engine, candidate_id, SUMMARY)
        start = feed.position_now(session)

    loaded.init()

    with loaded.session() as session:
        row = session.get(Candidate, candidate_id)
        assert row is not None and row.summary == SUMMARY  # the profile itself is as written
        assert row.text_hash == new_hash and "wang.secret" not in row.lexical_tokens
        assert meta.get(session=session, key=TEXT_KEY) == TEXT_VERSION
        assert feed.read(session, start).changes == {"candidates": {candidate_id}}  # no other row had changed
        cached = embeddings.get_many(
            session=session, encoder=loaded.encoder.name, hashes=[content_hash(SUMMARY), new_hash]
        )
        assert set(cached) == {new_hash}
        assert _indexed(engine, candidate_id, STRIPPED)  # the serving process followed at once
        started = MatchingEngine.open(session, loaded.settings, loaded.encoder)  # and one starting now
        assert _indexed(started, candidate_id, STRIPPED)

    loaded.init()  # once done, nothing to do again
    with loaded.session() as session:
        assert feed.read(session, start).entries == 1
