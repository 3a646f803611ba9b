"""Embeddings are cached by content hash: re-importing unchanged records encodes nothing."""

from collections.abc import Callable
from pathlib import Path

import numpy as np

from matcher.embedding import embed_texts
from matcher.encoders import Encoder
from matcher.ingest.importer import ImportReport
from matcher.platform import Platform
from matcher.search.indexing import build_index

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


class CountingEncoder:
    """The real encoder, counting the texts it is asked to encode."""

    def __init__(self, inner: Encoder) -> None:
        self.inner = inner
        self.encoded = 0

    @property
    def name(self) -> str:
        return self.inner.name

    @property
    def dimension(self) -> int:
        return self.inner.dimension

    def encode(self, texts: list[str]) -> np.ndarray:
        self.encoded += len(texts)
        return self.inner.encode(texts)


def test_each_text_is_encoded_once(platform: Platform, clear_embedding_cache: Callable[[], None]) -> None:
    clear_embedding_cache()
    counting = CountingEncoder(platform.encoder)
    texts = ["量子退火算法研究岗位", "quantum annealing research role", "量子退火算法研究岗位"]  # in no reference table
    with platform.session() as session:
        first, encoded = embed_texts(session, counting, texts)
    assert encoded == 2 and counting.encoded == 2
    with platform.session() as session:
        second, encoded = embed_texts(session, counting, texts)
    assert encoded == 0 and counting.encoded == 2
    np.testing.assert_array_equal(first, second)
    assert first.dtype == np.float32 and np.allclose(np.linalg.norm(first, axis=1), 1.0, atol=1e-5)


def test_reimport_and_rebuild_encode_nothing(
    platform: Platform,
    import_file: Callable[[str, Path], ImportReport],
    clear_embedding_cache: Callable[[], None],
) -> None:
    clear_embedding_cache()
    report = import_file("jobs", SAMPLES / "crosslingual_jobs.jsonl")  # the post-write hook builds the index ...
    clear_embedding_cache()  # ... so forget what it encoded, to count a build from nothing
    counting = CountingEncoder(platform.encoder)
    with platform.session() as session:
        assert build_index(session, counting, platform.settings, "jobs").encoded == 10
    again = import_file("jobs", SAMPLES / "crosslingual_jobs.jsonl")
    assert again.changed_ids == []
    with platform.session() as session:
        assert build_index(session, counting, platform.settings, "jobs").encoded == 0
    assert counting.encoded == 10
    assert report.inserted == 10
