"""BM25 over tokenized documents, kept in memory with postings so documents can be added and removed.

Scores are reported normalised to [0, 1): the document's BM25 divided by the best BM25 any document could
get for the query (every query term present with saturating frequency), so a number means the same thing
from one query to the next.
"""

import math
from collections import Counter
from dataclasses import dataclass, field

from matcher.tokenize import tokenize


@dataclass(frozen=True)
class LexicalHit:
    doc_id: int
    score: float
    matched_terms: tuple[str, ...]


@dataclass
class BM25Index:
    """Okapi BM25 (k1, b) with incremental add/remove."""

    k1: float = 1.2
    b: float = 0.75
    _postings: dict[str, dict[int, int]] = field(default_factory=dict)
    _lengths: dict[int, int] = field(default_factory=dict)
    _doc_terms: dict[int, tuple[str, ...]] = field(default_factory=dict)
    _total_length: int = 0

    def __len__(self) -> int:
        return len(self._lengths)

    def add(self, doc_id: int, text: str) -> None:
        """Index `text` under `doc_id`, replacing what was there."""
        self.add_tokens(doc_id, tokenize(text))

    def add_tokens(self, doc_id: int, tokens: list[str]) -> None:
        """Index already tokenized text (see matcher.tokenize) under `doc_id`, replacing what was there."""
        self.remove(doc_id)
        counts = Counter(tokens)
        for term, tf in counts.items():
            self._postings.setdefault(term, {})[doc_id] = tf
        length = sum(counts.values())
        self._doc_terms[doc_id] = tuple(counts)
        self._lengths[doc_id] = length
        self._total_length += length

    def remove(self, doc_id: int) -> None:
        length = self._lengths.pop(doc_id, None)
        if length is None:
            return
        self._total_length -= length
        for term in self._doc_terms.pop(doc_id, ()):
            docs = self._postings[term]
            del docs[doc_id]
            if not docs:
                del self._postings[term]

    def idf(self, term: str) -> float:
        n = len(self._lengths)
        df = len(self._postings.get(term, {}))
        return math.log(1.0 + (n - df + 0.5) / (df + 0.5))

    def query_terms(self, query: str, max_terms: int | None = None) -> list[str]:
        """The distinct terms of `query`; with max_terms, only the most telling ones by tf·idf.

        Picking the top terms of a long text is how Lucene's MoreLikeThis turns a document into a query
        (its max_query_terms, 25 by default): a whole profile as a query would otherwise drown in common words.
        """
        counts = Counter(tokenize(query))
        if max_terms is None or len(counts) <= max_terms:
            return list(counts)
        ranked = sorted(counts, key=lambda term: (-counts[term] * self.idf(term), term))
        return ranked[:max_terms]

    def search(
        self, query: str, limit: int | None = None, only: set[int] | None = None, max_terms: int | None = None
    ) -> list[LexicalHit]:
        """Documents sharing a term with `query`, best first; `only` restricts the documents scored."""
        terms = self.query_terms(query, max_terms)
        if not terms or not self._lengths:
            return []
        avg_length = self._total_length / len(self._lengths) or 1.0
        scores: dict[int, float] = {}
        matched: dict[int, list[str]] = {}
        ceiling = 0.0
        for term in terms:
            docs = self._postings.get(term)
            idf = self.idf(term)
            ceiling += idf * (self.k1 + 1)
            if not docs:
                continue
            for doc_id, tf in docs.items():
                if only is not None and doc_id not in only:
                    continue
                norm = self.k1 * (1 - self.b + self.b * self._lengths[doc_id] / avg_length)
                scores[doc_id] = scores.get(doc_id, 0.0) + idf * tf * (self.k1 + 1) / (tf + norm)
                matched.setdefault(doc_id, []).append(term)
        if ceiling <= 0:
            return []
        ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
        if limit is not None:
            ranked = ranked[:limit]
        return [LexicalHit(doc_id, min(1.0, score / ceiling), tuple(matched[doc_id])) for doc_id, score in ranked]
