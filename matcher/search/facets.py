"""What the filters read off every candidate or job, kept in memory beside the indexes, so a filter is applied
inside retrieval: it becomes a bitmap of admitted ids that the dense index tests while it searches and that the
lexical retriever scores within. A rare filter then neither scans the table nor deepens retrieval until the whole
collection is loaded, and pages stay exact.

Values are kept per row as codes of their distinct strings (places, industries), so a filter tests each distinct
string once (`place_matches`, `industry_matches`: the same rules as `Filters.admits`) and then the codes of every
row at numpy speed. Like the indexes, facets follow the change feed: they are derived from the database, never a
truth of their own.
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from matcher.search.preferences import industry_matches
from matcher.search.scoring import place_matches
from matcher.store.models import Candidate, Job
from matcher.tokenize import token_language

SLOTS = 4  # place or industry values kept per row (a candidate's home and first preferred places)
LANGUAGES = ("zh", "en")
_HIDDEN, _CLOSED, _PRESENT = 1, 2, 4


@dataclass(frozen=True)
class RowFacets:
    """A row's filterable values."""

    row_id: int
    places: tuple[str, ...]
    industries: tuple[str, ...]
    degree: int
    hidden: bool
    closed: bool
    language: str

    @classmethod
    def of(cls, row: Candidate | Job) -> "RowFacets":
        if isinstance(row, Candidate):
            places = tuple(p for p in [row.location, *row.preferred_locations] if p)
            return cls(
                row.id,
                places,
                tuple(i for i in row.industries if i),
                row.highest_degree,
                not row.visible,
                False,
                token_language(row.lexical_tokens),
            )
        return cls(
            row.id,
            (row.location,) if row.location else (),
            (row.industry,) if row.industry else (),
            row.min_degree,
            False,
            row.closed_at is not None,
            token_language(row.lexical_tokens),
        )


class _Codes:
    """Distinct strings as small integers (0 is "none")."""

    def __init__(self, test: Callable[[str, str], bool]) -> None:
        self.codes: dict[str, int] = {}
        self.values: list[str] = [""]
        self._test = test  # (what a filter names, a stored value) → whether the value passes
        self._matching: dict[str, tuple[int, npt.NDArray[np.int32]]] = {}

    def code(self, value: str) -> int:
        found = self.codes.get(value)
        if found is None:
            found = self.codes[value] = len(self.values)
            self.values.append(value)
        return found

    def test(self, wanted: str, value: str) -> bool:
        return self._test(wanted, value)

    def matching(self, wanted: str) -> npt.NDArray[np.int32]:
        """The codes of the values `wanted` admits (remembered until new values arrive)."""
        cached = self._matching.get(wanted)
        if cached is not None and cached[0] == len(self.values):
            return cached[1]
        codes = np.array(
            [code for code, value in enumerate(self.values) if code and self._test(wanted, value)], dtype=np.int32
        )
        if len(self._matching) > 1_000:
            self._matching.clear()
        self._matching[wanted] = (len(self.values), codes)
        return codes


class Facets:
    """Filterable values of every row of one kind, in arrays indexed by id (grown as ids grow)."""

    def __init__(self) -> None:
        self._size = 0
        self._flags = np.zeros(0, dtype=np.uint8)
        self._degree = np.zeros(0, dtype=np.int8)
        self._language = np.zeros(0, dtype=np.int8)
        self._places = np.zeros((0, SLOTS), dtype=np.int32)
        self._industries = np.zeros((0, SLOTS), dtype=np.int32)
        self._place_codes = _Codes(place_matches)
        self._industry_codes = _Codes(industry_matches)
        self._language_counts = [0] * len(LANGUAGES)
        self.version = 0  # changes whenever a row is put or removed
        self._overflow: dict[int, tuple[tuple[str, ...], tuple[str, ...]]] = {}  # rows with more than SLOTS values
        self.count = 0

    def _grow(self, row_id: int) -> None:
        if row_id < self._size:
            return
        size = max(row_id + 1, self._size * 2, 1024)
        for name in ("_flags", "_degree", "_language", "_places", "_industries"):
            old = getattr(self, name)
            new = np.zeros((size, *old.shape[1:]), dtype=old.dtype)
            new[: old.shape[0]] = old
            setattr(self, name, new)
        self._size = size

    def put(self, row: RowFacets) -> None:
        """Record (or replace) a row's values."""
        self._grow(row.row_id)
        self.version += 1
        if self._flags[row.row_id] & _PRESENT:
            self._language_counts[self._language[row.row_id]] -= 1
        else:
            self.count += 1
        flags = _PRESENT | (_HIDDEN if row.hidden else 0) | (_CLOSED if row.closed else 0)
        self._flags[row.row_id] = flags
        self._degree[row.row_id] = row.degree
        self._language[row.row_id] = LANGUAGES.index(row.language) if row.language in LANGUAGES else 0
        self._language_counts[self._language[row.row_id]] += 1
        self._places[row.row_id] = self._slots(row.places, self._place_codes)
        self._industries[row.row_id] = self._slots(row.industries, self._industry_codes)
        if len(row.places) > SLOTS or len(row.industries) > SLOTS:
            self._overflow[row.row_id] = (row.places, row.industries)
        else:
            self._overflow.pop(row.row_id, None)

    @staticmethod
    def _slots(values: tuple[str, ...], codes: _Codes) -> list[int]:
        slots = [codes.code(value) for value in values[:SLOTS]]
        return slots + [0] * (SLOTS - len(slots))

    def remove(self, row_id: int) -> None:
        if row_id < self._size and self._flags[row_id] & _PRESENT:
            self.version += 1
            self._language_counts[self._language[row_id]] -= 1
            self._flags[row_id] = 0
            self._places[row_id] = 0
            self._industries[row_id] = 0
            self._overflow.pop(row_id, None)
            self.count -= 1

    def language_mask(self, language: str) -> npt.NDArray[np.bool_]:
        """Rows written in `language` (zh or en, as BM25 counts them)."""
        present = (self._flags & _PRESENT).astype(bool)
        return present & (self._language == LANGUAGES.index(language))

    def languages(self) -> dict[str, int]:
        """How many rows each language has."""
        return dict(zip(LANGUAGES, self._language_counts, strict=True))

    def admitted(
        self,
        *,
        place: str | None = None,
        industry: str | None = None,
        min_degree: int | None = None,
        visible_only: bool = False,
        open_only: bool = False,
    ) -> npt.NDArray[np.bool_]:
        """The mask of rows that pass every given filter: in `place` (Filters' location rules), in `industry`, of
        at least `min_degree`, not hidden, not closed. A place or industry is tested once per distinct stored value."""
        mask = (self._flags & _PRESENT).astype(bool)
        if visible_only:
            mask &= (self._flags & _HIDDEN) == 0
        if open_only:
            mask &= (self._flags & _CLOSED) == 0
        if min_degree is not None:
            mask &= self._degree >= min_degree
        if place is not None:
            mask &= self._any(self._places, self._place_codes, place, 0)
        if industry is not None:
            mask &= self._any(self._industries, self._industry_codes, industry, 1)
        return mask

    def _any(self, slots: npt.NDArray[np.int32], codes: _Codes, wanted: str, which: int) -> npt.NDArray[np.bool_]:
        matching = codes.matching(wanted)
        found: npt.NDArray[np.bool_] = np.zeros(self._size, dtype=bool)
        if matching.size:
            found = np.asarray(np.isin(slots, matching).any(axis=1), dtype=bool)
        for row_id, values in self._overflow.items():
            if not found[row_id] and any(codes.test(wanted, value) for value in values[which][SLOTS:]):
                found[row_id] = True
        return found
