"""Tokens, BM25 and degree parsing."""

import pytest

from matcher.degrees import DegreeLevel, parse_degree
from matcher.lexical import BM25Index
from matcher.tokenize import plain_words, tokenize


def test_tokenize_mixed_text() -> None:
    tokens = tokenize("招聘Java开发工程师（高新区），熟悉C++、Python和node.js，the team")
    for expected in ("java", "工程师", "高新区", "c++", "python", "node.js"):
        assert expected in tokens
    assert "the" not in tokens and "team" not in tokens


def test_bm25_ranks_adds_and_removes() -> None:
    index = BM25Index()
    index.add(1, "Java 后端开发工程师 微服务")
    index.add(2, "Python 数据分析师 机器学习")
    index.add(3, "Java Python 全栈")
    hits = index.search("java 微服务")
    assert [h.doc_id for h in hits] == [1, 3]
    assert 0 < hits[0].score <= 1 and set(hits[0].matched_terms) == set(plain_words("java 微服务"))
    index.remove(1)
    assert [h.doc_id for h in index.search("java 微服务")] == [3]
    assert len(index) == 2
    index.add(3, "完全不同的内容")  # re-adding replaces
    assert index.search("java") == []
    assert index.search("") == []
    assert [h.doc_id for h in index.search("python", only={3})] == []


def test_bm25_document_queries_keep_the_telling_terms() -> None:
    index = BM25Index()
    for doc_id in range(1, 30):
        index.add(doc_id, f"工程师 负责 开发 common text {doc_id}")
    index.add(99, "北斗 卫星导航 高精度定位 工程师")
    terms = index.query_terms("工程师 工程师 工程师 北斗 定位 common common", max_terms=2)
    assert set(terms) == {"北斗", "定位"}


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("MSc Cyber Security", DegreeLevel.MASTER),
        ("Master of Financial Engineering", DegreeLevel.MASTER),
        ("BEng EEE", DegreeLevel.BACHELOR),
        ("PhD", DegreeLevel.DOCTORATE),
        ("DPhil", DegreeLevel.DOCTORATE),
        ("博士", DegreeLevel.DOCTORATE),
        ("硕士研究生", DegreeLevel.MASTER),
        ("本科及以上", DegreeLevel.BACHELOR),
        ("大专", DegreeLevel.ASSOCIATE),
        ("MBA", DegreeLevel.MASTER),
        ("B.Sc.", DegreeLevel.BACHELOR),
        ("master", DegreeLevel.MASTER),
        ("不限", DegreeLevel.NONE),
        ("Certificate in Origami", None),
        ("High school diploma", DegreeLevel.NONE),
        ("高中及以上", DegreeLevel.NONE),
        ("Diploma in Nursing", DegreeLevel.ASSOCIATE),
    ],
)
def test_parse_degree(text: str, level: DegreeLevel | None) -> None:
    assert parse_degree(text) == level
