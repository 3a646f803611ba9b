"""What filters and ranking read off every candidate or job, kept in memory beside the indexes.

A filter is applied inside retrieval: it becomes a bitmap of admitted ids that the dense index tests while it
searches and that the lexical retriever scores within. A rare filter then neither scans the table nor deepens
retrieval until the whole collection is loaded, and pages stay exact. Ranking reads the same values (degree,
majors, places, how a row is written) for every drawn row, so only the page a person sees is read from the
database (matcher.search.pool).

Values are kept per row as codes of their distinct strings (places, industries, majors), so a filter or a fit tests
each distinct string once (`place_admits`, `industry_matches`, `major_fit`: the same rules as for whole rows) and
then the codes of every row at numpy speed. Like the indexes, facets follow the change feed: they are derived from
the database, never a truth of their own.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from matcher.search.place_filter import place_admits
from matcher.search.preferences import industry_matches
from matcher.store.models import Candidate, Job
from matcher.tokenize import token_language, writing_group

PLACE_SLOTS = 6  # places kept per row in arrays (a candidate's home and preferred places); more go to `overflow`
SLOTS = 4  # industries and majors kept per row in arrays
LANGUAGES = ("zh", "en")
GROUPS = ("zh", "en", "mixed")  # matcher.tokenize.writing_group
_HIDDEN, _CLOSED, _PRESENT = 1, 2, 4

Floats = npt.NDArray[np.float64]
Ids = npt.NDArray[np.int64]


@dataclass(frozen=True)
class RowFacets:
    """A row's filterable and ranked values."""

    row_id: int
    places: tuple[str, ...]
    industries: tuple[str, ...]
    degree: int
    hidden: bool
    closed: bool
    language: str  # zh or en: matcher.tokenize.token_language
    group: str = "en"  # zh, en or mixed: matcher.tokenize.writing_group
    majors: tuple[str, ...] = ()  # catalogue major codes
    person: int | None = None  # a candidate record linked with others: their person (Candidate.person_id)

    @classmethod
    def of(cls, row: Candidate | Job) -> "RowFacets":
        if isinstance(row, Candidate):
            return cls.candidate(
                row.id,
                row.lexical_tokens,
                [row.location, *row.preferred_locations],
                row.industries,
                row.highest_degree,
                row.visible,
                row.major_codes,
                row.person_id,
            )
        return cls.job(
            row.id, row.lexical_tokens, row.location, row.industry, row.min_degree, row.closed_at is not None,
            row.major_codes,
        )  # fmt: skip

    @classmethod
    def candidate(
        cls,
        row_id: int,
        tokens: Sequence[str],
        places: Sequence[str | None],
        industries: Sequence[str],
        degree: int,
        visible: bool,
        majors: Sequence[str],
        person: int | None = None,
    ) -> "RowFacets":
        words = list(tokens)
        return cls(
            row_id,
            tuple(p for p in places if p),
            tuple(i for i in industries if i),
            degree,
            not visible,
            False,
            token_language(words),
            writing_group(words),
            tuple(m for m in majors if m),
            person,
        )

    @classmethod
    def job(
        cls,
        row_id: int,
        tokens: Sequence[str],
        location: str,
        industry: str,
        degree: int,
        closed: bool,
        majors: Sequence[str],
    ) -> "RowFacets":
        words = list(tokens)
        return cls(
            row_id,
            (location,) if location else (),
            (industry,) if industry else (),
            degree,
            False,
            closed,
            token_language(words),
            writing_group(words),
            tuple(m for m in majors if m),
        )


class _Codes:
    """Distinct strings as small integers (0 is "none")."""

    def __init__(self, test: Callable[[str, str], bool] | None = None) -> None:
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
        assert self._test is not None
        return self._test(wanted, value)

    def matching(self, wanted: str) -> npt.NDArray[np.int32]:
        """The codes of the values `wanted` admits (remembered until new values arrive)."""
        cached = self._matching.get(wanted)
        if cached is not None and cached[0] == len(self.values):
            return cached[1]
        codes = np.array(
            [code for code, value in enumerate(self.values) if code and self.test(wanted, value)], dtype=np.int32
        )
        if len(self._matching) > 1_000:
            self._matching.clear()
        self._matching[wanted] = (len(self.values), codes)
        return codes


class _SlotColumn:
    """A column of short lists of strings (places, industries, majors): `width` codes per row in an array; a row
    with more values keeps all of them in `overflow` too (and is marked in `spilled`)."""

    def __init__(self, width: int, test: Callable[[str, str], bool] | None = None) -> None:
        self.width = width
        self.codes = _Codes(test)
        self.slots = np.zeros((0, width), dtype=np.int32)
        self.spilled = np.zeros(0, dtype=bool)
        self.overflow: dict[int, tuple[str, ...]] = {}

    def grow(self, size: int) -> None:
        slots = np.zeros((size, self.width), dtype=np.int32)
        slots[: self.slots.shape[0]] = self.slots
        spilled = np.zeros(size, dtype=bool)
        spilled[: self.spilled.shape[0]] = self.spilled
        self.slots, self.spilled = slots, spilled

    def put(self, row_id: int, values: tuple[str, ...]) -> None:
        codes = [self.codes.code(value) for value in values[: self.width]]
        self.slots[row_id] = codes + [0] * (self.width - len(codes))
        self.spilled[row_id] = len(values) > self.width
        if len(values) > self.width:
            self.overflow[row_id] = values
        else:
            self.overflow.pop(row_id, None)

    def clear(self, row_id: int) -> None:
        self.slots[row_id] = 0
        self.spilled[row_id] = False
        self.overflow.pop(row_id, None)

    def values(self, row_id: int) -> tuple[str, ...]:
        if row_id in self.overflow:
            return self.overflow[row_id]
        return tuple(self.codes.values[code] for code in self.slots[row_id] if code)

    def admitted(self, wanted: str, size: int) -> npt.NDArray[np.bool_]:
        """Rows one of whose values `wanted` admits."""
        passes = np.zeros(len(self.codes.values), dtype=bool)
        passes[self.codes.matching(wanted)] = True
        found: npt.NDArray[np.bool_] = np.zeros(size, dtype=bool)
        if passes.any():
            found = np.asarray(passes[self.slots[:size]].any(axis=1), dtype=bool)
        for row_id, values in self.overflow.items():
            if not found[row_id] and any(self.codes.test(wanted, value) for value in values[self.width :]):
                found[row_id] = True
        return found

    def best(self, ids: Ids, fit: Callable[[str], float], empty: float) -> Floats:
        """For each row of `ids`, the best `fit` of its values (`empty` for a row without any): `fit` is asked once
        per distinct value among these rows."""
        slots = self.slots[ids]
        table = np.full(len(self.codes.values), -np.inf)
        for code in {code for code in slots.ravel().tolist() if code}:
            table[code] = fit(self.codes.values[code])
        best = table[slots].max(axis=1) if ids.size else np.zeros(0)
        best = np.where(np.isneginf(best), empty, best)
        for i in np.flatnonzero(self.spilled[ids]).tolist():
            best[i] = max(fit(value) for value in self.overflow[int(ids[i])])
        return best


class Facets:
    """Filterable and ranked values of every row of one kind, in arrays indexed by id (grown as ids grow)."""

    def __init__(self) -> None:
        self._size = 0
        self._flags = np.zeros(0, dtype=np.uint8)
        self._degree = np.zeros(0, dtype=np.int8)
        self._language = np.zeros(0, dtype=np.int8)
        self._group = np.zeros(0, dtype=np.int8)
        self._person = np.zeros(0, dtype=np.int64)  # each row's person (its own id unless linked)
        self.places = _SlotColumn(PLACE_SLOTS, place_admits)
        self.industries = _SlotColumn(SLOTS, industry_matches)
        self.majors = _SlotColumn(SLOTS)
        self._language_counts = [0] * len(LANGUAGES)
        self.version = 0  # changes whenever a row is put or removed
        self.count = 0
        self.linked = 0  # rows linked with others as one person (none: results need no collapsing)

    def _grow(self, row_id: int) -> None:
        if row_id < self._size:
            return
        size = max(row_id + 1, self._size * 2, 1024)
        for name in ("_flags", "_degree", "_language", "_group", "_person"):
            old = getattr(self, name)
            new = np.zeros(size, dtype=old.dtype)
            new[: old.shape[0]] = old
            setattr(self, name, new)
        for column in (self.places, self.industries, self.majors):
            column.grow(size)
        self._size = size

    def put(self, row: RowFacets) -> None:
        """Record (or replace) a row's values."""
        self._grow(row.row_id)
        self.version += 1
        if self._flags[row.row_id] & _PRESENT:
            self._language_counts[self._language[row.row_id]] -= 1
            self.linked -= int(self._person[row.row_id] != row.row_id)
        else:
            self.count += 1
        flags = _PRESENT | (_HIDDEN if row.hidden else 0) | (_CLOSED if row.closed else 0)
        self._flags[row.row_id] = flags
        self._degree[row.row_id] = row.degree
        self._language[row.row_id] = LANGUAGES.index(row.language) if row.language in LANGUAGES else 0
        self._group[row.row_id] = GROUPS.index(row.group) if row.group in GROUPS else 1
        self._person[row.row_id] = row.person if row.person is not None else row.row_id
        self.linked += int(self._person[row.row_id] != row.row_id)
        self._language_counts[self._language[row.row_id]] += 1
        self.places.put(row.row_id, row.places)
        self.industries.put(row.row_id, row.industries)
        self.majors.put(row.row_id, row.majors)

    def remove(self, row_id: int) -> None:
        if row_id < self._size and self._flags[row_id] & _PRESENT:
            self.version += 1
            self._language_counts[self._language[row_id]] -= 1
            self.linked -= int(self._person[row_id] != row_id)
            self._person[row_id] = row_id
            self._flags[row_id] = 0
            for column in (self.places, self.industries, self.majors):
                column.clear(row_id)
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
            mask &= self.places.admitted(place, self._size)
        if industry is not None:
            mask &= self.industries.admitted(industry, self._size)
        return mask

    # -- what ranking reads ------------------------------------------------------------------------------

    def present(self, ids: Ids) -> npt.NDArray[np.bool_]:
        """Which of `ids` are rows the facets hold."""
        inside = ids < self._size
        found = np.zeros(ids.shape, dtype=bool)
        found[inside] = (self._flags[ids[inside]] & _PRESENT) != 0
        return found

    def degrees(self, ids: Ids) -> npt.NDArray[np.int8]:
        return self._degree[ids]

    def first_of_each_person(self, ranked: Ids) -> Ids:
        """`ranked` with every row after the first of its person left out (a person shows once, as their
        best-ranked record)."""
        if ranked.size == 0:
            return ranked
        _, first = np.unique(self._person[ranked], return_index=True)
        return ranked[np.sort(first)]

    def count_people(self, ids: Ids) -> int:
        """How many people rows `ids` are."""
        return int(np.unique(self._person[ids]).size)

    def groups(self, ids: Ids) -> list[str]:
        """How each row is written (zh, en, mixed)."""
        return [GROUPS[g] for g in self._group[ids].tolist()]

    def group(self, row_id: int) -> str | None:
        if row_id >= self._size or not self._flags[row_id] & _PRESENT:
            return None
        return GROUPS[int(self._group[row_id])]
