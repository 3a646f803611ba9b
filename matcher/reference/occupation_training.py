"""Fitting the occupation ranker's weights and calibration on the known job-board titles, one title left out at a time.

Every title of occupation-titles.csv is a training query with its own row left out of the title features, so the
ranker learns how far the other retrievers and the other titles of its occupation carry an unseen title. No
labelled evaluation set takes part: eval/ and any labelled set from elsewhere stay for measuring. The calibration
is fitted on out-of-fold answers (FOLDS folds: the weights that answered had not seen the query), for the first
occupation and for its minor and middle groups. `talent occupations train` runs this and writes
matcher/data/occupation-ranker.json.
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from matcher.reference.occupation_coder import OccupationCoder, middle_group_code, minor_group_code
from matcher.reference.occupation_features import title_parts
from matcher.reference.occupation_ranker import Calibration, OccupationRanker, candidates_of, fit_weights
from matcher.reference.title_cleaning import clean_title

FOLDS = 5
SEED = 2026
# Training queries count as often as postings of their occupation would: its frequency (0–4) → 3 ** (f − 2), so an
# occupation most advertised counts 9 times an ordinary one and 81 times one never advertised. An occupation's weight
# is shared among its titles, so one with many known titles does not count more for it (its titles are one
# occupation's synonyms, not more postings).
FREQUENCY_BASE = 3.0


def query_weights(coder: OccupationCoder, gold: np.ndarray) -> np.ndarray:
    frequency = np.array([o.frequency for o in coder.occupations], dtype=np.float64)
    titles = np.bincount(gold, minlength=len(frequency)).astype(np.float64)
    titles_per_occupation = len(gold) / np.count_nonzero(titles)
    result: np.ndarray = FREQUENCY_BASE ** (frequency[gold] - 2) * titles_per_occupation / titles[gold]
    return result


@dataclass
class TrainingSet:
    features: np.ndarray  # queries × candidates × features
    candidates: np.ndarray  # queries × candidates: positions of the occupations
    gold: np.ndarray  # queries: position of the right occupation
    gold_index: np.ndarray  # queries: its index among the candidates, -1 when it is not one of them


def training_set(coder: OccupationCoder, embed: Callable[[list[str]], np.ndarray]) -> TrainingSet:
    """One query per known title, that title left out."""
    cleaned = [clean_title(title) for _, title in coder.titles]
    parts = [title_parts(text) for text in cleaned]
    vectors = embed(cleaned + [part for text_parts in parts for part in text_parts])
    features, candidates, gold, gold_index = [], [], [], []
    start = len(cleaned)
    for row, ((position, _), text, vector) in enumerate(zip(coder.titles, cleaned, vectors, strict=False)):
        part_vectors = vectors[start : start + len(parts[row])]
        start += len(parts[row])
        rows = coder.features.rows(text, vector, exclude=row, parts=part_vectors)
        chosen = candidates_of(rows)
        where = np.nonzero(chosen == position)[0]
        features.append(rows[chosen])
        candidates.append(chosen)
        gold.append(position)
        gold_index.append(int(where[0]) if len(where) else -1)
    return TrainingSet(np.stack(features), np.stack(candidates), np.array(gold), np.array(gold_index))


def _softmax(scores: np.ndarray) -> np.ndarray:
    exp = np.exp(scores - scores.max(axis=1, keepdims=True))
    result: np.ndarray = exp / exp.sum(axis=1, keepdims=True)
    return result


def train(coder: OccupationCoder, data: TrainingSet, folds: int = FOLDS, seed: int = SEED) -> OccupationRanker:
    """Weights on every query; calibration and the out-of-fold figures from `folds` folds."""
    fold_of = np.random.default_rng(seed).integers(0, folds, len(data.gold))
    codes = np.array(coder.codes)
    minor = np.array([minor_group_code(code) for code in codes])
    middle = np.array([middle_group_code(code) for code in codes])
    raw: dict[str, list[float]] = {"detailed": [], "minor": [], "middle": []}
    right: dict[str, list[bool]] = {"detailed": [], "minor": [], "middle": []}
    at_1 = at_5 = 0.0
    share = query_weights(coder, data.gold)
    kept: list[float] = []
    for fold in range(folds):
        fit_rows = (fold_of != fold) & (data.gold_index >= 0)
        weights = fit_weights(data.features[fit_rows], data.gold_index[fit_rows], share[fit_rows])
        held = np.nonzero(fold_of == fold)[0]
        probabilities = _softmax(data.features[held] @ weights)
        for p, candidates, gold, w in zip(
            probabilities, data.candidates[held], data.gold[held], share[held], strict=True
        ):
            order = np.argsort(-p, kind="stable")
            best = candidates[order[0]]
            at_1 += w * (best == gold)
            at_5 += w * (gold in candidates[order[:5]])
            kept.append(w)
            raw["detailed"].append(float(p[order[0]]))
            right["detailed"].append(bool(best == gold))
            for level, groups in (("minor", minor), ("middle", middle)):
                group = groups[best]
                raw[level].append(float(p[groups[candidates] == group].sum()))
                right[level].append(bool(groups[gold] == group))
    usable = data.gold_index >= 0
    weights = fit_weights(data.features[usable], data.gold_index[usable], share[usable])
    calibration = {
        level: Calibration.fit(np.array(raw[level]), np.array(right[level]), np.array(kept)) for level in raw
    }
    n = len(data.gold)
    total = float(np.sum(kept))
    about = {
        "trained_on": "matcher/data/occupation-titles.csv, each title a query with itself left out",
        "queries": n,
        "folds": folds,
        "seed": seed,
        "weighted_by": f"occupation frequency f (0-4): {FREQUENCY_BASE:g} ** (f - 2), shared among its titles",
        "out_of_fold": {"accuracy_at_1": round(at_1 / total, 4), "accuracy_at_5": round(at_5 / total, 4)},
    }
    return OccupationRanker(weights, calibration, about)
