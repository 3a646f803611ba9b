"""IdBitmap: a set of database ids as a bitmap, which FAISS can test ids against while it searches."""

from __future__ import annotations

from typing import Any

import faiss
import numpy as np
import numpy.typing as npt


class IdBitmap:
    """Ids admitted by a filter, from a boolean mask indexed by id (`mask[i]`: id i is admitted)."""

    def __init__(self, mask: npt.NDArray[np.bool_], population: int | None = None) -> None:
        """`population`: how many ids exist in all (for `share`; default: the mask's length)."""
        self._bits = np.packbits(mask, bitorder="little")
        self.count = int(np.count_nonzero(mask))
        self._population = max(population if population is not None else mask.size, 1)
        self._selector: Any = None

    @classmethod
    def _of_bits(cls, bits: npt.NDArray[np.uint8], population: int) -> IdBitmap:
        bitmap = cls.__new__(cls)
        bitmap._bits = bits
        bitmap.count = int(np.bitwise_count(bits).sum(dtype=np.int64)) if bits.size else 0
        bitmap._population = population
        bitmap._selector = None
        return bitmap

    def intersect(self, other: IdBitmap) -> IdBitmap:
        """The ids both admit."""
        size = min(self._bits.size, other._bits.size)
        return IdBitmap._of_bits(self._bits[:size] & other._bits[:size], self._population)

    def admits(self, id: int) -> bool:
        byte = id >> 3
        return 0 <= byte < self._bits.size and bool((self._bits[byte] >> (id & 7)) & 1)

    def admits_many(self, ids: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
        """Which of `ids` are admitted (a boolean array, in their order)."""
        ids = np.asarray(ids, dtype=np.int64)
        inside = (ids >= 0) & (ids < self._bits.size * 8)
        byte = np.where(inside, ids >> 3, 0)
        return inside & (((self._bits[byte] >> (ids & 7).astype(np.uint8)) & 1) == 1)

    def ids(self) -> npt.NDArray[np.int64]:
        """The admitted ids, ascending."""
        return np.flatnonzero(np.unpackbits(self._bits, bitorder="little")).astype(np.int64)

    @property
    def share(self) -> float:
        """The admitted part of all ids (0 to 1)."""
        return min(1.0, self.count / self._population)

    def selector(self) -> Any:
        """A FAISS IDSelectorBitmap over the bits (kept alive with this object)."""
        if self._selector is None:
            self._selector = faiss.IDSelectorBitmap(self._bits.size, faiss.swig_ptr(self._bits))
        return self._selector
