"""BM25 over tokenized documents, kept in memory with postings so documents can be added and removed.

Only language-neutral evidence is scored, so that a document cannot gain over its own translation by being in
the query's language: the bilingual concepts (matcher.concepts, the same token in Chinese and English) and the
words that documents of both languages use alike (Python, BMS, AUTOSAR: a word is shared when its document rate
in the Chinese and in the English documents differs by less than SHARED_RATE_RATIO). Words only one language
uses (电池, battery) are not evidence; their concepts are. Document length, for BM25's length normalisation, is
counted in concepts for the same reason (a Chinese text segments into more words than its English twin).

Scores are reported normalised to [0, 1): the document's BM25 divided by the best BM25 any document could
get for the query (every query term present with saturating frequency), so a number means the same thing
from one query to the next.
"""

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from matcher.concepts import is_concept_token
from matcher.tokenize import plain_words, token_language, tokenize, writing_group

SHARED_RATE_RATIO = 4.0


@dataclass(frozen=True)
class LexicalHit:
    doc_id: int
    score: float
    matched_terms: tuple[str, ...]


@dataclass
class BM25Index:
    """Okapi BM25 (k1, b) with incremental add/remove. `language_neutral` (the matching engine's): texts are
    tokenized with their concepts, only shared terms are scored and length is counted in concepts (see above);
    otherwise classic BM25 over plain words (the occupation mapper's, over Chinese reference texts)."""

    language_neutral: bool = False
    k1: float = 1.2
    b: float = 0.75
    _postings: dict[str, dict[int, int]] = field(default_factory=dict)
    _lengths: dict[int, int] = field(default_factory=dict)
    _doc_terms: dict[int, tuple[str, ...]] = field(default_factory=dict)
    _doc_language: dict[int, str] = field(default_factory=dict)
    _doc_group: dict[int, str] = field(default_factory=dict)
    _language_df: dict[str, Counter[str]] = field(default_factory=lambda: {"zh": Counter(), "en": Counter()})
    _language_docs: Counter[str] = field(default_factory=Counter)
    _total_length: int = 0

    def __len__(self) -> int:
        return len(self._lengths)

    def add(self, doc_id: int, text: str) -> None:
        """Index `text` under `doc_id`, replacing what was there."""
        self.add_tokens(doc_id, self._tokens(text))

    def _tokens(self, text: str) -> list[str]:
        return tokenize(text) if self.language_neutral else plain_words(text)

    def add_tokens(self, doc_id: int, tokens: list[str]) -> None:
        """Index already tokenized text (see matcher.tokenize) under `doc_id`, replacing what was there."""
        self.remove(doc_id)
        counts = Counter(tokens)
        language = token_language(tokens)
        for term, tf in counts.items():
            self._postings.setdefault(term, {})[doc_id] = tf
        self._language_df[language].update(counts.keys())
        self._language_docs[language] += 1
        length = sum(tf for term, tf in counts.items() if is_concept_token(term) or not self.language_neutral)
        self._doc_terms[doc_id] = tuple(counts)
        self._doc_language[doc_id] = language
        self._doc_group[doc_id] = writing_group(tokens)
        self._lengths[doc_id] = length
        self._total_length += length

    def remove(self, doc_id: int) -> None:
        length = self._lengths.pop(doc_id, None)
        if length is None:
            return
        self._total_length -= length
        language = self._doc_language.pop(doc_id)
        self._doc_group.pop(doc_id, None)
        terms = self._doc_terms.pop(doc_id, ())
        self._language_df[language].subtract(terms)
        self._language_docs[language] -= 1
        for term in terms:
            if self._language_df[language][term] <= 0:
                del self._language_df[language][term]
            docs = self._postings[term]
            del docs[doc_id]
            if not docs:
                del self._postings[term]

    def writing_group(self, doc_id: int) -> str | None:
        """How document `doc_id` is written: "zh", "en" or "mixed" (matcher.tokenize.writing_group)."""
        return self._doc_group.get(doc_id)

    def ids_by_language(self) -> dict[str, list[int]]:
        """The documents of each language."""
        found: dict[str, list[int]] = {"zh": [], "en": []}
        for doc_id, language in self._doc_language.items():
            found[language].append(doc_id)
        return found

    def idf(self, term: str) -> float:
        n = len(self._lengths)
        df = len(self._postings.get(term, {}))
        return math.log(1.0 + (n - df + 0.5) / (df + 0.5))

    def shared(self, term: str) -> bool:
        """Whether `term` is evidence in either language: a concept, or a word both languages' documents use at
        rates within SHARED_RATE_RATIO of each other (a collection of one language only shares every word)."""
        if is_concept_token(term) or not self.language_neutral:
            return True
        docs = self._language_docs
        if not docs["zh"] or not docs["en"]:
            return True
        zh = self._language_df["zh"][term] / docs["zh"]
        en = self._language_df["en"][term] / docs["en"]
        if not zh or not en:
            return False
        return max(zh, en) / min(zh, en) <= SHARED_RATE_RATIO

    def query_terms(self, query: str, max_terms: int | None = None) -> list[str]:
        """The distinct shared terms of `query`; with max_terms, only the most telling ones by tf·idf.

        Picking the top terms of a long text is how Lucene's MoreLikeThis turns a document into a query
        (its max_query_terms, 25 by default): a whole profile as a query would otherwise drown in common words.
        """
        counts = Counter(term for term in self._tokens(query) if self.shared(term))
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
            postings: Iterable[tuple[int, int]]
            if only is None:
                postings = docs.items()
            elif len(only) < len(docs):  # a pool smaller than the term's postings: look its members up
                postings = ((doc_id, docs[doc_id]) for doc_id in only if doc_id in docs)
            else:
                postings = ((doc_id, tf) for doc_id, tf in docs.items() if doc_id in only)
            for doc_id, tf in postings:
                norm = self.k1 * (1 - self.b + self.b * self._lengths[doc_id] / avg_length)
                scores[doc_id] = scores.get(doc_id, 0.0) + idf * tf * (self.k1 + 1) / (tf + norm)
                matched.setdefault(doc_id, []).append(term)
        if ceiling <= 0:
            return []
        ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
        if limit is not None:
            ranked = ranked[:limit]
        return [LexicalHit(doc_id, min(1.0, score / ceiling), tuple(matched[doc_id])) for doc_id, score in ranked]
