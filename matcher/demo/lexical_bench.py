"""`talent bench lexical`: lexical engines measured on a synthetic collection of N documents (figures, not a test).

The collection is made from real token lists: profiles and postings of the demo generator, tokenized as the
importer does (jieba and the concept lexicon), then recombined and perturbed so that N of them look like a large
collection — a second profile of the same language appended to a third of them (lengths ~50–300 tokens), a third of
the plain words replaced by words of a Zipf-distributed vocabulary of 100,000 Chinese and 100,000 English words,
half the concept tokens by concepts of the lexicon drawn by a Zipf law too. Queries are drawn the same way: whole
profiles (the 25 most telling terms, as matching a job or a profile does) and free text of 5–25 words.

Each engine runs in a process of its own (so that its memory is its own), one after the other:

- `numpy`: matcher.search.lexical_index.LexicalIndex, the engine chosen (docs/lexical-engine.md);
- `bm25index`: matcher.lexical.BM25Index, Python dicts (what the matching engine used before), up to 200,000
  documents (it needs ~100 bytes a posting);
- `tantivy`: tantivy-py, an index in a per-process directory, pre-tokenized text (whitespace tokenizer), ids in an
  indexed integer field; `only` as a TermSetQuery on the ids; updates as delete + add + commit + reload;
- `fts5`: SQLite FTS5 in memory, unicode61 with @ : - + # . _ as token characters (concept tokens and "c++" stay
  whole), detail=none, bm25() ranking; `only` as rowid IN (json_each);
- `bm25s`: bm25s, scores precomputed per posting in a CSC matrix; static (a change means a rebuild); `only` as its
  weight mask.

tantivy, fts5 and bm25s are given each query's terms as LexicalIndex chose them (the shared terms, the top 25 for a
profile): what they would need besides (per-language document frequencies, a document's terms to remove it) is
not counted. Their scores are their own BM25 (length in tokens, not concepts; FTS5's idf without the +1).
"""

import gc
import json
import operator
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

ENGINES = ("numpy", "bm25index", "tantivy", "fts5", "bm25s")
BM25INDEX_MAX_DOCS = 200_000
SYNTHETIC_WORDS = 100_000  # per language
REPLACE_WORDS = 0.35
REPLACE_CONCEPTS = 0.5
APPEND_SECOND = 0.35
LIMIT = 200  # what the matching engine draws from BM25 (TALENT_RETRIEVAL_DEPTH)
ONLY = 1_000  # ids a restricted query admits (a pool after filters)
BATCH = 50
QUERY_BUDGET = 60.0  # seconds of queries of one kind per engine at most (then fewer queries are timed)


# -- the collection ---------------------------------------------------------------------------------------------


def real_token_lists(count: int, seed: int = 11) -> list[list[str]]:
    """Token lists of `count` demo profiles and postings (4 to 1), tokenized as the importer does."""
    from matcher.demo.generator import generate
    from matcher.records import CandidateRecord, JobRecord
    from matcher.store.models import Candidate, Education, Experience, Job
    from matcher.text import candidate_text, job_text
    from matcher.tokenize import tokenize

    jobs = max(1, count // 5)
    with tempfile.TemporaryDirectory() as folder:
        files = generate(Path(folder), seed=seed, candidates=count - jobs, jobs=jobs, enterprises=max(1, jobs // 6))
        texts = []
        for line in files["candidates"].read_text(encoding="utf-8").splitlines():
            c = CandidateRecord.model_validate_json(line)
            education = [Education(school=e.school, degree=e.degree, major=e.major) for e in c.education]
            experience = [
                Experience(title=x.title, organization=x.organization, description=x.description) for x in c.experience
            ]
            texts.append(
                candidate_text(
                    Candidate(
                        headline=c.headline,
                        summary=c.summary,
                        skills=c.skills,
                        resume_text=None,
                        education=education,
                        experience=experience,
                    )
                )
            )
        for line in files["jobs"].read_text(encoding="utf-8").splitlines():
            j = JobRecord.model_validate_json(line)
            job = Job(
                title=j.title,
                industry=j.industry,
                enterprise_name=j.enterprise,
                majors=j.majors,
                min_degree=int(j.min_degree_level),
                description=j.description,
                requirements=j.requirements,
            )
            texts.append(job_text(job))
    return [tokenize(text) for text in texts]


def _synthetic_words(rng: random.Random, count: int, chinese: bool, taken: set[str]) -> list[str]:
    words: list[str] = []
    while len(words) < count:
        if chinese:
            word = "".join(chr(rng.randint(0x4E00, 0x9FA5)) for _ in range(rng.choice((2, 2, 2, 3, 4))))
        else:
            word = "".join(chr(rng.randint(97, 122)) for _ in range(rng.randint(4, 10)))
        if word not in taken:
            taken.add(word)
            words.append(word)
    return words


def _zipf_cdf(size: int, exponent: float, shift: float) -> np.ndarray:
    weights = 1.0 / (np.arange(size) + shift) ** exponent
    return np.cumsum(weights) / weights.sum()


class Collection:
    """N synthetic documents as token ids (int32) with offsets, and the vocabulary, saved in `folder`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.ids = np.load(folder / "ids.npy", mmap_mode="r")
        self.offsets = np.load(folder / "offsets.npy", mmap_mode="r")
        self.vocabulary: list[str] = json.loads((folder / "vocabulary.json").read_text(encoding="utf-8"))
        self.queries: dict[str, Any] = json.loads((folder / "queries.json").read_text(encoding="utf-8"))

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def tokens(self, index: int) -> list[str]:
        vocabulary = self.vocabulary
        return [vocabulary[i] for i in self.ids[self.offsets[index] : self.offsets[index + 1]].tolist()]

    def documents(self) -> Iterator[tuple[int, list[str]]]:
        """(id, tokens) of every document; ids are 1…N, as a table's."""
        return ((index + 1, self.tokens(index)) for index in range(len(self)))

    @staticmethod
    def make(folder: Path, docs: int, samples: list[list[str]], seed: int = 2026) -> "Collection":
        """Write a collection of `docs` documents and its queries to `folder`."""
        from matcher.concepts import EVIDENCE_KINDS, is_concept_token, lexicon
        from matcher.tokenize import token_language

        rng = random.Random(seed)
        real = sorted({token for tokens in samples for token in tokens})
        concepts = sorted({c.token for c in lexicon().concepts.values() if c.kind in EVIDENCE_KINDS} - set(real))
        taken = set(real) | set(concepts)
        zh_words = _synthetic_words(rng, SYNTHETIC_WORDS, True, taken)
        en_words = _synthetic_words(rng, SYNTHETIC_WORDS, False, taken)
        vocabulary = real + concepts + zh_words + en_words
        position = {token: i for i, token in enumerate(vocabulary)}
        concept_ids = np.array([i for i, t in enumerate(vocabulary) if is_concept_token(t)], dtype=np.int32)
        np.random.default_rng(seed).shuffle(concept_ids)
        zh_start, en_start = len(real) + len(concepts), len(real) + len(concepts) + SYNTHETIC_WORDS
        kind = np.zeros(len(vocabulary), dtype=np.int8)  # 0 latin word, 1 Chinese word, 2 concept
        kind[concept_ids] = 2
        for i, token in enumerate(real):
            if kind[i] != 2 and token_language([token]) == "zh":
                kind[i] = 1
        kind[zh_start:en_start] = 1
        flat = np.array([position[t] for tokens in samples for t in tokens], dtype=np.int32)
        sizes = np.array([len(tokens) for tokens in samples], dtype=np.int64)
        starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
        languages = np.array([token_language(tokens) == "zh" for tokens in samples])
        by_language = [np.flatnonzero(~languages), np.flatnonzero(languages)]
        words_cdf = _zipf_cdf(SYNTHETIC_WORDS, 1.05, 3.0)
        concepts_cdf = _zipf_cdf(concept_ids.size, 0.9, 5.0)
        generator = np.random.default_rng(seed + 1)

        def draw(count: int) -> tuple[np.ndarray, np.ndarray]:
            first = generator.integers(len(samples), size=count)
            second_needed = generator.random(count) < APPEND_SECOND
            second = np.full(count, -1)
            for language in (0, 1):
                wanted = second_needed & (languages[first] == bool(language))
                if by_language[language].size:
                    second[wanted] = generator.choice(by_language[language], size=int(wanted.sum()))
            segment_doc = np.concatenate((np.arange(count), np.flatnonzero(second >= 0)))
            segment_sample = np.concatenate((first, second[second >= 0]))
            order = np.argsort(segment_doc, kind="stable")
            segment_doc, segment_sample = segment_doc[order], segment_sample[order]
            counts = sizes[segment_sample]
            ends = np.cumsum(counts)
            tokens = flat[np.repeat(starts[segment_sample] - (ends - counts), counts) + np.arange(int(counts.sum()))]
            per_doc = np.bincount(segment_doc, weights=sizes[segment_sample], minlength=count).astype(np.int64)
            roll = generator.random(tokens.size)
            kinds = kind[tokens]
            chinese = (kinds == 1) & (roll < REPLACE_WORDS)
            latin = (kinds == 0) & (roll < REPLACE_WORDS)
            concept = (kinds == 2) & (roll < REPLACE_CONCEPTS)
            tokens[chinese] = zh_start + np.searchsorted(words_cdf, generator.random(int(chinese.sum())))
            tokens[latin] = en_start + np.searchsorted(words_cdf, generator.random(int(latin.sum())))
            tokens[concept] = concept_ids[np.searchsorted(concepts_cdf, generator.random(int(concept.sum())))]
            return tokens, per_doc

        folder.mkdir(parents=True, exist_ok=True)
        parts, lengths = [], []
        for begin in range(0, docs, 50_000):
            tokens, per_doc = draw(min(50_000, docs - begin))
            parts.append(tokens)
            lengths.append(per_doc)
        offsets = np.concatenate(([0], np.cumsum(np.concatenate(lengths))))
        np.save(folder / "ids.npy", np.concatenate(parts))
        np.save(folder / "offsets.npy", offsets)
        (folder / "vocabulary.json").write_text(json.dumps(vocabulary, ensure_ascii=False), encoding="utf-8")

        def as_lists(tokens: np.ndarray, per_doc: np.ndarray) -> list[list[str]]:
            bounds = np.concatenate(([0], np.cumsum(per_doc)))
            return [[vocabulary[i] for i in tokens[bounds[d] : bounds[d + 1]].tolist()] for d in range(per_doc.size)]

        profiles = as_lists(*draw(100))
        texts = []
        for drawn in as_lists(*draw(100)):
            distinct = list(dict.fromkeys(drawn))
            texts.append(rng.sample(distinct, min(len(distinct), rng.randint(5, 25))))
        queries = {
            "profile": profiles,
            "text": texts,
            "only": [sorted(rng.sample(range(1, docs + 1), min(ONLY, docs))) for _ in range(50)],
            "updates": [
                [
                    (rng.randint(1, docs) if i % 2 else docs + 1 + b * BATCH + i, tokens)
                    for i, tokens in enumerate(batch)
                ]
                for b, batch in enumerate(as_lists(*draw(BATCH)) for _ in range(20))
            ],
            "removals": [rng.sample(range(1, docs + 1), min(BATCH, docs)) for _ in range(20)],
        }
        (folder / "queries.json").write_text(json.dumps(queries, ensure_ascii=False), encoding="utf-8")
        return Collection(folder)


# -- measuring ---------------------------------------------------------------------------------------------------


def _memory() -> dict[str, float]:
    """Resident memory of this process in MB: anonymous (heap), file-backed (mapped files), and the peak."""
    fields: dict[str, float] = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("RssAnon", "RssFile", "VmHWM"):
            fields[name] = int(value.split()[0]) / 1024
    if not fields:  # not Linux
        fields["VmHWM"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return fields


def _percentiles(samples: Sequence[float]) -> dict[str, float]:
    values = np.array(samples) * 1000
    return {"p50_ms": round(float(np.percentile(values, 50)), 2), "p99_ms": round(float(np.percentile(values, 99)), 2)}


def _time_queries(
    queries: list[tuple[list[str], int | None, list[int] | None]],
    search: Callable[[list[str], int | None, list[int] | None], Any],
    budget: float = QUERY_BUDGET,
) -> dict[str, float]:
    """p50/p99 of `search` over `queries`, stopping once `budget` seconds are spent (the figures say how many ran)."""
    times: list[float] = []
    for query, most, only in queries:
        started = time.perf_counter()
        search(query, most, only)
        times.append(time.perf_counter() - started)
        if sum(times) > budget:
            break
    return {**_percentiles(times), "queries": len(times)}


def _timed(action: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


class _Engine:
    """What the benchmark does to an engine."""

    name = ""
    takes_tokens = False  # queries as tokens (the engine picks its terms) rather than as the terms LexicalIndex chose

    def build(self, collection: Collection) -> None:
        raise NotImplementedError

    def search(self, query: list[str], limit: int | None, only: list[int] | None, max_terms: int | None) -> list[int]:
        raise NotImplementedError

    def update(self, batch: list[tuple[int, list[str]]]) -> None:
        raise NotImplementedError

    def remove(self, ids: list[int]) -> None:
        raise NotImplementedError

    def snapshot(self, folder: Path) -> dict[str, float]:
        """Save, then time a start-up from the saved copy; the figures."""
        return {}

    def extra(self) -> dict[str, Any]:
        return {}


class _NumpyEngine(_Engine):
    name, takes_tokens = "numpy", True

    def build(self, collection: Collection) -> None:
        from matcher.search.lexical_index import LexicalIndex

        self.index = LexicalIndex.build(collection.documents())

    def search(self, query: list[str], limit: int | None, only: list[int] | None, max_terms: int | None) -> list[int]:
        return [hit.doc_id for hit in self.index.search_tokens(query, limit=limit, only=only, max_terms=max_terms)]

    def terms(self, query: list[str], max_terms: int | None) -> list[str]:
        return self.index.query_terms_of(query, max_terms)

    def update(self, batch: list[tuple[int, list[str]]]) -> None:
        self.index.add_many(batch)

    def remove(self, ids: list[int]) -> None:
        self.index.remove_many(ids)

    def snapshot(self, folder: Path) -> dict[str, float]:
        from matcher.search.lexical_index import LexicalIndex

        path = folder / "lexical.snapshot"
        tail = self.index.stats()["tail_postings"]
        compact_s, _ = _timed(self.index.compact)
        save_s, _ = _timed(lambda: self.index.save(path))
        before = _memory()
        load_s, loaded = _timed(lambda: LexicalIndex.load(path))
        after = _memory()
        query = ["@skill:python", "@skill:sql"]
        started = time.perf_counter()
        loaded.search_tokens(query, limit=LIMIT)
        first_s = time.perf_counter() - started
        figures = {
            "compact_s": round(compact_s, 3),
            "compacted_tail_postings": tail,
            "save_s": round(save_s, 3),
            "file_mb": round(path.stat().st_size / 2**20, 1),
            "load_s": round(load_s, 3),
            "load_rss_anon_mb": round(after["RssAnon"] - before["RssAnon"], 1),
            "first_query_ms": round(first_s * 1000, 2),
        }
        return figures

    def extra(self) -> dict[str, Any]:
        return self.index.stats()


class _BM25IndexEngine(_Engine):
    name, takes_tokens = "bm25index", True

    def build(self, collection: Collection) -> None:
        from matcher.lexical import BM25Index

        class Tokens(BM25Index):
            def _tokens(self, text: str) -> list[str]:
                return text.split("\x00")

        self.index = Tokens(language_neutral=True)
        for doc_id, tokens in collection.documents():
            self.index.add_tokens(doc_id, tokens)

    def search(self, query: list[str], limit: int | None, only: list[int] | None, max_terms: int | None) -> list[int]:
        hits = self.index.search("\x00".join(query), limit=limit, only=set(only) if only else None, max_terms=max_terms)
        return [hit.doc_id for hit in hits]

    def update(self, batch: list[tuple[int, list[str]]]) -> None:
        for doc_id, tokens in batch:
            self.index.add_tokens(doc_id, tokens)

    def remove(self, ids: list[int]) -> None:
        for doc_id in ids:
            self.index.remove(doc_id)


class _TantivyEngine(_Engine):
    name = "tantivy"

    def build(self, collection: Collection) -> None:
        import tantivy

        self.tantivy = tantivy
        builder = tantivy.SchemaBuilder()
        builder.add_integer_field("id", stored=True, indexed=True, fast=True)
        builder.add_text_field("body", tokenizer_name="whitespace", index_option="freq")
        self.schema = builder.build()
        self.folder = Path(tempfile.mkdtemp(prefix="tantivy-"))
        self.index = tantivy.Index(self.schema, path=str(self.folder))
        writer = self.index.writer(400_000_000, 2)
        for doc_id, tokens in collection.documents():
            writer.add_document(tantivy.Document(id=doc_id, body=" ".join(tokens)))
        writer.commit()
        writer.wait_merging_threads()
        self.writer = self.index.writer(50_000_000, 1)
        self.index.reload()
        self.searcher = self.index.searcher()

    def _query(self, terms: list[str]) -> Any:
        t = self.tantivy
        return t.Query.boolean_query(
            [(t.Occur.Should, t.Query.term_query(self.schema, "body", term)) for term in terms]
        )

    def search(self, query: list[str], limit: int | None, only: list[int] | None, max_terms: int | None) -> list[int]:
        if not query:
            return []
        t = self.tantivy
        wanted = self._query(query)
        if only is not None:
            admitted = t.Query.term_set_query(self.schema, "id", only)
            wanted = t.Query.boolean_query([(t.Occur.Must, wanted), (t.Occur.Must, admitted)])
        hits = self.searcher.search(wanted, limit or len(only or ()) or 10_000).hits
        return [self.searcher.doc(address)["id"][0] for _, address in hits]

    def _commit(self) -> None:
        self.writer.commit()
        self.index.reload()
        self.searcher = self.index.searcher()

    def update(self, batch: list[tuple[int, list[str]]]) -> None:
        for doc_id, tokens in batch:
            self.writer.delete_documents("id", doc_id)
            self.writer.add_document(self.tantivy.Document(id=doc_id, body=" ".join(tokens)))
        self._commit()

    def remove(self, ids: list[int]) -> None:
        for doc_id in ids:
            self.writer.delete_documents("id", doc_id)
        self._commit()

    def snapshot(self, folder: Path) -> dict[str, float]:
        """A snapshot is the index folder: a process copies it to a folder of its own, then opens it."""
        copy = folder / "tantivy-copy"
        size = sum(f.stat().st_size for f in self.folder.iterdir() if f.is_file())
        copy_s, _ = _timed(lambda: shutil.copytree(self.folder, copy))
        open_s, opened = _timed(lambda: self.tantivy.Index.open(str(copy)))
        first_s, _ = _timed(lambda: opened.searcher().search(self._query(["@skill:python", "@skill:sql"]), LIMIT))
        return {
            "folder_mb": round(size / 2**20, 1),
            "copy_s": round(copy_s, 3),
            "open_s": round(open_s, 3),
            "first_query_ms": round(first_s * 1000, 2),
            "segments": self.searcher.num_segments,
        }

    def extra(self) -> dict[str, Any]:
        return {"segments": self.searcher.num_segments}


class _Fts5Engine(_Engine):
    name = "fts5"
    TOKENIZE = "unicode61 remove_diacritics 0 tokenchars '@:-+#._'"

    def build(self, collection: Collection) -> None:
        import sqlite3

        self.db = sqlite3.connect(":memory:", check_same_thread=False)
        self.db.execute(f'CREATE VIRTUAL TABLE docs USING fts5(body, tokenize="{self.TOKENIZE}", detail=none)')
        with self.db:
            self.db.executemany(
                "INSERT INTO docs(rowid, body) VALUES (?, ?)",
                ((doc_id, " ".join(tokens)) for doc_id, tokens in collection.documents()),
            )
        self.db.execute("INSERT INTO docs(docs) VALUES ('optimize')")

    @staticmethod
    def _match(terms: list[str]) -> str:
        return " OR ".join('"' + term.replace('"', '""') + '"' for term in terms)

    def search(self, query: list[str], limit: int | None, only: list[int] | None, max_terms: int | None) -> list[int]:
        if not query:
            return []
        if only is None:
            sql = "SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY rank LIMIT ?"
            rows = self.db.execute(sql, (self._match(query), limit or -1))
        else:
            sql = (
                "SELECT rowid FROM docs WHERE docs MATCH ? AND rowid IN (SELECT value FROM json_each(?)) ORDER BY rank"
            )
            rows = self.db.execute(sql, (self._match(query), json.dumps(only)))
        return [row[0] for row in rows]

    def update(self, batch: list[tuple[int, list[str]]]) -> None:
        with self.db:
            self.db.executemany("DELETE FROM docs WHERE rowid = ?", [(doc_id,) for doc_id, _ in batch])
            self.db.executemany(
                "INSERT INTO docs(rowid, body) VALUES (?, ?)", [(doc_id, " ".join(tokens)) for doc_id, tokens in batch]
            )

    def remove(self, ids: list[int]) -> None:
        with self.db:
            self.db.executemany("DELETE FROM docs WHERE rowid = ?", [(doc_id,) for doc_id in ids])

    def snapshot(self, folder: Path) -> dict[str, float]:
        """A snapshot is a database file; a process copies it into its own in-memory database."""
        import sqlite3

        path = folder / "fts5.sqlite"
        target = sqlite3.connect(path)
        save_s, _ = _timed(lambda: self.db.backup(target))
        target.close()
        source, memory = sqlite3.connect(path), sqlite3.connect(":memory:")
        load_s, _ = _timed(lambda: source.backup(memory))
        source.close()
        memory.close()
        return {
            "save_s": round(save_s, 3),
            "file_mb": round(path.stat().st_size / 2**20, 1),
            "load_s": round(load_s, 3),
        }


class _Bm25sEngine(_Engine):
    name = "bm25s"

    def build(self, collection: Collection) -> None:
        import bm25s
        from bm25s.tokenization import Tokenized

        shared = list(range(len(collection.vocabulary)))  # one int object per term id, shared by all documents
        ids, offsets = np.asarray(collection.ids), np.asarray(collection.offsets)
        corpus = []
        for d in range(len(collection)):
            chunk = ids[offsets[d] : offsets[d + 1]]
            corpus.append(
                operator.itemgetter(*chunk.tolist())(shared) if chunk.size > 1 else tuple(shared[i] for i in chunk)
            )
        self.vocabulary = {term: i for i, term in enumerate(collection.vocabulary)}
        self.doc_ids = np.arange(1, len(collection) + 1)
        self.retriever = bm25s.BM25(k1=1.2, b=0.75, method="lucene")
        self.retriever.index(Tokenized(ids=corpus, vocab=self.vocabulary), show_progress=False)
        del corpus

    def search(self, query: list[str], limit: int | None, only: list[int] | None, max_terms: int | None) -> list[int]:
        ids = [self.vocabulary[t] for t in query if t in self.vocabulary]
        if not ids:
            return []
        mask = None
        if only is not None:
            mask = np.zeros(self.doc_ids.size, dtype=np.float32)
            mask[np.array(only) - 1] = 1.0
        scores = self.retriever.get_scores_from_ids(ids, weight_mask=mask)
        hits = np.flatnonzero(scores)
        if limit is not None and limit < hits.size:
            hits = hits[np.argpartition(-scores[hits], limit)[:limit]]
        return self.doc_ids[hits[np.argsort(-scores[hits], kind="stable")]].tolist()

    def snapshot(self, folder: Path) -> dict[str, float]:
        import bm25s

        path = folder / "bm25s"
        save_s, _ = _timed(lambda: self.retriever.save(str(path)))
        load_s, _ = _timed(lambda: bm25s.BM25.load(str(path), mmap=True))
        size = sum(f.stat().st_size for f in path.iterdir() if f.is_file())
        return {"save_s": round(save_s, 3), "file_mb": round(size / 2**20, 1), "load_s": round(load_s, 3)}


_ENGINE_CLASSES: dict[str, type[_Engine]] = {
    "numpy": _NumpyEngine,
    "bm25index": _BM25IndexEngine,
    "tantivy": _TantivyEngine,
    "fts5": _Fts5Engine,
    "bm25s": _Bm25sEngine,
}


def measure_engine(name: str, folder: Path) -> dict[str, Any]:
    """Build engine `name` over the collection in `folder`, then time its queries, updates and snapshot."""
    collection = Collection(folder)
    engine = _ENGINE_CLASSES[name]()
    gc.collect()
    before = _memory()
    build_s, _ = _timed(lambda: engine.build(collection))
    gc.collect()
    built = _memory()
    figures: dict[str, Any] = {
        "engine": name,
        "docs": len(collection),
        "build_s": round(build_s, 2),
        "rss_anon_mb": round(built["RssAnon"] - before["RssAnon"], 1),
        "rss_file_mb": round(built.get("RssFile", 0.0) - before.get("RssFile", 0.0), 1),
        "peak_mb": round(built["VmHWM"] - before["VmHWM"], 1),
    }
    queries = collection.queries
    terms_file = folder / "terms.json"
    prepared: dict[str, list[tuple[list[str], int | None]]]
    if engine.takes_tokens:
        prepared = {"profile": [(q, 25) for q in queries["profile"]], "text": [(q, None) for q in queries["text"]]}
    else:  # the terms LexicalIndex chose for each query (written by the numpy run)
        chosen = json.loads(terms_file.read_text(encoding="utf-8"))
        prepared = {kind: [(terms, None) for terms in chosen[kind]] for kind in ("profile", "text")}
    if isinstance(engine, _NumpyEngine):
        chosen = {kind: [engine.terms(q, m) for q, m in prepared[kind]] for kind in ("profile", "text")}
        terms_file.write_text(json.dumps(chosen, ensure_ascii=False), encoding="utf-8")
        figures["terms_per_query"] = {k: round(float(np.mean([len(t) for t in v])), 1) for k, v in chosen.items()}
    for kind in ("profile", "text"):
        first, most = prepared[kind][0]
        engine.search(first, LIMIT, None, most)  # warm up
        figures[f"{kind}_query"] = _time_queries(
            [(query, most, None) for query, most in prepared[kind]], lambda q, m, o: engine.search(q, LIMIT, o, m)
        )
    restricted = [(q, m, only) for (q, m), only in zip(prepared["profile"], queries["only"], strict=False)]
    figures["restricted_query"] = _time_queries(restricted, lambda q, m, o: engine.search(q, None, o, m))
    if name == "bm25s":
        static = {"static": "a change means a rebuild", "rebuild_s": figures["build_s"]}
        figures["update_batch"] = figures["remove_batch"] = static
    else:
        updates, removals = [], []
        for batch in queries["updates"]:
            documents = [(int(doc_id), tokens) for doc_id, tokens in batch]
            started = time.perf_counter()
            engine.update(documents)
            updates.append(time.perf_counter() - started)
        for ids in queries["removals"]:
            started = time.perf_counter()
            engine.remove(ids)
            removals.append(time.perf_counter() - started)
        figures["update_batch"] = {**_percentiles(updates), "max_ms": round(max(updates) * 1000, 2)}
        figures["remove_batch"] = {**_percentiles(removals), "max_ms": round(max(removals) * 1000, 2)}
    with tempfile.TemporaryDirectory(dir=folder) as scratch:
        figures["snapshot"] = engine.snapshot(Path(scratch))
    figures["engine_figures"] = engine.extra()
    return figures


def run_lexical_bench(
    docs: int,
    engines: Sequence[str] = ENGINES,
    samples: int | None = None,
    folder: Path | None = None,
    seed: int = 2026,
    timeout: float = 3600.0,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Figures for each of `engines` at `docs` documents (each in a process of its own); the collection is made
    from `samples` real token lists (default: docs / 50, between 2,000 and 20,000) and kept in `folder`."""
    say = progress or (lambda message: None)
    unknown = sorted(set(engines) - set(ENGINES))
    if unknown:
        raise ValueError(f"unknown engines {unknown}; choose among {', '.join(ENGINES)}")
    samples = samples or min(20_000, max(2_000, docs // 50))
    owned = folder is None
    folder = Path(folder or tempfile.mkdtemp(prefix="lexical-bench-"))
    here = folder / f"collection-{docs}-{samples}-{seed}"
    try:
        if not (here / "queries.json").exists():
            cache = folder / f"samples-{samples}-{seed}.json"
            if cache.exists():
                lists = json.loads(cache.read_text(encoding="utf-8"))
            else:
                say(f"tokenizing {samples} demo profiles and postings")
                lists = real_token_lists(samples, seed)
                cache.write_text(json.dumps(lists, ensure_ascii=False), encoding="utf-8")
            say(f"making {docs} documents")
            Collection.make(here, docs, lists, seed)
        collection = Collection(here)
        tokens = int(collection.offsets[-1])
        report: dict[str, Any] = {
            "docs": docs,
            "samples": samples,
            "tokens_per_doc": round(tokens / max(1, docs), 1),
            "vocabulary": len(collection.vocabulary),
            "engines": {},
        }
        ordered = sorted(engines, key=lambda e: e != "numpy")  # the others use the terms the numpy run chose
        if "numpy" not in ordered and not (here / "terms.json").exists():
            ordered.insert(0, "numpy")
        for name in ordered:
            if name == "bm25index" and docs > BM25INDEX_MAX_DOCS:
                report["engines"][name] = {"skipped": f"more than {BM25INDEX_MAX_DOCS} documents"}
                continue
            say(f"measuring {name}")
            command = [sys.executable, "-m", "matcher.demo.lexical_bench", name, str(here)]
            try:
                done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
            except subprocess.TimeoutExpired:
                report["engines"][name] = {"failed": f"took more than {timeout:.0f} s"}
                continue
            if done.returncode:
                report["engines"][name] = {"failed": done.stderr.strip().splitlines()[-1:]}
            else:
                report["engines"][name] = json.loads(done.stdout.strip().splitlines()[-1])
        return report
    finally:
        if owned:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":  # one engine, in a process of its own: python -m matcher.demo.lexical_bench ENGINE FOLDER
    print(json.dumps(measure_engine(sys.argv[1], Path(sys.argv[2]))))  # noqa: T201
