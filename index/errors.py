"""Errors raised when a saved vector index cannot be used as it is."""

REBUILD_HINT = "rebuild it with `talent index build`"


class VectorIndexError(Exception):
    """Base of the errors a saved index raises on load; the message says what to do."""


class IndexMismatchError(VectorIndexError):
    """The saved index was built for another encoder, dimension or file format."""


class IndexCorruptError(VectorIndexError):
    """The saved index is unreadable, truncated, or does not match its sidecar (e.g. an interrupted save)."""
