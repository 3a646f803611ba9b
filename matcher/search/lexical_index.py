"""The matching engine's lexical retriever at scale: BM25Index's scoring over numpy arrays instead of Python dicts.

Same semantics as `BM25Index(language_neutral=True)` (matcher.lexical), to the last bit of every score: only shared
terms are evidence (concepts, and plain words both languages' documents use at rates within SHARED_RATE_RATIO, from
per-language document frequencies); Okapi BM25 with k1 = 1.2, b = 0.75 and document length counted in concepts;
scores normalised to [0, 1) by the query's ceiling Σ idf·(k1 + 1); the matched terms of each hit. What changes is
the storage, measured against tantivy, bm25s and SQLite FTS5 in docs/lexical-engine.md (`talent bench lexical`):

- every version of a document gets a *slot* (0, 1, 2, … in the order added) and its id maps to its live slot.
  Replacing a document gives it a new slot and marks the old one dead, as Lucene does with its doc ids;
- the *forward index* holds each slot's distinct terms (ids into the vocabulary) and their frequencies. Removing a
  document reads it to take the document out of the document frequencies, and a search restricted to a few ids
  (`only`) scores those documents from it alone: its cost follows the ids, not the collection;
- the *inverted index* holds each term's slots: one CSR block (the base) for the slots that existed at the last
  compaction, with a uint16 code per posting, (tf, length), and per-term arrays of slots and frequencies for the
  slots added since (the tail). A search computes each term's BM25 once per (tf, length) pair present, looks it up
  for every posting and sums with np.bincount, skipping dead slots;
- adding or removing b documents costs O(b · terms per document). When the tail or the dead slots pass
  COMPACT_SHARE of the base, `compact` merges the tail into a new base without the dead slots — a few passes over
  the arrays, no sort: O(postings), so amortised O(1) per posting added. Searches go on over the old arrays
  meanwhile; writers wait for it. A batch of BUILD_CHUNK documents or more (a start-up) is counted with numpy and
  inverted at once (`build`).

Thread safety: any number of searches run at once; a change (add, remove, the swap at the end of a compaction)
waits for the searches inside to finish and keeps new ones out meanwhile (a readers-writer lock), so a search sees
the index before or after a batch, never half of it. One writer at a time (a mutex around changes).

Snapshots: `save(path, meta)` writes one file (a JSON header, then the raw arrays), `LexicalIndex.load(path)` maps
it back (mmap: several worker processes share its pages; the arrays a process changes are copied). A process then
applies the changes made since the snapshot (`meta` is the caller's: e.g. its change-feed position).
"""

from __future__ import annotations

import ctypes
import json
import math
import mmap
import os
import threading
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from contextlib import ExitStack
from functools import lru_cache
from itertools import chain
from pathlib import Path
from typing import Any

import numpy as np

from matcher.concepts import is_concept_token
from matcher.lexical import SHARED_RATE_RATIO, LexicalHit
from matcher.search.rwlock import ReadWriteLock
from matcher.tokenize import TOKENIZER_VERSION, token_language, tokenize

LANGUAGES = ("zh", "en")
GROUPS = ("zh", "en", "mixed")
COMPACT_SHARE = 0.10  # compact when the tail's postings or the dead slots pass this share of the base
COMPACT_MIN_POSTINGS = 200_000  # … and the tail holds at least this many postings (small indexes stay as they are)
MAX_TF = 65_535  # term frequencies are stored as uint16 (a word 65,536 times in one document is not a document)
# A base posting holds its slot and one uint16 code, (tf << 10) | length (in concepts): the BM25 of a term depends
# on nothing else, so a query computes it once per (tf, length) pair present and looks it up for every posting. A
# posting whose tf or length does not fit has code 0 and its tf kept aside (an escape).
CODE_TF_CAP, CODE_LEN_BITS = 63, 10
CODE_LEN_CAP = (1 << CODE_LEN_BITS) - 1
DENSE_IDS = 1 << 16  # ids below max(DENSE_IDS, 8 × documents) map to slots through an array, others through a dict
CHUNK_POSTINGS = 1 << 21  # postings inverted at a time by compact (bounds its temporary arrays)
BUILD_CHUNK = 20_000  # documents counted at a time by build (and by add_many for a batch this large)
MAGIC = b"TBLEX\x00\x00\x01"
FORMAT = 2

_CONCEPT, _CJK = 1, 2  # term kinds (else 0: a word in Latin letters or digits)


def _np(values: array, dtype: Any) -> np.ndarray:
    """A numpy view of an array.array (writable; valid until the array.array next grows)."""
    return np.frombuffer(values, dtype=dtype) if len(values) else np.empty(0, dtype=dtype)


def _array(code: str, values: np.ndarray) -> array:
    """An array.array holding a copy of `values`."""
    out = array(code)
    out.frombytes(np.ascontiguousarray(values).tobytes())
    return out


@lru_cache(maxsize=1)
def _malloc_trim() -> Any:
    """glibc's malloc_trim, or None elsewhere."""
    try:
        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


def _release_memory() -> None:
    """Hand the pages freed by a rebuild back to the system: glibc keeps the large blocks numpy freed in its heap
    (its mmap threshold grows), and the process would keep the old base's size on top of the new one."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def _gather(values: np.ndarray, starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """values[starts[0]:starts[0]+counts[0]] + values[starts[1]:…] + …, without a Python loop."""
    total = int(counts.sum())
    if not total:
        return values[:0].copy()
    ends = np.cumsum(counts)
    index = np.repeat(starts.astype(np.int64) - (ends - counts), counts) + np.arange(total, dtype=np.int64)
    return values[index]


Admits = Callable[[np.ndarray], np.ndarray]  # ids (int64 array) → which of them pass (bool array)


class LexicalIndex:
    """BM25 over language-neutral evidence (as BM25Index(language_neutral=True)), in numpy arrays."""

    def __init__(self, k1: float = 1.2, b: float = 0.75, *, auto_compact: bool = True) -> None:
        self.k1, self.b = k1, b
        self.auto_compact = auto_compact
        self.meta: dict[str, Any] = {}  # what the snapshot it was loaded from said (see save)
        self._rw = ReadWriteLock()
        self._writer = threading.RLock()
        self._version = 0
        self._cache: dict[str, Any] = {}
        # vocabulary: term id → term, kind bits, documents of each language holding it
        self._vocab: dict[str, int] = {}
        self._terms: list[str] = []
        self._kinds = array("b")
        self._df = (array("i"), array("i"))
        # collection statistics (live documents only)
        self._count = 0
        self._total_length = 0
        self._language_docs = [0, 0]
        self._dead = 0
        # slots
        self._slot_doc = array("q")
        self._slot_len = array("i")
        self._slot_lang = array("b")
        self._slot_group = array("b")
        self._alive = array("b")
        self._fwd_start = array("q")  # into the base forward arrays (slots < _base_slots) or the tail ones
        self._fwd_count = array("i")
        self._id_slot = array("i")  # dense part of id → live slot (-1: none)
        self._sparse: dict[int, int] = {}
        # base: forward and inverted arrays of the slots below _base_slots (read-only, maybe a mapped file)
        self._base_slots = 0
        self._base_terms = 0
        self._fwd_tid: np.ndarray = np.empty(0, np.int32)
        self._fwd_tf: np.ndarray = np.empty(0, np.uint16)
        self._inv_ptr: np.ndarray = np.zeros(1, np.int64)
        self._inv_slot: np.ndarray = np.empty(0, np.int32)
        self._inv_code: np.ndarray = np.empty(0, np.uint16)
        self._inv_max_code: np.ndarray = np.empty(0, np.uint16)  # per term: the largest code (its largest tf)
        self._escaped: dict[int, tuple[np.ndarray, np.ndarray]] = {}  # term → slots and tfs of code-0 postings
        self._base_max_len = 0
        # tail: the slots added since
        self._tail_tid = array("i")
        self._tail_tf = array("H")
        self._tail: dict[int, tuple[array, array]] = {}
        self._tail_postings = 0
        self._mapped: mmap.mmap | None = None

    # -- the public interface of BM25Index ---------------------------------------------------------------------

    def __len__(self) -> int:
        return self._count

    def add(self, doc_id: int, text: str) -> None:
        """Index `text` under `doc_id`, replacing what was there."""
        self.add_tokens(doc_id, tokenize(text))

    def add_tokens(self, doc_id: int, tokens: Sequence[str]) -> None:
        """Index already tokenized text (see matcher.tokenize) under `doc_id`, replacing what was there."""
        self.add_many([(doc_id, tokens)])

    def remove(self, doc_id: int) -> None:
        self.remove_many([doc_id])

    @classmethod
    def build(cls, documents: Iterable[tuple[int, Sequence[str]]], k1: float = 1.2, b: float = 0.75) -> LexicalIndex:
        """An index of `documents` (id, tokens), read BUILD_CHUNK at a time: the forward index first, counted with
        numpy a chunk at a time, then the inverted index in one pass (much faster than adding them one by one)."""
        index = cls(k1, b)
        index._add(documents, bulk=True)
        return index

    def add_many(self, documents: Iterable[tuple[int, Sequence[str]]]) -> None:
        """Index (or replace) a batch of tokenized documents: O(their terms), one wait for searches. A batch of
        BUILD_CHUNK documents or more (a start-up, a large import) is counted with numpy and the base rebuilt; the
        searches wait for that."""
        self._add(documents, bulk=False)

    def _add(self, documents: Iterable[tuple[int, Sequence[str]]], bulk: bool) -> None:
        with self._writer:
            with ExitStack() as stack:
                if bulk:
                    stack.enter_context(self._rw.writing())
                batch: list[tuple[int, Sequence[str]]] = []
                try:
                    for doc_id, tokens in documents:
                        batch.append((int(doc_id), tokens))
                        if len(batch) == BUILD_CHUNK:
                            if not bulk:
                                stack.enter_context(self._rw.writing())
                                bulk = True
                            self._append_chunk(batch)
                            batch = []
                finally:  # documents read before a failure to read more are indexed all the same
                    if bulk:
                        if batch:
                            self._append_chunk(batch)
                        self._install(self._rebuild())
                        self._changed()
                        _release_memory()
                if not bulk and batch:
                    with self._rw.writing():
                        for doc_id, tokens in batch:
                            self._remove(doc_id)
                            self._append(doc_id, Counter(tokens), postings=True)
                        self._changed()
            self._maybe_compact()

    def remove_many(self, doc_ids: Iterable[int]) -> None:
        """Remove a batch of documents (unknown ids are ignored): O(their terms)."""
        ids = [int(doc_id) for doc_id in doc_ids]
        with self._writer:
            with self._rw.writing():
                if any([self._remove(doc_id) for doc_id in ids]):
                    self._changed()
            self._maybe_compact()

    def writing_group(self, doc_id: int) -> str | None:
        """How document `doc_id` is written: "zh", "en" or "mixed" (matcher.tokenize.writing_group)."""
        with self._rw.reading():
            slot = self._slot_of(int(doc_id))
            return None if slot is None else GROUPS[self._slot_group[slot]]

    def ids_by_language(self) -> dict[str, list[int]]:
        """The documents of each language, in the order they were (last) added, as BM25Index gives them. Made once
        after each change, then served from a cache; language_ids (arrays) and language_counts are cheaper."""
        return self._cached("lists", lambda: {k: v.tolist() for k, v in self._language_ids().items()})

    def idf(self, term: str) -> float:
        with self._rw.reading():
            return self._idf(self._document_frequency(self._vocab.get(term, -1)))

    def shared(self, term: str) -> bool:
        """Whether `term` is evidence in either language: a concept, or a word both languages' documents use at
        rates within SHARED_RATE_RATIO of each other (a collection of one language only shares every word)."""
        with self._rw.reading():
            return self._shared(term)

    def query_terms(self, query: str, max_terms: int | None = None) -> list[str]:
        """The distinct shared terms of `query`; with max_terms, only the most telling ones by tf·idf (as Lucene's
        MoreLikeThis turns a document into a query)."""
        return self.query_terms_of(tokenize(query), max_terms)

    def query_terms_of(self, tokens: Sequence[str], max_terms: int | None = None) -> list[str]:
        """query_terms for an already tokenized query (a row's stored lexical tokens, say)."""
        with self._rw.reading():
            return self._query_terms(tokens, max_terms)

    def search(
        self,
        query: str,
        limit: int | None = None,
        only: Iterable[int] | None = None,
        max_terms: int | None = None,
        within: Admits | None = None,
    ) -> list[LexicalHit]:
        """Documents sharing a term with `query`, best first (ties by id). `only` restricts the documents scored to
        those ids (a few: they are scored from their own terms); `within` to the ids it admits (a test of an array
        of ids, for a filter that admits many: applied to each posting list as it is read)."""
        return self.search_tokens(tokenize(query), limit=limit, only=only, max_terms=max_terms, within=within)

    def search_tokens(
        self,
        tokens: Sequence[str],
        limit: int | None = None,
        only: Iterable[int] | None = None,
        max_terms: int | None = None,
        within: Admits | None = None,
    ) -> list[LexicalHit]:
        """search for an already tokenized query."""
        with self._rw.reading():
            terms = self._query_terms(tokens, max_terms)
            return self._search(terms, limit, only, within)

    # -- cheaper than ids_by_language --------------------------------------------------------------------------

    def language_counts(self) -> dict[str, int]:
        """How many documents each language has: O(1)."""
        return {language: self._language_docs[i] for i, language in enumerate(LANGUAGES)}

    def language_ids(self) -> dict[str, np.ndarray]:
        """The ids of each language's documents (int64 arrays, read-only), cached until the next change."""
        return self._cached("arrays", self._language_ids)

    def language_mask(self, language: str) -> np.ndarray:
        """A boolean mask indexed by id (True: a document of `language`), cached until the next change: what an
        index.selection.IdBitmap is made from."""

        def make() -> np.ndarray:
            ids = self._language_ids()[language]
            mask = np.zeros(int(ids.max()) + 1 if ids.size else 0, dtype=bool)
            mask[ids] = True
            mask.flags.writeable = False
            return mask

        return self._cached(f"mask:{language}", make)

    # -- figures -----------------------------------------------------------------------------------------------

    def stats(self) -> dict[str, int]:
        """Sizes, for benchmarks and health pages."""
        with self._rw.reading():
            arrays = [self._fwd_tid, self._fwd_tf, self._inv_ptr, self._inv_slot, self._inv_code, self._inv_max_code]
            columns = [self._slot_doc, self._slot_len, self._slot_lang, self._slot_group, self._alive]
            columns += [self._fwd_start, self._fwd_count, self._id_slot, self._tail_tid, self._tail_tf, self._kinds]
            columns += list(self._df)
            return {
                "documents": self._count,
                "slots": len(self._slot_doc),
                "dead_slots": self._dead,
                "terms": len(self._terms),
                "base_postings": int(self._inv_slot.size),
                "tail_postings": self._tail_postings,
                "array_bytes": sum(int(a.nbytes) for a in arrays)
                + sum(c.itemsize * len(c) for c in columns)
                + 6 * self._tail_postings,
                "mapped": int(self._mapped is not None),
            }

    # -- internals: changes ------------------------------------------------------------------------------------

    def _changed(self) -> None:
        self._version += 1
        self._cache = {}

    def _cached(self, key: str, make: Any) -> Any:
        """make() (which must not take the lock again), kept until the next change."""
        with self._rw.reading():
            cache = self._cache
            if key not in cache:
                cache[key] = make()
            return cache[key]

    def _term_id(self, term: str) -> int:
        tid = self._vocab.get(term)
        if tid is None:
            tid = len(self._terms)
            kind = _CONCEPT if is_concept_token(term) else _CJK if token_language([term]) == "zh" else 0
            self._terms.append(term)
            self._kinds.append(kind)
            self._df[0].append(0)
            self._df[1].append(0)
            self._vocab[term] = tid
        return tid

    def _append(self, doc_id: int, counts: Counter[str], *, postings: bool) -> None:
        """A new slot for `doc_id` holding `counts` (the caller removed any older one)."""
        slot = len(self._slot_doc)
        vocab, kinds = self._vocab, self._kinds
        found = [vocab.get(term) for term in counts]
        tids: list[int] = (
            [self._term_id(term) if tid is None else tid for term, tid in zip(counts, found, strict=True)]
            if None in found
            else found  # type: ignore[assignment]
        )
        tfs = list(counts.values())
        if tfs and max(tfs) > MAX_TF:
            tfs = [min(tf, MAX_TF) for tf in tfs]
        length = chinese = 0
        for tid, tf in zip(tids, counts.values(), strict=True):  # counts, not the clipped frequencies
            kind = kinds[tid]
            if kind == _CONCEPT:
                length += tf
            elif kind == _CJK:
                chinese += tf
        plain = counts.total() - length
        # as matcher.tokenize.token_language and writing_group decide, from the same counts
        language = 0 if plain and chinese * 2 >= plain else 1
        share = chinese / plain if plain else 0.0
        group = 1 if not plain else 0 if share >= 2 / 3 else 1 if share <= 1 / 3 else 2
        self._slot_doc.append(doc_id)
        self._slot_len.append(length)
        self._slot_lang.append(language)
        self._slot_group.append(group)
        self._alive.append(1)
        self._fwd_start.append(len(self._tail_tid))
        self._fwd_count.append(len(tids))
        self._tail_tid.extend(tids)
        self._tail_tf.extend(tfs)
        df = self._df[language]
        for tid in tids:
            df[tid] += 1
        if postings:
            tail = self._tail
            for tid, tf in zip(tids, tfs, strict=True):
                entry = tail.get(tid)
                if entry is None:
                    tail[tid] = (array("i", (slot,)), array("H", (tf,)))
                else:
                    entry[0].append(slot)
                    entry[1].append(tf)
            self._tail_postings += len(tids)
        self._map(doc_id, slot)
        self._count += 1
        self._total_length += length
        self._language_docs[language] += 1

    def _append_chunk(self, documents: list[tuple[int, Sequence[str]]]) -> None:
        """_append for many documents at once, counted with numpy, without tail postings (the caller rebuilds the
        base). The same decisions as _append, from the same integers."""
        latest: dict[int, Sequence[str]] = {}
        for doc_id, tokens in documents:  # an id twice: the last one, where it comes
            latest.pop(doc_id, None)
            latest[doc_id] = tokens
        for doc_id in latest:
            self._remove(doc_id)
        sizes = np.fromiter(map(len, latest.values()), dtype=np.int64, count=len(latest))
        every = list(chain.from_iterable(latest.values()))
        vocab = self._vocab
        for term in [term for term in dict.fromkeys(every) if term not in vocab]:  # new terms, in order met
            self._term_id(term)
        flat = np.fromiter(map(vocab.__getitem__, every), dtype=np.int32, count=len(every))
        del every
        count = sizes.size
        owner = np.repeat(np.arange(count, dtype=np.int64), sizes)
        keys, frequencies = np.unique((owner << 32) | flat.astype(np.int64), return_counts=True)
        owners, tids = (keys >> 32).astype(np.int64), (keys & 0xFFFFFFFF).astype(np.int32)
        kinds = _np(self._kinds, np.int8)[tids]
        length = np.bincount(owners, weights=frequencies * (kinds == _CONCEPT), minlength=count).astype(np.int64)
        chinese = np.bincount(owners, weights=frequencies * (kinds == _CJK), minlength=count).astype(np.int64)
        plain = sizes - length
        language = np.where((plain > 0) & (chinese * 2 >= plain), 0, 1).astype(np.int8)
        share = np.divide(chinese, plain, out=np.zeros(count), where=plain > 0)
        group = np.where(plain == 0, 1, np.where(share >= 2 / 3, 0, np.where(share <= 1 / 3, 1, 2))).astype(np.int8)
        per_posting_language = language[owners]
        n_terms = len(self._terms)
        for i in range(len(LANGUAGES)):
            _np(self._df[i], np.int32)[:] += np.bincount(tids[per_posting_language == i], minlength=n_terms).astype(
                np.int32
            )
        fwd_count = np.bincount(owners, minlength=count).astype(np.int32)
        first = len(self._slot_doc)
        self._slot_doc.frombytes(np.fromiter(latest, dtype=np.int64, count=count).tobytes())
        self._slot_len.frombytes(length.astype(np.int32).tobytes())
        self._slot_lang.frombytes(language.tobytes())
        self._slot_group.frombytes(group.tobytes())
        self._alive.frombytes(b"\x01" * count)
        starts = len(self._tail_tid) + np.concatenate(([0], np.cumsum(fwd_count)[:-1])).astype(np.int64)
        self._fwd_start.frombytes(starts.tobytes())
        self._fwd_count.frombytes(fwd_count.tobytes())
        self._tail_tid.frombytes(tids.tobytes())
        self._tail_tf.frombytes(np.minimum(frequencies, MAX_TF).astype(np.uint16).tobytes())
        for slot, doc_id in enumerate(latest, start=first):
            self._count += 1  # _map sizes the id table by the count
            self._map(doc_id, slot)
        self._total_length += int(length.sum())
        for i in range(len(LANGUAGES)):
            self._language_docs[i] += int(np.count_nonzero(language == i))

    def _remove(self, doc_id: int) -> bool:
        slot = self._slot_of(doc_id)
        if slot is None:
            return False
        language = self._slot_lang[slot]
        df = _np(self._df[language], np.int32)
        df[self._forward(np.array([slot]))[0]] -= 1
        self._alive[slot] = 0
        self._dead += 1
        self._count -= 1
        self._total_length -= self._slot_len[slot]
        self._language_docs[language] -= 1
        self._map(doc_id, -1)
        return True

    def _map(self, doc_id: int, slot: int) -> None:
        dense = self._id_slot
        if slot < 0:
            self._sparse.pop(doc_id, None)
            if 0 <= doc_id < len(dense):
                dense[doc_id] = -1
        elif 0 <= doc_id < max(DENSE_IDS, 8 * (self._count + 1)):
            if doc_id >= len(dense):
                dense.extend(array("i", [-1]) * max(doc_id + 1 - len(dense), len(dense) // 2, 1024))
            dense[doc_id] = slot
        else:
            self._sparse[doc_id] = slot

    def _slot_of(self, doc_id: int) -> int | None:
        if 0 <= doc_id < len(self._id_slot):
            slot = self._id_slot[doc_id]
            if slot >= 0:
                return slot
        return self._sparse.get(doc_id)

    def _slots_of(self, doc_ids: Iterable[int]) -> np.ndarray:
        """The live slots of those of `doc_ids` that are indexed (sorted, unique)."""
        if isinstance(doc_ids, np.ndarray):
            ids = doc_ids.astype(np.int64, copy=False).ravel()
        else:
            ids = np.fromiter((int(i) for i in doc_ids), dtype=np.int64)
        dense = _np(self._id_slot, np.int32)
        slots = dense[ids[(ids >= 0) & (ids < dense.size)]]
        found = [slots[slots >= 0]]
        if self._sparse:
            sparse = self._sparse
            found.append(np.array([sparse[i] for i in ids.tolist() if i in sparse], dtype=np.int32))
        return np.unique(np.concatenate(found).astype(np.int64))

    # -- internals: compaction ---------------------------------------------------------------------------------

    def _maybe_compact(self) -> None:
        if not self.auto_compact:
            return
        base = max(int(self._inv_slot.size), COMPACT_MIN_POSTINGS / COMPACT_SHARE)
        if self._tail_postings > COMPACT_SHARE * base or self._dead > COMPACT_SHARE * max(len(self._slot_doc), 1e4):
            self.compact()

    def compact(self) -> None:
        """Rebuild the base from the live documents: the tail's postings join it, dead slots go. O(postings);
        searches go on over the old arrays meanwhile, other writers wait."""
        with self._writer:
            if not self._tail_postings and not self._dead and len(self._slot_doc) == self._base_slots:
                return
            built = self._merge() if self._base_slots else self._rebuild()
            with self._rw.writing():
                self._install(built)
                self._changed()
            del built
            _release_memory()

    def _live_forward(self) -> tuple[np.ndarray, np.ndarray]:
        """The forward arrays of the live slots, in slot order: the base's and then the tail's, each stored slot
        after slot, without the dead slots' stretches."""
        alive = _np(self._alive, np.int8).view(bool)
        counts = _np(self._fwd_count, np.int32)
        base = self._base_slots
        tail_tid, tail_tf = _np(self._tail_tid, np.int32), _np(self._tail_tf, np.uint16)
        if not self._dead:
            return np.concatenate((self._fwd_tid, tail_tid)), np.concatenate((self._fwd_tf, tail_tf))
        in_base = np.repeat(alive[:base], counts[:base])
        in_tail = np.repeat(alive[base:], counts[base:])
        return (
            np.concatenate((self._fwd_tid[in_base], tail_tid[in_tail])),
            np.concatenate((self._fwd_tf[in_base], tail_tf[in_tail])),
        )

    def _merge(self) -> dict[str, np.ndarray]:
        """New base arrays for the live slots, renumbered 0…n-1 in their order: the base's postings without the
        dead slots' and the tail's postings put after each term's, in a few passes over the arrays (no sort). Read-
        only work, under the writer mutex only."""
        alive = _np(self._alive, np.int8).view(bool)
        live = np.flatnonzero(alive)
        renumber = np.cumsum(alive, dtype=np.int64).astype(np.int32) - 1
        lengths = _np(self._slot_len, np.int32)
        n_terms, base_terms = len(self._terms), self._base_terms
        # the base's postings of live slots
        base_counts = np.diff(self._inv_ptr)
        inv_slot, inv_code = self._inv_slot, self._inv_code
        if not alive[: self._base_slots].all():
            keep = alive[inv_slot]
            present = np.flatnonzero(base_counts)
            base_counts = np.zeros(base_terms, dtype=np.int64)
            if present.size:
                base_counts[present] = np.add.reduceat(keep, self._inv_ptr[present], dtype=np.int64)
            inv_slot, inv_code = inv_slot[keep], inv_code[keep]
            del keep
        if self._dead:
            inv_slot = renumber[inv_slot]
        kept_ptr = np.zeros(n_terms + 1, dtype=np.int64)
        kept_ptr[1 : base_terms + 1] = np.cumsum(base_counts)
        kept_ptr[base_terms + 1 :] = kept_ptr[base_terms]
        # the tail's postings of live slots, by term
        tail = sorted(self._tail.items())
        sizes = np.array([len(slots) for _, (slots, _) in tail], dtype=np.int64)
        tail_tid = np.repeat(np.array([tid for tid, _ in tail], dtype=np.int64), sizes)
        tail_slot = np.frombuffer(b"".join(slots for _, (slots, _) in tail), dtype=np.int32)
        tail_tf = np.frombuffer(b"".join(tfs for _, (_, tfs) in tail), dtype=np.uint16)
        keep = alive[tail_slot]
        tail_tid, tail_slot, tail_tf = tail_tid[keep], tail_slot[keep], tail_tf[keep]
        tail_len = lengths[tail_slot]
        tail_code = (np.minimum(tail_tf, CODE_TF_CAP).astype(np.uint16) << CODE_LEN_BITS) | np.minimum(
            tail_len, CODE_LEN_CAP
        ).astype(np.uint16)
        tail_escape = (tail_tf > CODE_TF_CAP) | (tail_len > CODE_LEN_CAP)
        tail_code[tail_escape] = 0
        tail_slot = renumber[tail_slot]
        # each term's base postings, then its tail postings (whose slots all come after)
        at = kept_ptr[tail_tid + 1]
        new_slot = np.insert(inv_slot, at, tail_slot)
        new_code = np.insert(inv_code, at, tail_code)
        del inv_slot, inv_code
        inv_ptr = kept_ptr.copy()
        inv_ptr[1:] += np.cumsum(np.bincount(tail_tid, minlength=n_terms))
        inv_max_code = np.zeros(n_terms, dtype=np.uint16)
        present = np.flatnonzero(np.diff(inv_ptr))
        if present.size:
            inv_max_code[present] = np.maximum.reduceat(new_code, inv_ptr[present])
        # escapes: the base's of live slots (renumbered) and the tail's
        old = sorted(self._escaped.items())
        old_tid = np.concatenate([np.full(slots.size, tid, np.int32) for tid, (slots, _) in old] or [tail_tid[:0]])
        old_slot = np.concatenate([slots for _, (slots, _) in old] or [tail_slot[:0]])
        old_tf = np.concatenate([tfs for _, (_, tfs) in old] or [tail_tf[:0]])
        keep = alive[old_slot]
        esc_tid = np.concatenate((old_tid[keep], tail_tid[tail_escape])).astype(np.int32)
        esc_slot = np.concatenate((renumber[old_slot[keep]], tail_slot[tail_escape])).astype(np.int32)
        esc_tf = np.concatenate((old_tf[keep], tail_tf[tail_escape])).astype(np.uint16)
        order = np.lexsort((esc_slot, esc_tid))
        fwd_tid, fwd_tf = self._live_forward()
        counts = _np(self._fwd_count, np.int32)[live].astype(np.int64)
        starts = np.zeros(live.size, dtype=np.int64)
        np.cumsum(counts[:-1], out=starts[1:])
        return {
            "fwd_tid": fwd_tid,
            "fwd_tf": fwd_tf,
            "fwd_start": starts,
            "fwd_count": counts.astype(np.int32),
            "inv_ptr": inv_ptr,
            "inv_slot": new_slot,
            "inv_code": new_code,
            "inv_max_code": inv_max_code,
            "esc_tid": esc_tid[order],
            "esc_slot": esc_slot[order],
            "esc_tf": esc_tf[order],
            "slot_doc": _np(self._slot_doc, np.int64)[live],
            "slot_len": lengths[live],
            "slot_lang": _np(self._slot_lang, np.int8)[live],
            "slot_group": _np(self._slot_group, np.int8)[live],
        }

    def _rebuild(self) -> dict[str, np.ndarray]:
        """New base arrays for the live slots (renumbered 0…n-1 in their order): read-only work, under the writer
        mutex only."""
        live = np.flatnonzero(_np(self._alive, np.int8))
        counts = _np(self._fwd_count, np.int32)[live].astype(np.int64)
        lengths = _np(self._slot_len, np.int32)[live]
        fwd_tid, fwd_tf = self._live_forward()
        starts = np.zeros(live.size + 1, dtype=np.int64)
        np.cumsum(counts, out=starts[1:])
        n_terms = len(self._terms)
        inv_ptr = np.zeros(n_terms + 1, dtype=np.int64)
        np.cumsum(np.bincount(fwd_tid, minlength=n_terms), out=inv_ptr[1:])
        inv_slot = np.empty(fwd_tid.size, dtype=np.int32)
        inv_code = np.empty(fwd_tid.size, dtype=np.uint16)
        escaped: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        fill = inv_ptr[:-1].copy()
        first_slot = 0
        while first_slot < live.size:  # whole slots at a time, about CHUNK_POSTINGS postings
            last_slot = int(np.searchsorted(starts, starts[first_slot] + CHUNK_POSTINGS, side="right")) - 1
            last_slot = min(max(last_slot, first_slot + 1), live.size)
            begin, end = int(starts[first_slot]), int(starts[last_slot])
            tids = fwd_tid[begin:end]
            keys = (tids.astype(np.int64) << 32) | np.arange(tids.size, dtype=np.int64)
            keys.sort()
            order = keys & 0xFFFFFFFF
            sorted_tids = keys >> 32
            heads = np.flatnonzero(np.concatenate(([True], sorted_tids[1:] != sorted_tids[:-1])))
            sizes = np.diff(np.append(heads, sorted_tids.size))
            rank = np.arange(sorted_tids.size, dtype=np.int64) - np.repeat(heads, sizes)
            positions = fill[sorted_tids] + rank
            slots = np.repeat(np.arange(first_slot, last_slot, dtype=np.int32), counts[first_slot:last_slot])[order]
            tfs = fwd_tf[begin:end][order]
            slot_lengths = lengths[slots]
            codes = (np.minimum(tfs, CODE_TF_CAP).astype(np.uint16) << CODE_LEN_BITS) | np.minimum(
                slot_lengths, CODE_LEN_CAP
            ).astype(np.uint16)
            escape = (tfs > CODE_TF_CAP) | (slot_lengths > CODE_LEN_CAP)
            if escape.any():
                codes[escape] = 0
                escaped.append((sorted_tids[escape].astype(np.int32), slots[escape], tfs[escape]))
            inv_slot[positions] = slots
            inv_code[positions] = codes
            fill[sorted_tids[heads]] += sizes
            first_slot = last_slot
        inv_max_code = np.zeros(n_terms, dtype=np.uint16)
        present = np.flatnonzero(np.diff(inv_ptr))
        if present.size:
            inv_max_code[present] = np.maximum.reduceat(inv_code, inv_ptr[present])
        esc = [np.concatenate(parts) for parts in zip(*escaped, strict=True)] if escaped else []
        order = np.argsort(esc[0], kind="stable") if esc else np.empty(0, dtype=np.int64)
        return {
            "fwd_tid": fwd_tid,
            "fwd_tf": fwd_tf,
            "fwd_start": starts[:-1],
            "fwd_count": counts.astype(np.int32),
            "inv_ptr": inv_ptr,
            "inv_slot": inv_slot,
            "inv_code": inv_code,
            "inv_max_code": inv_max_code,
            "esc_tid": esc[0][order] if esc else np.empty(0, np.int32),
            "esc_slot": esc[1][order] if esc else np.empty(0, np.int32),
            "esc_tf": esc[2][order] if esc else np.empty(0, np.uint16),
            "slot_doc": _np(self._slot_doc, np.int64)[live],
            "slot_len": lengths,
            "slot_lang": _np(self._slot_lang, np.int8)[live],
            "slot_group": _np(self._slot_group, np.int8)[live],
        }

    def _install(self, base: dict[str, np.ndarray]) -> None:
        """Make these arrays (from _rebuild or a snapshot) the base: every slot live, no tail."""
        docs, lengths, languages = base["slot_doc"], base["slot_len"], base["slot_lang"]
        self._fwd_tid, self._fwd_tf = base["fwd_tid"], base["fwd_tf"]
        self._inv_ptr, self._inv_slot, self._inv_code = base["inv_ptr"], base["inv_slot"], base["inv_code"]
        self._inv_max_code = base["inv_max_code"]
        self._escaped = {}
        esc_tid = base["esc_tid"]
        if esc_tid.size:
            heads = np.flatnonzero(np.concatenate(([True], esc_tid[1:] != esc_tid[:-1])))
            ends = np.append(heads[1:], esc_tid.size)
            for head, end in zip(heads.tolist(), ends.tolist(), strict=True):
                self._escaped[int(esc_tid[head])] = (
                    np.array(base["esc_slot"][head:end]),
                    np.array(base["esc_tf"][head:end]),
                )
        self._base_slots, self._base_terms = int(docs.size), int(self._inv_ptr.size - 1)
        self._base_max_len = min(int(lengths.max()), CODE_LEN_CAP) if lengths.size else 0
        self._slot_doc = _array("q", docs.astype(np.int64))
        self._slot_len = _array("i", lengths.astype(np.int32))
        self._slot_lang = _array("b", languages.astype(np.int8))
        self._slot_group = _array("b", base["slot_group"].astype(np.int8))
        self._alive = array("b", b"\x01" * docs.size)
        self._fwd_start = _array("q", base["fwd_start"].astype(np.int64))
        self._fwd_count = _array("i", base["fwd_count"].astype(np.int32))
        self._tail_tid, self._tail_tf, self._tail, self._tail_postings = array("i"), array("H"), {}, 0
        self._dead = 0
        self._count = int(docs.size)
        self._total_length = int(lengths.sum())
        self._language_docs = [int(np.count_nonzero(languages == i)) for i in range(len(LANGUAGES))]
        self._id_slot, self._sparse = array("i"), {}
        dense_limit = max(DENSE_IDS, 8 * (self._count + 1))
        dense = (docs >= 0) & (docs < dense_limit)
        if dense.any():
            table = np.full(int(docs[dense].max()) + 1, -1, dtype=np.int32)
            table[docs[dense]] = np.flatnonzero(dense).astype(np.int32)
            self._id_slot = _array("i", table)
        for slot in np.flatnonzero(~dense).tolist():
            self._sparse[int(docs[slot])] = slot

    # -- internals: search -------------------------------------------------------------------------------------

    def _forward(self, slots: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The term ids and frequencies of `slots` (sorted ascending), one slot after the other."""
        starts = _np(self._fwd_start, np.int64)[slots]
        counts = _np(self._fwd_count, np.int32)[slots]
        split = int(np.searchsorted(slots, self._base_slots))
        tids = [_gather(self._fwd_tid, starts[:split], counts[:split])]
        tfs = [_gather(self._fwd_tf, starts[:split], counts[:split])]
        if split < slots.size:
            tids.append(_gather(_np(self._tail_tid, np.int32), starts[split:], counts[split:]))
            tfs.append(_gather(_np(self._tail_tf, np.uint16), starts[split:], counts[split:]))
        return np.concatenate(tids), np.concatenate(tfs)

    def _posting_count(self, tid: int) -> int:
        size = int(self._inv_ptr[tid + 1] - self._inv_ptr[tid]) if tid < self._base_terms else 0
        tail = self._tail.get(tid)
        return size + (len(tail[0]) if tail is not None else 0)

    def _document_frequency(self, tid: int) -> int:
        return self._df[0][tid] + self._df[1][tid] if tid >= 0 else 0

    def _idf(self, df: int) -> float:
        return math.log(1.0 + (self._count - df + 0.5) / (df + 0.5))

    def _shared(self, term: str) -> bool:
        if is_concept_token(term):
            return True
        zh_docs, en_docs = self._language_docs
        if not zh_docs or not en_docs:
            return True
        tid = self._vocab.get(term)
        if tid is None:
            return False
        zh, en = self._df[0][tid] / zh_docs, self._df[1][tid] / en_docs
        if not zh or not en:
            return False
        return max(zh, en) / min(zh, en) <= SHARED_RATE_RATIO

    def _query_terms(self, tokens: Sequence[str], max_terms: int | None) -> list[str]:
        every = Counter(tokens)  # then the shared ones, in the same order as counting only those
        counts = {term: count for term, count in every.items() if self._shared(term)}
        if max_terms is None or len(counts) <= max_terms:
            return list(counts)
        idf = {term: self._idf(self._document_frequency(self._vocab.get(term, -1))) for term in counts}
        ranked = sorted(counts, key=lambda term: (-counts[term] * idf[term], term))
        return ranked[:max_terms]

    def _search(
        self, terms: list[str], limit: int | None, only: Iterable[int] | None, within: Admits | None = None
    ) -> list[LexicalHit]:
        if not terms or not self._count:
            return []
        query: list[tuple[int, float, str]] = []  # (term id, idf, term) of the terms some document holds
        ceiling = 0.0
        for term in terms:
            tid = self._vocab.get(term, -1)
            df = self._document_frequency(tid)
            idf = self._idf(df)
            ceiling += idf * (self.k1 + 1)
            if df > 0:
                query.append((tid, idf, term))
        if ceiling <= 0 or not query:
            return []
        slots: np.ndarray | None = None
        if only is not None:
            slots = self._slots_of(only)
            forward_cost = int(_np(self._fwd_count, np.int32)[slots].sum()) if slots.size else 0
            if forward_cost <= sum(self._posting_count(tid) for tid, _, _ in query):
                # a few documents: score them from their own terms, whatever the size of the collection
                return self._hits(ceiling, *self._score_slots(slots, query), limit)
        top = self._top_slots(query, slots, limit, within)
        return self._hits(ceiling, *self._score_slots(top, query), limit)

    def _top_slots(
        self,
        query: list[tuple[int, float, str]],
        among: np.ndarray | None,
        limit: int | None,
        within: Admits | None = None,
    ) -> np.ndarray:
        """The slots (sorted) of the best `limit` documents, ties broken by id, from the inverted index: the sums
        are made in the same order as _score_slots and BM25Index make them, so ties are ties there too."""
        alive = _np(self._alive, np.int8).view(bool)
        allowed = None  # every slot in the postings counts: no dead ones, no restriction
        if among is not None:
            allowed = np.zeros(alive.size, dtype=bool)
            allowed[among] = True
        elif self._dead:
            allowed = alive
        lengths = _np(self._slot_len, np.int32)
        slot_doc = _np(self._slot_doc, np.int64)

        def admitted(slots: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            """The postings (slots and their values) of documents that count: live, among, within."""
            if allowed is not None:
                keep = allowed[slots]
                slots, values = slots[keep], values[keep]
            if within is not None:
                keep = within(slot_doc[slots])
                slots, values = slots[keep], values[keep]
            return slots, values

        average = self._total_length / self._count or 1.0
        k1, b = self.k1, self.b
        # BM25 by (tf, length) for the base's codes: the same expression as for one posting, so the same floats
        norm_by_length = k1 * (1 - b + b * np.arange(self._base_max_len + 1, dtype=np.float64) / average)
        table = np.empty((CODE_TF_CAP + 1) << CODE_LEN_BITS).reshape(CODE_TF_CAP + 1, 1 << CODE_LEN_BITS)
        found_slots, found_scores = [], []
        for tid, idf, _ in query:
            if tid < self._base_terms and self._inv_ptr[tid + 1] > self._inv_ptr[tid]:
                begin, end = int(self._inv_ptr[tid]), int(self._inv_ptr[tid + 1])
                slots, codes = self._inv_slot[begin:end], self._inv_code[begin:end]
                top = int(self._inv_max_code[tid]) >> CODE_LEN_BITS
                if top:
                    tf = np.arange(1, top + 1, dtype=np.float64)[:, None]
                    table[1 : top + 1, : norm_by_length.size] = idf * tf * (k1 + 1) / (tf + norm_by_length)
                scores = table.reshape(-1)[codes]
                escaped = self._escaped.get(tid)
                if escaped is not None:  # tf or length too large for a code
                    at = np.flatnonzero(codes == 0)
                    tf = escaped[1][np.searchsorted(escaped[0], slots[at])].astype(np.float64)
                    norm = k1 * (1 - b + b * lengths[slots[at]] / average)
                    scores[at] = idf * tf * (k1 + 1) / (tf + norm)
                slots, scores = admitted(slots, scores)
                found_slots.append(slots)
                found_scores.append(scores)
            tail = self._tail.get(tid)
            if tail is not None:
                slots, tf = np.array(tail[0], dtype=np.int32), np.array(tail[1], dtype=np.float64)
                slots, tf = admitted(slots, tf)
                norm = k1 * (1 - b + b * lengths[slots] / average)
                found_slots.append(slots)
                found_scores.append(idf * tf * (k1 + 1) / (tf + norm))
        if not found_slots:
            return np.empty(0, dtype=np.int64)
        every = np.concatenate(found_slots)
        scores = np.bincount(every, weights=np.concatenate(found_scores), minlength=alive.size)
        hits = np.flatnonzero(scores)
        if limit is not None and limit < hits.size:
            values = scores[hits]
            kth = np.partition(values, hits.size - limit)[hits.size - limit]
            above, tied = hits[values > kth], hits[values == kth]
            wanted = limit - above.size
            if wanted < tied.size:  # the lowest ids among the tied
                docs = _np(self._slot_doc, np.int64)[tied]
                tied = tied[np.argpartition(docs, wanted - 1)[:wanted]] if wanted > 0 else tied[:0]
            hits = np.sort(np.concatenate((above, tied)))
        return hits

    def _score_slots(
        self, slots: np.ndarray, query: list[tuple[int, float, str]]
    ) -> tuple[np.ndarray, np.ndarray, list[tuple[str, ...]]]:
        """Of `slots` (sorted), those holding a query term, their BM25 (raw) and the terms they match (in query
        order), from the forward index: the same sums in the same order as BM25Index, so the same floats."""
        if not slots.size:
            return slots, np.empty(0), []
        tids, tfs = self._forward(slots)
        owners = np.repeat(np.arange(slots.size), _np(self._fwd_count, np.int32)[slots])
        lookup = np.full(len(self._terms), -1, dtype=np.int32)
        lookup[[tid for tid, _, _ in query]] = np.arange(len(query), dtype=np.int32)
        positions = lookup[tids]
        hit = positions >= 0
        owners, positions, tf = owners[hit], positions[hit], tfs[hit]
        if not owners.size:
            return slots[:0], np.empty(0), []
        ranked = np.argsort(owners * len(query) + positions, kind="stable")  # per document, in query order
        owners, positions, tf = owners[ranked], positions[ranked], tf[ranked].astype(np.float64)
        idf = np.array([idf for _, idf, _ in query])[positions]
        average = self._total_length / self._count or 1.0
        lengths = _np(self._slot_len, np.int32)[slots[owners]]
        norm = self.k1 * (1 - self.b + self.b * lengths / average)
        scores = np.bincount(owners, weights=idf * tf * (self.k1 + 1) / (tf + norm), minlength=slots.size)
        heads = np.flatnonzero(np.concatenate(([True], owners[1:] != owners[:-1])))
        names = [query[p][2] for p in positions.tolist()]
        ends = [*heads[1:].tolist(), len(names)]
        matched = [tuple(names[head:end]) for head, end in zip(heads.tolist(), ends, strict=True)]
        holders = owners[heads]
        return slots[holders], scores[holders], matched

    def _hits(
        self, ceiling: float, slots: np.ndarray, scores: np.ndarray, matched: list[tuple[str, ...]], limit: int | None
    ) -> list[LexicalHit]:
        """Best first, ties by id, as BM25Index ranks them."""
        docs = _np(self._slot_doc, np.int64)[slots]
        order = np.lexsort((docs, -scores))[:limit]
        return [
            LexicalHit(doc_id, min(1.0, score / ceiling), matched[i])
            for i, doc_id, score in zip(order.tolist(), docs[order].tolist(), scores[order].tolist(), strict=True)
        ]

    def _language_ids(self) -> dict[str, np.ndarray]:
        live = np.flatnonzero(_np(self._alive, np.int8))
        languages = _np(self._slot_lang, np.int8)[live]
        docs = _np(self._slot_doc, np.int64)[live]
        found = {}
        for i, language in enumerate(LANGUAGES):
            ids = docs[languages == i]
            ids.flags.writeable = False
            found[language] = ids
        return found

    # -- snapshots ---------------------------------------------------------------------------------------------

    def save(self, path: str | Path, meta: dict[str, Any] | None = None) -> None:
        """Write the index to `path` (compacted first), atomically: a temporary file renamed into place, so a
        process loading it meanwhile reads the old file or the new one. `meta` (JSON) comes back as `.meta`."""
        path = Path(path)
        with self._writer:
            self.compact()  # the writer mutex keeps changes out until the file is written
            arrays = {
                "kinds": _np(self._kinds, np.int8),
                "df_zh": _np(self._df[0], np.int32),
                "df_en": _np(self._df[1], np.int32),
                "slot_doc": _np(self._slot_doc, np.int64),
                "slot_len": _np(self._slot_len, np.int32),
                "slot_lang": _np(self._slot_lang, np.int8),
                "slot_group": _np(self._slot_group, np.int8),
                "fwd_start": _np(self._fwd_start, np.int64),
                "fwd_count": _np(self._fwd_count, np.int32),
                "fwd_tid": self._fwd_tid,
                "fwd_tf": self._fwd_tf,
                "inv_ptr": self._inv_ptr,
                "inv_slot": self._inv_slot,
                "inv_code": self._inv_code,
                "inv_max_code": self._inv_max_code,
            }
            escaped = sorted(self._escaped.items())
            arrays["esc_tid"] = np.array([tid for tid, (slots, _) in escaped for _ in slots], dtype=np.int32)
            arrays["esc_slot"] = np.concatenate([slots for _, (slots, _) in escaped] or [np.empty(0, np.int32)])
            arrays["esc_tf"] = np.concatenate([tfs for _, (_, tfs) in escaped] or [np.empty(0, np.uint16)])
            layout: dict[str, list[Any]] = {}
            offsets: dict[str, int] = {}
            offset = 0
            for name, values in arrays.items():
                layout[name] = [values.dtype.str, int(values.size), offset]
                offsets[name] = offset
                offset += -(-int(values.nbytes) // 64) * 64
            header = {
                "format": FORMAT,
                "tokenizer": TOKENIZER_VERSION,
                "k1": self.k1,
                "b": self.b,
                "meta": meta or {},
                "arrays": layout,
                "terms": self._terms,
            }
            encoded = json.dumps(header, ensure_ascii=False).encode("utf-8")
            start = -(-(len(MAGIC) + 8 + len(encoded)) // 64) * 64
            temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
            with temporary.open("wb") as out:
                out.write(MAGIC + len(encoded).to_bytes(8, "little") + encoded)
                for name, values in arrays.items():
                    out.seek(start + offsets[name])
                    out.write(np.ascontiguousarray(values).data.cast("B"))
                out.truncate(start + offset)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, path)

    @classmethod
    def load(cls, path: str | Path, *, mapped: bool = True) -> LexicalIndex:
        """An index saved by `save`. `mapped`: the big read-only arrays stay in the file's pages (shared by the
        processes that map it, read as searches need them); otherwise they are read into memory. ValueError when
        the file is not a snapshot, is torn, or was made by another tokenizer version."""
        with Path(path).open("rb") as source:
            buffer = mmap.mmap(source.fileno(), 0, access=mmap.ACCESS_READ)
        values: dict[str, np.ndarray] = {}
        try:
            if buffer[: len(MAGIC)] != MAGIC:
                raise ValueError(f"{path} is not a lexical index snapshot")
            size = int.from_bytes(buffer[len(MAGIC) : len(MAGIC) + 8], "little")
            header = json.loads(bytes(buffer[len(MAGIC) + 8 : len(MAGIC) + 8 + size]).decode("utf-8"))
            if header.get("format") != FORMAT or header.get("tokenizer") != TOKENIZER_VERSION:
                raise ValueError(f"{path} was made by another format or tokenizer version")
            start = -(-(len(MAGIC) + 8 + size) // 64) * 64
            for name, (dtype, count, offset) in header["arrays"].items():
                if start + offset + np.dtype(dtype).itemsize * count > len(buffer):
                    raise ValueError(f"{path} is torn: array {name} ends past the end of the file")
                values[name] = np.frombuffer(buffer, dtype=np.dtype(dtype), count=count, offset=start + offset)
        except (ValueError, KeyError, TypeError, json.JSONDecodeError) as exc:
            values.clear()
            buffer.close()
            raise ValueError(f"{path}: unreadable lexical index snapshot ({exc})") from exc
        index = cls(header["k1"], header["b"])
        index.meta = header["meta"]
        index._terms = list(header["terms"])
        index._vocab = {term: tid for tid, term in enumerate(index._terms)}
        index._kinds = _array("b", values["kinds"])
        index._df = (_array("i", values["df_zh"]), _array("i", values["df_en"]))
        big = ("fwd_tid", "fwd_tf", "inv_ptr", "inv_slot", "inv_code", "inv_max_code")
        base = {name: (np.array(array_) if name in big and not mapped else array_) for name, array_ in values.items()}
        index._install(base)
        if mapped:
            index._mapped = buffer
        else:
            del values, base
            buffer.close()
        return index
