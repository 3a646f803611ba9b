"""Facets: what filters and ranking read off every row, in arrays by id — the same answers as testing each row's
values one by one, for rows with more values than the arrays hold, after replacements and removals too."""

import random

import numpy as np

from matcher.search.facets import PLACE_SLOTS, Facets, RowFacets
from matcher.search.preferences import industry_matches
from matcher.search.scoring import place_matches

PLACES = ["郑州市高新区", "London", "伦敦", "Shanghai", "上海市浦东新区", "Boston, MA", "英国曼彻斯特", "Zhengzhou"]
PLACES += ["Tokyo"]
INDUSTRIES = ["电子信息", "新能源汽车", "Biomedicine", "先进制造", ""]
MAJORS = ["080901", "080902", "0809", "070101", "100201"]


def _rows(seed: int, count: int) -> list[RowFacets]:
    rng = random.Random(seed)
    rows = []
    for row_id in range(1, count + 1):
        places = rng.sample(PLACES, rng.choice([0, 1, 2, PLACE_SLOTS, PLACE_SLOTS + 2]))
        rows.append(
            RowFacets.candidate(
                row_id * 3,  # ids with gaps
                ["电池", "battery"][: rng.randint(0, 2)],
                places,
                rng.sample(INDUSTRIES, rng.randint(0, 2)),
                rng.randint(0, 4),
                rng.random() < 0.8,
                rng.sample(MAJORS, rng.randint(0, 3)),
            )
        )
    return rows


def _facets(rows: list[RowFacets]) -> Facets:
    facets = Facets()
    for row in rows:
        facets.put(row)
    return facets


def test_filters_admit_what_testing_each_row_admits_spilled_rows_too() -> None:
    rows = _rows(1, 400)
    facets = _facets(rows)
    assert facets.places.overflow, "some rows hold more places than the arrays"
    for place in ["London", "郑州", "英国", "Boston", "海外", "nowhere"]:
        for industry in [None, "electronics", "新能源"]:
            mask = facets.admitted(place=place, industry=industry, min_degree=2, visible_only=True)
            expected = {
                row.row_id
                for row in rows
                if any(place_matches(place, p) for p in row.places)
                and (industry is None or any(industry_matches(industry, i) for i in row.industries))
                and row.degree >= 2
                and not row.hidden
            }
            assert set(np.flatnonzero(mask).tolist()) == expected, (place, industry)


def test_best_fit_per_row_reads_every_value_once_per_distinct_value() -> None:
    rows = _rows(2, 300)
    facets = _facets(rows)
    asked: list[str] = []

    def fit(place: str) -> float:
        asked.append(place)
        return 1.0 if place_matches("London", place) else 0.25 if "上海" in place else 0.0

    ids = np.array([row.row_id for row in rows] + [10**6], dtype=np.int64)
    ids = ids[facets.present(ids)]
    best = facets.places.best(ids, fit, float("nan"))
    by_id = {row.row_id: row for row in rows}
    for row_id, value in zip(ids.tolist(), best.tolist(), strict=True):
        places = by_id[row_id].places
        assert (np.isnan(value) and not places) or value == max(fit(p) for p in places)
    assert facets.majors.values(rows[0].row_id) == rows[0].majors


def test_replaced_and_removed_rows_leave_no_trace() -> None:
    rows = _rows(3, 50)
    facets = _facets(rows)
    first = rows[0]
    moved = RowFacets.candidate(first.row_id, ["battery"], ["Tokyo"], [], 1, True, [])
    facets.put(moved)
    assert facets.places.values(first.row_id) == ("Tokyo",) and facets.majors.values(first.row_id) == ()
    assert facets.count == 50 and facets.group(first.row_id) == "en"
    facets.remove(first.row_id)
    assert facets.count == 49 and facets.group(first.row_id) is None
    assert not facets.present(np.array([first.row_id, 10**7], dtype=np.int64)).any()
    assert not facets.admitted(place="Tokyo")[first.row_id]
