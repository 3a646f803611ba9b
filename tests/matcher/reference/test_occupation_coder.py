"""The occupation coder's parts: n-gram retrieval, the learned ranker and its calibration, training one title left
out at a time, the back-off to a group, and measuring with gold groups, reliability and unseen titles."""

import csv
import json
from importlib.resources import files

import numpy as np
import pytest

from matcher.embedding import embed_texts
from matcher.platform import Platform
from matcher.reference.evaluation import Labelled, Ranked, evaluate, hierarchical
from matcher.reference.occupation_coder import (
    MIN_CONFIDENCE,
    OccupationCoder,
    middle_group_code,
    minor_group_code,
)
from matcher.reference.occupation_features import (
    FEATURES,
    OccupationFeatures,
    OccupationText,
    title_parts,
)
from matcher.reference.occupation_ranker import RANKER_FILE, Calibration, OccupationRanker, fit_weights
from matcher.reference.occupation_training import query_weights, train, training_set
from matcher.reference.occupations import occupation_titles
from matcher.reference.title_cleaning import clean_title
from matcher.reference.title_gloss import WORDS_FILE, english_gloss


def _job_words() -> list[dict[str, str]]:
    with files("matcher").joinpath("data", WORDS_FILE).open(encoding="utf-8") as lines:
        return list(csv.DictReader(lines))


def test_a_title_is_cut_into_parts_only_where_it_has_several() -> None:
    assert title_parts("物流园 卸车工") == ["物流园", "卸车工"]
    assert title_parts("BMS工程师 电池管理") == ["BMS工程师", "电池管理"]
    assert title_parts("会计") == [] and title_parts("Java开发") == []


def test_english_words_are_glossed_in_chinese_phrases_first() -> None:
    assert english_gloss("Wastewater Treatment Operator") == "污水处理操作工"
    assert english_gloss("Supply Chain Planner") == "供应链计划员"  # the phrase, not 供应 + 链
    assert english_gloss("Senior BMS Engineer") == "Senior BMS 工程师"  # words it does not know stay as written
    assert english_gloss("BMS") is None and english_gloss("会计") is None
    # A title with English words is also read through its gloss (the last of its readings).
    assert title_parts("Customer Service Representative") == ["客户服务代表"]
    assert title_parts("BMS Engineer 电池管理") == ["BMS Engineer", "电池管理", "BMS 工程师电池管理"]
    assert all(row["english"] == row["english"].strip().casefold() and row["chinese"] for row in _job_words())


def test_the_nearest_known_titles_vote_for_their_occupation_and_its_minor_group() -> None:
    occupations = [
        OccupationText("2-02-10-03", "软件工程技术人员"),
        OccupationText("2-02-10-04", "软件测试工程技术人员"),
        OccupationText("4-01-02-01", "营业员"),
    ]
    titles = [(0, "后端开发"), (0, "Java开发"), (1, "测试工程师"), (2, "门店营业员")]

    def unit(*values: float) -> np.ndarray:
        vector = np.array(values, dtype=np.float32)
        return vector / np.linalg.norm(vector)

    title_vectors = np.stack([unit(1, 0.1, 0), unit(1, 0.2, 0), unit(1, 0.6, 0), unit(0, 0, 1)])
    names = np.stack([unit(1, 0, 0), unit(1, 1, 0), unit(0, 0, 1)])
    features = OccupationFeatures(occupations, titles, names, title_vectors, names)
    column = {name: FEATURES.index(name) for name in ("title_vote", "group_vote", "group_title", "model_title")}

    rows = features.rows("Java开发", unit(1, 0.15, 0))
    vote = rows[:, column["title_vote"]]
    assert vote.sum() == pytest.approx(1.0) and vote[0] > vote[1] > vote[2]
    # Both software occupations are in minor group 2-02-10: its vote is theirs together, and so is its best title.
    assert rows[0, column["group_vote"]] == pytest.approx(vote[0] + vote[1]) == rows[1, column["group_vote"]]
    assert rows[1, column["group_title"]] == rows[0, column["model_title"]] > rows[1, column["model_title"]]
    assert rows[2, column["group_vote"]] == pytest.approx(vote[2])
    # A left-out title does not vote: occupation 0 keeps only its other title's share.
    left_out = features.rows("Java开发", unit(1, 0.15, 0), exclude=1)[:, column["title_vote"]]
    assert left_out.sum() == pytest.approx(1.0) and left_out[0] < vote[0]


def test_an_english_title_is_read_as_written_and_through_its_gloss() -> None:
    occupations = [OccupationText("4-01-02-01", "营业员"), OccupationText("4-01-02-02", "收银员")]
    titles = [(0, "门店销售员"), (1, "超市收银")]
    vectors = np.eye(3, dtype=np.float32)
    features = OccupationFeatures(occupations, titles, vectors[:2], vectors[:2], vectors[:2])
    exact = FEATURES.index("exact")
    assert title_parts("Store Salesperson") == ["门店销售员"]
    as_written = features.rows("Store Salesperson", vectors[2])
    both = features.rows("Store Salesperson", vectors[2], parts=vectors[:1])  # the gloss's embedding
    assert as_written[0, exact] == 0 and both[0, exact] == 1.0 and (both >= as_written).all()


def test_calibration_is_monotone_and_says_the_share_right() -> None:
    raw = np.linspace(0, 1, 1000)
    right = np.random.default_rng(1).random(1000) < raw  # right as often as the raw probability says
    calibration = Calibration.fit(raw, right)
    values = [calibration(x) for x in np.linspace(0, 1, 50)]
    assert values == sorted(values) and calibration(0.05) < 0.2 and calibration(0.95) > 0.8
    weighted = Calibration.fit(np.array([0.5, 0.5]), np.array([True, False]), np.array([3.0, 1.0]), bins=1)
    assert weighted(0.5) == 0.75


def test_fitted_weights_find_the_feature_that_tells_the_gold() -> None:
    rng = np.random.default_rng(2)
    features = rng.random((200, 20, 3))
    gold = rng.integers(0, 20, 200)
    features[np.arange(200), gold, 1] += 1.0  # the second feature is higher for the gold
    weights = fit_weights(features, gold)
    assert weights[1] > 2 * max(abs(weights[0]), abs(weights[2]))
    scores = features @ weights
    assert (scores.argmax(axis=1) == gold).mean() > 0.9


def test_the_packaged_ranker_was_trained_on_todays_titles_and_features() -> None:
    data = json.loads(files("matcher").joinpath("data", RANKER_FILE).read_text(encoding="utf-8"))
    assert data["features"] == list(FEATURES)
    assert data["about"]["queries"] == len(occupation_titles())  # retrain after changing the titles
    ranker = OccupationRanker.packaged()
    assert set(ranker.calibration) == {"detailed", "minor", "middle"}
    assert all(c.accuracy == sorted(c.accuracy) and c.edges[-1] == 1.0 for c in ranker.calibration.values())
    with pytest.raises(ValueError, match="other features"):
        OccupationRanker.from_json(json.dumps({**data, "features": data["features"][:-1]}))


def test_group_codes() -> None:
    assert minor_group_code("2-02-10-03") == "2-02-10-00" and middle_group_code("2-02-10-03") == "2-02-00-00"
    assert minor_group_code("2-08-03-00") == "2-08-03-00"  # a minor group without subdivisions is its own
    assert hierarchical("2-02-10-03", "2-02-00-00") and hierarchical("2-02-10-03", "2-02-10-03")
    assert not hierarchical("2-02-10-00", "2-02-10-03") and not hierarchical("2-03-10-03", "2-02-00-00")


def _coder(platform: Platform) -> OccupationCoder:
    with platform.session() as session:
        return platform.occupation_mapper(session).coder


def test_the_guess_backs_off_to_a_group_when_only_the_group_is_sure(platform: Platform) -> None:
    coder = _coder(platform)
    position = {code: i for i, code in enumerate(coder.codes)}
    p = np.zeros(len(coder.codes))
    p[position["2-02-10-03"]] = 0.99
    p[position["2-02-10-04"]] = 0.01
    sure = coder.guess(p)
    assert (sure.code, sure.level, sure.detailed_code) == ("2-02-10-03", 4, "2-02-10-03")
    assert sure.confidence >= MIN_CONFIDENCE and not sure.uncertain

    p[:] = 0  # the mass spread over one minor group: the group is sure, no one occupation is
    group = [i for i, code in enumerate(coder.codes) if code.startswith("2-02-10-")]
    p[group] = 1 / len(group)
    backed = coder.guess(p)
    assert backed.level in (2, 3) and backed.code in ("2-02-10-00", "2-02-00-00") and backed.name
    assert backed.detailed_code.startswith("2-02-10-") and backed.confidence >= MIN_CONFIDENCE

    p[:] = 1 / len(p)  # no idea at all: nothing rather than a wrong code
    unsure = coder.guess(p)
    assert unsure.uncertain and unsure.level == 0 and unsure.confidence < MIN_CONFIDENCE and unsure.detailed_code


def test_training_leaves_each_title_out_and_weighs_by_frequency(platform: Platform) -> None:
    """A small coder (the titles of two minor groups' worth of occupations) trained end to end."""
    full = _coder(platform)
    kept = [t for t in occupation_titles() if t[0].startswith(("2-02-10-", "4-01-02-"))]
    vectors = {title: full.title_vectors[row] for row, (_, title) in enumerate(full.titles)}

    def embed(texts: list[str]) -> np.ndarray:
        with platform.session() as session:
            return embed_texts(session, platform.encoder, texts)[0]

    coder = OccupationCoder(full.occupations, full.names, kept, embed, OccupationRanker.untrained())
    assert len(coder.titles) == len(kept) and all(title in vectors for _, title in kept)
    data = training_set(coder, embed)
    assert data.features.shape[0] == len(kept) and data.features.shape[2] == len(FEATURES)
    # Each query's own title is left out: it is not an exact match of its own occupation any more (unless the Chinese
    # gloss of an English title is another of its titles: "Software Engineer" -> 软件工程师).
    found = data.gold_index >= 0
    as_written = np.array([english_gloss(clean_title(title)) is None for _, title in kept])
    rows = np.nonzero(found & as_written)[0]
    exact = data.features[rows, data.gold_index[rows], FEATURES.index("exact")]
    assert found.mean() > 0.8 and len(rows) > 100 and (exact == 0).mean() > 0.95
    weights = query_weights(coder, data.gold)
    assert weights.min() > 0 and len(set(weights.round(3))) > 1  # 2-02-10-03 is advertised more than 4-01-02-03
    ranker = train(coder, data, folds=3)
    assert ranker.about["queries"] == len(kept) and ranker.about["folds"] == 3
    assert 0.3 < ranker.about["out_of_fold"]["accuracy_at_1"] <= ranker.about["out_of_fold"]["accuracy_at_5"]


def test_measuring_counts_gold_groups_reliability_shown_and_unseen() -> None:
    rows = [
        Labelled(2, "a", "2-02-00-00", "zh"),  # a gold group: anything under 2-02 is right
        Labelled(3, "b", "2-02-10-03", "en"),
        Labelled(4, "c", "4-01-02-01", "mixed"),
    ]
    answers = {
        "a": Ranked(["2-02-10-03", "4-01-02-01"], 0.9, "2-02-10-03"),
        "b": Ranked(["2-02-10-04", "2-02-10-03"], 0.5, "2-02-10-00"),  # backed off to a group holding the gold
        "c": Ranked(["2-02-10-03"], 0.1, None),  # uncertain
    }
    report = evaluate("occupations", rows, answers.__getitem__, right=hierarchical, seen=lambda t: t == "a")
    assert (report.overall.at_1, report.overall.at_5) == (round(1 / 3, 4), round(2 / 3, 4))
    assert report.unseen is not None and report.unseen.n == 2 and set(report.unseen_by_language) == {"en", "mixed"}
    assert [(b.n, b.accuracy) for b in report.reliability if b.n] == [(1, 0.0), (1, 0.0), (1, 1.0)]
    assert report.shown is not None
    assert (report.shown.shown, report.shown.right, report.shown.backed_off) == (2, 2, 1)
