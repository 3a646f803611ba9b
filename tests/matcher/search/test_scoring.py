"""The hybrid score's parts, each on its own."""

import pytest

from matcher.search.scoring import (
    Explanation,
    Weights,
    combine,
    degree_fit,
    location_fit,
    major_fit,
    matched_skills,
    place_matches,
    structured_mean,
)


def test_degree_fit() -> None:
    assert degree_fit(3, 0) == (None, None, None)
    assert degree_fit(3, 3) == (1.0, None, None)
    fit, note, note_zh = degree_fit(2, 3)
    assert note == "requires a master degree; the candidate's highest is bachelor"
    assert fit == 0.5
    assert note_zh == "要求硕士，候选人为本科"
    assert degree_fit(2, 4)[0] == 0.0


def test_major_fit() -> None:
    assert major_fit(["080901"], []) == (None, [])
    assert major_fit(["080901"], ["080901"]) == (1.0, ["080901"])
    assert major_fit(["080901"], ["0809"]) == (1.0, ["080901"])  # a whole class asked for
    assert major_fit(["080902"], ["080901"]) == (0.6, ["080902"])
    assert major_fit(["081201"], ["080901"]) == (0.2, ["081201"])
    assert major_fit(["100701"], ["080901"]) == (0.0, [])
    assert major_fit([], ["080901"]) == (0.0, [])


@pytest.mark.parametrize(
    ("wanted", "place", "expected"),
    [
        ("Zhengzhou", "郑州市高新区", True),
        ("郑州", "郑州市郑东新区", True),
        ("郑州市", "Zhengzhou", True),
        ("高新区", "郑州市高新区", True),
        ("Shanghai", "郑州市高新区", False),
        ("London, UK", "郑州", False),
    ],
)
def test_place_matches(wanted: str, place: str, expected: bool) -> None:
    assert place_matches(wanted, place) is expected


def test_location_fit() -> None:
    assert location_fit([], "郑州") is None
    assert location_fit(["London", "Zhengzhou"], "郑州市金水区") == 1.0
    assert location_fit(["London"], "郑州市金水区") == 0.0


def test_combine_uses_only_present_components() -> None:
    weights = Weights(0.6, 0.2, 0.2)
    free_text = Explanation(dense=0.5, lexical=1.0)
    assert combine(free_text, weights) == pytest.approx((0.6 * 0.5 + 0.2 * 1.0) / 0.8)
    assert free_text.weights == {"dense": 0.6, "lexical": 0.2}
    pair = Explanation(dense=0.5, lexical=0.0, structured=1.0)
    assert combine(pair, weights) == pytest.approx(0.5)
    assert combine(Explanation(dense=-0.2), weights) == 0.0  # negative cosine counts as no similarity


def test_structured_mean_and_skills() -> None:
    assert structured_mean(None, None) is None
    assert structured_mean(1.0, None, 0.0) == 0.5
    assert matched_skills(["Python", "C", "机器学习", "Go"], "熟悉Python和机器学习, good at golang") == [
        "Python",
        "机器学习",
    ]
