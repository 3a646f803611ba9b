"""The embedding cache: vectors by (encoder, content hash)."""

from collections.abc import Iterable

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from matcher.store.models import EmbeddingCache


def get_many(*, session: Session, encoder: str, hashes: Iterable[str]) -> dict[str, np.ndarray]:
    """Cached vectors for the hashes that have one."""
    wanted = list(set(hashes))
    found: dict[str, np.ndarray] = {}
    for start in range(0, len(wanted), 900):
        chunk = wanted[start : start + 900]
        statement = select(EmbeddingCache).where(
            EmbeddingCache.encoder == encoder, EmbeddingCache.content_hash.in_(chunk)
        )
        for row in session.scalars(statement):
            found[row.content_hash] = np.frombuffer(row.vector, dtype=np.float32)
    return found


def put_many(*, session: Session, encoder: str, vectors: dict[str, np.ndarray]) -> None:
    """Store vectors by hash; hashes already cached are left as they are."""
    present = get_many(session=session, encoder=encoder, hashes=vectors)
    for content_hash, vector in vectors.items():
        if content_hash in present:
            continue
        array = np.ascontiguousarray(vector, dtype=np.float32)
        session.add(
            EmbeddingCache(
                encoder=encoder,
                content_hash=content_hash,
                dimension=int(array.shape[0]),
                vector=array.tobytes(),
            )
        )
    session.flush()
