"""Matching and search: candidates for a job, jobs for a candidate, and free text over either side.

Retrieval draws from two retrievers — the FAISS index (dense, cross-lingual) and BM25 (lexical) — then
filters, re-scores every drawn item with the hybrid score of matcher.search.scoring, and pages. When filters leave
too few items, retrieval goes deeper (x4) until it has enough or has seen the whole collection.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy.orm import Session

from index import VectorIndex
from matcher.concepts import CONCEPT_TOKEN_PREFIX, OVERSEAS, Concept, is_concept_token, lexicon
from matcher.config import Settings
from matcher.degrees import DegreeLevel, parse_degree
from matcher.embedding import embed_texts
from matcher.encoders import Encoder
from matcher.errors import IndexUnavailable, Invalid, NotFound
from matcher.lexical import BM25Index
from matcher.search.indexing import KINDS, Kind, entity_text, load_index, model_for, update_index
from matcher.search.preferences import QueryPreferences, industry_matches, place_note
from matcher.search.scoring import (
    Explanation,
    Weights,
    combine,
    degree_fit,
    location_fit,
    major_fit,
    matched_skills,
    place_matches,
    structured_mean,
)
from matcher.store import embeddings as cache
from matcher.store import queries
from matcher.store.models import Candidate, Job
from matcher.tokenize import tokenize, writing_group

MATCH_QUERY_TERMS = 25
MAX_QUERY_LENGTH = 2_000


@dataclass(frozen=True)
class Filters:
    """location: a city, district, country or 海外/abroad (zh or en); min_degree: the entity's degree is at least
    this; industry: a leading industry by its Chinese or English name (or any words of the industry's name);
    visible_only: candidates who hid their profile are left out (inside retrieval, so pages stay full and exact)."""

    location: str | None = None
    min_degree: DegreeLevel | None = None
    industry: str | None = None
    visible_only: bool = False

    @classmethod
    def parse(cls, location: str | None, min_degree: str | None, industry: str | None) -> "Filters":
        """Filters from what a person typed; an unknown degree is refused with the accepted names."""
        level: DegreeLevel | None = None
        if min_degree and min_degree.strip():
            level = parse_degree(min_degree)
            if level is None:
                raise Invalid(
                    f"min_degree: unknown degree {min_degree!r}; use none, associate, bachelor, master or doctorate"
                )
        return cls(
            location=(location or "").strip() or None, min_degree=level, industry=(industry or "").strip() or None
        )

    def admits(self, row: Candidate | Job) -> bool:
        if isinstance(row, Candidate):
            if self.visible_only and not row.visible:
                return False
            places, level, industries = (
                [row.location, *row.preferred_locations],
                row.highest_degree,
                row.industries,
            )
        else:
            if row.closed_at is not None:  # a closed job leaves every result list
                return False
            places, level, industries = [row.location], row.min_degree, [row.industry]
        if self.location and not any(place and place_matches(self.location, place) for place in places):
            return False
        if self.min_degree is not None and level < self.min_degree:
            return False
        return not self.industry or any(industry_matches(self.industry, i) for i in industries if i)


@dataclass
class Match:
    id: int
    source: str
    external_id: str
    score: float
    explanation: dict[str, Any]
    summary: dict[str, Any] = field(default_factory=dict)


def summarize(row: Candidate | Job) -> dict[str, Any]:
    """The few fields a result list shows."""
    if isinstance(row, Candidate):
        return {
            "name": row.name,
            "headline": row.headline,
            "location": row.location,
            "highest_degree": DegreeLevel(row.highest_degree).label,
            "majors": [e.major for e in row.education if e.major],
        }
    return {
        "title": row.title,
        "enterprise": row.employer,
        "industry": row.industry,
        "location": row.location,
        "min_degree": DegreeLevel(row.min_degree).label,
        "salary_min": row.salary_min,
        "salary_max": row.salary_max,
        "currency": row.currency,
    }


class MatchingEngine:
    """The loaded indexes (FAISS + BM25) of both kinds, with the encoder that made them.

    A kind whose index cannot be loaded is recorded in `problems`; the other kind still serves.
    """

    def __init__(
        self, settings: Settings, encoder: Encoder, indexes: dict[Kind, VectorIndex], problems: dict[Kind, str]
    ) -> None:
        self.settings = settings
        self.encoder = encoder
        self.indexes = indexes
        self.problems = problems
        self.lexical: dict[Kind, BM25Index] = {kind: BM25Index(language_neutral=True) for kind in KINDS}
        self.weights = Weights(settings.weight_dense, settings.weight_lexical, settings.weight_structured)

    @classmethod
    def open(cls, session: Session, settings: Settings, encoder: Encoder) -> "MatchingEngine":
        """Load the saved indexes (checked against encoder and database) and BM25 from the stored tokens."""
        indexes: dict[Kind, VectorIndex] = {}
        problems: dict[Kind, str] = {}
        for kind in KINDS:
            try:
                indexes[kind] = load_index(session, settings, encoder, kind)
            except IndexUnavailable as exc:
                problems[kind] = exc.message
        engine = cls(settings, encoder, indexes, problems)
        for kind in indexes:
            for row_id, tokens in queries.lexical_tokens(model_for(kind), session=session):
                engine.lexical[kind].add_tokens(row_id, tokens)
        return engine

    def index(self, kind: Kind) -> VectorIndex:
        """The `kind` index, or IndexUnavailable saying why it is not there."""
        if kind not in self.indexes:
            raise IndexUnavailable(self.problems.get(kind, f"no {kind} index"))
        return self.indexes[kind]

    def refresh(self, session: Session, kind: Kind, ids: list[int]) -> int:
        """Bring both retrievers up to date for rows `ids` after they were written or deleted."""
        index, encoded = update_index(session, self.encoder, self.settings, kind, ids)
        self.indexes[kind] = index
        self.problems.pop(kind, None)
        rows = queries.get_many(model_for(kind), session=session, ids=ids)
        for row_id in ids:
            row = rows.get(row_id)
            if row is None:
                self.lexical[kind].remove(row_id)
            else:
                self.lexical[kind].add_tokens(row_id, row.lexical_tokens)
        return encoded

    # -- use cases ---------------------------------------------------------------------------------------

    def search(
        self, session: Session, kind: Kind, text: str, filters: Filters, limit: int = 10, offset: int = 0
    ) -> list[Match]:
        """Free text (Chinese, English or both) over candidates or jobs."""
        query = " ".join(text.split())
        if not query:
            raise Invalid("the query is empty: give some words to search for")
        if len(query) > MAX_QUERY_LENGTH:
            raise Invalid(f"the query is {len(query)} characters long; the limit is {MAX_QUERY_LENGTH}")
        vector = self.index(kind).correct(self.encoder.encode([query]))[0]
        return self._rank(session, kind, vector, query, None, filters, limit, offset, max_terms=None)

    def match_job(
        self, session: Session, job_id: int, filters: Filters, limit: int = 10, offset: int = 0
    ) -> list[Match]:
        """Candidates for job `job_id`, best first."""
        job = queries.get(Job, session=session, row_id=job_id)
        if job is None:
            raise NotFound(f"job {job_id} not found")
        return self._match_from(session, job, "candidates", filters, limit, offset)

    def match_candidate(
        self, session: Session, candidate_id: int, filters: Filters, limit: int = 10, offset: int = 0
    ) -> list[Match]:
        """Jobs for candidate `candidate_id`, best first."""
        candidate = queries.get(Candidate, session=session, row_id=candidate_id)
        if candidate is None:
            raise NotFound(f"candidate {candidate_id} not found")
        return self._match_from(session, candidate, "jobs", filters, limit, offset)

    # -- internals ---------------------------------------------------------------------------------------

    def _match_from(
        self, session: Session, anchor: Candidate | Job, kind: Kind, filters: Filters, limit: int, offset: int
    ) -> list[Match]:
        text = entity_text(anchor)
        vectors, _ = embed_texts(session, self.encoder, [text])
        own: Kind = "jobs" if kind == "candidates" else "candidates"
        query = (self.indexes[own] if own in self.indexes else self.index(kind)).correct(vectors)[0]
        return self._rank(session, kind, query, text, anchor, filters, limit, offset, MATCH_QUERY_TERMS)

    def _rank(
        self,
        session: Session,
        kind: Kind,
        vector: np.ndarray,
        text: str,
        anchor: Candidate | Job | None,
        filters: Filters,
        limit: int,
        offset: int,
        max_terms: int | None,
    ) -> list[Match]:
        if limit < 1 or offset < 0:
            raise Invalid("limit must be at least 1 and offset at least 0")
        index, model = self.index(kind), model_for(kind)
        total = max(index.count, len(self.lexical[kind]))
        wanted = offset + limit
        depth = max(self.settings.retrieval_depth, wanted * 5)
        while True:
            pool = self._retrieve(kind, vector, text, depth, max_terms)
            rows = queries.get_many(model, session=session, ids=pool)
            admitted = [row for row in rows.values() if filters.admits(row)]
            if len(admitted) >= wanted or depth >= total:
                break
            depth *= 4
        language = query_language(text, anchor)
        lexical = pool_lexical(self.lexical[kind], text, {row.id for row in admitted}, max_terms)
        if lexical is not None:
            lexical = level_languages(lexical, {row.id: self._group(kind, row) for row in admitted}, language)
        dense = self._dense_scores(session, kind, vector, language, admitted)
        wanted_fit = None if anchor is not None else QueryPreferences.read(text, filters.min_degree, filters.location)
        scored = []
        for row in admitted:
            terms = lexical.get(row.id) if lexical is not None else None
            explanation = self._explain(row, anchor, dense.get(row.id, 0.0), terms)
            if wanted_fit is not None:
                wanted_fit.explain(row, explanation)
            scored.append((combine(explanation, self.weights), row, explanation))
        scored.sort(key=lambda item: (-item[0], item[1].id))
        page = scored[offset:wanted]
        for _, row, explanation in page:
            pair = _pair(row, anchor)
            if pair is not None:  # named skills only for what is shown: the costliest part of an explanation
                concepts = frozenset(
                    t.removeprefix(CONCEPT_TOKEN_PREFIX) for t in pair[1].lexical_tokens if is_concept_token(t)
                )
                explanation.matched_skills = matched_skills(pair[0].skills, job_texts(pair[1]), concepts)
                _note_where(explanation, *pair)
        return [
            Match(row.id, row.source, row.external_id, round(score, 4), explanation.as_dict(), summarize(row))
            for score, row, explanation in page
        ]

    def _retrieve(self, kind: Kind, vector: np.ndarray, text: str, depth: int, max_terms: int | None) -> set[int]:
        """Ids drawn by both retrievers. The dense one draws from each language's rows separately (in proportion
        to their number, a quarter of `depth` at least): the best match written in the other language would
        otherwise be crowded out before its score is calibrated (see _dense_scores)."""
        pool: set[int] = set()
        index = self.index(kind)
        if index.count:
            groups = [ids for ids in self.lexical[kind].ids_by_language().values() if ids]
            if len(groups) < 2 or index.count > len(self.lexical[kind]):
                groups = [[]]  # one language, or rows BM25 does not know yet: search them all
            total = sum(len(ids) for ids in groups) or 1
            for ids in groups:  # each language in proportion to its rows, a quarter of the depth at least
                share = max(1, depth // 4, depth * len(ids) // total) if ids else depth
                _, found = index.search(vector, min(share, index.count), corrected=True, among=ids or None)
                pool.update(int(i) for i in found[0] if i >= 0)
        pool.update(hit.doc_id for hit in self.lexical[kind].search(text, limit=depth, max_terms=max_terms))
        return pool

    def _group(self, kind: Kind, row: Candidate | Job) -> str:
        """How `row` is written (zh, en, mixed), as BM25 recorded it when it indexed the row."""
        return self.lexical[kind].writing_group(row.id) or writing_group(row.lexical_tokens)

    def _dense_scores(
        self, session: Session, kind: Kind, vector: np.ndarray, language: str, rows: Sequence[Candidate | Job]
    ) -> dict[int, float]:
        """Cosine between the (corrected) query and each row as the index corrects it, from the cached embeddings
        of the rows' texts, times the index's cross-language factor when the row is written in another language
        than the query (index.transform explains why)."""
        index = self.index(kind)
        vectors = cache.get_many(session=session, encoder=self.encoder.name, hashes=[r.text_hash for r in rows])
        present = [r for r in rows if r.text_hash in vectors]
        if not present:
            return {}
        corrected = index.correct(np.stack([vectors[r.text_hash] for r in present]))
        correction = index.correction
        scores = {}
        for row, score in zip(present, corrected @ vector, strict=True):
            factor = correction.scale(language, self._group(kind, row)) if correction else 1.0
            scores[row.id] = float(score) * factor if score > 0 else float(score)
        return scores

    def _explain(
        self,
        row: Candidate | Job,
        anchor: Candidate | Job | None,
        dense: float,
        lexical: tuple[float, tuple[str, ...]] | None,
    ) -> Explanation:
        score, terms = lexical if lexical is not None else (None, ())
        concepts = [c for c in (_concept(t) for t in terms) if c is not None]
        explanation = Explanation(
            dense=dense,
            lexical=score,
            matched_terms=[t for t in terms if not is_concept_token(t)],
            matched_concepts=concepts,
        )
        pair = _pair(row, anchor)
        if pair is None:
            return explanation
        candidate, job = pair
        degree, degree_note, degree_note_zh = degree_fit(candidate.highest_degree, job.min_degree)
        major, major_codes = major_fit(candidate.major_codes, job.major_codes)
        location = location_fit([candidate.location, *candidate.preferred_locations], job.location)
        explanation.degree_fit, explanation.major_fit, explanation.location_fit = degree, major, location
        explanation.structured = structured_mean(degree, major, location)
        names = {e.major_code: e.major for e in candidate.education if e.major_code}
        explanation.matched_majors = [f"{names.get(code, code)} ({code})" for code in major_codes]
        if degree_note and degree_note_zh:
            explanation.note(degree_note, degree_note_zh)
        return explanation


LEVEL_TOP = 10
LEVEL_MAX = 1.5


def level_languages(
    lexical: dict[int, tuple[float, tuple[str, ...]]], groups: dict[int, str], language: str
) -> dict[int, tuple[float, tuple[str, ...]]]:
    """Lexical scores of rows written in another language than the query, lifted so that the best LEVEL_TOP of each
    language score alike (by at most LEVEL_MAX). A text names more of a query's concepts in the query's own
    language — the same phrases map to the same concepts — than in another, where the lexicon misses some of
    the other wording; this takes that out per query. Rows of the query's language keep their scores."""
    by_group: dict[str, list[float]] = {}
    for row_id, (score, _) in lexical.items():
        by_group.setdefault(groups[row_id], []).append(score)
    if language not in by_group:
        return lexical

    def best(scores: list[float]) -> float:
        top = sorted(scores, reverse=True)[:LEVEL_TOP]
        return sum(top) / len(top)

    own = best(by_group[language])
    factors = {g: min(LEVEL_MAX, max(1.0, own / b)) if (b := best(s)) > 0 else 1.0 for g, s in by_group.items()}
    factors[language] = 1.0
    return {row_id: (min(1.0, score * factors[groups[row_id]]), terms) for row_id, (score, terms) in lexical.items()}


def query_language(text: str, anchor: Candidate | Job | None) -> str:
    """How a query is written (zh, en, mixed): its anchor's (a job's or a profile's), or its words'."""
    return writing_group(anchor.lexical_tokens if anchor is not None else tokenize(text))


def _concept(token: str) -> Concept | None:
    return lexicon().get(token.removeprefix(CONCEPT_TOKEN_PREFIX)) if is_concept_token(token) else None


def _note_where(explanation: Explanation, candidate: Candidate, job: Job) -> None:
    """Say why a candidate who lives elsewhere fits the job's place: they name its city among where they would work."""
    if explanation.location_fit and candidate.location and not place_matches(job.location, candidate.location):
        named = [p for p in lexicon().places(job.location) if p.id != OVERSEAS][:1]
        if named:
            explanation.note(*place_note(named, False, False))


def _pair(row: Candidate | Job, anchor: Candidate | Job | None) -> tuple[Candidate, Job] | None:
    if isinstance(row, Candidate) and isinstance(anchor, Job):
        return row, anchor
    if isinstance(row, Job) and isinstance(anchor, Candidate):
        return anchor, row
    return None


def job_texts(job: Job) -> str:
    return " ".join([job.title, job.description, job.requirements, " ".join(job.majors)])


def pool_lexical(
    lexical: BM25Index, text: str, ids: set[int], max_terms: int | None
) -> dict[int, tuple[float, tuple[str, ...]]] | None:
    """Normalised BM25 and matched terms for the pool (0 for pool members that share no term); None when the
    query has no term that is evidence in both languages (then lexical evidence does not apply)."""
    if not lexical.query_terms(text, max_terms):
        return None
    hits = lexical.search(text, only=ids, max_terms=max_terms)
    scores = {hit.doc_id: (hit.score, hit.matched_terms) for hit in hits}
    return {row_id: scores.get(row_id, (0.0, ())) for row_id in ids}
