"""Vector index: exact or IVF cosine search over unit vectors keyed by database ids (numpy and FAISS only)."""

from index.errors import IndexCorruptError, IndexMismatchError, VectorIndexError
from index.metadata import IndexMetadata
from index.vector_index import VectorIndex

__all__ = ["IndexCorruptError", "IndexMetadata", "IndexMismatchError", "VectorIndex", "VectorIndexError"]
