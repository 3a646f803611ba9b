"""Matching and search: candidates for a job, jobs for a candidate, and free text over either side.

Retrieval draws from two retrievers — the FAISS index (dense, cross-lingual) and BM25 (lexical) — kept current
by matcher.search.live. Filters are applied inside retrieval: they become a bitmap of admitted ids (from the
in-memory facets) that both retrievers search within, so a rare filter neither scans the table nor runs short, and
pages are exact. Every drawn item is re-scored with the hybrid score of matcher.search.scoring, then paged.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy.orm import Session

from index import VectorIndex
from index.selection import IdBitmap
from matcher.concepts import CONCEPT_TOKEN_PREFIX, OVERSEAS, Concept, is_concept_token, lexicon
from matcher.config import Settings
from matcher.degrees import DegreeLevel, parse_degree
from matcher.embedding import embed_texts
from matcher.encoders import Encoder
from matcher.errors import IndexUnavailable, Invalid, NotFound
from matcher.search import pool
from matcher.search.indexing import Kind, entity_text, model_for
from matcher.search.lexical_index import LexicalHit, LexicalIndex
from matcher.search.live import LiveIndexes
from matcher.search.place_filter import place_admits
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
from matcher.store import queries
from matcher.store.models import Candidate, Job
from matcher.tokenize import tokenize, worth_giving, writing_group

MATCH_QUERY_TERMS = 25
MAX_QUERY_LENGTH = 2_000
# How results are ordered: by fit (the score), or the best SORTED_WINDOW by fit reordered newest first (the most
# recently added) or highest degree first; browsing without words orders every row the filters admit.
ORDERS = ("fit", "newest", "degree")
SORTED_WINDOW = 100


def check_order(order: str) -> str:
    if order not in ORDERS:
        raise Invalid(f"unknown order {order!r}; use one of {', '.join(ORDERS)}", "unknown_order", order=order)
    return order


def ordered_ids(ids: npt.NDArray[np.int64], degrees: npt.NDArray[np.int8], order: str) -> list[int]:
    """`ids` (best fit first) reordered: newest first (the larger id, added later), or highest degree first (newer
    first among equals); for "fit", as they are."""
    if order == "newest":
        return sorted(ids.tolist(), reverse=True)
    if order == "degree":
        return ids[np.lexsort((-ids, -degrees.astype(np.int64)))].tolist()
    return ids.tolist()


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
                    f"min_degree: unknown degree {min_degree!r}; use none, associate, bachelor, master or doctorate",
                    "unknown_degree",
                    degree=min_degree,
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
        if self.location and not any(place and place_admits(self.location, place) for place in places):
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
    # A candidate linked with other records as one person: those records' id, source and external id (provenance)
    records: list[dict[str, Any]] = field(default_factory=list)


def summarize(row: Candidate | Job) -> dict[str, Any]:
    """The few fields a result list shows."""
    if isinstance(row, Candidate):
        return {
            "name": row.name,
            "headline": row.headline,
            "location": row.location,
            "highest_degree": DegreeLevel(row.highest_degree).label,
            "majors": [e.major for e in row.education if e.major],
            "major_codes": [e.major_code or "" for e in row.education if e.major],  # each major's catalogue code
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
        "salary_period": row.salary_period,
    }


def with_provenance(session: Session, rows: Sequence[Candidate | Job], matches: list[Match]) -> list[Match]:
    """`matches` with, for each candidate linked as one person with other records, those records' provenance."""
    persons = {row.id: row.person_id for row in rows if isinstance(row, Candidate) and row.person_id is not None}
    if not persons:
        return matches
    others = queries.person_records(session=session, persons=set(persons.values()))
    for match in matches:
        if match.id in persons:
            match.records = [
                {"id": i, "source": source, "external_id": external_id}
                for i, source, external_id in others.get(persons[match.id], [])
                if i != match.id
            ]
    return matches


LEXICAL_ONLY_LIMIT = 20_000  # a filter admitting at most this many rows has BM25 score just them, from their terms


class MatchingEngine:
    """Ranking over the live indexes (FAISS + BM25 + facets) of both kinds, with the encoder that made them.

    A kind whose index cannot be loaded or built is recorded in `problems`; the other kind still serves.
    """

    def __init__(self, settings: Settings, encoder: Encoder, live: LiveIndexes) -> None:
        self.settings = settings
        self.encoder = encoder
        self.live = live
        self.weights = Weights(settings.weight_dense, settings.weight_lexical, settings.weight_structured)

    @classmethod
    def open(cls, session: Session, settings: Settings, encoder: Encoder) -> "MatchingEngine":
        """Start from the newest snapshots (or build), load BM25 and facets from the stored rows, catch up the feed."""
        return cls(settings, encoder, LiveIndexes.open(session, settings, encoder))

    @property
    def indexes(self) -> dict[Kind, VectorIndex]:
        return self.live.dense

    @property
    def lexical(self) -> dict[Kind, LexicalIndex]:
        return self.live.lexical

    @property
    def problems(self) -> dict[Kind, str]:
        return self.live.problems

    def index(self, kind: Kind) -> VectorIndex:
        """The `kind` index, or IndexUnavailable saying why it is not there."""
        if kind not in self.live.dense:
            raise IndexUnavailable(self.live.problems.get(kind, f"no {kind} index"))
        return self.live.dense[kind]

    def apply(self, session: Session, changes: dict[str, list[int]]) -> int:
        """Bring every index up to date for rows written or deleted (kind → ids); see LiveIndexes.apply."""
        return self.live.apply(session, changes)

    def catch_up(self, session: Session) -> int:
        """Apply what the change feed holds beyond this process's position; see LiveIndexes.catch_up."""
        return self.live.catch_up(session)

    # -- use cases ---------------------------------------------------------------------------------------

    def search(
        self,
        session: Session,
        kind: Kind,
        text: str,
        filters: Filters,
        limit: int = 10,
        offset: int = 0,
        order: str = "fit",
    ) -> list[Match]:
        """Free text (Chinese, English or both) over candidates or jobs, best fit first (or see ORDERS)."""
        query = " ".join(text.split())
        if not query:
            raise Invalid("the query is empty: give some words to search for", "empty_query")
        if len(query) > MAX_QUERY_LENGTH:
            raise Invalid(
                f"the query is {len(query)} characters long; the limit is {MAX_QUERY_LENGTH}",
                "query_too_long",
                limit=MAX_QUERY_LENGTH,
            )
        vector = self.index(kind).correct(self.encoder.encode([query]))[0]
        return self._rank(session, kind, vector, query, None, filters, limit, offset, None, check_order(order))

    def match_job(
        self, session: Session, job_id: int, filters: Filters, limit: int = 10, offset: int = 0, order: str = "fit"
    ) -> list[Match]:
        """Candidates for job `job_id`, best first (or see ORDERS)."""
        job = queries.get(Job, session=session, row_id=job_id)
        if job is None:
            raise NotFound(f"job {job_id} not found", "job_not_found", job=job_id)
        return self._match_from(session, job, "candidates", filters, limit, offset, check_order(order))

    def match_candidate(
        self, session: Session, candidate_id: int, filters: Filters, limit: int = 10, offset: int = 0
    ) -> list[Match]:
        """Jobs for candidate `candidate_id`, best first."""
        candidate = queries.get(Candidate, session=session, row_id=candidate_id)
        if candidate is None:
            raise NotFound(f"candidate {candidate_id} not found", "candidate_not_found", candidate=candidate_id)
        return self._match_from(session, candidate, "jobs", filters, limit, offset)

    def match_candidate_to_job(self, session: Session, candidate_id: int, job_id: int) -> Match | None:
        """Job `job_id` as match_candidate scores and explains it for candidate `candidate_id` (the same ranking,
        drawn from that one job), or None when it is not among the jobs matched (closed, or not indexed yet)."""
        candidate = queries.get(Candidate, session=session, row_id=candidate_id)
        if candidate is None:
            raise NotFound(f"candidate {candidate_id} not found", "candidate_not_found", candidate=candidate_id)
        found = self._match_from(session, candidate, "jobs", Filters(), 1, 0, only=job_id)
        return found[0] if found and found[0].id == job_id else None

    # -- internals ---------------------------------------------------------------------------------------

    def count(self, kind: Kind, filters: Filters) -> int:
        """How many rows of `kind` the filters admit (as this process's indexes hold them: within a feed poll of
        the database)."""
        with self.live.lock.reading():
            facets = self.live.facets[kind]
            admitted = self._admitted(kind, filters)
            if kind == "candidates" and facets.linked:  # a person linked from several records counts once
                ids = admitted.ids() if admitted is not None else np.flatnonzero(facets.admitted())
                return facets.count_people(ids[facets.present(ids)] if admitted is not None else ids)
            return admitted.count if admitted is not None else facets.count

    def browse(
        self, session: Session, kind: Kind, filters: Filters, order: str, limit: int = 10, offset: int = 0
    ) -> list[Match]:
        """Every row the filters admit, without words to rank by: newest first or highest degree first ("fit"
        has nothing to fit and is taken as newest). Scores are 0 and explanations empty."""
        if limit < 1 or offset < 0:
            raise Invalid("limit must be at least 1 and offset at least 0", "bad_page")
        check_order(order)
        with self.live.lock.reading():
            facets = self.live.facets[kind]
            admitted = self._admitted(kind, filters)
            if admitted is None:
                ids = np.flatnonzero(facets.admitted()).astype(np.int64)
            else:
                ids = admitted.ids()
                ids = ids[facets.present(ids)]
            degrees = facets.degrees(ids) if order == "degree" else np.zeros(0, dtype=np.int8)
            ranked = ordered_ids(ids, degrees, "degree" if order == "degree" else "newest")
            if kind == "candidates" and facets.linked:
                ranked = facets.first_of_each_person(np.array(ranked, dtype=np.int64)).tolist()
        rows = self._page(session, model_for(kind), ranked, filters, offset, limit)
        matches = [Match(row.id, row.source, row.external_id, 0.0, {}, summarize(row)) for row in rows]
        return with_provenance(session, rows, matches)

    def _match_from(
        self,
        session: Session,
        anchor: Candidate | Job,
        kind: Kind,
        filters: Filters,
        limit: int,
        offset: int,
        order: str = "fit",
        only: int | None = None,
    ) -> list[Match]:
        text = entity_text(anchor)
        own: Kind = "jobs" if kind == "candidates" else "candidates"
        query = None
        if own in self.indexes:
            with self.live.lock.reading():
                stored, found = self.indexes[own].stored([anchor.id])
            if found.size:  # the anchor as its own index holds it: its text encoded and corrected
                query = stored[0]
        if query is None:
            vectors, _ = embed_texts(session, self.encoder, [text])
            query = (self.indexes[own] if own in self.indexes else self.index(kind)).correct(vectors)[0]
        return self._rank(session, kind, query, text, anchor, filters, limit, offset, MATCH_QUERY_TERMS, order, only)

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
        order: str = "fit",
        only: int | None = None,
    ) -> list[Match]:
        """Draw, score every drawn row from the in-memory indexes and facets, then read and explain only the page
        (in the `order` asked: the best SORTED_WINDOW by fit, reordered; `only`: draw from that one row alone)."""
        if limit < 1 or offset < 0:
            raise Invalid("limit must be at least 1 and offset at least 0", "bad_page")
        wanted = offset + limit
        depth = max(self.settings.retrieval_depth, wanted * 5)
        language = query_language(text, anchor)
        preferences = None if anchor is not None else QueryPreferences.read(text, filters.min_degree, filters.location)
        with self.live.lock.reading():
            facets = self.live.facets[kind]
            admitted = self._admitted(kind, filters)
            if only is not None:
                admitted = self._one(kind, only, admitted)
            drawn, lexical_hits = self._retrieve(kind, vector, text, depth, max_terms, admitted)
            ids = np.array(sorted(drawn), dtype=np.int64)
            ids = ids[facets.present(ids)]  # rows the facets do not hold (yet, or any more) are not ranked
            groups = dict(zip(ids.tolist(), facets.groups(ids), strict=True))
            lexical = pool_lexical(self.lexical[kind], text, ids, max_terms, lexical_hits)
            dense = self._dense_scores(kind, vector, language, ids, groups)
            if anchor is not None:
                structured = pool.anchor_fits(facets, ids, anchor)
            elif preferences is not None:
                structured = pool.preference_fits(facets, ids, kind == "candidates", preferences)
            else:
                structured = np.full(ids.shape, np.nan)
        if lexical is not None:
            lexical = level_languages(lexical, groups, language)
        lexical_scores = None if lexical is None else np.array([lexical[i][0] for i in ids.tolist()])
        scores = pool.combine_many(dense, lexical_scores, structured, self.weights)
        best = ids[np.lexsort((ids, -scores))]
        with self.live.lock.reading():
            if kind == "candidates" and self.live.facets[kind].linked:  # a person shows once: their best record
                best = self.live.facets[kind].first_of_each_person(best)
            if order != "fit":
                best = best[: max(SORTED_WINDOW, offset + limit)]
            degrees = self.live.facets[kind].degrees(best) if order == "degree" else np.zeros(0, dtype=np.int8)
        ranked = ordered_ids(best, degrees, order)
        dense_of = dict(zip(ids.tolist(), dense.tolist(), strict=True))
        matches = []
        rows = self._page(session, model_for(kind), ranked, filters, offset, limit)
        for row in rows:
            terms = lexical.get(row.id) if lexical is not None else None
            explanation = self._explain(row, anchor, dense_of[row.id], terms)
            if preferences is not None:
                preferences.explain(row, explanation)
            score = combine(explanation, self.weights)
            pair = _pair(row, anchor)
            if pair is not None:  # named skills only for what is shown: the costliest part of an explanation
                concepts = frozenset(
                    t.removeprefix(CONCEPT_TOKEN_PREFIX) for t in pair[1].lexical_tokens if is_concept_token(t)
                )
                explanation.matched_skills = matched_skills(pair[0].skills, job_texts(pair[1]), concepts)
                _note_where(explanation, *pair)
            matches.append(
                Match(row.id, row.source, row.external_id, round(score, 4), explanation.as_dict(), summarize(row))
            )
        return with_provenance(session, rows, matches)

    @staticmethod
    def _page(
        session: Session,
        model: type[Candidate] | type[Job],
        ranked: list[int],
        filters: Filters,
        offset: int,
        limit: int,
    ) -> list[Candidate | Job]:
        """The whole rows of ranked[offset:offset + limit], read from the database, with the rows before them checked
        too: a row changed or deleted since this process applied it (in this unit of work, or by another process
        less than a feed poll ago) is checked against the filters again and, if it no longer passes, leaves the
        ranking, so pages stay exact."""
        kept: list[Candidate | Job] = []
        start, wanted = 0, offset + limit
        while len(kept) < wanted and start < len(ranked):
            chunk = ranked[start : start + wanted - len(kept)]
            rows = queries.get_many(model, session=session, ids=chunk, experience=False)
            kept += [rows[i] for i in chunk if i in rows and filters.admits(rows[i])]
            start += len(chunk)
        return kept[offset:wanted]

    def _one(self, kind: Kind, row_id: int, admitted: IdBitmap | None) -> IdBitmap:
        """Row `row_id` alone, if `admitted` admits it (none otherwise)."""
        facets = self.live.facets[kind]
        present = row_id >= 0 and bool(facets.present(np.array([row_id], dtype=np.int64))[0])
        mask = np.zeros(row_id + 1 if present else 1, dtype=bool)
        if present and (admitted is None or admitted.admits(row_id)):
            mask[row_id] = True
        return IdBitmap(mask, facets.count)

    def _admitted(self, kind: Kind, filters: Filters) -> IdBitmap | None:
        """The ids `filters` admit as a bitmap, or None when they admit every row (closed jobs never are)."""
        given = filters.location or filters.industry or filters.min_degree is not None or filters.visible_only
        if not given and kind == "candidates":
            return None
        place, industry, visible_only = filters.location, filters.industry, filters.visible_only
        min_degree = int(filters.min_degree) if filters.min_degree is not None else None
        return self.live.bitmap(
            kind,
            ("filters", place, industry, min_degree, visible_only),
            lambda facets: facets.admitted(
                place=place,
                industry=industry,
                min_degree=min_degree,
                visible_only=visible_only,
                open_only=kind == "jobs",
            ),
        )

    def _retrieve(
        self, kind: Kind, vector: np.ndarray, text: str, depth: int, max_terms: int | None, admitted: IdBitmap | None
    ) -> tuple[set[int], list[LexicalHit]]:
        """Ids drawn by both retrievers, among the `admitted` ones, and the lexical retriever's hits. The dense one
        draws from each language's rows separately (in proportion to their number, a quarter of `depth` at least):
        the best match written in the other language would otherwise be crowded out before its score is calibrated
        (see _dense_scores)."""
        pool: set[int] = set()
        index = self.index(kind)
        facets = self.live.facets[kind]
        if index.count and (admitted is None or admitted.count):
            counts = {language: n for language, n in facets.languages().items() if n}
            if len(counts) < 2 or index.count > facets.count:
                counts = {"": index.count}  # one language, or rows the facets do not know yet: search them all
            total = sum(counts.values()) or 1
            for language, n in counts.items():  # each language in proportion to its rows, a quarter at least
                share = max(1, depth // 4, depth * n // total)
                within = admitted
                if language:
                    within = self.live.language_bitmap(kind, language)
                    if admitted is not None:
                        within = within.intersect(admitted)
                _, found = index.search(vector, min(share, index.count), corrected=True, within=within)
                pool.update(int(i) for i in found[0] if i >= 0)
        hits = self._lexical_hits(kind, text, depth, max_terms, admitted)
        pool.update(hit.doc_id for hit in hits)
        return pool, hits

    def _lexical_hits(
        self, kind: Kind, text: str, depth: int, max_terms: int | None, admitted: IdBitmap | None
    ) -> list[LexicalHit]:
        lexical = self.lexical[kind]
        if admitted is None:
            return lexical.search(text, limit=depth, max_terms=max_terms)
        if admitted.count <= LEXICAL_ONLY_LIMIT:
            return lexical.search(text, limit=depth, only=admitted.ids(), max_terms=max_terms)
        return lexical.search(text, limit=depth, max_terms=max_terms, within=admitted.admits_many)

    def _dense_scores(
        self, kind: Kind, vector: np.ndarray, language: str, ids: np.ndarray, groups: dict[int, str]
    ) -> np.ndarray:
        """Cosine between the (corrected) query and each row's vector as the index stores it (corrected), times the
        index's cross-language factor when the row is written in another language than the query
        (index.transform explains why). A row the index does not hold yet scores 0."""
        index = self.index(kind)
        vectors, found = index.stored(ids)
        scores = np.zeros(ids.shape, dtype=np.float64)
        if not found.size:
            return scores
        cosine = (vectors @ vector).astype(np.float64)
        correction = index.correction
        if correction is not None:
            factors = {group: correction.scale(language, group) for group in set(groups.values())}
            scale = np.array([factors[groups[row_id]] for row_id in found.tolist()])
            cosine = np.where(cosine > 0, cosine * scale, cosine)
        scores[np.searchsorted(ids, found)] = cosine
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
            matched_terms=[t for t in terms if not is_concept_token(t) and worth_giving(t)],
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
    lexical: LexicalIndex, text: str, ids: np.ndarray, max_terms: int | None, known: Sequence[LexicalHit] = ()
) -> dict[int, tuple[float, tuple[str, ...]]] | None:
    """Normalised BM25 and matched terms for the pool (0 for pool members that share no term); None when the
    query has no term that is evidence in both languages (then lexical evidence does not apply). `known`: hits
    the same query already gave (the lexical retriever's), not scored again."""
    if not lexical.query_terms(text, max_terms):
        return None
    scores = {hit.doc_id: (hit.score, hit.matched_terms) for hit in known}
    rest = ids[~np.isin(ids, np.fromiter(scores, dtype=np.int64, count=len(scores)))]
    if rest.size:
        scores.update(
            (hit.doc_id, (hit.score, hit.matched_terms)) for hit in lexical.search(text, only=rest, max_terms=max_terms)
        )
    return {row_id: scores.get(row_id, (0.0, ())) for row_id in ids.tolist()}
