"""Thin helpers over the FAISS objects: create a flat or IVF index, list its ids, read and set parameters."""

from __future__ import annotations

from typing import Any

import faiss
import numpy as np

from index.arrays import IdArray

FLAT_FACTORY = "IDMap2,Flat"


def ivf_factory(nlist: int) -> str:
    """FAISS factory string of an inverted-file index with `nlist` cells storing vectors as 16-bit floats: half the
    memory of 32-bit ones (a million 512-d vectors: 1 GB instead of 2 GB, in every worker), a cosine within 2e-5 of
    the exact one, the same recall, searched a little faster."""
    return f"IVF{nlist},SQfp16"


def new_flat(dimension: int) -> Any:
    """Empty exact inner-product index that keeps database ids (IndexIDMap2 over IndexFlatIP)."""
    return faiss.index_factory(dimension, FLAT_FACTORY, faiss.METRIC_INNER_PRODUCT)


def new_ivf(dimension: int, nlist: int, seed: int) -> Any:
    """Untrained IVF index (ivf_factory) with inner product; k-means is seeded so builds are reproducible."""
    index: Any = faiss.index_factory(dimension, ivf_factory(nlist), faiss.METRIC_INNER_PRODUCT)
    index.cp.seed = seed
    # nlist is already sized to >= 39 points per cell when the data allows it; for tiny sets (one cell)
    # this keeps FAISS from printing its "please provide at least 39 training points" warning.
    index.cp.min_points_per_centroid = 1
    return index


def is_ivf(index: Any) -> bool:
    """True when `index` is an inverted-file index (nprobe applies)."""
    return isinstance(index, faiss.IndexIVF)


def is_flat(index: Any) -> bool:
    """True when `index` is the exact id-mapped flat index this package writes."""
    return isinstance(index, faiss.IndexIDMap2)


def set_nprobe(index: Any, nprobe: int) -> None:
    """Number of IVF cells visited per query."""
    ivf: Any = faiss.extract_index_ivf(index)
    ivf.nprobe = nprobe


def nlist_of(index: Any) -> int:
    """Number of IVF cells."""
    return int(faiss.extract_index_ivf(index).nlist)


def stored_ids(index: Any) -> IdArray:
    """Every database id held by a flat (IDMap2) or IVF index, sorted ascending."""
    if is_flat(index):
        ids = faiss.vector_to_array(index.id_map).astype(np.int64, copy=False)
        return np.sort(ids)
    if is_ivf(index):
        invlists: Any = faiss.extract_index_ivf(index).invlists
        parts = []
        for cell in range(invlists.nlist):
            size = invlists.list_size(cell)
            if size == 0:
                continue
            pointer = invlists.get_ids(cell)
            parts.append(faiss.rev_swig_ptr(pointer, size).astype(np.int64, copy=True))
            invlists.release_ids(cell, pointer)
        return np.sort(np.concatenate(parts)) if parts else np.empty(0, dtype=np.int64)
    raise TypeError(f"unsupported FAISS index type {type(index).__name__}")


def search_among(index: Any, ids: IdArray) -> Any:
    """Search parameters that limit a search of `index` to the vectors stored under `ids` (keeping its nprobe)."""
    selector = faiss.IDSelectorBatch(np.ascontiguousarray(ids, dtype=np.int64))
    if is_ivf(index):
        nprobe = int(faiss.extract_index_ivf(index).nprobe)
        return faiss.SearchParametersIVF(sel=selector, nprobe=nprobe)  # type: ignore[call-arg]
    return faiss.SearchParameters(sel=selector)  # type: ignore[call-arg]


def use_hashed_direct_map(index: Any) -> None:
    """Let an IVF index find a stored id without scanning every cell, so removing or replacing a few vectors costs
    what they do, not what the whole index does (a no-op for the flat index)."""
    if is_ivf(index):
        ivf: Any = faiss.extract_index_ivf(index)
        hashtable = faiss.DirectMap.Hashtable  # type: ignore[attr-defined]
        if ivf.direct_map.type != hashtable:
            ivf.set_direct_map_type(hashtable)


def search_within(index: Any, within: Any) -> Any:
    """Search parameters that limit a search of `index` to the ids a bitmap admits (index.selection.IdBitmap). On
    IVF the cells probed grow as the admitted share shrinks (all of them below 1/nprobe), so a rare filter still
    finds its best vectors: the bitmap check is cheap, and only admitted vectors are compared."""
    selector = within.selector()
    if is_ivf(index):
        ivf: Any = faiss.extract_index_ivf(index)
        share = max(within.share, 1e-9)
        nprobe = min(int(ivf.nlist), max(int(ivf.nprobe), int(np.ceil(int(ivf.nprobe) / share))))
        return faiss.SearchParametersIVF(sel=selector, nprobe=nprobe)  # type: ignore[call-arg]
    return faiss.SearchParameters(sel=selector)  # type: ignore[call-arg]
