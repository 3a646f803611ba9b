"""Character n-grams: a lexical view of short texts in either script ("电商运营 KA": 电, 电商, …, ka).

Chinese is not split into words: its characters and character pairs are the terms, so 卸车工 meets 装卸工 on 卸,
工 and nothing on a word boundary a segmenter might draw differently; Latin text gives its words. `CharGramIndex`
scores a query against many short texts (names, titles) by IDF-weighted cosine.
"""

from collections import defaultdict
from collections.abc import Sequence

import numpy as np

from matcher.reference.title_cleaning import is_chinese


def char_grams(text: str) -> set[str]:
    """Chinese characters and character pairs, English words (lower case): '电商运营 KA' -> {电, 商, 电商, …, ka}."""
    grams: set[str] = set()
    for chunk in _chunks(text):
        if is_chinese(chunk):
            grams.update(chunk)
            grams.update(chunk[i : i + 2] for i in range(len(chunk) - 1))
        else:
            grams.add(chunk)
    return grams


def _chunks(text: str) -> list[str]:
    chunks: list[str] = []
    word = ""
    for char in text.casefold():
        if "\u4e00" <= char <= "\u9fff":
            if word and not is_chinese(word):
                chunks.append(word)
                word = ""
            word += char
        elif char.isalnum() or char in "+#":
            if word and is_chinese(word):
                chunks.append(word)
                word = ""
            word += char
        else:
            if word:
                chunks.append(word)
            word = ""
    if word:
        chunks.append(word)
    return chunks


class CharGramIndex:
    """IDF-weighted cosine of character n-grams between a query and many short texts."""

    def __init__(self, texts: Sequence[str]) -> None:
        postings: dict[str, list[int]] = defaultdict(list)
        grams = [char_grams(text) for text in texts]
        for row, row_grams in enumerate(grams):
            for gram in row_grams:
                postings[gram].append(row)
        n = max(len(texts), 1)
        self._idf = {gram: float(np.log(1 + n / len(rows))) for gram, rows in postings.items()}
        self._postings = {gram: np.array(rows, dtype=np.int64) for gram, rows in postings.items()}
        self._norms = np.array(
            [np.sqrt(sum(self._idf[g] ** 2 for g in row_grams)) or 1.0 for row_grams in grams], dtype=np.float64
        )
        self._size = len(texts)

    def cosines(self, text: str) -> np.ndarray:
        """Cosine with every text (zeros when nothing is shared)."""
        grams = [g for g in char_grams(text) if g in self._postings]
        if not grams or not self._size:
            return np.zeros(self._size)
        rows = np.concatenate([self._postings[g] for g in grams])
        weights = np.concatenate([np.full(len(self._postings[g]), self._idf[g] ** 2) for g in grams])
        dots = np.bincount(rows, weights=weights, minlength=self._size)
        query_norm = np.sqrt(sum(self._idf[g] ** 2 for g in grams))
        result: np.ndarray = dots / (self._norms * query_norm)
        return result
