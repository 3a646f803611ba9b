"""LexicalIndex gives what BM25Index(language_neutral=True) gives — the same hits, scores, matched terms and query
terms, to the last bit — through additions, replacements, removals, compactions, bulk loads and snapshots."""

import random
import threading
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import numpy as np
import pytest

from matcher.concepts import EVIDENCE_KINDS, lexicon
from matcher.lexical import BM25Index
from matcher.search import lexical_index
from matcher.search.lexical_index import LexicalIndex
from matcher.tokenize import tokenize

WORDS = {
    "zh": "电池 研发 团队 管理 设计 测试 工艺 质量 项目 客户 产品 数据 平台 系统 算法 市场 销售 财务 郑州 上海",
    "en": "battery research team design quality project customer product data platform market sales london",
    "shared": "python matlab autosar bms 2024 c++ sql linux",
}
CHINESE, ENGLISH, SHARED = (WORDS[key].split() for key in ("zh", "en", "shared"))


def _concept_phrases() -> list[tuple[str, str]]:
    concepts = [c for c in lexicon().concepts.values() if c.kind in EVIDENCE_KINDS and c.kind != "major"]
    return [(c.zh, c.en) for c in sorted(concepts, key=lambda c: c.id)[:60]]


CONCEPTS = _concept_phrases()


def _text(rng: random.Random, language: str) -> str:
    """A profile-like text: words of its language, shared words, concepts named in its language (a mixed text
    takes half of each)."""
    words = []
    for _ in range(rng.randint(4, 30)):
        pick = rng.random()
        lang = language if language != "mixed" else rng.choice(["zh", "en"])
        if pick < 0.55:
            words.append(rng.choice(CHINESE if lang == "zh" else ENGLISH))
        elif pick < 0.7:
            words.append(rng.choice(SHARED))
        else:
            zh, en = rng.choice(CONCEPTS)
            words.append(zh if lang == "zh" else en)
    return ("，" if language == "zh" else " ").join(words)


def _corpus(seed: int, count: int) -> list[tuple[int, list[str]]]:
    rng = random.Random(seed)
    languages = ["zh", "en", "mixed", "zh", "en"]
    return [(doc_id, tokenize(_text(rng, rng.choice(languages)))) for doc_id in range(1, count + 1)]


def _queries(seed: int) -> list[str]:
    rng = random.Random(seed)
    fixed = ["python", "电池 研发 python", "penetration testing", "渗透测试 python sql", "nothing-matches-this", ""]
    return fixed + [_text(rng, rng.choice(["zh", "en", "mixed"])) for _ in range(25)]


def _same(reference: BM25Index, index: LexicalIndex, queries: list[str], rng: random.Random) -> None:
    ids = list(reference._lengths)
    for query in queries:
        for max_terms in (None, 25, 3):
            assert index.query_terms(query, max_terms) == reference.query_terms(query, max_terms), query
            for limit in (None, 5, 50):
                expected = reference.search(query, limit=limit, max_terms=max_terms)
                assert index.search(query, limit=limit, max_terms=max_terms) == expected, (query, limit)
            only = set(rng.sample(ids, min(len(ids), rng.choice([1, 10, 60, 400])))) | {10**9}
            expected = reference.search(query, only=only, max_terms=max_terms)
            assert index.search(query, only=only, max_terms=max_terms) == expected, (query, "only")
            within = partial(np.isin, test_elements=np.array(sorted(only), dtype=np.int64))  # a filter admitting many
            for limit in (None, 5):
                expected = reference.search(query, limit=limit, only=only, max_terms=max_terms)
                found = index.search(query, limit=limit, max_terms=max_terms, within=within)
                assert found == expected, (query, "within")
    assert len(index) == len(reference)
    assert index.ids_by_language() == reference.ids_by_language()
    for doc_id in [*rng.sample(ids, min(len(ids), 50)), -1, 10**9]:
        assert index.writing_group(doc_id) == reference.writing_group(doc_id)


def _pair(documents: list[tuple[int, list[str]]]) -> tuple[BM25Index, LexicalIndex]:
    reference = BM25Index(language_neutral=True)
    for doc_id, tokens in documents:
        reference.add_tokens(doc_id, tokens)
    return reference, LexicalIndex.build(documents)


def test_the_same_hits_as_bm25index_on_a_bilingual_corpus() -> None:
    documents = _corpus(1, 300)
    reference, index = _pair(documents)
    hits = index.search("渗透测试 python 电池", limit=10)
    assert hits and all(0 < hit.score < 1 for hit in hits)
    assert {group for group in map(index.writing_group, range(1, 301))} == {"zh", "en", "mixed"}
    _same(reference, index, _queries(2), random.Random(3))


def test_only_shared_terms_are_evidence() -> None:
    index = LexicalIndex()
    index.add(1, "电池 研发 2024 渗透测试")
    index.add(2, "battery research 2024 penetration testing")
    assert index.shared("2024") and index.shared("@skill:penetration-testing")
    assert not index.shared("电池") and not index.shared("battery")
    assert index.query_terms("电池 battery 2024") == ["2024"]
    hits = index.search("渗透测试")
    assert [hit.doc_id for hit in hits] == [1, 2] and hits[0].score == hits[1].score  # the same in either language
    assert hits[0].matched_terms == ("@skill:penetration-testing",)


def test_changes_compactions_and_bulk_loads_keep_it_equal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lexical_index, "COMPACT_MIN_POSTINGS", 200)  # compact often
    monkeypatch.setattr(lexical_index, "BUILD_CHUNK", 64)  # bulk loads of a few chunks
    rng = random.Random(4)
    documents = _corpus(5, 250)
    duplicated = [*documents[:100], *[(doc_id, list(reversed(t))) for doc_id, t in documents[:30]], *documents[100:]]
    reference, index = _pair(duplicated)  # an id twice in one bulk load: the last one counts
    queries = _queries(6)[:12]
    _same(reference, index, queries, rng)
    texts = _corpus(7, 400)
    next_id = 1000
    for round_ in range(6):
        batch = []
        for _ in range(rng.randint(1, 40)):
            if rng.random() < 0.5:  # replace a document
                doc_id = rng.choice(list(reference._lengths))
            else:
                doc_id, next_id = next_id, next_id + 1
            batch.append((doc_id, rng.choice(texts)[1]))
        for doc_id, tokens in batch:
            reference.add_tokens(doc_id, tokens)
        if round_ % 2:
            index.add_many(batch)
        else:
            for doc_id, tokens in batch:
                index.add_tokens(doc_id, tokens)
        removed = [*rng.sample(list(reference._lengths), 15), 424242]
        for doc_id in removed:
            reference.remove(doc_id)
        index.remove_many(removed)
        _same(reference, index, queries, rng)
    assert index.stats()["slots"] >= len(index)
    _merged_as_rebuilt(index)
    index.add_many((doc_id, tokens) for doc_id, tokens in _corpus(8, 200))  # a bulk load into a live index
    for doc_id, tokens in _corpus(8, 200):
        reference.add_tokens(doc_id, tokens)
    _same(reference, index, queries, rng)
    index.compact()
    assert index.stats()["dead_slots"] == 0 and index.stats()["tail_postings"] == 0
    _same(reference, index, queries, rng)


def _merged_as_rebuilt(index: LexicalIndex) -> None:
    """Compaction merges the tail into the base; inverting the live forward index anew gives the same arrays."""
    with index._writer:
        merged, rebuilt = index._merge(), index._rebuild()
    assert merged.keys() == rebuilt.keys()
    for name, values in merged.items():
        assert values.dtype == rebuilt[name].dtype and np.array_equal(values, rebuilt[name]), name


def test_ties_go_to_the_lower_id_even_at_the_limit() -> None:
    same = tokenize("python sql 渗透测试")
    documents = [(doc_id, same) for doc_id in (50, 7, 31, 2, 99, 13)]
    reference, index = _pair(documents)
    for limit in (1, 2, 3, 6, None):
        assert index.search("python", limit=limit) == reference.search("python", limit=limit)
    assert [hit.doc_id for hit in index.search("python", limit=3)] == [2, 7, 13]


def test_ids_far_apart_negative_or_huge() -> None:
    documents = [(10**12, tokenize("python 电池")), (-5, tokenize("python battery")), (3, tokenize("sql python"))]
    reference, index = _pair(documents)
    _same(reference, index, ["python", "python sql"], random.Random(0))
    index.remove(10**12)
    reference.remove(10**12)
    index.add_tokens(2**40, tokenize("python"))
    reference.add_tokens(2**40, tokenize("python"))
    _same(reference, index, ["python", "python sql"], random.Random(0))
    assert [hit.doc_id for hit in index.search("python", only={2**40, -5})] == [-5, 2**40]


def test_language_views() -> None:
    documents = _corpus(9, 120)
    reference, index = _pair(documents)
    expected = reference.ids_by_language()
    counts = index.language_counts()
    arrays = index.language_ids()
    for language in ("zh", "en"):
        assert counts[language] == len(expected[language])
        assert arrays[language].tolist() == expected[language]
        mask = index.language_mask(language)
        assert np.flatnonzero(mask).tolist() == sorted(expected[language])
    index.remove(expected["zh"][0])
    assert index.language_counts()["zh"] == counts["zh"] - 1
    assert expected["zh"][0] not in index.language_ids()["zh"].tolist()  # the cache follows changes


def test_snapshots_load_mapped_or_in_memory(tmp_path: Path) -> None:
    rng = random.Random(10)
    documents = _corpus(11, 200)
    reference, index = _pair(documents)
    for doc_id, tokens in _corpus(12, 30):  # a tail and dead slots, compacted by save
        reference.add_tokens(doc_id + 150, tokens)
        index.add_tokens(doc_id + 150, tokens)
    path = tmp_path / "candidates.lexical"
    index.save(path, meta={"feed": {"sequence": 42}})
    queries = _queries(13)[:10]
    for mapped in (True, False):
        loaded = LexicalIndex.load(path, mapped=mapped)
        assert loaded.meta == {"feed": {"sequence": 42}}
        _same(reference, loaded, queries, rng)
        tokens = tokenize("python 渗透测试 电池")
        loaded.add_tokens(7, tokens)  # a loaded index changes like any other
        loaded.remove(8)
        changed = BM25Index(language_neutral=True)
        for doc_id in reference._lengths:
            changed.add_tokens(doc_id, _tokens_of(reference, doc_id))
        changed.add_tokens(7, tokens)
        changed.remove(8)
        _same(changed, loaded, queries, rng)
    (tmp_path / "torn.lexical").write_bytes(path.read_bytes()[:-100])
    with pytest.raises(ValueError, match="torn"):
        LexicalIndex.load(tmp_path / "torn.lexical")
    (tmp_path / "other.lexical").write_bytes(b"not a snapshot")
    with pytest.raises(ValueError):
        LexicalIndex.load(tmp_path / "other.lexical")


def _tokens_of(reference: BM25Index, doc_id: int) -> list[str]:
    """The tokens BM25Index holds for `doc_id` (term frequencies spelled out)."""
    return [term for term in reference._doc_terms[doc_id] for _ in range(reference._postings[term][doc_id])]


def test_searches_run_while_a_writer_changes_the_index() -> None:
    documents = _corpus(14, 300)
    _, index = _pair(documents)
    queries = _queries(15)
    stop, failures = threading.Event(), []

    def search() -> None:
        rng = random.Random(threading.get_ident())
        while not stop.is_set():
            try:
                query = rng.choice(queries)
                hits = index.search(query, limit=20, max_terms=25)
                assert all(0 <= hit.score <= 1 for hit in hits)
                index.search(query, only=set(rng.sample(range(1, 400), 50)))
                index.ids_by_language()
            except Exception as exc:
                failures.append(exc)

    threads = [threading.Thread(target=search) for _ in range(3)]
    for thread in threads:
        thread.start()
    rng = random.Random(16)
    for round_ in range(30):
        index.add_many([(rng.randint(1, 400), tokens) for _, tokens in rng.sample(documents, 20)])
        index.remove_many(rng.sample(range(1, 400), 10))
        if round_ % 10 == 9:
            index.compact()
    stop.set()
    for thread in threads:
        thread.join()
    assert not failures


def test_frequencies_and_lengths_too_large_for_a_code() -> None:
    """A term 70 times in a document, a document naming 1,100 concepts: kept aside, scored the same."""
    concepts = [f"@skill:{c.id.split(':', 1)[1]}" for c in lexicon().concepts.values() if c.kind == "skill"][:20]
    documents = [
        (101, ["python"] * 70 + ["电池"] * 3 + concepts[:2]),
        (102, ["python", "battery"] + concepts[:1] * 1100),
        (103, ["python", "电池", "battery", *concepts[:5]]),
        (104, [concepts[0]] * 64 + ["python"] * 64),
    ]
    reference, index = _pair(documents + _corpus(17, 40))
    assert index._escaped  # the base holds escapes
    queries = ["python", "python 电池 battery", " ".join(lexicon().concepts[c[1:]].en for c in concepts[:5])]
    _same(reference, index, queries, random.Random(1))
    index.add_tokens(105, ["python"] * 100)  # in the tail, then compacted
    reference.add_tokens(105, ["python"] * 100)
    index.remove_many([101, 3])
    reference.remove(101)
    reference.remove(3)
    _same(reference, index, queries, random.Random(1))
    _merged_as_rebuilt(index)
    index.compact()
    _same(reference, index, queries, random.Random(1))


def test_a_bulk_load_that_fails_midway_keeps_what_it_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lexical_index, "BUILD_CHUNK", 10)
    documents = _corpus(18, 35)

    def rows() -> Iterator[tuple[int, list[str]]]:
        yield from documents
        raise OSError("the database went away")

    index = LexicalIndex()
    with pytest.raises(OSError):
        index.add_many(rows())
    reference, _ = _pair(documents)
    _same(reference, index, _queries(19)[:8], random.Random(2))
