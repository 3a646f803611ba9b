"""Input checks shared by build, add, remove and search: unit-length float32 rows and unique int64 ids."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float32]
IdArray = npt.NDArray[np.int64]

_CHUNK = 16_384  # rows normalised at a time, to bound the temporary memory


def unit_rows(vectors: Any, *, what: str = "vectors", dimension: int | None = None) -> FloatArray:
    """Check a 2-D array and return an L2-normalised float32 copy; zero, NaN or inf rows are refused."""
    array = _numeric(vectors, what)
    if array.ndim != 2:
        raise ValueError(f"{what} must be a 2-D array of shape (n, dimension), got shape {array.shape}")
    if dimension is not None and array.shape[1] != dimension:
        raise ValueError(
            f"{what} have dimension {array.shape[1]} but the index has dimension {dimension}; "
            "were they made by another encoder?"
        )
    if array.shape[1] == 0:
        raise ValueError(f"{what} must have a dimension of at least 1, got shape {array.shape}")
    return _normalise(array, what)


def unit_queries(queries: Any, dimension: int) -> FloatArray:
    """Validate one query (d,) or a batch (m, d) and return normalised float32 rows of shape (m, d)."""
    array = _numeric(queries, "queries")
    if array.ndim == 1:
        array = array.reshape(1, -1)
    if array.ndim != 2:
        raise ValueError(f"queries must have shape (dimension,) or (m, dimension), got shape {array.shape}")
    if array.shape[1] != dimension:
        raise ValueError(
            f"queries have dimension {array.shape[1]} but the index has dimension {dimension}; "
            "were they made by another encoder?"
        )
    return _normalise(array, "queries")


def unique_ids(ids: Any, count: int) -> IdArray:
    """Validate database ids: a 1-D array of `count` unique non-negative integers, returned as int64."""
    array = as_ids(ids)
    if array.shape[0] != count:
        raise ValueError(f"got {array.shape[0]} ids for {count} vectors; pass exactly one id per vector")
    values, counts = np.unique(array, return_counts=True)
    duplicates = values[counts > 1]
    if duplicates.size:
        shown = ", ".join(str(v) for v in duplicates[:5].tolist())
        more = "" if duplicates.size <= 5 else f" (and {duplicates.size - 5} more)"
        raise ValueError(f"ids must be unique; duplicated: {shown}{more}")
    return array


def as_ids(ids: Any) -> IdArray:
    """Validate a scalar or 1-D collection of non-negative integer ids and return it as a 1-D int64 array."""
    array = np.asarray(ids)
    if array.ndim == 0:
        array = array.reshape(1)
    if array.ndim != 1:
        raise ValueError(f"ids must be a 1-D array, got shape {array.shape}")
    if array.size == 0:
        return np.empty(0, dtype=np.int64)
    if array.dtype.kind not in "iu":
        raise ValueError(f"ids must be integers, got dtype {array.dtype}")
    if array.dtype.kind == "u" and int(array.max()) > np.iinfo(np.int64).max:
        raise ValueError("ids must fit in a signed 64-bit integer")
    if int(array.min()) < 0:
        raise ValueError(f"ids must be non-negative (-1 marks a missing result), got {int(array.min())}")
    return np.ascontiguousarray(array, dtype=np.int64)


def _numeric(values: Any, what: str) -> npt.NDArray[Any]:
    try:
        array = np.asarray(values)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{what} must be a numeric array: {exc}") from exc
    if array.dtype.kind not in "fiu":
        raise ValueError(f"{what} must be a real numeric array, got dtype {array.dtype}")
    return array


def _normalise(array: npt.NDArray[Any], what: str) -> FloatArray:
    """Float32 copy with unit rows; rows are scaled by their largest entry first so norms cannot overflow."""
    work_dtype = np.float64 if array.dtype == np.float64 else np.float32
    out = np.empty(array.shape, dtype=np.float32)
    for start in range(0, array.shape[0], _CHUNK):
        rows: npt.NDArray[np.floating[Any]] = np.array(array[start : start + _CHUNK], dtype=work_dtype)
        finite = np.isfinite(rows).all(axis=1)
        if not finite.all():
            bad = start + np.flatnonzero(~finite)
            raise ValueError(f"{what} contain NaN or infinite values (rows {_first(bad)})")
        scale = np.abs(rows).max(axis=1, initial=0.0)
        if not (scale > 0).all():
            bad = start + np.flatnonzero(scale == 0)
            raise ValueError(f"{what} contain all-zero rows, which cannot be normalised (rows {_first(bad)})")
        rows /= scale[:, None]
        rows /= np.linalg.norm(rows, axis=1)[:, None]
        out[start : start + _CHUNK] = rows
    return out


def _first(rows: npt.NDArray[np.intp], limit: int = 5) -> str:
    shown = ", ".join(str(r) for r in rows[:limit].tolist())
    return shown + (f", … {rows.size - limit} more" if rows.size > limit else "")
