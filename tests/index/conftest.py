"""Shared data for the index tests: small clustered vectors with ids that are not their row positions."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest

from index.benchmark import clustered_vectors

DIMENSION = 32
COUNT = 3_000


@pytest.fixture(scope="session")
def clustered() -> npt.NDArray[np.float32]:
    """3,000 unit vectors in 32 dimensions around 60 centres (read-only)."""
    vectors = clustered_vectors(COUNT, DIMENSION, clusters=60, seed=11)
    vectors.setflags(write=False)
    return vectors


@pytest.fixture(scope="session")
def clustered_ids() -> npt.NDArray[np.int64]:
    """Database ids 1000, 1003, 1006, … so an id never equals its row position."""
    ids = np.arange(COUNT, dtype=np.int64) * 3 + 1000
    ids.setflags(write=False)
    return ids


@pytest.fixture(scope="session")
def clustered_queries(clustered: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    """100 queries: stored vectors plus noise, like a request that resembles some profiles."""
    rng = np.random.default_rng(5)
    rows = rng.choice(clustered.shape[0], size=100, replace=False)
    queries = clustered[rows] + rng.standard_normal((100, DIMENSION)).astype(np.float32) * 0.08
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    queries.setflags(write=False)
    return queries
