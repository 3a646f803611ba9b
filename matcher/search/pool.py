"""The structured part of the hybrid score for every drawn row at once, from the in-memory facets.

A query draws a few hundred rows; only the ten or so of its page are read from the database. The rest are scored
from what the facets hold (degree, majors, places): each fit is computed by the same function that explains a whole
row (matcher.search.scoring, matcher.search.preferences) — once per distinct value among the drawn rows — and then
looked up for every row at numpy speed. A fit that does not apply is NaN here where it is None in an explanation.
"""

from collections.abc import Callable

import numpy as np

from matcher.degrees import DegreeLevel
from matcher.search.facets import Facets, Floats, Ids
from matcher.search.preferences import QueryPreferences
from matcher.search.scoring import Weights, degree_fit, major_fit, place_area, place_matches
from matcher.store.models import Candidate, Job

NONE = float("nan")


def _by_degree(fit: Callable[[int], float | None]) -> Floats:
    """A fit as a table indexed by degree level."""
    return np.array([NONE if (value := fit(level)) is None else value for level in DegreeLevel], dtype=np.float64)


def _nothing(ids: Ids) -> Floats:
    return np.full(ids.shape, NONE)


def mean_present(*fits: Floats) -> Floats:
    """Per row, the mean of the fits that apply (matcher.search.scoring.structured_mean); NaN when none does."""
    stacked = np.vstack(fits)
    present = ~np.isnan(stacked)
    counts = present.sum(axis=0)
    total = np.where(present, stacked, 0.0).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(counts > 0, total / np.maximum(counts, 1), NONE)


def anchor_fits(facets: Facets, ids: Ids, anchor: Candidate | Job) -> Floats:
    """The structured fit of each drawn row with `anchor`: candidates for a job, or jobs for a candidate (degree,
    major and location fit, as MatchingEngine._explain computes them for one pair)."""
    if isinstance(anchor, Job):  # the rows are candidates
        required, job_codes, where = anchor.min_degree, list(anchor.major_codes), anchor.location
        degree = _by_degree(lambda level: degree_fit(level, required)[0])[facets.degrees(ids)]
        major = facets.majors.best(ids, lambda code: major_fit([code], job_codes)[0] or 0.0, 0.0)
        if not job_codes:
            major = _nothing(ids)
        location = _nothing(ids)
        if where:
            location = facets.places.best(ids, lambda place: float(place_matches(place, where)), NONE)
        return mean_present(degree, major, location)
    level, codes = anchor.highest_degree, list(anchor.major_codes)
    places = [p for p in [anchor.location, *anchor.preferred_locations] if p]
    degree = _by_degree(lambda required: degree_fit(level, required)[0])[facets.degrees(ids)]
    major = facets.majors.best(ids, lambda wanted: major_fit(codes, [wanted])[0] or 0.0, NONE)
    location = _nothing(ids)
    if places:
        location = facets.places.best(ids, lambda job: float(any(place_matches(p, job) for p in places)), NONE)
    return mean_present(degree, major, location)


def preference_fits(facets: Facets, ids: Ids, candidates: bool, wanted: QueryPreferences) -> Floats:
    """The structured fit of each drawn row with what a free-text query asks (QueryPreferences.explain)."""
    degree = _nothing(ids)
    asked = wanted.degree
    if asked is not None and candidates:
        degree = _by_degree(lambda level: degree_fit(level, asked)[0])[facets.degrees(ids)]
    elif asked is not None:
        degree = _by_degree(lambda required: 1.0 if required <= asked else 0.0)[facets.degrees(ids)]
    location = _nothing(ids)
    if wanted.places:
        places = {place.id for place in wanted.places}
        location = facets.places.best(ids, lambda place: 1.0 if places & place_area(place) else 0.0, 0.0)
    return mean_present(degree, location)


def combine_many(dense: Floats, lexical: Floats | None, structured: Floats, weights: Weights) -> Floats:
    """matcher.search.scoring.combine for every row: components that do not apply (lexical None, structured NaN)
    leave the sum and the weights."""
    total = np.maximum(dense, 0.0) * weights.dense
    weight = np.full(dense.shape, weights.dense)
    if lexical is not None:
        total = total + lexical * weights.lexical
        weight = weight + weights.lexical
    has = ~np.isnan(structured)
    total = total + np.where(has, structured, 0.0) * weights.structured
    weight = weight + np.where(has, weights.structured, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(weight > 0, total / np.where(weight > 0, weight, 1.0), 0.0)
