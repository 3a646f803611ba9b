"""The embedding cache: vectors by (encoder, content hash)."""

from collections.abc import Iterable

import numpy as np
from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from matcher.store.models import EmbeddingCache, utcnow


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
    """Store vectors by hash; hashes already cached — by us or, at the same moment, by another process — stay."""
    if not vectors:
        return
    rows = [
        {
            "encoder": encoder,
            "content_hash": content_hash,
            "dimension": int(np.asarray(vector).shape[0]),
            "vector": np.ascontiguousarray(vector, dtype=np.float32).tobytes(),
            "created_at": utcnow(),
        }
        for content_hash, vector in vectors.items()
    ]
    insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    for start in range(0, len(rows), 500):
        session.execute(insert(EmbeddingCache).values(rows[start : start + 500]).on_conflict_do_nothing())


def delete_many(*, session: Session, hashes: Iterable[str]) -> int:
    """Forget the vectors of these texts under every encoder (a candidate's erasure); returns how many went."""
    wanted = list(set(hashes))
    removed = 0
    for start in range(0, len(wanted), 900):
        statement = delete(EmbeddingCache).where(EmbeddingCache.content_hash.in_(wanted[start : start + 900]))
        removed += session.execute(statement).rowcount or 0  # type: ignore[attr-defined]
    return removed
