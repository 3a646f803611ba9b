"""What the occupation coder knows about a cleaned title against every detailed occupation: one row of features each.

Several retrievers look at a title from different sides, and each gives every occupation a score:

- the multilingual model against the occupation's name, its name with its definition and with its tasks;
- the model against the job-board titles known for it (occupation-titles.csv);
- BM25 over the words of its name, definition and tasks;
- character n-grams (Chinese characters and pairs, English words) against its name and its known titles;
- exact and partial matches: the title is one of its known titles, contains one ("茶饮店店员" ⊃ "店员"), or ends
  the same way ("…焊工", "…司机": Chinese titles put the job last);
- a vote of the known titles nearest the title (model cosine), for each occupation and for its minor group (小类):
  a title that is clearly of one kind of work but between two of its occupations still says which kind.

The reciprocal rank of each score (RRF) goes in too. `OccupationRanker` weighs the features; `exclude` leaves out
one known title, which is how the ranker is trained on the title table without seeing the answer
(matcher/reference/occupation_training.py).
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from matcher.lexical import BM25Index
from matcher.reference.char_grams import CharGramIndex
from matcher.reference.title_cleaning import is_chinese, title_key
from matcher.reference.title_gloss import english_gloss

FEATURES = (
    "model_views",  # mean cosine with name, name + definition, name + tasks
    "model_name",  # cosine with the name alone
    "model_name_en",  # cosine with the English name (occupations-2022-en.csv)
    "model_title",  # best cosine with a known title (0 without one)
    "model_title_part",  # best cosine of a part or the gloss of the title (title_parts) with a known title
    "has_titles",  # the occupation has known titles
    "bm25",  # BM25 over name, definition and tasks, normalised to [0, 1)
    "chars_name",  # character n-gram cosine with the name and the English name
    "chars_title",  # best character n-gram cosine with a known title
    "exact",  # the title is the name or a known title
    "contained",  # longest known title or name inside the title, as a share of the title's length
    "suffix",  # longest ending shared with the name or a known title (characters, up to 4, / 4)
    "prior",  # how often postings advertise it (occupation-frequency.csv, 0–4, / 4)
    "rrf",  # reciprocal rank fusion of model_views, model_title, bm25, chars_name, chars_title: Σ 1 / (60 + rank)
    "title_vote",  # its share of the NEIGHBOURS known titles nearest the title (model cosine, softmax-weighted)
    "group_vote",  # the same share for its minor group (小类): the title is clearly of this kind of work
    "group_title",  # best model cosine of a known title (or part) of any occupation in its minor group
)
EXACT = FEATURES.index("exact")
RRF_K = 60
NEIGHBOURS = 20
VOTE_TEMPERATURE = 0.1  # cosines 0.1 apart weigh e times apart in the vote
SUFFIX_MAX = 4
TASKS_CHARS = 200  # the first tasks say what the job is; the long tail dilutes the embedding


@dataclass(frozen=True)
class OccupationText:
    code: str
    name: str
    definition: str = ""
    tasks: str = ""
    name_en: str = ""
    frequency: int = 2  # how often postings advertise it: 0 (never) to 4 (among the most advertised)


def occupation_views(occupations: Sequence[OccupationText]) -> list[tuple[int, str]]:
    """(position, text) for each way a detailed occupation is embedded: name, name + definition, name + tasks."""
    views: list[tuple[int, str]] = []
    for position, row in enumerate(occupations):
        views.append((position, row.name))
        if row.definition:
            views.append((position, f"{row.name}：{row.definition}"))
        if row.tasks:
            views.append((position, f"{row.name}：{row.tasks[:TASKS_CHARS]}"))
    return views


def title_parts(cleaned: str) -> list[str]:
    """Other ways to read a cleaned title: its parts when it has several ("物流园 卸车工" -> both; English words that
    follow each other stay one part: "BMS Engineer 电池管理" -> "BMS Engineer", "电池管理"), and the Chinese gloss of
    its English words when it has some ("Wastewater Treatment Operator" -> "污水处理操作工")."""
    parts: list[str] = []
    for word in cleaned.split():
        if parts and not is_chinese(word) and not is_chinese(parts[-1]):
            parts[-1] = f"{parts[-1]} {word}"
        else:
            parts.append(word)
    parts = [part for part in parts if len(part) >= 2]
    readings = parts if len(parts) > 1 else []
    gloss = english_gloss(cleaned)
    return [*readings, gloss] if gloss and gloss != cleaned else readings


class OccupationFeatures:
    """The retrievers over the detailed occupations and their known titles, and the feature rows they give."""

    def __init__(
        self,
        occupations: Sequence[OccupationText],
        titles: Sequence[tuple[int, str]],  # (position of its occupation, title)
        view_vectors: np.ndarray,  # one row per occupation_views(occupations), in that order
        title_vectors: np.ndarray,  # one row per title
        english_vectors: np.ndarray,  # one row per occupation: its English name
    ) -> None:
        self.size = len(occupations)
        views = occupation_views(occupations)
        self._owners = np.array([position for position, _ in views], dtype=np.int64)
        self._view_counts = np.maximum(np.bincount(self._owners, minlength=self.size), 1).astype(np.float32)
        self._view_vectors = view_vectors
        self._name_rows = np.array(
            [i for i, (position, text) in enumerate(views) if text == occupations[position].name]
        )
        self._lexical = BM25Index()
        for position, o in enumerate(occupations):
            self._lexical.add(position, f"{o.name} {o.name} {o.definition} {o.tasks}")
        self._title_owners = np.array([position for position, _ in titles], dtype=np.int64)
        self._title_vectors = title_vectors
        self._prior = np.array([o.frequency / 4 for o in occupations], dtype=np.float32)
        minor_groups = {code: index for index, code in enumerate(sorted({o.code[:7] for o in occupations}))}
        self._minor = np.array([minor_groups[o.code[:7]] for o in occupations], dtype=np.int64)
        self._has_titles = (np.bincount(self._title_owners, minlength=self.size) > 0).astype(np.float32)
        self._english_vectors = english_vectors
        self._name_chars = CharGramIndex([f"{o.name} {o.name_en}" for o in occupations])
        self._title_chars = CharGramIndex([title for _, title in titles])
        # Known strings (names and titles) by key, with their owner and title row (-1 for a name).
        self._known: dict[str, list[tuple[int, int]]] = defaultdict(list)
        self._suffixes: dict[str, list[tuple[int, int]]] = defaultdict(list)
        strings = [(position, -1, o.name) for position, o in enumerate(occupations)]
        strings += [(position, row, title) for row, (position, title) in enumerate(titles)]
        for position, row, text in strings:
            key = title_key(text)
            if not key:
                continue
            self._known[key].append((position, row))
            if is_chinese(key):
                for length in range(1, min(SUFFIX_MAX, len(key)) + 1):
                    self._suffixes[key[-length:]].append((position, row))

    def rows(
        self, cleaned: str, query: np.ndarray, exclude: int | None = None, parts: np.ndarray | None = None
    ) -> np.ndarray:
        """Features (occupations × FEATURES) of a cleaned title and its embedding; `exclude`: a title row to ignore;
        `parts`: the embeddings of title_parts(cleaned). A title with English words is read twice, as written and
        through its Chinese gloss (the last of its parts), and each occupation keeps the better of the two rows; a
        title known as written needs no gloss."""
        gloss = english_gloss(cleaned)
        own = self._rows(cleaned, query, exclude, parts)
        if gloss is None or gloss == cleaned or parts is None or not len(parts) or own[:, EXACT].any():
            return own
        return np.maximum(own, self._rows(gloss, parts[-1], exclude, parts))

    def _rows(self, cleaned: str, query: np.ndarray, exclude: int | None, parts: np.ndarray | None) -> np.ndarray:
        n = self.size
        view_cosines = self._view_vectors @ query
        model_views = np.bincount(self._owners, weights=view_cosines, minlength=n) / self._view_counts
        model_name = np.zeros(n)
        model_name[self._owners[self._name_rows]] = view_cosines[self._name_rows]
        model_name_en = self._english_vectors @ query
        title_cosines = self._title_vectors @ query if len(self._title_owners) else np.zeros(0)
        title_chars = self._title_chars.cosines(cleaned)
        has_titles = self._has_titles
        if exclude is not None:
            title_cosines = title_cosines.copy()
            title_cosines[exclude] = -1.0
            title_chars[exclude] = 0.0
            has_titles = has_titles.copy()
            owner = self._title_owners[exclude]
            has_titles[owner] = float(np.sum(self._title_owners == owner) > 1)
        model_title = np.zeros(n)
        chars_title = np.zeros(n)
        model_title_part = np.zeros(n)
        if len(self._title_owners):
            np.maximum.at(model_title, self._title_owners, np.maximum(title_cosines, 0.0))
            np.maximum.at(chars_title, self._title_owners, title_chars)
            part_cosines = title_cosines
            if parts is not None and len(parts):
                part_cosines = np.maximum(title_cosines, (self._title_vectors @ parts.T).max(axis=1))
                if exclude is not None:
                    part_cosines[exclude] = -1.0
            np.maximum.at(model_title_part, self._title_owners, np.maximum(part_cosines, 0.0))
        title_vote = self._vote(title_cosines)
        group_vote = np.bincount(self._minor, weights=title_vote)[self._minor]
        group_title = np.zeros(int(self._minor.max()) + 1 if n else 0)
        np.maximum.at(group_title, self._minor, model_title_part)
        bm25 = np.zeros(n)
        for hit in self._lexical.search(cleaned):
            bm25[hit.doc_id] = hit.score
        chars_name = self._name_chars.cosines(cleaned)
        exact, contained, suffix = self._matches(cleaned, exclude)
        rrf = np.zeros(n)
        for scores in (model_views, model_title, bm25, chars_name, chars_title):
            ranks = np.empty(n)
            ranks[np.argsort(-scores, kind="stable")] = np.arange(1, n + 1)
            rrf += 1.0 / (RRF_K + ranks)
        rrf *= RRF_K / 5  # 1.0 for an occupation first in every list
        columns = (
            model_views,
            model_name,
            model_name_en,
            model_title,
            model_title_part,
            has_titles,
            bm25,
            chars_name,
            chars_title,
            exact,
            contained,
            suffix,
            self._prior,
            rrf,
            title_vote,
            group_vote,
            group_title[self._minor],
        )
        return np.stack(columns, axis=1).astype(np.float32)

    def _vote(self, title_cosines: np.ndarray) -> np.ndarray:
        """Each occupation's share of the nearest known titles, weighted by a softmax of their cosines."""
        vote = np.zeros(self.size)
        if len(title_cosines) == 0:
            return vote
        k = min(NEIGHBOURS, len(title_cosines))
        nearest = np.argpartition(-title_cosines, k - 1)[:k]
        weights = np.exp((title_cosines[nearest] - title_cosines[nearest].max()) / VOTE_TEMPERATURE)
        np.add.at(vote, self._title_owners[nearest], weights / weights.sum())
        return vote

    def closest_known(self, cleaned: str) -> float:
        """How close the title comes to a known title or name: 1.0 for the same key, else the best n-gram cosine."""
        if title_key(cleaned) in self._known:
            return 1.0
        best = max(
            self._title_chars.cosines(cleaned).max(initial=0.0), self._name_chars.cosines(cleaned).max(initial=0.0)
        )
        return float(best)

    def _matches(self, cleaned: str, exclude: int | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        n = self.size
        exact, contained, suffix = np.zeros(n), np.zeros(n), np.zeros(n)
        key = title_key(cleaned)
        if not key:
            return exact, contained, suffix
        for position, row in self._known.get(key, ()):
            if row != exclude:  # a name (-1) is never left out
                exact[position] = 1.0
        # Every substring of the title (titles are short: at most a few hundred) looked up among the known strings.
        for start in range(len(key)):
            for end in range(start + 2, len(key) + 1):
                for position, row in self._known.get(key[start:end], ()):
                    if row != exclude:
                        contained[position] = max(contained[position], (end - start) / len(key))
        if is_chinese(key[-1]):
            for length in range(1, min(SUFFIX_MAX, len(key)) + 1):
                for position, row in self._suffixes.get(key[-length:], ()):
                    if row != exclude:
                        suffix[position] = max(suffix[position], length / SUFFIX_MAX)
        return exact, contained, suffix
