"""The sidecar record of a saved index: what built it, how, from which dataset, and which data file holds it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from typing import Any, TypeVar

FORMAT_VERSION = 2  # 2: data in a content-addressed file named by the sidecar (`data_file`); `dataset`
METRIC = "inner_product"
KINDS = ("flat", "ivf")

T = TypeVar("T")


def utc_now_iso() -> str:
    """Current time as an ISO 8601 UTC string with second precision, e.g. 2024-05-01T12:00:00+00:00."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


@dataclass(frozen=True, slots=True)
class IndexMetadata:
    """Describes a vector index.

    `checksum` (sha256) and `data_file` (bare name of the FAISS file next to the sidecar) are those of the
    last save or load, None before the first save and once the index changed. `dataset` identifies the
    database the vectors came from (None: unknown, accepted by any database).
    """

    format_version: int
    encoder: str
    dimension: int
    metric: str
    kind: str
    factory: str
    count: int
    nlist: int | None
    nprobe: int | None
    built_at: str
    checksum: str | None = None
    calibrated_recall: float | None = None
    data_file: str | None = None
    dataset: str | None = None
    correction: dict[str, Any] | None = None  # index.transform.Correction.to_dict(), applied to vectors and queries
    feed: dict[str, Any] | None = None  # the position in its source's change feed the index includes (opaque here)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> IndexMetadata:
        """Parse a dict; unknown keys are ignored, a missing or mistyped field raises ValueError."""
        if not isinstance(data, dict):
            raise ValueError(f"index metadata must be a JSON object, got {type(data).__name__}")
        return cls(
            format_version=_required(data, "format_version", int),
            encoder=_required(data, "encoder", str),
            dimension=_required(data, "dimension", int),
            metric=_required(data, "metric", str),
            kind=_required(data, "kind", str),
            factory=_required(data, "factory", str),
            count=_required(data, "count", int),
            nlist=_optional(data, "nlist", int),
            nprobe=_optional(data, "nprobe", int),
            built_at=_required(data, "built_at", str),
            checksum=_optional(data, "checksum", str),
            calibrated_recall=_optional_number(data, "calibrated_recall"),
            data_file=_optional(data, "data_file", str),
            dataset=_optional(data, "dataset", str),
            correction=_optional(data, "correction", dict),
            feed=_optional(data, "feed", dict),
        )

    def with_changes(self, **changes: Any) -> IndexMetadata:
        """A copy with some fields replaced."""
        return replace(self, **changes)


def _required(data: dict[str, Any], key: str, kind: type[T]) -> T:
    if key not in data:
        raise ValueError(f"index metadata is missing the field {key!r}")
    value = _optional(data, key, kind)
    if value is None:
        raise ValueError(f"index metadata field {key!r} must not be null")
    return value


def _optional(data: dict[str, Any], key: str, kind: type[T]) -> T | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, kind) and not isinstance(value, bool):
        return value
    raise ValueError(f"index metadata field {key!r} should be of type {kind.__name__}, got {value!r}")


def _optional_number(data: dict[str, Any], key: str) -> float | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    raise ValueError(f"index metadata field {key!r} should be a number, got {value!r}")
