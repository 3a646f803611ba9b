"""Embed texts through the cache: only texts never seen by this encoder are encoded."""

import numpy as np
from sqlalchemy.orm import Session

from matcher.encoders import Encoder
from matcher.progress import Progress, no_progress
from matcher.store import embeddings as cache
from matcher.text import content_hash


def embed_texts(
    session: Session,
    encoder: Encoder,
    texts: list[str],
    *,
    batch_size: int = 64,
    progress: Progress = no_progress,
) -> tuple[np.ndarray, int]:
    """Vectors for `texts` (n, d) in order, and how many had to be encoded (the rest came from the cache)."""
    hashes = [content_hash(text) for text in texts]
    found = cache.get_many(session=session, encoder=encoder.name, hashes=hashes)
    missing: dict[str, str] = {}
    for text, content in zip(texts, hashes, strict=True):
        if content not in found and content not in missing:
            missing[content] = text
    todo = list(missing.items())
    progress("encode", 0, len(todo))
    for start in range(0, len(todo), batch_size):
        batch = todo[start : start + batch_size]
        vectors = encoder.encode([text for _, text in batch])
        fresh = {content: vectors[i] for i, (content, _) in enumerate(batch)}
        cache.put_many(session=session, encoder=encoder.name, vectors=fresh)
        found.update(fresh)
        progress("encode", min(start + batch_size, len(todo)), len(todo))
    if not texts:
        return np.zeros((0, encoder.dimension), dtype=np.float32), 0
    return np.stack([found[content] for content in hashes]).astype(np.float32), len(todo)
